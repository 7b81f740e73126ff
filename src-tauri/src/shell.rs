//! Which identity the window shows, and turning to another: the core of the identity in use,
//! replaced whole when the user switches or adds an account to a new identity. Commands take
//! [`CurrentCore`], so each call works on the identity in use when it was made.

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use facets_app::accounts::{SignInStarted, SignedIn};
use facets_app::profiles::{Profile, Profiles};
use facets_app::sign_ins::SecretStore;
use facets_app::{AppError, Core, CoreConfig};
use facets_model::Surface;
use serde::Serialize;
use tauri::ipc::{CommandArg, CommandItem, InvokeError};
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::MEDIA_URL_BASE;

pub struct Shell {
    root: PathBuf,
    demo_messages_every: Option<Duration>,
    /// One store for the app's life, so an identity switched away from and back to finds its
    /// sign-ins even when they are kept in memory only.
    secrets: Arc<dyn SecretStore>,
    current: RwLock<Arc<Core>>,
    /// A new identity being signed in to, not yet in use (its core runs no background work).
    adding: tokio::sync::Mutex<Option<(Profile, Arc<Core>)>>,
    /// One switch at a time.
    switching: tokio::sync::Mutex<()>,
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
        let core = open_core(&profiles, &profiles.active(), demo_messages_every, secrets.clone())?;
        Ok(Shell {
            root,
            demo_messages_every,
            secrets,
            current: RwLock::new(core),
            adding: tokio::sync::Mutex::new(None),
            switching: tokio::sync::Mutex::new(()),
        })
    }

    pub fn core(&self) -> Arc<Core> {
        self.current.read().expect("current identity lock poisoned").clone()
    }

    fn profiles(&self) -> Result<Profiles, AppError> {
        Profiles::open(&self.root)
    }

    /// A sign-in kept but linked to no surface (the user closed the dialog before choosing) is
    /// revoked rather than left alive on its server.
    async fn revoke_unlinked(core: &Core) {
        let Ok(apps) = core.connected_apps() else { return };
        for app in apps.apps.into_iter().filter(|app| app.surfaces.is_empty()) {
            if let Err(error) = core.revoke_sign_in(&app.id, false).await {
                tracing::warn!(%error, "could not revoke a sign-in that was never linked");
            }
        }
    }

    fn open_core(&self, profiles: &Profiles, profile: &Profile) -> Result<Arc<Core>, AppError> {
        open_core(profiles, profile, self.demo_messages_every, self.secrets.clone())
    }

    pub fn identities(&self) -> Result<IdentitiesView, AppError> {
        let profiles = self.profiles()?;
        let active = profiles.active();
        let mut identities =
            vec![IdentityView { active: active == Profile::Demo, profile: Profile::Demo, handles: Vec::new() }];
        for identity in profiles.identities() {
            let profile = Profile::Identity(identity.id.clone());
            identities.push(IdentityView { active: profile == active, handles: identity.handles.clone(), profile });
        }
        Ok(IdentitiesView { identities })
    }

    /// Turns the window to another identity: the old core stops its background work, the new
    /// one starts, and the UI is told to load afresh.
    pub async fn switch_to(&self, handle: &AppHandle, profile: &Profile) -> Result<(), AppError> {
        let _one_at_a_time = self.switching.lock().await;
        let mut profiles = self.profiles()?;
        if profiles.active() == *profile {
            return Ok(());
        }
        profiles.set_active(profile)?;
        let core = self.open_core(&profiles, profile)?;
        self.replace(handle, core).await;
        Ok(())
    }

    async fn replace(&self, handle: &AppHandle, core: Arc<Core>) {
        let old = std::mem::replace(&mut *self.current.write().expect("current identity lock poisoned"), core.clone());
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
        let target = if new_identity || current.mode() == facets_app::Mode::Demo {
            let mut adding = self.adding.lock().await;
            if let Some((profile, core)) = adding.take() {
                self.abandon(profile, core).await;
            }
            let mut profiles = self.profiles()?;
            let profile = profiles.add_identity()?;
            let core = self.open_core(&profiles, &profile)?;
            core.start().await?;
            *adding = Some((profile, core.clone()));
            core
        } else {
            current
        };
        let started = target.begin_sign_in(server).await?;
        if let Err(error) = webbrowser::open(&started.authorize_url) {
            tracing::info!(%error, "could not open a browser; the window shows the address to copy");
        }
        Ok(started)
    }

    /// The core an account is being added to.
    async fn adding_to(&self) -> Arc<Core> {
        match &*self.adding.lock().await {
            Some((_, core)) => core.clone(),
            None => self.core(),
        }
    }

    pub async fn add_account_finish(&self, attempt: &str, code: Option<&str>) -> Result<SignedIn, AppError> {
        self.adding_to().await.finish_sign_in(attempt, code).await
    }

    /// Links the new account; a new identity then becomes the one in use.
    pub async fn add_account_link(&self, handle: &AppHandle, id: &str, surfaces: &[Surface]) -> Result<(), AppError> {
        let target = self.adding_to().await;
        target.link_account(id, surfaces).await?;
        let handles: Vec<String> = {
            let mut handles: Vec<String> = target.status()?.surfaces.into_iter().map(|s| s.handle).collect();
            handles.dedup();
            handles
        };
        let added = self.adding.lock().await.take();
        let mut profiles = self.profiles()?;
        match added {
            Some((profile, core)) => {
                profiles.set_handles(&profile, handles)?;
                let _one_at_a_time = self.switching.lock().await;
                profiles.set_active(&profile)?;
                self.replace(handle, core).await;
            }
            None => profiles.set_handles(&profiles.active(), handles)?,
        }
        Ok(())
    }

    /// The user closed the dialog: the attempt ends, and a new identity made for it goes.
    pub async fn add_account_cancel(&self, attempt: &str) {
        let adding = self.adding.lock().await.take();
        match adding {
            Some((profile, core)) => {
                core.cancel_sign_in(attempt);
                self.abandon(profile, core).await;
            }
            None => {
                let core = self.core();
                core.cancel_sign_in(attempt);
                Self::revoke_unlinked(&core).await;
            }
        }
    }

    async fn abandon(&self, profile: Profile, core: Arc<Core>) {
        Self::revoke_unlinked(&core).await;
        core.shutdown().await;
        drop(core);
        match self.profiles().and_then(|mut profiles| profiles.remove_identity(&profile)) {
            Ok(()) => {}
            Err(error) => tracing::warn!(%error, "could not remove an abandoned identity"),
        }
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

/// Connects a core to the window (its events, desktop notifications) and starts it: the demo's
/// servers or the kept sign-ins, the outbox, the message watch, then a first sync. The UI shows
/// the cache meanwhile.
pub fn launch(handle: &AppHandle, core: Arc<Core>) {
    crate::forward(handle.clone(), core.subscribe_outbox(), "outbox-changed");
    crate::forward(handle.clone(), core.subscribe(), "cache-changed");
    crate::forward(handle.clone(), core.subscribe_inbox(), "inbox-changed");
    crate::forward(handle.clone(), core.subscribe_sign_ins(), "sign-ins-changed");
    crate::notify_incoming(handle.clone(), core.clone());
    tauri::async_runtime::spawn(async move {
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
    });
}
