//! Drafts and the outbox: what the user wrote, and what is on its way to a server.
//!
//! Invariants:
//! - A draft is written in one statement; when `save_draft` returns, it is on disk.
//! - Publishing writes every outbox row of a draft, and marks the draft published, in one
//!   transaction: either all targets are queued or none is.
//! - An outbox row's idempotency key is fixed when the row is created and never changes, so a
//!   resend after any crash is recognised by the server.
//! - State changes are compare-and-set on the expected state, so the sender and a user's cancel
//!   can never both win.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use facets_model::Surface;
use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftRow {
    pub id: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// The draft as JSON; its shape belongs to the app.
    pub document: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftMediaRow {
    pub id: String,
    pub draft_id: String,
    pub file_name: String,
    pub mime_type: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Relative to the data directory.
    pub path: String,
    pub byte_size: u64,
    pub created_at: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OutboxState {
    Queued,
    Uploading,
    Sending,
    Sent,
    Failed,
    /// Waiting to retry: offline, rate-limited or the server had trouble.
    Waiting,
    Cancelled,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Queued => "queued",
            OutboxState::Uploading => "uploading",
            OutboxState::Sending => "sending",
            OutboxState::Sent => "sent",
            OutboxState::Failed => "failed",
            OutboxState::Waiting => "waiting",
            OutboxState::Cancelled => "cancelled",
        }
    }

    /// Still to be sent (including rows a crash left mid-send).
    pub fn is_pending(self) -> bool {
        matches!(self, OutboxState::Queued | OutboxState::Waiting | OutboxState::Uploading | OutboxState::Sending)
    }
}

impl fmt::Display for OutboxState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for OutboxState {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "queued" => OutboxState::Queued,
            "uploading" => OutboxState::Uploading,
            "sending" => OutboxState::Sending,
            "sent" => OutboxState::Sent,
            "failed" => OutboxState::Failed,
            "waiting" => OutboxState::Waiting,
            "cancelled" => OutboxState::Cancelled,
            other => return Err(StoreError::Corrupt(format!("unknown outbox state {other:?}"))),
        })
    }
}

/// Why a row in the waiting state waits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaitReason {
    /// The server could not be reached.
    Network,
    /// The server answered with an error of its own (5xx, or an unreadable answer).
    Server,
    /// The server asked to slow down (429, `Retry-After`).
    RateLimit,
    /// The surface has no signed-in account yet.
    Session,
    /// The server is still processing an uploaded file.
    Processing,
}

impl WaitReason {
    pub fn as_str(self) -> &'static str {
        match self {
            WaitReason::Network => "network",
            WaitReason::Server => "server",
            WaitReason::RateLimit => "rate_limit",
            WaitReason::Session => "session",
            WaitReason::Processing => "processing",
        }
    }

    /// Unknown words (from a newer version) read as no reason rather than an error.
    fn parse(text: &str) -> Option<WaitReason> {
        Some(match text {
            "network" => WaitReason::Network,
            "server" => WaitReason::Server,
            "rate_limit" => WaitReason::RateLimit,
            "session" => WaitReason::Session,
            "processing" => WaitReason::Processing,
            _ => return None,
        })
    }
}

/// A file uploaded for a row: the server's id, and whether the server finished processing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UploadedMedia {
    pub id: String,
    pub ready: bool,
}

impl<'de> Deserialize<'de> for UploadedMedia {
    /// Rows written before processing was tracked hold just the id, of a file that was ready.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Id(String),
            Full { id: String, ready: bool },
        }
        Ok(match Stored::deserialize(deserializer)? {
            Stored::Id(id) => UploadedMedia { id, ready: true },
            Stored::Full { id, ready } => UploadedMedia { id, ready },
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: String,
    pub draft_id: String,
    pub surface: Surface,
    pub idempotency_key: String,
    /// What to publish, as JSON; its shape belongs to the app.
    pub payload: String,
    pub state: OutboxState,
    pub attempts: u32,
    /// Unix milliseconds.
    pub next_attempt_at: i64,
    /// When the status itself was first sent (Unix ms); the idempotency key's age counts from it.
    pub first_attempt_at: Option<i64>,
    pub last_error: Option<String>,
    /// Set while the row is waiting.
    pub waiting_for: Option<WaitReason>,
    /// Draft media id → the server's file, kept so a retry does not upload again.
    pub uploaded_media: BTreeMap<String, UploadedMedia>,
    pub remote_status_id: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A row to queue: one target of a publish.
#[derive(Debug, Clone)]
pub struct NewOutboxRow {
    pub id: String,
    pub surface: Surface,
    pub idempotency_key: String,
    pub payload: String,
}

const OUTBOX_COLUMNS: &str = "id, draft_id, surface, idempotency_key, payload, state, attempts, next_attempt_at,
    first_attempt_at, last_error, uploaded_media, remote_status_id, created_at, updated_at, waiting_for";

fn outbox_from_row(row: &Row<'_>) -> rusqlite::Result<Result<OutboxRow, StoreError>> {
    let surface: String = row.get(2)?;
    let state: String = row.get(5)?;
    let uploaded: String = row.get(10)?;
    let waiting_for: Option<String> = row.get(14)?;
    let build = || -> Result<OutboxRow, StoreError> {
        Ok(OutboxRow {
            id: row.get(0)?,
            draft_id: row.get(1)?,
            surface: surface.parse().map_err(|_| StoreError::Corrupt(format!("unknown surface {surface:?}")))?,
            idempotency_key: row.get(3)?,
            payload: row.get(4)?,
            state: state.parse()?,
            attempts: row.get(6)?,
            next_attempt_at: row.get(7)?,
            first_attempt_at: row.get(8)?,
            last_error: row.get(9)?,
            waiting_for: waiting_for.as_deref().and_then(WaitReason::parse),
            uploaded_media: serde_json::from_str(&uploaded)
                .map_err(|e| StoreError::Corrupt(format!("outbox uploaded_media: {e}")))?,
            remote_status_id: row.get(11)?,
            created_at: row.get(12)?,
            updated_at: row.get(13)?,
        })
    };
    Ok(build())
}

fn draft_from_row(row: &Row<'_>) -> rusqlite::Result<DraftRow> {
    Ok(DraftRow { id: row.get(0)?, created_at: row.get(1)?, updated_at: row.get(2)?, document: row.get(3)? })
}

fn media_from_row(row: &Row<'_>) -> rusqlite::Result<DraftMediaRow> {
    Ok(DraftMediaRow {
        id: row.get(0)?,
        draft_id: row.get(1)?,
        file_name: row.get(2)?,
        mime_type: row.get(3)?,
        width: row.get(4)?,
        height: row.get(5)?,
        path: row.get(6)?,
        byte_size: row.get(7)?,
        created_at: row.get(8)?,
    })
}

fn insert_outbox_rows(
    tx: &rusqlite::Transaction<'_>,
    draft_id: &str,
    rows: &[NewOutboxRow],
    now: i64,
) -> Result<(), StoreError> {
    for row in rows {
        tx.execute(
            "INSERT INTO outbox (id, draft_id, surface, idempotency_key, payload, state, next_attempt_at,
                                 created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?6, ?6)",
            params![row.id, draft_id, row.surface.as_str(), row.idempotency_key, row.payload, now],
        )?;
    }
    Ok(())
}

const MEDIA_COLUMNS: &str = "id, draft_id, file_name, mime_type, width, height, path, byte_size, created_at";

impl Store {
    // --- Drafts ------------------------------------------------------------------------------

    /// Creates or replaces an unsent draft. Refuses (returns `None`) once it was published, so
    /// a late autosave cannot resurrect a sent post as a draft.
    pub fn save_draft(&self, id: &str, document: &str, now: i64) -> Result<Option<DraftRow>, StoreError> {
        let changed = self.conn.execute(
            "INSERT INTO drafts (id, created_at, updated_at, document) VALUES (?1, ?2, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, document = excluded.document
             WHERE drafts.published_at IS NULL",
            params![id, now, document],
        )?;
        if changed == 0 {
            return Ok(None);
        }
        self.draft(id)
    }

    pub fn draft(&self, id: &str) -> Result<Option<DraftRow>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT id, created_at, updated_at, document FROM drafts WHERE id = ?1")?
            .query_row([id], draft_from_row)
            .optional()?)
    }

    /// Drafts not yet published, most recently edited first.
    pub fn unsent_drafts(&self) -> Result<Vec<DraftRow>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT id, created_at, updated_at, document FROM drafts
                 WHERE published_at IS NULL ORDER BY updated_at DESC, id DESC",
            )?
            .query_map([], draft_from_row)?
            .collect::<Result<_, _>>()?)
    }

    /// Deletes an unsent draft; returns the media rows whose files the caller should remove.
    pub fn delete_draft(&mut self, id: &str) -> Result<Vec<DraftMediaRow>, StoreError> {
        let tx = self.conn.transaction()?;
        let media: Vec<DraftMediaRow> = tx
            .prepare_cached(&format!(
                "SELECT {MEDIA_COLUMNS} FROM draft_media
                 WHERE draft_id = ?1 AND EXISTS (SELECT 1 FROM drafts WHERE id = ?1 AND published_at IS NULL)"
            ))?
            .query_map([id], media_from_row)?
            .collect::<Result<_, _>>()?;
        tx.execute("DELETE FROM drafts WHERE id = ?1 AND published_at IS NULL", [id])?;
        tx.commit()?;
        Ok(media)
    }

    pub fn add_draft_media(&self, media: &DraftMediaRow) -> Result<(), StoreError> {
        self.conn.execute(
            &format!("INSERT INTO draft_media ({MEDIA_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
            params![
                media.id,
                media.draft_id,
                media.file_name,
                media.mime_type,
                media.width,
                media.height,
                media.path,
                media.byte_size,
                media.created_at
            ],
        )?;
        Ok(())
    }

    pub fn draft_media(&self, draft_id: &str) -> Result<Vec<DraftMediaRow>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!(
                "SELECT {MEDIA_COLUMNS} FROM draft_media WHERE draft_id = ?1 ORDER BY created_at, id"
            ))?
            .query_map([draft_id], media_from_row)?
            .collect::<Result<_, _>>()?)
    }

    pub fn draft_media_by_id(&self, id: &str) -> Result<Option<DraftMediaRow>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(&format!("SELECT {MEDIA_COLUMNS} FROM draft_media WHERE id = ?1"))?
            .query_row([id], media_from_row)
            .optional()?)
    }

    /// Detaches a file from an unsent draft; returns its row so the caller can delete the file.
    pub fn remove_draft_media(&self, draft_id: &str, id: &str) -> Result<Option<DraftMediaRow>, StoreError> {
        let Some(media) = self.draft_media_by_id(id)?.filter(|m| m.draft_id == draft_id) else { return Ok(None) };
        let removed = self.conn.execute(
            "DELETE FROM draft_media WHERE id = ?1
               AND EXISTS (SELECT 1 FROM drafts WHERE id = draft_media.draft_id AND published_at IS NULL)",
            [id],
        )?;
        Ok((removed == 1).then_some(media))
    }

    // --- Outbox ------------------------------------------------------------------------------

    /// Queues every target of a draft and marks it published, all in one transaction. Returns
    /// false (and queues nothing) if the draft is unknown or already published.
    pub fn enqueue(&mut self, draft_id: &str, rows: &[NewOutboxRow], now: i64) -> Result<bool, StoreError> {
        let tx = self.conn.transaction()?;
        let published = tx.execute(
            "UPDATE drafts SET published_at = ?2 WHERE id = ?1 AND published_at IS NULL",
            params![draft_id, now],
        )?;
        if published == 0 {
            return Ok(false);
        }
        insert_outbox_rows(&tx, draft_id, rows, now)?;
        tx.commit()?;
        Ok(true)
    }

    /// Queues what was written and sent in one go (a reply in a conversation): the words are
    /// kept as a document already published, with its rows, in one transaction.
    pub fn enqueue_written(
        &mut self,
        id: &str,
        document: &str,
        rows: &[NewOutboxRow],
        now: i64,
    ) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO drafts (id, created_at, updated_at, document, published_at) VALUES (?1, ?2, ?2, ?3, ?2)",
            params![id, now, document],
        )?;
        insert_outbox_rows(&tx, id, rows, now)?;
        tx.commit()?;
        Ok(())
    }

    fn outbox_query(&self, sql: &str, params: impl rusqlite::Params) -> Result<Vec<OutboxRow>, StoreError> {
        self.conn.prepare_cached(sql)?.query_map(params, outbox_from_row)?.map(|r| r?).collect()
    }

    /// The whole outbox, newest first.
    pub fn outbox(&self) -> Result<Vec<OutboxRow>, StoreError> {
        self.outbox_query(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox ORDER BY created_at DESC, id DESC"), [])
    }

    pub fn outbox_row(&self, id: &str) -> Result<Option<OutboxRow>, StoreError> {
        Ok(self.outbox_query(&format!("SELECT {OUTBOX_COLUMNS} FROM outbox WHERE id = ?1"), [id])?.pop())
    }

    /// The pending row that is due soonest, if it is due by `now`.
    pub fn next_due(&self, now: i64) -> Result<Option<OutboxRow>, StoreError> {
        Ok(self
            .outbox_query(
                &format!(
                    "SELECT {OUTBOX_COLUMNS} FROM outbox
                     WHERE state IN ('queued', 'waiting', 'uploading', 'sending') AND next_attempt_at <= ?1
                     ORDER BY next_attempt_at, created_at, id LIMIT 1"
                ),
                [now],
            )?
            .pop())
    }

    /// When the next pending row falls due (Unix ms), if any row is pending.
    pub fn next_outbox_wake(&self) -> Result<Option<i64>, StoreError> {
        Ok(self.conn.query_row(
            "SELECT min(next_attempt_at) FROM outbox WHERE state IN ('queued', 'waiting', 'uploading', 'sending')",
            [],
            |row| row.get(0),
        )?)
    }

    /// Writes a row's progress if it is still in `expected` state; false if someone else (a
    /// cancel) changed it first.
    pub fn update_outbox(&self, row: &OutboxRow, expected: OutboxState, now: i64) -> Result<bool, StoreError> {
        let uploaded = serde_json::to_string(&row.uploaded_media)
            .map_err(|e| StoreError::Corrupt(format!("outbox uploaded_media: {e}")))?;
        let changed = self.conn.execute(
            "UPDATE outbox SET state = ?3, attempts = ?4, next_attempt_at = ?5, first_attempt_at = ?6,
                    last_error = ?7, uploaded_media = ?8, remote_status_id = ?9, updated_at = ?10,
                    waiting_for = ?11
             WHERE id = ?1 AND state = ?2",
            params![
                row.id,
                expected.as_str(),
                row.state.as_str(),
                row.attempts,
                row.next_attempt_at,
                row.first_attempt_at,
                row.last_error,
                uploaded,
                row.remote_status_id,
                now,
                row.waiting_for.filter(|_| row.state == OutboxState::Waiting).map(WaitReason::as_str)
            ],
        )?;
        Ok(changed == 1)
    }

    /// What rows waited for has come (the network is back, an account signed in again): they
    /// are due now. Rows waiting for anything else keep their time. Answers how many were
    /// hurried.
    pub fn hurry_waits_for(&self, reason: WaitReason, now: i64) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE outbox SET next_attempt_at = ?1
             WHERE state = 'waiting' AND waiting_for = ?2 AND next_attempt_at > ?1",
            params![now, reason.as_str()],
        )?)
    }

    /// Moves a row from one of `from` to `to`, due now. Returns the row as it is afterwards.
    pub fn transition_outbox(
        &self,
        id: &str,
        from: &[OutboxState],
        to: OutboxState,
        now: i64,
    ) -> Result<Option<OutboxRow>, StoreError> {
        let Some(mut row) = self.outbox_row(id)? else { return Ok(None) };
        if !from.contains(&row.state) {
            return Ok(Some(row));
        }
        let expected = row.state;
        row.state = to;
        row.next_attempt_at = now;
        self.update_outbox(&row, expected, now)?;
        self.outbox_row(id)
    }

    /// The outbox row that published this status, if any.
    pub fn outbox_row_for_remote(&self, surface: Surface, remote_id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT id FROM outbox WHERE surface = ?1 AND remote_status_id = ?2",
                params![surface.as_str(), remote_id],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Sent copies of a draft on each surface: the cross-post record.
    pub fn published_copies(&self, draft_id: &str) -> Result<Vec<(Surface, String)>, StoreError> {
        Ok(self
            .outbox_query(
                &format!(
                    "SELECT {OUTBOX_COLUMNS} FROM outbox WHERE draft_id = ?1 AND state = 'sent'
                     AND remote_status_id IS NOT NULL ORDER BY surface"
                ),
                [draft_id],
            )?
            .into_iter()
            .filter_map(|row| Some((row.surface, row.remote_status_id?)))
            .collect())
    }

    /// The other surfaces a post was cross-posted to from Facets (the cross-post record).
    pub fn also_published_on(&self, surface: Surface, remote_id: &str) -> Result<Vec<Surface>, StoreError> {
        let names: Vec<String> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT other.surface FROM outbox mine
                   JOIN outbox other ON other.draft_id = mine.draft_id AND other.surface != mine.surface
                  WHERE mine.surface = ?1 AND mine.remote_status_id = ?2 AND other.state = 'sent'
                    -- A copy deleted since is no longer a copy.
                    AND EXISTS (SELECT 1 FROM posts p
                                 WHERE p.surface = other.surface AND p.remote_id = other.remote_status_id)
                  ORDER BY other.surface",
            )?
            .query_map(params![surface.as_str(), remote_id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        names.iter().map(|n| n.parse().map_err(|_| StoreError::Corrupt(format!("unknown surface {n:?}")))).collect()
    }

    /// Removes a post from the cache (its media, timeline entries and message rows go with it).
    pub fn remove_post(&self, surface: Surface, remote_id: &str) -> Result<bool, StoreError> {
        let removed = self
            .conn
            .execute("DELETE FROM posts WHERE surface = ?1 AND remote_id = ?2", params![surface.as_str(), remote_id])?;
        Ok(removed > 0)
    }

    /// The published copies of the post with this id: every surface's sent row of its draft.
    pub fn copies_of(&self, surface: Surface, remote_id: &str) -> Result<Vec<(Surface, String)>, StoreError> {
        let draft: Option<String> = self
            .conn
            .query_row(
                "SELECT draft_id FROM outbox WHERE surface = ?1 AND remote_status_id = ?2",
                params![surface.as_str(), remote_id],
                |row| row.get(0),
            )
            .optional()?;
        match draft {
            Some(draft) => self.published_copies(&draft),
            None => Ok(Vec::new()),
        }
    }

    /// `PRAGMA quick_check`: "ok" when the database file is sound.
    pub fn quick_check(&self) -> Result<String, StoreError> {
        Ok(self.conn.query_row("PRAGMA quick_check", [], |row| row.get(0))?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued(store: &mut Store, draft: &str, surfaces: &[Surface]) -> Vec<NewOutboxRow> {
        store.save_draft(draft, "{}", 1).unwrap().unwrap();
        let rows: Vec<NewOutboxRow> = surfaces
            .iter()
            .map(|s| NewOutboxRow {
                id: format!("{draft}-{s}"),
                surface: *s,
                idempotency_key: format!("key-{draft}-{s}"),
                payload: "{}".into(),
            })
            .collect();
        assert!(store.enqueue(draft, &rows, 10).unwrap());
        rows
    }

    #[test]
    fn publishing_queues_every_target_and_retires_the_draft_at_once() {
        let mut store = Store::open_in_memory().unwrap();
        queued(&mut store, "d1", &[Surface::Feed, Surface::Visual]);
        assert!(store.unsent_drafts().unwrap().is_empty());
        assert_eq!(store.outbox().unwrap().len(), 2);
        assert!(!store.enqueue("d1", &[], 11).unwrap(), "a draft is published once");
        assert!(store.save_draft("d1", "{\"late\":true}", 12).unwrap().is_none(), "a late autosave is refused");
        assert!(store.delete_draft("d1").unwrap().is_empty());
        assert_eq!(store.outbox().unwrap().len(), 2, "deleting a published draft does nothing");
    }

    #[test]
    fn a_failed_enqueue_leaves_nothing_behind() {
        let mut store = Store::open_in_memory().unwrap();
        queued(&mut store, "d1", &[Surface::Feed]);
        store.save_draft("d2", "{}", 20).unwrap();
        // Reusing d1's key violates the UNIQUE constraint halfway through.
        let rows = vec![
            NewOutboxRow {
                id: "d2-a".into(),
                surface: Surface::Feed,
                idempotency_key: "fresh".into(),
                payload: "{}".into(),
            },
            NewOutboxRow {
                id: "d2-b".into(),
                surface: Surface::Visual,
                idempotency_key: "key-d1-feed".into(),
                payload: "{}".into(),
            },
        ];
        assert!(store.enqueue("d2", &rows, 21).is_err());
        assert_eq!(store.outbox().unwrap().len(), 1);
        assert_eq!(store.unsent_drafts().unwrap().len(), 1, "d2 is still a draft");
    }

    #[test]
    fn updates_are_compare_and_set() {
        let mut store = Store::open_in_memory().unwrap();
        queued(&mut store, "d1", &[Surface::Feed]);
        let mut row = store.next_due(10).unwrap().expect("due");
        assert!(store.next_due(9).unwrap().is_none(), "not due before its time");
        row.state = OutboxState::Uploading;
        assert!(store.update_outbox(&row, OutboxState::Queued, 11).unwrap());
        let cancelled =
            store.transition_outbox(&row.id, &[OutboxState::Queued], OutboxState::Cancelled, 12).unwrap().unwrap();
        assert_eq!(cancelled.state, OutboxState::Uploading, "in flight: cancel does not apply");
        row.state = OutboxState::Sent;
        row.remote_status_id = Some("99".into());
        row.uploaded_media.insert("m1".into(), UploadedMedia { id: "r1".into(), ready: false });
        assert!(!store.update_outbox(&row, OutboxState::Queued, 13).unwrap(), "stale expectation loses");
        assert!(store.update_outbox(&row, OutboxState::Uploading, 13).unwrap());
        let stored = store.outbox_row(&row.id).unwrap().unwrap();
        assert_eq!(stored.uploaded_media.get("m1"), Some(&UploadedMedia { id: "r1".into(), ready: false }));
        assert_eq!(store.published_copies("d1").unwrap(), vec![(Surface::Feed, "99".to_owned())]);
        assert!(store.also_published_on(Surface::Feed, "99").unwrap().is_empty(), "one surface only");
        assert_eq!(store.next_outbox_wake().unwrap(), None);
        assert_eq!(store.quick_check().unwrap(), "ok");
    }

    #[test]
    fn uploads_recorded_before_processing_was_tracked_read_as_ready() {
        let mut store = Store::open_in_memory().unwrap();
        queued(&mut store, "d1", &[Surface::Feed]);
        store.conn.execute("UPDATE outbox SET uploaded_media = '{\"m1\":\"r1\"}'", []).unwrap();
        let row = store.outbox_row("d1-feed").unwrap().unwrap();
        assert_eq!(row.uploaded_media.get("m1"), Some(&UploadedMedia { id: "r1".into(), ready: true }));
    }

    #[test]
    fn only_rows_waiting_for_the_network_are_hurried_when_it_returns() {
        let mut store = Store::open_in_memory().unwrap();
        queued(&mut store, "d1", &[Surface::Feed, Surface::Visual]);
        for (id, reason) in [("d1-feed", WaitReason::Network), ("d1-visual", WaitReason::RateLimit)] {
            let mut row = store.outbox_row(id).unwrap().unwrap();
            row.state = OutboxState::Waiting;
            row.waiting_for = Some(reason);
            row.next_attempt_at = 1_000;
            assert!(store.update_outbox(&row, OutboxState::Queued, 20).unwrap());
            assert_eq!(store.outbox_row(id).unwrap().unwrap().waiting_for, Some(reason));
        }
        assert_eq!(store.hurry_waits_for(WaitReason::Network, 30).unwrap(), 1);
        assert_eq!(store.outbox_row("d1-feed").unwrap().unwrap().next_attempt_at, 30);
        assert_eq!(store.outbox_row("d1-visual").unwrap().unwrap().next_attempt_at, 1_000, "Retry-After holds");

        let mut row = store.outbox_row("d1-feed").unwrap().unwrap();
        row.state = OutboxState::Sending;
        assert!(store.update_outbox(&row, OutboxState::Waiting, 40).unwrap());
        assert_eq!(store.outbox_row("d1-feed").unwrap().unwrap().waiting_for, None, "only waiting rows have a reason");
    }

    #[test]
    fn cross_posts_know_their_other_copies() {
        let mut store = Store::open_in_memory().unwrap();
        queued(&mut store, "d1", &[Surface::Feed, Surface::Visual]);
        for (surface, remote) in [(Surface::Feed, "f1"), (Surface::Visual, "v1")] {
            let status = facets_wire::Status {
                id: remote.into(),
                created_at: "2026-11-25T10:00:00Z".into(),
                account: facets_wire::Account { id: "me".into(), acct: "me".into(), ..Default::default() },
                ..Default::default()
            };
            store.ingest_statuses(surface, None, &[status], None, 0).unwrap();
            let mut row = store.outbox_row(&format!("d1-{surface}")).unwrap().unwrap();
            row.state = OutboxState::Sent;
            row.remote_status_id = Some(remote.into());
            assert!(store.update_outbox(&row, OutboxState::Queued, 20).unwrap());
        }
        assert_eq!(store.also_published_on(Surface::Feed, "f1").unwrap(), vec![Surface::Visual]);
        assert_eq!(store.also_published_on(Surface::Visual, "v1").unwrap(), vec![Surface::Feed]);
        assert!(store.also_published_on(Surface::Feed, "v1").unwrap().is_empty());
        let copies = vec![(Surface::Feed, "f1".to_owned()), (Surface::Visual, "v1".to_owned())];
        assert_eq!(store.copies_of(Surface::Visual, "v1").unwrap(), copies);
        assert!(store.copies_of(Surface::Visual, "unknown").unwrap().is_empty());
        assert!(store.remove_post(Surface::Visual, "v1").unwrap());
        assert!(store.also_published_on(Surface::Feed, "f1").unwrap().is_empty(), "a deleted copy is no copy");
    }

    #[test]
    fn draft_media_stays_with_its_draft() {
        let mut store = Store::open_in_memory().unwrap();
        store.save_draft("d1", "{}", 1).unwrap();
        let media = DraftMediaRow {
            id: "m1".into(),
            draft_id: "d1".into(),
            file_name: "a.jpg".into(),
            mime_type: "image/jpeg".into(),
            width: Some(10),
            height: Some(20),
            path: "drafts/m1.jpg".into(),
            byte_size: 100,
            created_at: 2,
        };
        store.add_draft_media(&media).unwrap();
        assert_eq!(store.draft_media("d1").unwrap(), vec![media.clone()]);
        assert!(store.remove_draft_media("other", "m1").unwrap().is_none());
        assert_eq!(store.delete_draft("d1").unwrap(), vec![media]);
        assert!(store.draft_media_by_id("m1").unwrap().is_none(), "removed with the draft");
    }
}
