//! Starting and stopping the demo servers, and the state their handlers share.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use facets_model::{Dialect, Surface};
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::api::{self, ApiError, RateLimiter};
use crate::faults::{FaultPlan, Faults, LedgerEntry};
use crate::ids::Id;
use crate::images::ImageCache;
use crate::persist::Persistence;
use crate::state::Data;

/// Encoded pictures kept in memory: a few hundred full-size photographs.
const IMAGE_CACHE_BYTES: usize = 96 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// Decides the whole world: people, posts, pictures.
    pub seed: u64,
    /// Where to keep what the user creates across restarts; `None` keeps it in memory only.
    pub state_dir: Option<PathBuf>,
    /// Requests per token per five minutes, as Mastodon's default of 300.
    pub rate_limit_per_window: u32,
    /// How often one of the demo's people writes to the user; `None` (the default, and what
    /// tests want) never.
    pub messages_every: Option<std::time::Duration>,
    /// Refuse to register apps with an `http:` redirect URI, loopback included, as a server
    /// set to take only HTTPS (or copy-the-code) redirects does.
    pub https_redirects_only: bool,
    /// The software the Feed server plays: Mastodon (the default), GoToSocial or Akkoma, each
    /// with its dialect. Visual always plays Pixelfed.
    pub feed_plays: Dialect,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            seed: 42,
            state_dir: None,
            rate_limit_per_window: 300,
            messages_every: None,
            https_redirects_only: false,
            feed_plays: Dialect::Mastodon,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("could not listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("could not use the state directory {dir}: {source}")]
    StateDir { dir: PathBuf, source: std::io::Error },
}

pub(crate) struct Shared {
    /// `http://127.0.0.1:PORT`, the prefix of every absolute URL the servers hand out.
    pub origin: String,
    data: Mutex<Data>,
    pub images: ImageCache,
    pub rate_limits: RateLimiter,
    pub faults: Faults,
    pub https_redirects_only: bool,
    pub feed_plays: Dialect,
    persistence: Option<Persistence>,
    /// Messages the demo's people have written to the user in this run.
    turns: std::sync::atomic::AtomicU64,
    /// Every direct message posted, for the streaming API.
    pub direct_messages: tokio::sync::broadcast::Sender<(Surface, Id)>,
    /// Set when the servers stop, so open streams end.
    pub closing: tokio::sync::watch::Sender<bool>,
    /// Home-timeline requests to Feed still to answer as Mastodon does while it rebuilds the
    /// home feed of a user back after a long absence.
    pub home_regenerating: std::sync::atomic::AtomicU32,
}

impl Shared {
    /// One of the demo's people writes to the user on `surface`; the new message's id.
    pub(crate) fn write_to_user(&self, surface: Surface) -> Option<String> {
        let turn = self.turns.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let now_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
        let id = crate::pen_pals::write_to_user(&mut self.lock(), surface, turn, now_ms)?;
        if let Err(error) = self.save() {
            tracing::warn!(?error, "demo could not save a message written to the user");
        }
        self.direct_message_posted(surface, id);
        Some(id.to_string())
    }

    /// Someone who does not follow the user on `surface` starts to (or, the account being
    /// private, asks to): their account id, and whether it is only a request.
    pub(crate) fn follow_user(&self, surface: Surface) -> Option<(String, bool)> {
        let answer = {
            let mut data = self.lock();
            let state = data.surface_mut(surface);
            let user = state.user_account().id;
            let privacy = &state.privacy;
            let newcomer = state
                .accounts()
                .iter()
                .map(|a| a.id)
                .filter(|&id| id != user && !state.kept_away(id))
                .find(|id| !privacy.new_followers.contains(id) && !privacy.follow_requests.contains(id))?;
            let privacy = &mut state.privacy;
            if privacy.locked {
                privacy.follow_requests.push(newcomer);
            } else {
                privacy.new_followers.push(newcomer);
            }
            (newcomer.to_string(), privacy.locked)
        };
        if let Err(error) = self.save() {
            tracing::warn!(?error, "demo could not save a new follower");
        }
        Some(answer)
    }

    pub(crate) fn sign_out_everywhere(&self, surface: Surface) -> usize {
        let revoked = self.lock().oauth.revoke_user_tokens_of(surface);
        if let Err(error) = self.save() {
            tracing::warn!(?error, "demo could not save a sign-out");
        }
        revoked
    }

    /// Tells the streams a direct message was posted.
    pub(crate) fn direct_message_posted(&self, surface: Surface, status: Id) {
        // No stream open is no error.
        let _ = self.direct_messages.send((surface, status));
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Data> {
        // A handler that panicked mid-update leaves data that is still consistent enough for a
        // demo; refusing every later request would be worse.
        self.data.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Writes the user's state, if there is a state directory. The lock is held while writing so
    /// that saves land in the order the changes were made.
    pub(crate) fn save(&self) -> Result<(), ApiError> {
        if let Some(persistence) = &self.persistence {
            persistence.save(&self.lock())?;
        }
        Ok(())
    }

    pub(crate) fn save_upload(
        &self,
        surface: Surface,
        id: Id,
        extension: &str,
        original: &[u8],
        preview: &[u8],
    ) -> Result<(), ApiError> {
        if let Some(persistence) = &self.persistence {
            persistence.save_upload(surface, id, extension, original, preview)?;
        }
        Ok(())
    }
}

/// The two demo servers, listening on one address.
pub struct DemoServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

impl DemoServer {
    /// Binds (use `127.0.0.1:0` for a free port), spawns the servers on the current tokio
    /// runtime, and returns once they are listening. Dropping the `DemoServer` stops them too.
    pub async fn start(config: DemoConfig, addr: SocketAddr) -> Result<DemoServer, DemoError> {
        let listener = TcpListener::bind(addr).await.map_err(|source| DemoError::Bind { addr, source })?;
        let addr = listener.local_addr().map_err(|source| DemoError::Bind { addr, source })?;
        let persistence = match &config.state_dir {
            None => None,
            Some(dir) => Some(
                Persistence::open(dir, config.seed)
                    .map_err(|source| DemoError::StateDir { dir: dir.clone(), source })?,
            ),
        };
        let now_ms = (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64;
        let anchor_ms = persistence.as_ref().and_then(Persistence::saved_anchor).unwrap_or(now_ms);
        let seed = config.seed;
        let mut data = tokio::task::spawn_blocking(move || Data::new(seed, anchor_ms))
            .await
            .expect("world generation does not panic");
        if let (Some(persistence), Some(dir)) = (&persistence, &config.state_dir) {
            let state_error = |source| DemoError::StateDir { dir: dir.clone(), source };
            let first_start = !persistence.has_saved_state();
            persistence.restore(&mut data).map_err(state_error)?;
            if first_start {
                // Record the anchor now: the next start must regenerate this very world.
                persistence.save(&data).map_err(state_error)?;
            }
        }
        let shared = Arc::new(Shared {
            origin: format!("http://{addr}"),
            data: Mutex::new(data),
            images: ImageCache::new(IMAGE_CACHE_BYTES),
            rate_limits: RateLimiter::new(config.rate_limit_per_window),
            faults: Faults::default(),
            https_redirects_only: config.https_redirects_only,
            feed_plays: config.feed_plays,
            persistence,
            turns: std::sync::atomic::AtomicU64::new(0),
            direct_messages: tokio::sync::broadcast::channel(64).0,
            closing: tokio::sync::watch::channel(false).0,
            home_regenerating: std::sync::atomic::AtomicU32::new(0),
        });
        if let Some(every) = config.messages_every {
            let weak = Arc::downgrade(&shared);
            tokio::spawn(async move {
                for surface in [Surface::Feed, Surface::Visual].into_iter().cycle() {
                    tokio::time::sleep(every).await;
                    // The servers are gone: stop writing.
                    let Some(shared) = weak.upgrade() else { break };
                    shared.write_to_user(surface);
                }
            });
        }
        let app = api::router(shared.clone()).into_make_service_with_connect_info::<SocketAddr>();
        let (stop, stopped) = oneshot::channel::<()>();
        let closing = shared.clone();
        let task = tokio::spawn(async move {
            let shutdown = async move {
                // A dropped sender means the DemoServer is gone: stop as well.
                let _ = stopped.await;
                closing.closing.send_replace(true);
            };
            if let Err(error) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
                tracing::error!(%error, "demo server stopped");
            }
        });
        tracing::info!(%addr, seed = config.seed, "demo servers listening");
        Ok(DemoServer { addr, shared, stop, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/feed` or `…/visual`, without a trailing slash.
    pub fn base_url(&self, surface: Surface) -> String {
        format!("http://{}/{}", self.addr, surface)
    }

    /// Makes one server misbehave as planned, from the next request on.
    pub fn set_faults(&self, surface: Surface, plan: FaultPlan) {
        self.shared.faults.set(surface, plan);
    }

    /// One of the demo's people writes to the user now, on `surface`; the new message's id.
    /// The next `requests` home-timeline requests to Feed are answered as Mastodon answers while
    /// it regenerates a home feed: 206 Partial Content, with nothing yet.
    pub fn regenerate_home(&self, requests: u32) {
        self.shared.home_regenerating.store(requests, std::sync::atomic::Ordering::SeqCst);
    }

    pub fn write_to_user(&self, surface: Surface) -> Option<String> {
        self.shared.write_to_user(surface)
    }

    /// Someone new follows the user on `surface`, or asks to when the account is private: their
    /// account id, and whether it is a request.
    pub fn follow_user(&self, surface: Surface) -> Option<(String, bool)> {
        self.shared.follow_user(surface)
    }

    /// The user revokes every app on `surface` from that server's settings page: each token its
    /// apps hold is refused from now on. Returns how many.
    pub fn sign_out_everywhere(&self, surface: Surface) -> usize {
        self.shared.sign_out_everywhere(surface)
    }

    /// The server forgets every upload no post uses yet, as a real one does after a while.
    pub fn purge_unattached_media(&self, surface: Surface) -> usize {
        let purged = self.shared.lock().surface_mut(surface).purge_unattached_media();
        if let Err(error) = self.shared.save() {
            tracing::warn!(%error, "demo could not save after purging media");
        }
        purged
    }

    /// Every post the servers accepted, in order.
    pub fn ledger(&self) -> Vec<LedgerEntry> {
        self.shared.faults.ledger()
    }

    /// Stops accepting connections and waits for requests in flight to finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(());
        let _ = self.task.await;
    }
}
