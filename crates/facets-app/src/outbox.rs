//! Sending the outbox: media first, then the status, each row with its persisted idempotency
//! key. Every step is written to the store before the next network call, so a crash or a kill
//! at any point resumes where it stopped; a resend carries the same key, so the server answers
//! with the post it already has instead of publishing it twice.
//!
//! Servers keep idempotency keys for about an hour. A row first tried longer ago than that is
//! reconciled first: if the account already shows the post, the row is marked sent. So is a
//! resend a server refuses with 400, as Pixelfed answers a key it has seen.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use facets_client::{AccountStatusesFilter, ClientError, MastodonClient, MediaState, PageQuery, StatusCode};
use facets_model::Surface;
use facets_store::{OutboxRow, OutboxState, Store, UploadedMedia, WaitReason};
use facets_wire::{NewStatus, Status};
use rand::Rng;
use serde::{Deserialize, Serialize};
use tokio::sync::Notify;

use crate::AppError;

/// What one outbox row publishes; stored as the row's payload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutgoingPost {
    pub text: String,
    #[serde(default)]
    pub spoiler_text: String,
    #[serde(default)]
    pub sensitive: bool,
    /// Mastodon's visibility: public, unlisted, private or direct.
    pub visibility: String,
    #[serde(default)]
    pub media: Vec<OutgoingMedia>,
    /// The status this answers (a reply in a conversation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_reply_to_id: Option<String>,
    /// The direct-message conversation this belongs to, on the row's surface.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conversation_id: Option<String>,
    /// A message for this account through Pixelfed's own endpoint, its statuses taking none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_to: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutgoingMedia {
    pub draft_media_id: String,
    /// Relative to the data directory.
    pub path: String,
    pub file_name: String,
    pub mime_type: String,
    #[serde(default)]
    pub description: String,
}

/// Exponential backoff with full jitter: a uniform delay between zero and
/// `min(cap, base · 2^attempt)`, so many clients retrying at once spread out.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff { base: Duration::from_secs(2), cap: Duration::from_secs(300) }
    }
}

impl Backoff {
    pub fn delay(&self, attempt: u32, rng: &mut impl Rng) -> Duration {
        let ceiling = self.base.saturating_mul(1u32.checked_shl(attempt.min(30)).unwrap_or(u32::MAX)).min(self.cap);
        Duration::from_millis(rng.gen_range(0..=ceiling.as_millis() as u64))
    }
}

/// The authenticated client of each linked surface; `None` while signed out or signing in.
pub trait Clients: Send + Sync {
    fn client(&self, surface: Surface) -> Option<MastodonClient>;
}

/// A clock in Unix milliseconds, injectable so tests can move past the idempotency window.
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

pub fn system_clock() -> Clock {
    Arc::new(crate::now_ms)
}

/// What one call to [`Outbox::send_next`] did.
#[derive(Debug)]
pub enum Step {
    /// Nothing is due; the earliest pending row falls due then (Unix ms), if any is pending.
    Idle { next_wake: Option<i64> },
    /// A row moved on; here is how it stands now, and the post when it was just sent.
    Progressed { row: Box<OutboxRow>, sent: Option<Box<Status>> },
}

pub struct Outbox {
    store: Arc<Mutex<Store>>,
    data_dir: PathBuf,
    backoff: Backoff,
    /// How long after a first attempt the server may have forgotten the idempotency key.
    key_lifetime: Duration,
    clock: Clock,
    wake: Notify,
    /// Polls of a file the server is still processing, within one step.
    media_polls: Vec<Duration>,
}

/// Servers keep idempotency keys for an hour; stay well inside it.
const KEY_LIFETIME: Duration = Duration::from_secs(50 * 60);
/// How often a row for a surface without a session looks again.
const NO_SESSION_RECHECK: Duration = Duration::from_secs(30);
/// Offline, retries never wait longer than this, so posts go out soon after the network returns
/// even when nothing tells Facets it did.
const NETWORK_RECHECK_CAP: Duration = Duration::from_secs(30);
/// How often a second copy of Facets on the same data directory asks whether the first is gone.
const SENDER_LOCK_RECHECK: Duration = Duration::from_secs(30);
/// Clock differences between Facets and the server that reconciliation tolerates.
pub(crate) const CLOCK_SKEW_MS: i64 = 10 * 60 * 1000;
/// How far back a reconciliation looks on the account.
const RECONCILE_PAGE: u32 = 40;

impl Outbox {
    pub fn new(store: Arc<Mutex<Store>>, data_dir: PathBuf) -> Outbox {
        Outbox::with_settings(store, data_dir, Backoff::default(), KEY_LIFETIME, system_clock())
    }

    pub fn with_settings(
        store: Arc<Mutex<Store>>,
        data_dir: PathBuf,
        backoff: Backoff,
        key_lifetime: Duration,
        clock: Clock,
    ) -> Outbox {
        let media_polls = facets_client::MEDIA_POLL_DELAYS.to_vec();
        Outbox { store, data_dir, backoff, key_lifetime, clock, wake: Notify::new(), media_polls }
    }

    /// How often, and after what pauses, one step polls a file the server is still processing.
    pub fn with_media_polls(mut self, delays: Vec<Duration>) -> Outbox {
        self.media_polls = delays;
        self
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().expect("cache lock poisoned")
    }

    /// Something was queued, retried or the network came back: look again now.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Sends until nothing is due, then sleeps until the next row falls due or [`Outbox::wake`].
    /// Runs for the life of the app.
    pub async fn run(&self, clients: &dyn Clients, on_progress: &(dyn Fn(&OutboxRow, Option<&Status>) + Sync)) {
        let _sending = loop {
            match SendingRights::claim(&self.data_dir) {
                Ok(Some(rights)) => break rights,
                Ok(None) => tracing::warn!("another Facets is sending this outbox; waiting for it to stop"),
                Err(error) => tracing::error!(%error, "the outbox lock could not be taken"),
            }
            tokio::time::sleep(SENDER_LOCK_RECHECK).await;
        };
        loop {
            match self.send_next(clients).await {
                Ok(Step::Progressed { row, sent }) => on_progress(&row, sent.as_deref()),
                Ok(Step::Idle { next_wake }) => {
                    let wait = next_wake
                        .map(|at| Duration::from_millis((at - (self.clock)()).max(0) as u64))
                        .unwrap_or(Duration::from_secs(3600));
                    let _ = tokio::time::timeout(wait, self.wake.notified()).await;
                }
                Err(error) => {
                    // The cache itself failed; pause rather than spin.
                    tracing::error!(%error, "outbox could not read its queue");
                    let _ = tokio::time::timeout(Duration::from_secs(30), self.wake.notified()).await;
                }
            }
        }
    }

    /// Takes the next due row one step: to sent, to a later retry, or to failed.
    pub async fn send_next(&self, clients: &dyn Clients) -> Result<Step, AppError> {
        let now = (self.clock)();
        let Some(mut row) = self.store().next_due(now)? else {
            return Ok(Step::Idle { next_wake: self.store().next_outbox_wake()? });
        };
        let Some(client) = clients.client(row.surface) else {
            let expected = row.state;
            row.state = OutboxState::Waiting;
            row.waiting_for = Some(WaitReason::Session);
            row.last_error = Some(format!("Waiting for the {} account to be signed in", row.surface));
            row.next_attempt_at = now + NO_SESSION_RECHECK.as_millis() as i64;
            self.store().update_outbox(&row, expected, now)?;
            return self.progressed(&row.id, None);
        };
        let post: OutgoingPost = match serde_json::from_str(&row.payload) {
            Ok(post) => post,
            // Unreadable rows must not hold up the rest of the queue.
            Err(error) => return self.fail(row, format!("This queued post could not be read ({error}).")),
        };

        // Claim the row: from here on a cancel cannot apply, and a crash resumes it.
        let expected = row.state;
        // `first_attempt_at` is when the status itself was first sent: only then can the server
        // hold a post whose answer was lost.
        let key_may_be_forgotten =
            row.first_attempt_at.is_some_and(|first| now - first > self.key_lifetime.as_millis() as i64);
        row.attempts += 1;
        row.state = if post.media.iter().all(|m| row.uploaded_media.get(&m.draft_media_id).is_some_and(|u| u.ready)) {
            OutboxState::Sending
        } else {
            OutboxState::Uploading
        };
        if !self.store().update_outbox(&row, expected, now)? {
            return self.progressed(&row.id, None);
        }

        if let Some(person) = &post.direct_to {
            return self.send_direct_message(row, &client, &post, person).await;
        }

        if key_may_be_forgotten {
            let first = row.first_attempt_at.unwrap_or(now);
            match find_published(&client, &post, first, &|id| self.claimed_elsewhere(&row, id)).await {
                Ok(Some(status)) => return self.finish(row, status),
                Ok(None) => {}
                Err(error) => return self.retry_or_fail(row, error),
            }
        }

        for media in &post.media {
            loop {
                let known = row.uploaded_media.get(&media.draft_media_id).cloned();
                let outcome = match &known {
                    Some(uploaded) if uploaded.ready => break,
                    Some(uploaded) => client.wait_for_media(&uploaded.id, &self.media_polls).await,
                    None => {
                        let bytes = match tokio::fs::read(self.data_dir.join(&media.path)).await {
                            Ok(bytes) => bytes,
                            Err(error) => {
                                let reason =
                                    format!("The picture {} is missing from the draft: {error}", media.file_name);
                                return self.fail(row, reason);
                            }
                        };
                        let description = Some(media.description.as_str()).filter(|d| !d.trim().is_empty());
                        match client.upload_media(bytes, &media.file_name, &media.mime_type, description).await {
                            Ok(MediaState::Processing(id)) => {
                                // Keep the id before polling: a crash while the server processes
                                // the file must not upload it again.
                                let uploaded = UploadedMedia { id: id.clone(), ready: false };
                                row.uploaded_media.insert(media.draft_media_id.clone(), uploaded);
                                if !self.store().update_outbox(&row, OutboxState::Uploading, (self.clock)())? {
                                    return self.progressed(&row.id, None);
                                }
                                client.wait_for_media(&id, &self.media_polls).await
                            }
                            other => other,
                        }
                    }
                };
                match outcome {
                    Ok(state) => {
                        let ready = matches!(state, MediaState::Ready(_));
                        let uploaded = UploadedMedia { id: state.id().to_owned(), ready };
                        row.uploaded_media.insert(media.draft_media_id.clone(), uploaded);
                        if !self.store().update_outbox(&row, OutboxState::Uploading, (self.clock)())? {
                            return self.progressed(&row.id, None);
                        }
                        if !ready {
                            let reason = format!("The server is still processing {}", media.file_name);
                            return self.wait(row, WaitReason::Processing, reason, Duration::ZERO);
                        }
                        break;
                    }
                    // The server no longer has the file (purged while the row waited): upload it again.
                    Err(error) if known.is_some() && error.status() == Some(StatusCode::NOT_FOUND) => {
                        row.uploaded_media.remove(&media.draft_media_id);
                        if !self.store().update_outbox(&row, OutboxState::Uploading, (self.clock)())? {
                            return self.progressed(&row.id, None);
                        }
                    }
                    Err(error) => return self.retry_or_fail(row, error),
                }
            }
        }
        if row.state == OutboxState::Uploading {
            row.state = OutboxState::Sending;
            if !self.store().update_outbox(&row, OutboxState::Uploading, (self.clock)())? {
                return self.progressed(&row.id, None);
            }
        }

        let status = NewStatus {
            status: post.text.clone(),
            media_ids: post
                .media
                .iter()
                .filter_map(|m| row.uploaded_media.get(&m.draft_media_id))
                .map(|u| u.id.clone())
                .collect(),
            sensitive: Some(post.sensitive || !post.spoiler_text.trim().is_empty()),
            spoiler_text: Some(post.spoiler_text.clone()).filter(|s| !s.trim().is_empty()),
            visibility: Some(post.visibility.clone()),
            in_reply_to_id: post.in_reply_to_id.clone(),
            ..NewStatus::default()
        };
        // Sent before: the server may already have the post (its answer lost on the way).
        let resent = row.first_attempt_at.is_some();
        if row.first_attempt_at.is_none() {
            row.first_attempt_at = Some((self.clock)());
            if !self.store().update_outbox(&row, OutboxState::Sending, (self.clock)())? {
                return self.progressed(&row.id, None);
            }
        }
        match client.post_status(&status, &row.idempotency_key).await {
            Ok(published) => self.finish(row, published),
            // A server that refuses a repeated key instead of answering with its post (Pixelfed
            // answers 400) is asked for the post before the refusal is believed.
            Err(error) if resent && error.status() == Some(StatusCode::BAD_REQUEST) => {
                let first = row.first_attempt_at.unwrap_or_else(|| (self.clock)());
                match find_published(&client, &post, first, &|id| self.claimed_elsewhere(&row, id)).await {
                    Ok(Some(published)) => self.finish(row, published),
                    Ok(None) => self.retry_or_fail(row, error),
                    Err(check_failed) => self.retry_or_fail(row, check_failed),
                }
            }
            // A refused attachment may be one the server has purged or not finished processing:
            // look before calling the refusal final.
            Err(error)
                if error.status() == Some(StatusCode::UNPROCESSABLE_ENTITY) && !row.uploaded_media.is_empty() =>
            {
                match self.recheck_media(&client, &mut row).await {
                    Ok(true) => {
                        let reason = "The server needs the pictures again; sending them soon".to_owned();
                        self.wait(row, WaitReason::Processing, reason, Duration::ZERO)
                    }
                    Ok(false) => self.retry_or_fail(row, error),
                    Err(check_failed) => self.retry_or_fail(row, check_failed),
                }
            }
            Err(error) => self.retry_or_fail(row, error),
        }
    }

    /// Sends a Pixelfed message. Its endpoint takes no idempotency key, so a message sent before
    /// (its answer lost) is looked for in the thread first; it goes again only if not there.
    async fn send_direct_message(
        &self,
        mut row: OutboxRow,
        client: &MastodonClient,
        post: &OutgoingPost,
        person: &str,
    ) -> Result<Step, AppError> {
        // Who sends: the cache keeps the message with its author, asked before anything goes.
        let me = match client.verify_credentials().await {
            Ok(me) => me,
            Err(error) => return self.retry_or_fail(row, error),
        };
        match row.first_attempt_at {
            Some(first) => {
                let claimed = |id: &str| self.claimed_elsewhere(&row, id);
                match crate::pixelfed_messages::find_sent(client, person, &post.text, first, &claimed).await {
                    Ok(Some(sent)) => {
                        let status = crate::pixelfed_messages::message_status(&sent, &me, &me, crate::now());
                        return self.finish(row, status);
                    }
                    Ok(None) => {}
                    Err(error) => return self.retry_or_fail(row, error),
                }
            }
            None => {
                row.first_attempt_at = Some((self.clock)());
                if !self.store().update_outbox(&row, OutboxState::Sending, (self.clock)())? {
                    return self.progressed(&row.id, None);
                }
            }
        }
        match client.send_direct_message(person, &post.text).await {
            Ok(sent) => {
                let status = crate::pixelfed_messages::message_status(&sent, &me, &me, crate::now());
                self.finish(row, status)
            }
            Err(error) => self.retry_or_fail(row, error),
        }
    }

    /// Asks the server about each uploaded file: forgets the ones it no longer has and marks the
    /// ones still processing. Answers whether anything changed, written to the row.
    async fn recheck_media(&self, client: &MastodonClient, row: &mut OutboxRow) -> Result<bool, ClientError> {
        let mut changed = false;
        for (draft_media_id, uploaded) in row.uploaded_media.clone() {
            match client.media(&uploaded.id).await {
                Ok(MediaState::Ready(_)) => {}
                Ok(MediaState::Processing(_)) => {
                    row.uploaded_media.insert(draft_media_id, UploadedMedia { ready: false, ..uploaded });
                    changed = true;
                }
                Err(error) if error.status() == Some(StatusCode::NOT_FOUND) => {
                    row.uploaded_media.remove(&draft_media_id);
                    changed = true;
                }
                Err(error) => return Err(error),
            }
        }
        Ok(changed)
    }

    /// Whether another outbox row already accounts for this published status.
    fn claimed_elsewhere(&self, row: &OutboxRow, remote_id: &str) -> bool {
        self.store().outbox_row_for_remote(row.surface, remote_id).ok().flatten().is_some_and(|other| other != row.id)
    }

    fn progressed(&self, id: &str, sent: Option<Status>) -> Result<Step, AppError> {
        let row = self.store().outbox_row(id)?.ok_or_else(|| AppError::internal("outbox row vanished"))?;
        Ok(Step::Progressed { row: Box::new(row), sent: sent.map(Box::new) })
    }

    fn finish(&self, mut row: OutboxRow, published: Status) -> Result<Step, AppError> {
        let expected = row.state;
        row.state = OutboxState::Sent;
        row.remote_status_id = Some(published.id.clone());
        row.last_error = None;
        self.store().update_outbox(&row, expected, (self.clock)())?;
        self.progressed(&row.id, Some(published))
    }

    fn fail(&self, mut row: OutboxRow, reason: String) -> Result<Step, AppError> {
        let expected = row.state;
        row.state = OutboxState::Failed;
        row.last_error = Some(reason);
        self.store().update_outbox(&row, expected, (self.clock)())?;
        self.progressed(&row.id, None)
    }

    fn retry_or_fail(&self, row: OutboxRow, error: ClientError) -> Result<Step, AppError> {
        // An answer that cannot be read may still be a success: the post could be live. Retry
        // with the same key (or reconcile) rather than calling it refused.
        let unreadable = matches!(error, ClientError::Decode { .. });
        if error.is_unauthorized() {
            // Refused before anything was created: the post waits for the user to sign in
            // again, then goes with the same idempotency key.
            let message = format!(
                "The {} server no longer accepts Facets' sign-in; this goes once you sign in again",
                row.surface
            );
            return self.wait(row, WaitReason::Session, message, NO_SESSION_RECHECK);
        }
        if !error.is_transient() && !unreadable {
            let reason = match &error {
                ClientError::Http { message: Some(message), .. } => format!("The server refused the post: {message}"),
                other => format!("The server refused the post ({other})"),
            };
            return self.fail(row, reason);
        }
        let server_asked = error.retry_after().unwrap_or_default();
        let (reason, message) = match &error {
            ClientError::Network(_) => (WaitReason::Network, "Waiting for the network".to_owned()),
            limited if limited.is_rate_limited() => {
                (WaitReason::RateLimit, "The server asked Facets to slow down; retrying soon".to_owned())
            }
            other => (WaitReason::Server, format!("The server had trouble ({other}); retrying soon")),
        };
        self.wait(row, reason, message, server_asked)
    }

    /// Puts a row back to wait: for a backoff delay with full jitter, and never less than the
    /// server asked for.
    fn wait(
        &self,
        mut row: OutboxRow,
        reason: WaitReason,
        message: String,
        at_least: Duration,
    ) -> Result<Step, AppError> {
        let now = (self.clock)();
        let mut delay = self.backoff.delay(row.attempts.saturating_sub(1), &mut rand::thread_rng());
        if reason == WaitReason::Network {
            delay = delay.min(NETWORK_RECHECK_CAP);
        }
        let expected = row.state;
        row.state = OutboxState::Waiting;
        row.waiting_for = Some(reason);
        row.next_attempt_at = now + delay.max(at_least).as_millis() as i64;
        row.last_error = Some(message);
        self.store().update_outbox(&row, expected, now)?;
        self.progressed(&row.id, None)
    }
}

/// The right to send this data directory's outbox, held by one process at a time: two copies of
/// Facets on one cache would otherwise both resume a row left mid-send. The operating system
/// releases the lock when the process ends, however it ends.
pub struct SendingRights {
    _file: std::fs::File,
}

impl SendingRights {
    /// `None` while another process holds the rights.
    pub fn claim(data_dir: &std::path::Path) -> std::io::Result<Option<SendingRights>> {
        std::fs::create_dir_all(data_dir)?;
        let file =
            std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(data_dir.join("outbox.lock"))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(SendingRights { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(error)) => Err(error),
        }
    }
}

/// Looks for a post the server may already have from an earlier attempt whose answer was lost:
/// the account's own recent posts, made since the first attempt, with the same text, content
/// warning and attachments (by their descriptions: a picture-only post has no text to compare),
/// and not already the published copy of another row.
async fn find_published(
    client: &MastodonClient,
    post: &OutgoingPost,
    first_attempt_ms: i64,
    claimed_elsewhere: &(dyn Fn(&str) -> bool + Sync),
) -> Result<Option<Status>, ClientError> {
    let me = client.verify_credentials().await?;
    let filter = AccountStatusesFilter { only_media: false, exclude_reblogs: true, exclude_replies: false };
    let page = client.account_statuses(&me.id, filter, &PageQuery::limit(RECONCILE_PAGE)).await?;
    let wanted = normalise(&post.text);
    let since = (first_attempt_ms - CLOCK_SKEW_MS) / 1000;
    Ok(page.items.into_iter().find(|status| {
        crate::sync::unix_seconds(&status.created_at) >= since
            && status.media_attachments.len() == post.media.len()
            && status.media_attachments.iter().zip(&post.media).all(|(theirs, ours)| {
                normalise(theirs.description.as_deref().unwrap_or("")) == normalise(&ours.description)
            })
            && normalise(&status.spoiler_text) == normalise(&post.spoiler_text)
            && normalise(&facets_sanitize::html_to_text(&status.content)) == wanted
            && !claimed_elsewhere(&status.id)
    }))
}

/// Text compared without regard to how its whitespace runs.
pub(crate) fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn backoff_stays_under_its_growing_ceiling_and_the_cap() {
        let backoff = Backoff { base: Duration::from_millis(100), cap: Duration::from_secs(5) };
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for attempt in 0..40 {
            let ceiling = Duration::from_millis(100 * 2u64.saturating_pow(attempt)).min(Duration::from_secs(5));
            for _ in 0..50 {
                assert!(backoff.delay(attempt, &mut rng) <= ceiling);
            }
        }
        let spread: std::collections::HashSet<_> = (0..50).map(|_| backoff.delay(10, &mut rng)).collect();
        assert!(spread.len() > 10, "full jitter spreads retries out");
    }

    #[test]
    fn payloads_round_trip_and_tolerate_missing_optional_fields() {
        let post: OutgoingPost = serde_json::from_str(r#"{"text":"hi","visibility":"public"}"#).unwrap();
        assert!(post.media.is_empty() && !post.sensitive && post.spoiler_text.is_empty());
        let json = serde_json::to_string(&post).unwrap();
        assert_eq!(serde_json::from_str::<OutgoingPost>(&json).unwrap(), post);
    }

    #[test]
    fn one_sender_per_data_directory_until_it_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = SendingRights::claim(dir.path()).unwrap().expect("nobody holds the rights yet");
        assert!(SendingRights::claim(dir.path()).unwrap().is_none(), "a second sender must wait");
        drop(first);
        assert!(SendingRights::claim(dir.path()).unwrap().is_some(), "the rights are free again");
    }

    #[test]
    fn reconciliation_compares_text_whatever_the_whitespace() {
        assert_eq!(normalise(" a\n\nb  c "), normalise("a b c"));
        assert_ne!(normalise("a b"), normalise("a c"));
    }
}
