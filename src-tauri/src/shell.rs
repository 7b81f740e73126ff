//! Which identity the window shows, and turning to another: the core of the identity in use,
//! replaced whole when the user switches or adds an account to a new identity. Commands take
//! [`CurrentCore`], so each call works on the identity in use when it was made.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use facets_app::accounts::{SignInStarted, SignedIn};
use facets_app::profiles::{Profile, Profiles};
use facets_app::sign_ins::{SecretStorage, SecretStore, SecretsChoice};
use facets_app::{AppError, Core, CoreConfig};
use facets_model::Surface;
use serde::Serialize;
use tauri::ipc::{CommandArg, CommandItem, InvokeError};
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::MEDIA_URL_BASE;

pub struct Shell {
    root: PathBuf,
    demo_messages_every: Option<Duration>,
    /// One store for every identity, so an identity switched away from and back to finds its
    /// sign-ins even when they are kept in memory only; replaced when the user chooses another
    /// place to keep them (or unlocks the sealed file).
    secrets: RwLock<Arc<dyn SecretStore>>,
    /// The identity the window shows, and its core.
    current: RwLock<(Profile, Arc<Core>)>,
    /// Accounts being added, by attempt: to the identity in use, or to a new identity not yet in
    /// use (whose core runs no background work).
    attempts: std::sync::Mutex<HashMap<String, Adding>>,
    /// One switch at a time.
    switching: tokio::sync::Mutex<()>,
}

#[derive(Clone)]
struct Adding {
    core: Arc<Core>,
    /// The identity made for this account, when it was not added to the one in use.
    new_identity: Option<Profile>,
}

/// The core of the identity in use, as a command argument.
pub struct CurrentCore(Arc<Core>);

impl std::ops::Deref for CurrentCore {
    type Target = Arc<Core>;
    fn deref(&self) -> &Arc<Core> {
        &self.0
    }
}

impl<'de, R: Runtime> CommandArg<'de, R> for CurrentCore {
    fn from_command(command: CommandItem<'de, R>) -> Result<Self, InvokeError> {
        let shell: State<'_, Shell> = CommandArg::from_command(command)?;
        Ok(CurrentCore(shell.core()))
    }
}

/// The identities for the switcher.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentitiesView {
    pub identities: Vec<IdentityView>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityView {
    pub profile: Profile,
    pub handles: Vec<String>,
    pub active: bool,
}

impl Shell {
    /// Opens the identity in use (the demo on a new computer).
    pub fn open(root: PathBuf, demo_messages_every: Option<Duration>) -> Result<Shell, AppError> {
        let profiles = Profiles::open(&root)?;
        let secrets = facets_app::sign_ins::secret_store_for_this_machine(&profiles);
        let active = profiles.active();
        let core = open_core(&profiles, &active, demo_messages_every, secrets.clone())?;
        Ok(Shell {
            root,
            demo_messages_every,
            secrets: RwLock::new(secrets),
            current: RwLock::new((active, core)),
            attempts: std::sync::Mutex::new(HashMap::new()),
            switching: tokio::sync::Mutex::new(()),
        })
    }

    pub fn core(&self) -> Arc<Core> {
        self.current.read().expect("current identity lock poisoned").1.clone()
    }

    fn current_profile(&self) -> Profile {
        self.current.read().expect("current identity lock poisoned").0.clone()
    }

    fn secrets(&self) -> Arc<dyn SecretStore> {
        self.secrets.read().expect("secret store lock poisoned").clone()
    }

    /// Where sign-ins are kept, for the settings. Asking whether a keychain answers may wait
    /// on the session bus, so it runs off the async workers.
    pub async fn secret_storage(&self) -> Result<SecretStorage, AppError> {
        let (profiles, store) = (self.profiles()?, self.secrets());
        off_the_workers(move || Ok(facets_app::sign_ins::secret_storage(&profiles, &*store))).await
    }

    /// Keeps sign-ins elsewhere from now on (or opens the sealed file chosen before, with its
    /// passphrase): the secrets move, the identity in use starts again on the new store (its kept
    /// sign-ins restored from there), and the window reloads.
    pub async fn choose_secret_store(
        &self,
        handle: &AppHandle,
        choice: SecretsChoice,
        passphrase: Option<&str>,
    ) -> Result<SecretStorage, AppError> {
        let _one_at_a_time = self.switching.lock().await;
        if !self.attempts().is_empty() {
            return Err(AppError::Invalid("Finish adding the account first.".into()));
        }
        // Moving secrets talks to keychains and derives a sealed file's key: off the workers.
        let (profiles, old) = (self.profiles()?, self.secrets());
        let passphrase = passphrase.map(str::to_owned);
        let (profiles, old, change) = off_the_workers(move || {
            let change =
                facets_app::sign_ins::prepare_secret_store_change(&profiles, &*old, choice, passphrase.as_deref())?;
            Ok((profiles, old, change))
        })
        .await?;
        // The identity's core on the new store opens before anything changes: if it cannot,
        // the old store and the running core stay as they were.
        let profile = self.current_profile();
        let core = open_core(&profiles, &profile, self.demo_messages_every, change.store())?;
        let (profiles, next) = off_the_workers(move || {
            let mut profiles = profiles;
            let next = change.finish(&mut profiles, &*old)?;
            Ok((profiles, next))
        })
        .await?;
        *self.secrets.write().expect("secret store lock poisoned") = next.clone();
        self.replace(handle, profile, core).await;
        off_the_workers(move || Ok(facets_app::sign_ins::secret_storage(&profiles, &*next))).await
    }

    fn attempts(&self) -> std::sync::MutexGuard<'_, HashMap<String, Adding>> {
        self.attempts.lock().expect("sign-in attempts lock poisoned")
    }

    fn profiles(&self) -> Result<Profiles, AppError> {
        Profiles::open(&self.root)
    }

    /// A sign-in kept but linked to no surface (the user closed the dialog before choosing) is
    /// revoked rather than left alive on its server. Answers whether none is left.
    async fn revoke_unlinked(core: &Core) -> bool {
        let apps = match core.connected_apps() {
            Ok(apps) => apps.apps,
            Err(error) => {
                tracing::warn!(%error, "could not list the sign-ins to revoke");
                return false;
            }
        };
        let mut all = true;
        for app in apps.into_iter().filter(|app| app.surfaces.is_empty()) {
            if let Err(error) = core.revoke_sign_in(&app.id, false).await {
                tracing::warn!(%error, "could not revoke a sign-in that was never linked");
                all = false;
            }
        }
        all
    }

    fn open_core(&self, profiles: &Profiles, profile: &Profile) -> Result<Arc<Core>, AppError> {
        open_core(profiles, profile, self.demo_messages_every, self.secrets())
    }

    pub fn identities(&self) -> Result<IdentitiesView, AppError> {
        let profiles = self.profiles()?;
        let active = self.current_profile();
        let being_added: Vec<Profile> = self.attempts().values().filter_map(|a| a.new_identity.clone()).collect();
        let mut identities =
            vec![IdentityView { active: active == Profile::Demo, profile: Profile::Demo, handles: Vec::new() }];
        for identity in profiles.identities() {
            let profile = Profile::Identity(identity.id.clone());
            if being_added.contains(&profile) {
                continue;
            }
            identities.push(IdentityView { active: profile == active, handles: identity.handles.clone(), profile });
        }
        Ok(IdentitiesView { identities })
    }

    /// Turns the window to another identity: the old core stops its background work, the new
    /// one starts, and the UI is told to load afresh.
    pub async fn switch_to(&self, handle: &AppHandle, profile: &Profile) -> Result<(), AppError> {
        let _one_at_a_time = self.switching.lock().await;
        if self.current_profile() == *profile {
            return Ok(());
        }
        let mut profiles = self.profiles()?;
        // Opened first: if it cannot be, nothing changes, the list included.
        let core = self.open_core(&profiles, profile)?;
        profiles.set_active(profile)?;
        self.replace(handle, profile.clone(), core).await;
        Ok(())
    }

    async fn replace(&self, handle: &AppHandle, profile: Profile, core: Arc<Core>) {
        let (_, old) = std::mem::replace(
            &mut *self.current.write().expect("current identity lock poisoned"),
            (profile, core.clone()),
        );
        old.shutdown().await;
        launch(handle, core);
        if let Err(error) = handle.emit("identity-changed", ()) {
            tracing::warn!(%error, "could not tell the window of the new identity");
        }
    }

    /// Begins adding an account: to the identity in use, or to a new one (always from the demo,
    /// whose cache never takes a real account). Opens the system browser on the approval page.
    pub async fn add_account_begin(&self, server: &str, new_identity: bool) -> Result<SignInStarted, AppError> {
        let current = self.core();
        let adding = if new_identity || current.mode() == facets_app::Mode::Demo {
            let mut profiles = self.profiles()?;
            let profile = profiles.add_identity()?;
            let opened = self.open_core(&profiles, &profile);
            let core = match opened {
                Ok(core) => core,
                Err(error) => {
                    self.forget_identity(&profile);
                    return Err(error);
                }
            };
            Adding { core, new_identity: Some(profile) }
        } else {
            Adding { core: current, new_identity: None }
        };
        let begun = async {
            if adding.new_identity.is_some() {
                adding.core.start().await?;
            }
            adding.core.begin_sign_in(server).await
        };
        let started = match begun.await {
            Ok(started) => started,
            Err(error) => {
                // A mistyped server leaves no empty identity behind.
                self.abandon(adding).await;
                return Err(error);
            }
        };
        self.attempts().insert(started.attempt.clone(), adding);
        if let Err(error) = webbrowser::open(&started.authorize_url) {
            tracing::info!(%error, "could not open a browser; the window shows the address to copy");
        }
        Ok(started)
    }

    fn adding(&self, attempt: &str) -> Result<Adding, AppError> {
        self.attempts()
            .get(attempt)
            .cloned()
            .ok_or_else(|| AppError::Invalid("That sign-in has ended. Start again with Add account.".into()))
    }

    pub async fn add_account_finish(&self, attempt: &str, code: Option<&str>) -> Result<SignedIn, AppError> {
        let adding = self.adding(attempt)?;
        let signed_in = adding.core.finish_sign_in(attempt, code).await?;
        if !self.attempts().contains_key(attempt) {
            // Cancelled while the browser came back: the new sign-in is not left alive.
            if let Err(error) = adding.core.revoke_sign_in(&signed_in.id, false).await {
                tracing::warn!(%error, "could not revoke the sign-in of a cancelled attempt");
            }
            return Err(AppError::Invalid("That sign-in was cancelled.".into()));
        }
        Ok(signed_in)
    }

    /// Links the new account; a new identity then becomes the one in use.
    pub async fn add_account_link(
        &self,
        handle: &AppHandle,
        attempt: &str,
        id: &str,
        surfaces: &[Surface],
    ) -> Result<(), AppError> {
        let adding = self.adding(attempt)?;
        adding.core.link_account(id, surfaces).await?;
        self.attempts().remove(attempt);
        let handles: Vec<String> = {
            let mut handles: Vec<String> = adding.core.status()?.surfaces.into_iter().map(|s| s.handle).collect();
            handles.sort();
            handles.dedup();
            handles
        };
        let mut profiles = self.profiles()?;
        match adding.new_identity {
            Some(profile) => {
                profiles.set_handles(&profile, handles)?;
                let _one_at_a_time = self.switching.lock().await;
                profiles.set_active(&profile)?;
                self.replace(handle, profile, adding.core).await;
            }
            None => profiles.set_handles(&self.current_profile(), handles)?,
        }
        Ok(())
    }

    /// The user closed the dialog: the attempt ends, a sign-in it kept but never linked is
    /// revoked, and a new identity made for it goes.
    pub async fn add_account_cancel(&self, attempt: &str) {
        let Some(adding) = self.attempts().remove(attempt) else { return };
        adding.core.cancel_sign_in(attempt);
        self.abandon(adding).await;
    }

    /// Ends what an attempt left: its unlinked sign-ins, and its new identity (kept, with a
    /// warning, if a sign-in could not be revoked: its secrets must not be lost with it).
    async fn abandon(&self, adding: Adding) {
        let revoked = Self::revoke_unlinked(&adding.core).await;
        let Some(profile) = adding.new_identity else { return };
        adding.core.shutdown().await;
        drop(adding.core);
        if revoked {
            self.forget_identity(&profile);
        } else {
            tracing::warn!("an abandoned identity keeps a sign-in its server could not be asked to revoke");
        }
    }

    fn forget_identity(&self, profile: &Profile) {
        if let Err(error) = self.profiles().and_then(|mut profiles| profiles.remove_identity(profile)) {
            tracing::warn!(%error, "could not remove an abandoned identity");
        }
    }

    /// Removes an identity the window does not show, after revoking its sign-ins.
    pub async fn remove_identity(&self, profile: &Profile) -> Result<(), AppError> {
        let _one_at_a_time = self.switching.lock().await;
        if self.current_profile() == *profile {
            return Err(AppError::Invalid("Switch to another identity before removing this one.".into()));
        }
        let mut profiles = self.profiles()?;
        facets_app::accounts::remove_identity(&mut profiles, profile, self.secrets()).await
    }

    /// At exit: the identity in use stops, and accounts still being added are given up.
    pub async fn shutdown(&self) {
        let pending: Vec<(String, Adding)> = self.attempts().drain().collect();
        for (attempt, adding) in pending {
            adding.core.cancel_sign_in(&attempt);
            self.abandon(adding).await;
        }
        self.core().shutdown().await;
    }
}

fn open_core(
    profiles: &Profiles,
    profile: &Profile,
    demo_messages_every: Option<Duration>,
    secrets: Arc<dyn SecretStore>,
) -> Result<Arc<Core>, AppError> {
    let data_dir = profiles.dir(profile);
    tracing::info!(data_dir = %data_dir.display(), "opening cache");
    Core::open(CoreConfig {
        data_dir,
        media_url_base: MEDIA_URL_BASE.into(),
        demo_messages_every,
        secrets,
        mode: profile.mode(),
    })
}

/// How many times a window has shown its Feed, from the cache, since the app started.
static FEED_SHOWN: std::sync::LazyLock<tokio::sync::watch::Sender<u64>> =
    std::sync::LazyLock::new(|| tokio::sync::watch::channel(0).0);

/// The longest the network waits for the window to show the cache first: a slow or failed
/// first read must not keep the app offline.
const CACHE_FIRST_AT_MOST: Duration = Duration::from_secs(2);

/// The window has painted its Feed from the cache (with posts or empty).
pub fn feed_shown() {
    FEED_SHOWN.send_modify(|shown| *shown += 1);
}

/// Connects a core to the window (its events, desktop notifications) and starts it: the demo's
/// servers or the kept sign-ins, the outbox, the message watch, then a first sync. The window
/// shows the cache first: starting the demo and syncing take the CPU the window needs for its
/// first paint, so they begin once it has painted (or after [`CACHE_FIRST_AT_MOST`]).
pub fn launch(handle: &AppHandle, core: Arc<Core>) {
    // Subscribed now, so a paint that comes before the task below runs still counts.
    let mut shown = FEED_SHOWN.subscribe();
    crate::forward(handle.clone(), core.subscribe_outbox(), core.subscribe_closing(), "outbox-changed");
    crate::forward(handle.clone(), core.subscribe(), core.subscribe_closing(), "cache-changed");
    crate::forward(handle.clone(), core.subscribe_inbox(), core.subscribe_closing(), "inbox-changed");
    crate::forward(handle.clone(), core.subscribe_sign_ins(), core.subscribe_closing(), "sign-ins-changed");
    crate::notify_incoming(handle.clone(), core.clone());
    tauri::async_runtime::spawn(async move {
        let started = async {
            let _ = tokio::time::timeout(CACHE_FIRST_AT_MOST, shown.changed()).await;
            if let Err(e) = core.start().await {
                tracing::error!(error = %e, "could not start the accounts");
                return;
            }
            // Posts queued in an earlier run go out now that the surfaces are signed in.
            core.start_outbox();
            core.watch_inbox();
            for result in core.refresh_all().await {
                if let Err(e) = result {
                    tracing::warn!(error = %e, "first sync failed");
                }
            }
        };
        // Switched away from meanwhile: the first sync stops with the core.
        tokio::select! {
            () = started => {}
            () = core.closed() => {}
        }
    });
}

/// Runs `work` on a thread made for blocking: a keychain may wait for its user, and the async
/// runtime's few workers serve every command meanwhile.
async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    tauri::async_runtime::spawn_blocking(work).await.map_err(|e| AppError::Internal(e.to_string()))?
}
