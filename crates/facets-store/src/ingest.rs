//! Writing server data into the cache. This is the one door from the network into SQLite, so
//! sanitising happens here, before anything is stored.

use facets_model::{MediaKind, Surface, TimelineKind, Visibility};
use facets_sanitize::{link_targets, plain_text, sanitize_html, sanitized_text};
use facets_wire::{Account, Conversation, Status};
use rusqlite::{params, CachedStatement, OptionalExtension, Transaction};
use siphasher::sip128::{Hasher128, SipHasher13};
use std::sync::mpsc::{self, Receiver, Sender};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::{Store, StoreError};

/// What one ingest changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub new_posts: usize,
    pub updated_posts: usize,
    pub unchanged_posts: usize,
}

impl IngestReport {
    pub fn changed(&self) -> bool {
        self.new_posts + self.updated_posts > 0
    }

    pub fn add(&mut self, other: IngestReport) {
        self.new_posts += other.new_posts;
        self.updated_posts += other.updated_posts;
        self.unchanged_posts += other.unchanged_posts;
    }

    fn count(&mut self, change: Change) {
        match change {
            Change::New => self.new_posts += 1,
            Change::Updated => self.updated_posts += 1,
            Change::Unchanged => self.unchanged_posts += 1,
        }
    }
}

/// Where a sync stream stands after a page.
#[derive(Debug, Clone, Default)]
pub struct CursorUpdate {
    /// The newest remote id now cached, if it moved.
    pub newest_id: Option<String>,
    /// The link to the next older page: `Some(None)` means the end was reached.
    pub older_link: Option<Option<String>>,
}

impl Store {
    /// The store's sanitising thread, started with its first page: a store that never
    /// ingests (the command line's, one opened to be removed) starts none.
    pub(crate) fn sanitiser(&self) -> Option<&Sanitiser> {
        self.sanitiser.get_or_init(Sanitiser::start).as_ref()
    }

    /// Caches a page of statuses in one transaction; with `timeline`, they become entries of
    /// that timeline. With `cursor`, the sync stream's position moves in the same transaction,
    /// so a crash can never record a page as synced without its posts.
    pub fn ingest_statuses(
        &mut self,
        surface: Surface,
        timeline: Option<TimelineKind>,
        statuses: &[Status],
        cursor: Option<(&str, &CursorUpdate)>,
        now: i64,
    ) -> Result<IngestReport, StoreError> {
        // A boost shows the boosted post, placed at the time it was boosted.
        let shown: Vec<&Status> = statuses.iter().map(|outer| outer.reblog.as_deref().unwrap_or(outer)).collect();
        let texts = Texts::beside(self.sanitiser(), &shown);
        self.refetchable(|tx| {
            let mut writer = Writer::new(tx, surface)?;
            let mut place = match timeline {
                Some(timeline) => Some((
                    timeline,
                    tx.prepare_cached(
                        "INSERT INTO timeline_entries (surface, timeline, sort_at, post_id) VALUES (?1, ?2, ?3, ?4)
                         ON CONFLICT (surface, post_id, timeline) DO UPDATE SET sort_at = max(sort_at, excluded.sort_at)",
                    )?,
                )),
                None => None,
            };
            let mut report = IngestReport::default();
            for (outer, status) in statuses.iter().zip(&shown) {
                let sort_at = parse_time(&outer.created_at);
                report.count(writer.status(status, texts.next())?);
                if let Some((timeline, insert)) = &mut place {
                    insert.execute(params![surface.as_str(), timeline.as_str(), sort_at, status.id])?;
                }
            }
            if let Some((stream, update)) = cursor {
                write_cursor(tx, surface, stream, update, now)?;
            }
            Ok(report)
        })
    }

    /// Caches an account (the identity's own, or anyone's profile).
    pub fn ingest_account(&mut self, surface: Surface, account: &Account) -> Result<(), StoreError> {
        self.ingest_accounts(surface, std::slice::from_ref(account))
    }

    /// Caches accounts a server named (a search), in one transaction.
    pub fn ingest_accounts(&mut self, surface: Surface, accounts: &[Account]) -> Result<(), StoreError> {
        self.refetchable(|tx| {
            let mut writer = Writer::new(tx, surface)?;
            accounts.iter().try_for_each(|account| writer.person(account))
        })
    }

    /// Caches messages of a conversation (a page of its history), in one transaction.
    pub fn ingest_messages(
        &mut self,
        surface: Surface,
        conversation_id: &str,
        statuses: &[Status],
    ) -> Result<IngestReport, StoreError> {
        let shown: Vec<&Status> = statuses.iter().collect();
        let texts = Texts::beside(self.sanitiser(), &shown);
        self.refetchable(|tx| {
            let mut writer = Writer::new(tx, surface)?;
            let mut report = IngestReport::default();
            for status in statuses {
                report.count(writer.message(conversation_id, status, texts.next())?);
            }
            // A newer message (a reply just sent) is the conversation's latest activity.
            if let Some(newest) = statuses.iter().max_by_key(|s| parse_time(&s.created_at)) {
                tx.prepare_cached(
                    "UPDATE conversations SET last_status_id = ?3, updated_at = ?4
                     WHERE surface = ?1 AND remote_id = ?2 AND updated_at <= ?4",
                )?
                .execute(params![
                    surface.as_str(),
                    conversation_id,
                    newest.id,
                    parse_time(&newest.created_at)
                ])?;
            }
            Ok(report)
        })
    }

    /// Caches a page of direct-message conversations in one transaction.
    pub fn ingest_conversations(
        &mut self,
        surface: Surface,
        conversations: &[Conversation],
        cursor: Option<(&str, &CursorUpdate)>,
        now: i64,
    ) -> Result<IngestReport, StoreError> {
        self.refetchable(|tx| {
            let mut writer = Writer::new(tx, surface)?;
            let mut report = IngestReport::default();
            for conversation in conversations {
                let updated_at =
                    conversation.last_status.as_ref().map(|s| parse_time(&s.created_at)).unwrap_or(0);
                tx.prepare_cached(
                    "INSERT INTO conversations (surface, remote_id, unread, last_status_id, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (surface, remote_id) DO UPDATE SET unread = excluded.unread,
                        last_status_id = excluded.last_status_id, updated_at = excluded.updated_at",
                )?
                .execute(params![
                    surface.as_str(),
                    conversation.id,
                    conversation.unread,
                    conversation.last_status.as_ref().map(|s| s.id.as_str()),
                    updated_at,
                ])?;
                for account in &conversation.accounts {
                    writer.person(account)?;
                    tx.prepare_cached(
                        "INSERT OR IGNORE INTO conversation_participants (surface, conversation_id, person_id) VALUES (?1, ?2, ?3)",
                    )?
                    .execute(params![surface.as_str(), conversation.id, account.id])?;
                }
                if let Some(status) = &conversation.last_status {
                    report.count(writer.message(&conversation.id, status, None)?);
                }
            }
            if let Some((stream, update)) = cursor {
                write_cursor(tx, surface, stream, update, now)?;
            }
            Ok(report)
        })
    }
}

const UPSERT_POST: &str =
    "INSERT INTO posts (surface, remote_id, created_at, author_id, url, content_html, content_text, spoiler_text,
                            sensitive, visibility, in_reply_to_id, replies_count, reblogs_count, favourites_count,
                            favourited, fingerprint, edited_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
         ON CONFLICT (surface, remote_id) DO UPDATE SET
            created_at = excluded.created_at, author_id = excluded.author_id, url = excluded.url,
            content_html = excluded.content_html, content_text = excluded.content_text,
            spoiler_text = excluded.spoiler_text, sensitive = excluded.sensitive, visibility = excluded.visibility,
            in_reply_to_id = excluded.in_reply_to_id, replies_count = excluded.replies_count,
            reblogs_count = excluded.reblogs_count, favourites_count = excluded.favourites_count,
            favourited = excluded.favourited, fingerprint = excluded.fingerprint, edited_at = excluded.edited_at";

const INSERT_MEDIA: &str =
    "INSERT OR REPLACE INTO media (surface, remote_id, post_id, position, kind, remote_url, preview_remote_url,
                                       width, height, description, blurhash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/// What the cache keeps of a post's server HTML.
struct PostText {
    /// Sanitised.
    html: String,
    /// For search and previews.
    text: String,
}

impl PostText {
    fn of_html(content: &str) -> PostText {
        let html = sanitize_html(content);
        let text = sanitized_text(&html);
        PostText { html, text }
    }
}

/// From this many posts on, a page's posts are sanitised on the store's [`Sanitiser`].
pub(crate) const TEXTS_BESIDE_FROM: usize = 8;

/// A thread, from a store's first page for the life of the store, that sanitises the posts of
/// a page while the store's writer stores those before them: on one thread, sanitising was a
/// fifth of the time a page took to ingest. It sanitises every post of a page, also those the
/// cache has unchanged, whose text the writer does not need: a fraction of a millisecond of
/// the other core for a page, against waiting for the writer to know which it needs. A
/// thread started for each page instead (spawned and joined 2,500 times for 100,000 posts)
/// took 6 % of the writer's thread on an Intel Xeon.
pub(crate) struct Sanitiser {
    pages: Sender<PageToSanitise>,
}

struct PageToSanitise {
    contents: Vec<String>,
    texts: Sender<PostText>,
}

impl Sanitiser {
    /// `None` when the system refuses a thread: each page's writer then sanitises itself.
    pub(crate) fn start() -> Option<Sanitiser> {
        let (pages, to_sanitise) = mpsc::channel::<PageToSanitise>();
        std::thread::Builder::new()
            .name("sanitise pages".into())
            .spawn(move || {
                for page in to_sanitise {
                    for content in &page.contents {
                        // Should sanitising panic on some post, the page's channel closes: its
                        // writer sanitises the rest itself, and the same panic is raised on the
                        // writer's thread, where the caller sees it. The thread goes on.
                        let sent = match std::panic::catch_unwind(|| PostText::of_html(content)) {
                            // Or the writer stopped (an error): the rest of its page is not needed.
                            Ok(text) => page.texts.send(text).is_ok(),
                            Err(_) => false,
                        };
                        if !sent {
                            break;
                        }
                    }
                }
            })
            .map_err(|error| tracing::warn!(%error, "no thread to sanitise pages beside the writer"))
            .ok()?;
        Some(Sanitiser { pages })
    }
}

/// The sanitised texts of a page's posts, in order, as the [`Sanitiser`] makes them. Should
/// there be no sanitiser, or should it stop early, [`Texts::next`] answers `None` and the
/// writer sanitises what it needs itself.
struct Texts(Option<Receiver<PostText>>);

impl Texts {
    fn beside(sanitiser: Option<&Sanitiser>, statuses: &[&Status]) -> Texts {
        let Some(sanitiser) = sanitiser.filter(|_| statuses.len() >= TEXTS_BESIDE_FROM) else {
            return Texts(None);
        };
        let (texts, made) = mpsc::channel();
        let page = PageToSanitise { contents: statuses.iter().map(|s| s.content.clone()).collect(), texts };
        Texts(sanitiser.pages.send(page).is_ok().then_some(made))
    }

    fn next(&self) -> Option<PostText> {
        self.0.as_ref()?.recv().ok()
    }
}

enum Change {
    New,
    Updated,
    Unchanged,
}

fn write_cursor(
    tx: &Transaction<'_>,
    surface: Surface,
    stream: &str,
    update: &CursorUpdate,
    now: i64,
) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO sync_cursors (surface, stream, newest_id, older_link, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (surface, stream) DO UPDATE SET
            newest_id = coalesce(excluded.newest_id, newest_id),
            older_link = CASE WHEN ?6 THEN excluded.older_link ELSE older_link END,
            updated_at = excluded.updated_at",
    )?
    .execute(params![
        surface.as_str(),
        stream,
        update.newest_id,
        update.older_link.clone().flatten(),
        now,
        update.older_link.is_some(),
    ])?;
    Ok(())
}

/// Writes one page of server data in its transaction, for one surface.
struct Writer<'t> {
    tx: &'t Transaction<'t>,
    surface: Surface,
    /// Read once per page rather than once per author.
    local_domain: Option<String>,
    /// The statements run for every post, found in the connection's cache once per page rather
    /// than once per post: the cache hashes a statement's whole text to find it.
    post_fingerprint: CachedStatement<'t>,
    upsert_post: CachedStatement<'t>,
    insert_media: CachedStatement<'t>,
    person_unchanged: CachedStatement<'t>,
}

impl<'t> Writer<'t> {
    fn new(tx: &'t Transaction<'t>, surface: Surface) -> Result<Writer<'t>, StoreError> {
        let local_domain = tx
            .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
            .query_row([instance_domain_key(surface)], |row| row.get(0))
            .optional()?;
        Ok(Writer {
            tx,
            surface,
            local_domain,
            post_fingerprint: tx
                .prepare_cached("SELECT fingerprint FROM posts WHERE surface = ?1 AND remote_id = ?2")?,
            upsert_post: tx.prepare_cached(UPSERT_POST)?,
            insert_media: tx.prepare_cached(INSERT_MEDIA)?,
            person_unchanged: tx.prepare_cached(
                "SELECT 1 FROM people WHERE surface = ?1 AND remote_id = ?2 AND fingerprint = ?3 AND handle = ?4",
            )?,
        })
    }

    fn message(
        &mut self,
        conversation_id: &str,
        status: &Status,
        text: Option<PostText>,
    ) -> Result<Change, StoreError> {
        let change = self.status(status, text)?;
        self.tx
            .prepare_cached("INSERT OR IGNORE INTO messages (surface, conversation_id, post_id) VALUES (?1, ?2, ?3)")?
            .execute(params![self.surface.as_str(), conversation_id, status.id])?;
        Ok(change)
    }

    /// Writes a post unless the cache has it as the server describes it now; `text` is its
    /// content sanitised already, if it was.
    fn status(&mut self, status: &Status, text: Option<PostText>) -> Result<Change, StoreError> {
        let (tx, surface) = (self.tx, self.surface);
        let fingerprint = fingerprint(status);
        let existing: Option<Option<Vec<u8>>> =
            self.post_fingerprint.query_row(params![surface.as_str(), status.id], |row| row.get(0)).optional()?;
        if existing.as_ref().is_some_and(|cached| cached.as_deref() == Some(&fingerprint[..])) {
            return Ok(Change::Unchanged);
        }
        self.person(&status.account)?;
        let PostText { html: content_html, text: content_text } =
            text.unwrap_or_else(|| PostText::of_html(&status.content));
        self.upsert_post.execute(params![
            surface.as_str(),
            status.id,
            parse_time(&status.created_at),
            status.account.id,
            status.url.as_deref().filter(|u| is_web_url(u)),
            content_html,
            content_text,
            plain_text(&status.spoiler_text),
            status.sensitive,
            Visibility::parse_lenient(&status.visibility).as_str(),
            status.in_reply_to_id,
            status.replies_count,
            status.reblogs_count,
            status.favourites_count,
            status.favourited,
            fingerprint,
            status.edited_at.as_deref().map(parse_time),
        ])?;
        if existing.is_some() {
            tx.prepare_cached("DELETE FROM media WHERE surface = ?1 AND post_id = ?2")?
                .execute(params![surface.as_str(), status.id])?;
        }
        for (position, attachment) in status.media_attachments.iter().enumerate() {
            // Media still processing, or with a non-web URL, cannot be shown: skip it.
            let Some(url) = attachment.url.as_deref().or(attachment.remote_url.as_deref()).filter(|u| is_web_url(u))
            else {
                continue;
            };
            let original = attachment.meta.as_ref().and_then(|m| m.original.as_ref());
            self.insert_media.execute(params![
                surface.as_str(),
                attachment.id,
                status.id,
                position as i64,
                MediaKind::parse_lenient(&attachment.kind).as_str(),
                url,
                attachment.preview_url.as_deref().filter(|u| is_web_url(u)),
                original.and_then(|o| o.width),
                original.and_then(|o| o.height),
                attachment.description.as_deref().map(plain_text).filter(|d| !d.trim().is_empty()),
                attachment.blurhash,
            ])?;
        }
        Ok(if existing.is_some() { Change::Updated } else { Change::New })
    }

    fn person(&mut self, account: &Account) -> Result<(), StoreError> {
        let (tx, surface) = (self.tx, self.surface);
        // The same people write most of a timeline: one already cached as the server describes
        // them now is not sanitised and written again.
        // (The handle is compared too: it changes once the server's own domain is learned.)
        let fingerprint = fingerprint(account);
        let handle = full_handle(account, self.local_domain.as_deref());
        let unchanged = self.person_unchanged.exists(params![surface.as_str(), account.id, fingerprint, handle])?;
        if unchanged {
            return Ok(());
        }
        let display_name =
            if account.display_name.trim().is_empty() { &account.username } else { &account.display_name };
        tx.prepare_cached(
            "INSERT INTO people (surface, remote_id, handle, display_name, note_html, avatar_url, header_url,
                             followers_count, following_count, statuses_count, locked, fingerprint, profile_url)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (surface, remote_id) DO UPDATE SET
            handle = excluded.handle, display_name = excluded.display_name, note_html = excluded.note_html,
            avatar_url = excluded.avatar_url, header_url = excluded.header_url,
            followers_count = excluded.followers_count, following_count = excluded.following_count,
            statuses_count = excluded.statuses_count, locked = excluded.locked, fingerprint = excluded.fingerprint,
            profile_url = excluded.profile_url",
        )?
        .execute(params![
            surface.as_str(),
            account.id,
            handle,
            plain_text(display_name),
            sanitize_html(&account.note),
            Some(account.avatar.as_str()).filter(|u| is_web_url(u)),
            Some(account.header.as_str()).filter(|u| is_web_url(u)),
            account.followers_count,
            account.following_count,
            account.statuses_count,
            account.locked,
            fingerprint,
            Some(account.url.as_str()).filter(|u| is_web_url(u)),
        ])?;
        // Only links the server verified count: anyone can claim anyone's profile in plain text.
        tx.prepare_cached("DELETE FROM person_profile_links WHERE surface = ?1 AND person_id = ?2")?
            .execute(params![surface.as_str(), account.id])?;
        let mut link = tx.prepare_cached(
            "INSERT OR IGNORE INTO person_profile_links (surface, person_id, url) VALUES (?1, ?2, ?3)",
        )?;
        for field in account.fields.iter().filter(|f| f.verified_at.is_some()) {
            for url in link_targets(&field.value) {
                link.execute(params![surface.as_str(), account.id, url])?;
            }
        }
        Ok(())
    }
}

pub(crate) fn instance_domain_key(surface: Surface) -> String {
    format!("instance_domain.{}", surface.as_str())
}

/// `user@server`. Local accounts' `acct` lacks the server: it is the instance's own domain,
/// which may differ from the host it is served from (Mastodon's `LOCAL_DOMAIN` and
/// `WEB_DOMAIN`); the profile URL's host is the fallback when the domain is not known yet.
fn full_handle(account: &Account, local_domain: Option<&str>) -> String {
    if account.acct.contains('@') {
        return account.acct.clone();
    }
    let host = local_domain.map(str::to_owned).or_else(|| {
        account.url.split_once("://").map(|(_, rest)| rest.split(['/', '?', '#']).next().unwrap_or_default().to_owned())
    });
    match host.filter(|h| !h.is_empty()) {
        Some(host) => format!("{}@{host}", account.acct),
        None => account.acct.clone(),
    }
}

fn is_web_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// Seconds since the epoch; an unreadable date sorts as the epoch rather than failing a page.
pub(crate) fn parse_time(iso: &str) -> i64 {
    OffsetDateTime::parse(iso, &Rfc3339).map(|t| t.unix_timestamp()).unwrap_or_else(|_| {
        tracing::warn!(value = iso, "unreadable date from server");
        0
    })
}

/// What the server said, as a digest: a row whose fingerprint matches is not written again.
/// The digest stands in for the server's JSON, which made every post row several kilobytes.
/// It is a 128-bit SipHash of the fields as they were parsed (their `Hash`), not of JSON
/// written out again: escaping every string of a post to JSON took a tenth of the time a page
/// took to ingest. It only tells an unchanged row from a changed one, so it need not resist a
/// server that crafts collisions: a server can withhold its own updates anyway. A digest made
/// by an earlier version of Facets (SHA-256 of the JSON) matches no new one, so each cached row
/// is written once more the next time the server sends it; the same, and nothing worse, if a
/// Rust release changes how the standard library hashes strings or options.
fn fingerprint<T: std::hash::Hash>(value: &T) -> [u8; 16] {
    let mut hasher = SipHasher13::new();
    value.hash(&mut hasher);
    hasher.finish128().as_bytes()
}
