//! The one API surface of Facets, used by every front end (the Tauri shell and the `facets`
//! command line). It composes the lower crates:
//!
//! - opens the SQLite cache and the media cache in the data directory;
//! - in demo mode, runs the demo backend on loopback and signs in to it through the normal
//!   OAuth client path ([`Core::start_demo`]);
//! - syncs timelines from the servers into the cache and announces changes
//!   ([`Core::subscribe`]);
//! - answers the UI's reads from the cache only ([`Core::timeline_page`] and friends);
//! - resolves media-scheme paths to cached files ([`Core::resolve_media`]).
//!
//! Nothing here knows about Tauri.

pub mod accounts;
pub mod activity;
pub mod compose;
mod demo;
pub mod edit;
mod error;
pub mod explore;
pub mod inbox;
pub mod inbox_watch;
pub mod outbox;
mod pixelfed_messages;
pub mod privacy;
pub mod profiles;
pub mod reply;
pub mod sign_ins;
mod sync;
pub mod views;

pub use demo::demo_access_token;
pub use error::{AppError, ErrorKind};

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Duration;

use facets_client::MastodonClient;
use facets_demo::DemoServer;
use facets_media::{CachedFile, MediaCache};
use facets_model::{PostKey, Surface, SurfaceLink, TimelineKind};
use facets_secrets::SecretStore;
use facets_store::{SignalKind, Store, TimelineCursor};
use tokio::sync::{broadcast, watch};

use views::{AppStatus, CacheChanged, MediaUrls, PersonView, PostView, SyncReport, ThreadView, TimelinePage};

/// The media cache's bound on disk.
pub const MEDIA_CACHE_BYTES: u64 = 512 * 1024 * 1024;
/// Side of the avatars beside posts and in lists (shown at 28 to 44 px): sharp at twice that,
/// a sixteenth of the pixels of a Mastodon avatar (400 px) to decode and keep.
pub const AVATAR_SIDE: u32 = 96;
/// Longest side of grid and preview thumbnails.
pub const THUMBNAIL_SIDE: u32 = 640;
/// How long a command waits for sign-in to finish at startup before giving up.
const SIGN_IN_WAIT: Duration = Duration::from_secs(60);

/// Server pages fetched at most while filling one page of a timeline from the cache.
const MAX_OLDER_FETCHES_PER_PAGE: usize = 3;

pub struct CoreConfig {
    /// Where the cache, media and demo state live (`FACETS_DATA_DIR` overrides the default).
    pub data_dir: PathBuf,
    /// Base of the media URI scheme as the webview sees it.
    pub media_url_base: String,
    /// In demo mode, how often one of the demo's people writes to the user; `None` never.
    pub demo_messages_every: Option<std::time::Duration>,
    /// Where tokens and client secrets are kept: the OS keychain, a passphrase-sealed file, or
    /// memory only.
    pub secrets: Arc<dyn SecretStore>,
    /// Whether this cache is the demo's (its own data directory, never a real account's).
    pub mode: Mode,
}

/// What a data directory holds: the demo's world, or the user's own accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Mode {
    Demo,
    Accounts,
}

/// A signed-in surface: its link and an authenticated client.
#[derive(Clone, Debug)]
struct Session {
    link: SurfaceLink,
    client: MastodonClient,
}

/// Where sign-in stands.
#[derive(Clone, Debug)]
enum SignIn {
    Pending,
    Ready,
    Failed(String),
}

pub struct Core {
    /// Itself, for tasks a `&self` method starts (watching a sign-in).
    me: Weak<Core>,
    store: Arc<Mutex<Store>>,
    secrets: Arc<dyn SecretStore>,
    sign_in_changes: broadcast::Sender<()>,
    /// When each sign-in's "last used" was last written (Unix seconds).
    touched: Mutex<HashMap<String, i64>>,
    media: MediaCache,
    urls: MediaUrls,
    data_dir: PathBuf,
    sessions: Mutex<HashMap<Surface, Session>>,
    sign_in: watch::Sender<SignIn>,
    changes: broadcast::Sender<CacheChanged>,
    demo: tokio::sync::Mutex<Option<DemoServer>>,
    outbox: outbox::Outbox,
    outbox_changes: broadcast::Sender<compose::OutboxEntry>,
    inbox_changes: broadcast::Sender<()>,
    incoming: broadcast::Sender<inbox::IncomingMessage>,
    inbox_poke: tokio::sync::Notify,
    delivery: watch::Sender<std::collections::BTreeMap<Surface, inbox_watch::Delivery>>,
    /// When this run began (Unix seconds): messages older than that are not news.
    opened_at: i64,
    demo_messages_every: Option<std::time::Duration>,
    mode: Mode,
    sign_in_attempts: accounts::Attempts,
    /// Set once the core is shut down: its background tasks end, releasing it.
    closing: watch::Sender<bool>,
}

impl Core {
    /// Opens the caches. Fast and synchronous, so the UI can show cached data at once.
    pub fn open(config: CoreConfig) -> Result<Arc<Core>, AppError> {
        std::fs::create_dir_all(&config.data_dir)
            .map_err(|e| AppError::internal(format!("cannot create data directory: {e}")))?;
        let store = Store::open(&config.data_dir.join("cache.sqlite"))?;
        let media = MediaCache::open(&config.data_dir.join("media"), MEDIA_CACHE_BYTES)?;
        let (sign_in, _) = watch::channel(SignIn::Pending);
        let (changes, _) = broadcast::channel(64);
        let (outbox_changes, _) = broadcast::channel(64);
        let (inbox_changes, _) = broadcast::channel(16);
        let store = Arc::new(Mutex::new(store));
        Ok(Arc::new_cyclic(|me| Core {
            me: me.clone(),
            secrets: config.secrets,
            sign_in_changes: broadcast::channel(16).0,
            touched: Mutex::new(HashMap::new()),
            outbox: outbox::Outbox::new(store.clone(), config.data_dir.clone()),
            outbox_changes,
            inbox_changes,
            incoming: broadcast::channel(16).0,
            inbox_poke: tokio::sync::Notify::new(),
            delivery: watch::channel(Default::default()).0,
            opened_at: now(),
            demo_messages_every: config.demo_messages_every,
            mode: config.mode,
            sign_in_attempts: accounts::Attempts::default(),
            closing: watch::channel(false).0,
            store,
            media,
            urls: MediaUrls::new(config.media_url_base),
            data_dir: config.data_dir,
            sessions: Mutex::new(HashMap::new()),
            sign_in,
            changes,
            demo: tokio::sync::Mutex::new(None),
        }))
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Starts the accounts of this data directory: the demo's servers and sign-ins in demo
    /// mode, the user's kept sign-ins otherwise.
    pub async fn start(&self) -> Result<(), AppError> {
        match self.mode {
            Mode::Demo => self.start_demo().await,
            Mode::Accounts => self.start_accounts().await,
        }
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().expect("cache lock poisoned")
    }

    /// Outbox rows as they move on, for the shell to forward to the UI.
    pub fn subscribe_outbox(&self) -> broadcast::Receiver<compose::OutboxEntry> {
        self.outbox_changes.subscribe()
    }

    /// Runs the outbox sender for the life of the app: queued posts go out as soon as their
    /// surface is signed in, and wait for the network when it is gone.
    pub fn start_outbox(self: &Arc<Self>) {
        let core = self.clone();
        self.spawn_until_closed(async move {
            let progressed =
                |row: &facets_store::OutboxRow, sent: Option<&facets_wire::Status>| core.outbox_progressed(row, sent);
            core.outbox.run(&*core, &progressed).await;
        });
    }

    /// Runs a background task until it ends or the core shuts down, whichever comes first.
    /// Dropped at shutdown, a task lets go of the core (an outbox send cut short is safe: its
    /// row and idempotency key were kept before it began).
    pub(crate) fn spawn_until_closed(&self, task: impl std::future::Future<Output = ()> + Send + 'static) {
        let mut closing = self.closing.subscribe();
        tokio::spawn(async move {
            tokio::select! {
                () = task => {}
                _ = closing.wait_for(|closing| *closing) => {}
            }
        });
    }

    /// Stops the core's background work (the outbox sender, the message watch) and the demo
    /// backend: at exit, or when the app turns to another identity.
    pub async fn shutdown(&self) {
        self.closing.send_replace(true);
        if let Some(server) = self.demo.lock().await.take() {
            server.shutdown().await;
        }
    }

    /// The shutdown signal, for a front end's tasks that must not hold the core itself.
    pub fn subscribe_closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Resolves once the core is shut down, for a front end's own tasks that hold it.
    pub async fn closed(&self) {
        let mut closing = self.closing.subscribe();
        let _ = closing.wait_for(|closing| *closing).await;
    }

    /// Cache changes made by sync, for the shell to forward to the UI.
    pub fn subscribe(&self) -> broadcast::Receiver<CacheChanged> {
        self.changes.subscribe()
    }

    /// Starts using a signed-in surface, watching for its server refusing the sign-in.
    fn add_session(&self, link: SurfaceLink, client: MastodonClient) {
        self.watch_refusal(link.token.0.clone(), &client);
        self.sessions.lock().expect("sessions lock poisoned").insert(link.surface, Session { link, client });
        // Posts that waited for this surface's sign-in go now.
        match self.store().hurry_waits_for(facets_store::WaitReason::Session, now_ms()) {
            Ok(0) => {}
            Ok(_) => self.outbox.wake(),
            Err(error) => tracing::warn!(%error, "could not hurry the posts waiting for a sign-in"),
        }
    }

    fn mark_signed_in(&self, result: Result<(), &AppError>) {
        self.sign_in.send_replace(match result {
            Ok(()) => SignIn::Ready,
            Err(e) => SignIn::Failed(e.to_string()),
        });
    }

    /// The signed-in session of a surface, waiting for sign-in at startup if needed.
    async fn session(&self, surface: Surface) -> Result<Session, AppError> {
        let mut state = self.sign_in.subscribe();
        let outcome = tokio::time::timeout(SIGN_IN_WAIT, state.wait_for(|s| !matches!(s, SignIn::Pending))).await;
        match outcome {
            Err(_) => return Err(AppError::Offline("signing in is taking too long".into())),
            Ok(Err(_)) => return Err(AppError::internal("sign-in was abandoned")),
            Ok(Ok(s)) => {
                if let SignIn::Failed(reason) = &*s {
                    return Err(AppError::SignIn(reason.clone()));
                }
            }
        }
        let session = self.sessions.lock().expect("sessions lock poisoned").get(&surface).cloned();
        match session {
            Some(session) => {
                self.touch_sign_in(&session.link.token.0);
                Ok(session)
            }
            None => Err(self.why_no_session(surface)),
        }
    }

    /// Why a surface has no session: never linked, signed out, or refused by its server.
    fn why_no_session(&self, surface: Surface) -> AppError {
        let link = match self.store().links() {
            Ok(links) => links.into_iter().find(|l| l.surface == surface),
            Err(error) => return error.into(),
        };
        match link.map(|link| self.sign_in_state(&link)) {
            None => AppError::NotLinked(surface),
            Some(Ok(sign_ins::SignInState::SignedOut)) => AppError::SignedOut(surface),
            Some(Ok(sign_ins::SignInState::Refused)) => AppError::SignInRefused(surface),
            // Linked and accepted, yet not signed in during this run: its token could not be read
            // (kept in memory only by an earlier run, a locked keychain) or its start failed.
            Some(Ok(sign_ins::SignInState::Active)) => AppError::SecretsUnreadable(surface),
            Some(Err(error)) => error,
        }
    }

    // --- Reads (cache only) ------------------------------------------------------------------

    pub fn status(&self) -> Result<AppStatus, AppError> {
        let links = self.store().links()?;
        let surfaces = links
            .iter()
            .map(|link| Ok(MediaUrls::link_view(link, self.sign_in_state(link)?)))
            .collect::<Result<Vec<_>, AppError>>()?;
        let store = self.store();
        let identity = links
            .iter()
            .find(|l| l.surface == Surface::Feed)
            .or(links.first())
            .map(|l| store.person(l.surface, &l.remote_account_id))
            .transpose()?
            .flatten()
            .map(|p| self.urls.person_view(&p));
        Ok(AppStatus { mode: self.mode, identity, surfaces, last_sync_at: store.setting("last_sync_at")? })
    }

    /// A page of a cached timeline. When the cache runs out and the server has older posts,
    /// one older page is fetched first, so scrolling goes on seamlessly.
    pub async fn timeline_page(
        &self,
        surface: Surface,
        timeline: TimelineKind,
        cursor: Option<&str>,
        limit: usize,
    ) -> Result<TimelinePage, AppError> {
        let cursor = cursor.map(TimelineCursor::decode).transpose()?;
        let mut fetches = 0;
        loop {
            let (posts, next) = self.store().timeline_page(surface, timeline, cursor.as_ref(), limit)?;
            // A short page means the cache ran out: fill it from the server's older pages.
            if next.is_some() || fetches == MAX_OLDER_FETCHES_PER_PAGE || !self.has_session(surface) {
                return Ok(self.page_view(posts, next));
            }
            match sync::fetch_older(self, surface, timeline).await {
                Ok(report) if report.new_posts > 0 => fetches += 1,
                Ok(_) => return Ok(self.page_view(posts, next)),
                // Offline or refused: what the cache has is still the answer.
                Err(e) => {
                    tracing::info!(error = %e, "could not fetch older posts");
                    return Ok(self.page_view(posts, next));
                }
            }
        }
    }

    fn page_view(&self, posts: Vec<facets_model::Post>, next: Option<TimelineCursor>) -> TimelinePage {
        TimelinePage { posts: self.post_views(&posts), next_cursor: next.map(|c| c.encode()) }
    }

    fn post_view(&self, post: &facets_model::Post) -> PostView {
        self.post_views(std::slice::from_ref(post)).pop().expect("one post in, one view out")
    }

    /// Views of cached posts with what only the cache knows about them: their cross-posted
    /// copies and whether the identity wrote them. One lock and one read of the links per batch.
    fn post_views(&self, posts: &[facets_model::Post]) -> Vec<PostView> {
        let store = self.store();
        let links = store.links().unwrap_or_else(|error| {
            tracing::warn!(%error, "could not read the linked accounts");
            Vec::new()
        });
        posts
            .iter()
            .map(|post| {
                let mut view = self.urls.post_view(post);
                match store.also_published_on(post.surface, &post.remote_id) {
                    Ok(surfaces) => view.also_on = surfaces,
                    Err(error) => tracing::warn!(%error, "could not read the cross-post record"),
                }
                view.own =
                    links.iter().any(|l| l.surface == post.surface && l.remote_account_id == post.author.remote_id);
                view
            })
            .collect()
    }

    fn has_session(&self, surface: Surface) -> bool {
        self.sessions.lock().expect("sessions lock poisoned").contains_key(&surface)
    }

    /// One cached post.
    pub fn cached_post(&self, key: &str) -> Result<Option<PostView>, AppError> {
        let key: PostKey = key.parse()?;
        let post = self.store().post(&key)?;
        Ok(post.map(|post| self.post_view(&post)))
    }

    /// The identity as seen on one surface, from the cache.
    pub fn profile(&self, surface: Surface) -> Result<PersonView, AppError> {
        let store = self.store();
        let link = store.links()?.into_iter().find(|l| l.surface == surface).ok_or(AppError::NotLinked(surface))?;
        let person = store.person(surface, &link.remote_account_id)?.ok_or(AppError::NotLinked(surface))?;
        Ok(self.urls.person_view(&person))
    }

    // --- Actions (network, then cache) ---------------------------------------------------------

    /// A post with its comments: refreshed from the server when it can be, else from the cache.
    pub async fn open_thread(&self, key: &str) -> Result<ThreadView, AppError> {
        let key: PostKey = key.parse()?;
        if let Err(e) = sync::fetch_thread(self, &key).await {
            tracing::info!(error = %e, "showing the cached thread");
        }
        let facets_store::Thread { ancestors, post, descendants } =
            self.store().thread(&key)?.ok_or(AppError::NotFound)?;
        Ok(ThreadView {
            ancestors: self.post_views(&ancestors),
            post: self.post_view(&post),
            descendants: self.post_views(&descendants),
        })
    }

    /// Deletes one of the identity's posts, and with `everywhere` its cross-posted copies too.
    /// Returns the keys of the posts deleted. A copy already gone from its server counts as
    /// deleted.
    pub async fn delete_post(&self, key: &str, everywhere: bool) -> Result<Vec<String>, AppError> {
        let key: PostKey = key.parse()?;
        let mut targets = vec![(key.surface, key.remote_id.clone())];
        if everywhere {
            let copies = self.store().copies_of(key.surface, &key.remote_id)?;
            for copy in copies {
                if !targets.contains(&copy) {
                    targets.push(copy);
                }
            }
        }
        let mut deleted = Vec::new();
        for (surface, remote_id) in targets {
            let session = self.session(surface).await?;
            match session.client.delete_status(&remote_id).await {
                Ok(_) => {}
                Err(e) if e.status() == Some(facets_client::StatusCode::NOT_FOUND) => {}
                Err(e) => return Err(e.into()),
            }
            self.store().remove_post(surface, &remote_id)?;
            deleted.push(PostKey { surface, remote_id }.to_string());
        }
        // Every surface: a copy left behind is no longer "also on" the other one.
        for surface in Surface::ALL {
            for timeline in TimelineKind::ALL {
                let _ = self.changes.send(CacheChanged { surface, timeline });
            }
        }
        Ok(deleted)
    }

    pub async fn set_favourite(&self, key: &str, favourited: bool) -> Result<PostView, AppError> {
        let key: PostKey = key.parse()?;
        let session = self.session(key.surface).await?;
        let status = session.client.set_favourite(&key.remote_id, favourited).await?;
        self.store().ingest_statuses(key.surface, None, std::slice::from_ref(&status), None, now())?;
        if favourited {
            self.record_activity(key.surface, SignalKind::Favourite, &status.account.id, Some(&status.id));
        }
        let post = self.store().post(&key)?.ok_or(AppError::NotFound)?;
        Ok(self.post_view(&post))
    }

    /// Pulls new posts of a surface's timelines into the cache.
    pub async fn refresh(&self, surface: Surface) -> Result<Vec<SyncReport>, AppError> {
        let session = self.session(surface).await?;
        // Older servers lack `/api/v2/instance`; handles then fall back to the web host.
        if let Err(e) = sync::sync_instance(self, &session).await {
            tracing::info!(error = %e, ?surface, "could not read the server's instance description");
        }
        let mut reports = Vec::new();
        for timeline in TimelineKind::ALL {
            let report = sync::sync_timeline(self, &session, timeline).await?;
            if report.new_posts + report.updated_posts > 0 {
                let _ = self.changes.send(CacheChanged { surface, timeline });
            }
            reports.push(report);
        }
        sync::sync_profile(self, &session).await?;
        sync::sync_conversations(self, &session).await?;
        self.store().set_setting("last_sync_at", &views::iso(now()))?;
        Ok(reports)
    }

    /// Refreshes every linked surface; failures of one surface do not stop the other.
    pub async fn refresh_all(&self) -> Vec<Result<Vec<SyncReport>, AppError>> {
        let mut results = Vec::new();
        for surface in Surface::ALL {
            if self.has_session(surface) {
                results.push(self.refresh(surface).await);
            }
        }
        results
    }

    // --- Media ------------------------------------------------------------------------------

    /// Resolves a path of the media scheme (`media/{surface}/{post id}/{place}/{full|thumb}`,
    /// `person/{surface}/{id}/{avatar|avatar-large|header}` or `draft/{id}`) to a cached file,
    /// downloading it once.
    pub async fn resolve_media(&self, path: &str) -> Result<CachedFile, AppError> {
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        if let ["draft", id] = parts[..] {
            let file = self.store().draft_media_by_id(&percent_decode(id))?.ok_or(AppError::NotFound)?;
            return Ok(CachedFile { path: self.data_dir.join(file.path), content_type: file.mime_type });
        }
        let surface = |name: &str| name.parse::<Surface>().map_err(|_| AppError::NotFound);
        // The side to fit, or the file as it is.
        let (remote, side) = {
            let store = self.store();
            match parts[..] {
                ["media", surface_name, post_id, position, variant] => {
                    let (surface, post_id) = (surface(surface_name)?, percent_decode(post_id));
                    let position: u32 = position.parse().map_err(|_| AppError::NotFound)?;
                    match variant {
                        "full" => (store.media_remote_url(surface, &post_id, position, false)?, None),
                        "thumb" => (store.media_remote_url(surface, &post_id, position, true)?, Some(THUMBNAIL_SIDE)),
                        _ => return Err(AppError::NotFound),
                    }
                }
                ["person", surface_name, id, variant] => {
                    let (surface, id) = (surface(surface_name)?, percent_decode(id));
                    match variant {
                        "avatar" => (store.person_image_url(surface, &id, false)?, Some(AVATAR_SIDE)),
                        "avatar-large" => (store.person_image_url(surface, &id, false)?, Some(THUMBNAIL_SIDE)),
                        "header" => (store.person_image_url(surface, &id, true)?, None),
                        _ => return Err(AppError::NotFound),
                    }
                }
                _ => return Err(AppError::NotFound),
            }
        };
        let remote = remote.ok_or(AppError::NotFound)?;
        Ok(match side {
            Some(side) => self.media.thumbnail(&remote, side).await?,
            None => self.media.fetch(&remote).await?,
        })
    }
}

/// Decodes `%XX` escapes (as written by `encodeURIComponent`); invalid escapes stay as they are.
pub fn percent_decode(segment: &str) -> String {
    fn hex(b: u8) -> Option<u8> {
        (b as char).to_digit(16).map(|d| d as u8)
    }
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(high), Some(low)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(high << 4 | low);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

pub(crate) fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}
