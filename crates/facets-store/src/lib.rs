//! The local cache. The UI reads only from here, so Facets opens instantly and works offline;
//! sync writes here and reports what changed.
//!
//! Invariants:
//! - Everything from a server enters through [`Store::ingest_statuses`] and friends, which
//!   sanitise HTML before it is written: nothing unsanitised is ever stored in `*_html` columns.
//! - Timelines page by keyset (`sort_at`, `post_id`), never by OFFSET.
//! - One transaction per ingested page.
//! - Tokens are never stored: `surface_links.token_ref` names an entry of the secret store.

pub mod inbox;
pub mod ingest;
mod migrations;
mod outbox;
pub mod privacy;
mod read;
mod sign_ins;
pub mod signals;

pub use inbox::{
    fts_query, ConversationCursor, ConversationRow, LastMessage, MessageCursor, MessageHit, PersonVerdict,
};
pub use ingest::{CursorUpdate, IngestReport};
pub use migrations::LATEST as SCHEMA_VERSION;
pub use outbox::{DraftMediaRow, DraftRow, NewOutboxRow, OutboxRow, OutboxState, UploadedMedia, WaitReason};
pub use privacy::{AccountList, PrivacyLogRow};
pub use read::{Thread, TimelineCursor};
pub use sign_ins::SignInRow;
pub use signals::{SignalKind, SignalRow, SignalWeight};

use std::path::Path;
use std::time::Duration;

use facets_model::{Dialect, Surface, SurfaceLink, TokenRef};
use rusqlite::{params, Connection, OptionalExtension, Transaction};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cache database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the cache was written by a newer Facets (schema {found}, this build knows {supported})")]
    FromTheFuture { found: i64, supported: i64 },
    #[error("malformed timeline cursor {0:?}")]
    BadCursor(String),
    #[error("corrupt cache row: {0}")]
    Corrupt(String),
}

/// The SQLite cache. One connection; callers share it behind a lock.
pub struct Store {
    conn: Connection,
    sanitiser: std::cell::OnceCell<Option<ingest::Sanitiser>>,
}

impl Store {
    /// Opens (creating if needed) the cache at `path` and migrates it to the latest schema.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // FULL: drafts and the outbox must survive a power cut once the UI says "saved".
        conn.pragma_update(None, "synchronous", "FULL")?;
        Store::init(conn)
    }

    /// A private in-memory cache, for tests.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Store, StoreError> {
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // Statement journals (an upsert may have to undo its half-done write) stay in memory:
        // in a file, they were an eighth of the time spent writing a page of posts.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        migrations::migrate(&mut conn)?;
        Ok(Store { conn, sanitiser: std::cell::OnceCell::new() })
    }

    /// Runs `write` in a transaction whose commit does not wait for the disk. Only for what a
    /// server sent, which can be fetched again: a power cut may lose the last pages, never
    /// corrupt the cache (WAL). Every other commit waits (`synchronous=FULL`), and since it
    /// syncs the whole log, it makes the pages written before it durable too.
    fn refetchable<T>(
        &mut self,
        write: impl FnOnce(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.conn.pragma_update(None, "synchronous", "NORMAL")?;
        let written = self.conn.transaction().map_err(StoreError::from).and_then(|tx| {
            let value = write(&tx)?;
            tx.commit()?;
            Ok(value)
        });
        // SQLite refuses this inside a transaction: the transaction above is over either way.
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        written
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    pub fn journal_mode(&self) -> Result<String, StoreError> {
        Ok(self.conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))?)
    }

    // --- Surface links ----------------------------------------------------------------------

    pub fn save_link(&self, link: &SurfaceLink, now: i64) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO surface_links (surface, base_url, dialect, remote_account_id, handle, token_ref, linked_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (surface) DO UPDATE SET base_url = excluded.base_url, dialect = excluded.dialect,
                remote_account_id = excluded.remote_account_id, handle = excluded.handle,
                token_ref = excluded.token_ref, linked_at = excluded.linked_at",
            params![
                link.surface.as_str(),
                link.base_url,
                link.dialect.as_str(),
                link.remote_account_id,
                link.handle,
                link.token.0,
                now
            ],
        )?;
        Ok(())
    }

    pub fn links(&self) -> Result<Vec<SurfaceLink>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT surface, base_url, dialect, remote_account_id, handle, token_ref FROM surface_links ORDER BY surface",
        )?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, String>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
            ))
        })?;
        let mut links = Vec::new();
        for row in rows {
            let (surface, base_url, dialect, remote_account_id, handle, token) = row?;
            let surface: Surface =
                surface.parse().map_err(|e: facets_model::UnknownSurface| StoreError::Corrupt(e.to_string()))?;
            let dialect: Dialect = dialect.parse().map_err(StoreError::Corrupt)?;
            links.push(SurfaceLink { surface, base_url, dialect, remote_account_id, handle, token: TokenRef(token) });
        }
        Ok(links)
    }

    /// Forgets every linked surface and everything cached from them (leaving demo mode, or
    /// signing out), in one transaction.
    pub fn clear_all(&mut self) -> Result<(), StoreError> {
        let tx = self.conn.transaction()?;
        tx.execute_batch(
            "DELETE FROM messages; DELETE FROM conversation_participants; DELETE FROM conversations;
             DELETE FROM timeline_entries; DELETE FROM media; DELETE FROM posts; DELETE FROM account_lists;
             DELETE FROM people;
             DELETE FROM sync_cursors; DELETE FROM surface_links; DELETE FROM sign_ins;",
        )?;
        tx.commit()?;
        Ok(())
    }

    // --- Settings and sync cursors --------------------------------------------------------

    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.conn.query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| row.get(0)).optional()?)
    }

    /// The domain a surface's server names its own accounts with, for full `user@domain` handles.
    pub fn set_instance_domain(&self, surface: Surface, domain: &str) -> Result<(), StoreError> {
        self.set_setting(&ingest::instance_domain_key(surface), domain)
    }

    pub fn instance_domain(&self, surface: Surface) -> Result<Option<String>, StoreError> {
        self.setting(&ingest::instance_domain_key(surface))
    }

    pub fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
        Ok(())
    }

    /// The newest remote id seen on a sync stream, to ask the server only for what is newer.
    pub fn newest_synced_id(&self, surface: Surface, stream: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT newest_id FROM sync_cursors WHERE surface = ?1 AND stream = ?2",
                params![surface.as_str(), stream],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }

    pub fn older_link(&self, surface: Surface, stream: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT older_link FROM sync_cursors WHERE surface = ?1 AND stream = ?2",
                params![surface.as_str(), stream],
                |row| row.get(0),
            )
            .optional()?
            .flatten())
    }
}

#[cfg(test)]
mod inbox_tests;
#[cfg(test)]
mod privacy_tests;
#[cfg(test)]
mod tests;
