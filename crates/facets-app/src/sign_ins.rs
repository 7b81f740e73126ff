//! The sign-ins Facets holds ("connected apps and sessions"): kept with their secrets in the
//! secret store and the rest in the cache, restored at start, watched for the server refusing
//! them, and revoked on the user's word.
//!
//! A sign-in's token and its app registration's client secret live only in the secret store,
//! under names derived from the sign-in's `token_ref`; the cache row holds what may be shown.

use facets_client::{AppRegistration, MastodonClient};
use facets_model::{Surface, SurfaceLink};
use facets_secrets::{EncryptedFile, Keychain, Secret};
/// The stores front ends choose between (the app and the command line open them through here).
pub use facets_secrets::{MemoryOnly, SecretStore};
use facets_store::SignInRow;
use serde::Serialize;

use crate::views::iso;
use crate::{now, AppError, Core};

/// Where Facets keeps secrets (`FACETS_SECRETS`; the keychain unless it says otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum SecretsChoice {
    /// The OS keychain when one answers, else memory only.
    Keychain,
    MemoryOnly,
    /// A file sealed with a passphrase, for machines without a keychain.
    EncryptedFile,
}

impl SecretsChoice {
    /// `FACETS_SECRETS`: `keychain`, `memory` or `file`. The end-to-end tests keep a
    /// developer's keychain out of them with `memory`.
    pub fn from_env() -> Option<SecretsChoice> {
        match std::env::var("FACETS_SECRETS").ok()?.as_str() {
            "keychain" => Some(SecretsChoice::Keychain),
            "memory" => Some(SecretsChoice::MemoryOnly),
            "file" => Some(SecretsChoice::EncryptedFile),
            _ => None,
        }
    }
}

/// The secrets file of a data directory (shared by its identities, as a keychain is).
pub fn secrets_file(root: &std::path::Path) -> std::path::PathBuf {
    root.join("secrets.enc")
}

/// Opens the store the user chose. For the sealed file, the passphrase comes from
/// `FACETS_PASSPHRASE` (for scripts) or from `ask` (a prompt); a wrong one is an error, never a
/// fallback. The keychain falls back to memory only where none answers (sessions then end when
/// Facets quits, and the connected-apps list says so). Never a file in plain text.
pub fn open_secret_store(
    root: &std::path::Path,
    choice: SecretsChoice,
    ask: &mut dyn FnMut(bool) -> Option<String>,
) -> Result<std::sync::Arc<dyn SecretStore>, AppError> {
    Ok(match choice {
        SecretsChoice::MemoryOnly => std::sync::Arc::new(MemoryOnly::new()),
        SecretsChoice::EncryptedFile => {
            let path = secrets_file(root);
            let passphrase = std::env::var("FACETS_PASSPHRASE")
                .ok()
                .or_else(|| ask(EncryptedFile::exists(&path)))
                .ok_or_else(|| {
                    AppError::Invalid(
                        "Facets' secrets file needs its passphrase: type it at the prompt (twice, the first time, the same both times), or set FACETS_PASSPHRASE."
                            .into(),
                    )
                })?;
            std::sync::Arc::new(EncryptedFile::open(&path, &passphrase)?)
        }
        SecretsChoice::Keychain => match Keychain::open() {
            Ok(keychain) => std::sync::Arc::new(keychain),
            Err(error) => {
                tracing::warn!(%error, "no keychain on this machine: sign-ins last until Facets quits");
                std::sync::Arc::new(MemoryOnly::new())
            }
        },
    })
}

/// The store the app uses without asking anyone. A sealed file whose passphrase is not in the
/// environment leaves this run's new sign-ins in memory only; kept ones wait unread.
pub fn secret_store_for_this_machine(profiles: &crate::profiles::Profiles) -> std::sync::Arc<dyn SecretStore> {
    open_secret_store(profiles.root(), profiles.secrets_choice(), &mut |_| None).unwrap_or_else(|error| {
        tracing::warn!(%error, "the secret store could not be opened: new sign-ins last until Facets quits");
        std::sync::Arc::new(MemoryOnly::new())
    })
}

/// Where sign-ins are kept, as the settings show it and offer to change it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SecretStorage {
    /// Where the user chose to keep them (the keychain unless they chose otherwise).
    pub choice: SecretsChoice,
    /// Where this run keeps them: memory when the keychain does not answer, or while the
    /// sealed file waits for its passphrase.
    pub kept_in: &'static str,
    pub keychain_available: bool,
    /// A sealed file exists in the data directory (a passphrase opens it, or makes it).
    pub file_exists: bool,
    /// The sealed file is chosen but not open in this run: kept sign-ins wait for its passphrase.
    pub locked: bool,
    /// `FACETS_SECRETS` decides, so the settings cannot.
    pub set_by_environment: bool,
}

/// A passphrase shorter than this does not make a new sealed file.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

pub fn secret_storage(profiles: &crate::profiles::Profiles, current: &dyn SecretStore) -> SecretStorage {
    let choice = profiles.secrets_choice();
    let kept_in = current.kind();
    SecretStorage {
        choice,
        kept_in: kept_in.as_str(),
        keychain_available: kept_in == facets_secrets::StoreKind::Keychain || Keychain::open().is_ok(),
        file_exists: EncryptedFile::exists(&secrets_file(profiles.root())),
        locked: choice == SecretsChoice::EncryptedFile && kept_in != facets_secrets::StoreKind::EncryptedFile,
        set_by_environment: SecretsChoice::from_env().is_some(),
    }
}

/// Keeping sign-ins somewhere else, prepared: the new store opened and holding a copy of every
/// secret, nothing changed yet. [`SecretStoreChange::finish`] makes it so.
pub struct SecretStoreChange {
    store: std::sync::Arc<dyn SecretStore>,
    choice: SecretsChoice,
    moved: Vec<String>,
}

impl SecretStoreChange {
    /// The new store, for the core that will use it.
    pub fn store(&self) -> std::sync::Arc<dyn SecretStore> {
        self.store.clone()
    }

    /// Remembers the choice and deletes the moved secrets from the old store, so nothing is
    /// left behind where the user chose not to keep it.
    pub fn finish(
        self,
        profiles: &mut crate::profiles::Profiles,
        old: &dyn SecretStore,
    ) -> Result<std::sync::Arc<dyn SecretStore>, AppError> {
        profiles.set_secrets_choice(self.choice)?;
        for name in &self.moved {
            old.delete(name)?;
        }
        Ok(self.store)
    }
}

/// Prepares keeping sign-ins somewhere else: every secret the current store holds goes along
/// (the sign-ins made while a sealed file was locked join it when it is opened). Choosing the
/// sealed file takes its passphrase, which opens the file or, at least eight characters long,
/// makes it. Secrets never leave the system keychain this way: it cannot list them.
pub fn prepare_secret_store_change(
    profiles: &crate::profiles::Profiles,
    current: &dyn SecretStore,
    choice: SecretsChoice,
    passphrase: Option<&str>,
) -> Result<SecretStoreChange, AppError> {
    if SecretsChoice::from_env().is_some() {
        return Err(AppError::Invalid(
            "FACETS_SECRETS decides where Facets keeps sign-ins on this computer; change it there.".into(),
        ));
    }
    let Some(moved) = current.names_kept()? else {
        return Err(AppError::Invalid("Sign-ins stay in the system keychain while this computer has one.".into()));
    };
    let already = matches!(
        (current.kind(), choice),
        (facets_secrets::StoreKind::MemoryOnly, SecretsChoice::MemoryOnly)
            | (facets_secrets::StoreKind::EncryptedFile, SecretsChoice::EncryptedFile)
    ) && !(choice == SecretsChoice::MemoryOnly
        && profiles.secrets_choice() == SecretsChoice::EncryptedFile);
    if already {
        return Err(AppError::Invalid("Sign-ins are kept there already.".into()));
    }
    let store: std::sync::Arc<dyn SecretStore> = match choice {
        SecretsChoice::Keychain => std::sync::Arc::new(Keychain::open().map_err(|_| {
            AppError::Invalid(
                "This computer has no keychain that answers. Keep sign-ins in memory or in a sealed file.".into(),
            )
        })?),
        SecretsChoice::MemoryOnly => std::sync::Arc::new(MemoryOnly::new()),
        SecretsChoice::EncryptedFile => {
            let path = secrets_file(profiles.root());
            let passphrase = passphrase
                .filter(|p| !p.is_empty())
                .ok_or_else(|| AppError::Invalid("Type the passphrase that seals the file.".into()))?;
            if !EncryptedFile::exists(&path) && passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
                return Err(AppError::Invalid(format!(
                    "Choose a passphrase of at least {MIN_PASSPHRASE_CHARS} characters."
                )));
            }
            std::sync::Arc::new(EncryptedFile::open(&path, passphrase)?)
        }
    };
    for name in &moved {
        if let Some(secret) = current.get(name)? {
            store.set(name, &secret)?;
        }
    }
    Ok(SecretStoreChange { store, choice, moved })
}

/// [`prepare_secret_store_change`] and [`SecretStoreChange::finish`] at once, for callers with
/// nothing to open in between (the command line, tests).
pub fn change_secret_store(
    profiles: &mut crate::profiles::Profiles,
    current: &dyn SecretStore,
    choice: SecretsChoice,
    passphrase: Option<&str>,
) -> Result<std::sync::Arc<dyn SecretStore>, AppError> {
    prepare_secret_store_change(profiles, current, choice, passphrase)?.finish(profiles, current)
}

/// How often "last used" is written at most, per sign-in.
const TOUCH_EVERY_SECONDS: i64 = 60;
/// The privacy log's name for a sign-in's changes.
pub(crate) const SIGN_IN_SETTING: &str = "signIn";

/// A sign-in as the connected-apps list shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConnectedApp {
    /// Names the sign-in in commands (never a secret).
    pub id: String,
    /// The surfaces this sign-in serves.
    pub surfaces: Vec<Surface>,
    pub server: String,
    pub handle: String,
    pub scopes: Vec<String>,
    pub created_at: String,
    pub last_used_at: Option<String>,
    /// The server's reason, once it started refusing the sign-in.
    pub refused: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ConnectedApps {
    /// Where the tokens are kept: `keychain`, `encryptedFile` or `memoryOnly`.
    pub kept_in: &'static str,
    pub apps: Vec<ConnectedApp>,
    /// Surfaces still linked, whose sign-in the user revoked.
    pub signed_out: Vec<Surface>,
}

/// What an OAuth sign-in produced, before it is kept.
pub(crate) struct NewSignIn {
    pub base_url: String,
    pub app: AppRegistration,
    pub token: String,
    pub account_id: String,
    pub handle: String,
}

/// What a kept sign-in is at start.
pub(crate) enum Restored {
    Client(MastodonClient),
    /// Its server refused it before: left alone until the user signs in again.
    Refused,
    /// Gone (a memory-only store forgets tokens when Facets quits).
    Missing,
}

/// A sign-in state of one linked surface, for the app's status.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum SignInState {
    Active,
    /// The server refuses the token: sign in again.
    Refused,
    /// The user revoked it.
    SignedOut,
}

fn token_name(token_ref: &str) -> String {
    format!("{token_ref}/access-token")
}

fn client_secret_name(token_ref: &str) -> String {
    format!("{token_ref}/client-secret")
}

impl Core {
    /// Runs `call` on the secret store from a thread made for blocking. A keychain answers over
    /// D-Bus or the system's own service, and may wait for the user to unlock it: on one of
    /// the async runtime's few threads, that wait stalled every task scheduled there (the
    /// window's commands, sync, the outbox) for as long as the prompt stayed open. The call
    /// runs to its end even if its caller stops waiting (the identity is switched): what must
    /// happen together happens in one call.
    async fn with_secrets<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn SecretStore) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let secrets = std::sync::Arc::clone(&self.secrets);
        tokio::task::spawn_blocking(move || call(secrets.as_ref()))
            .await
            .map_err(|error| AppError::internal(format!("the secret store's call failed: {error}")))?
    }

    /// Keeps a new sign-in: its secrets in the secret store first, so a row never names secrets
    /// that were not kept. Returns the reference the surface links name it by.
    pub(crate) async fn keep_sign_in(&self, new: &NewSignIn) -> Result<String, AppError> {
        let token_ref = format!("sign-in:{}", uuid::Uuid::new_v4());
        let (token, client_secret) = (Secret::new(new.token.clone()), Secret::new(new.app.client_secret.clone()));
        let names = (token_name(&token_ref), client_secret_name(&token_ref));
        let row = SignInRow {
            token_ref: token_ref.clone(),
            base_url: new.base_url.clone(),
            account_id: new.account_id.clone(),
            handle: new.handle.clone(),
            client_id: new.app.client_id.clone(),
            redirect_uri: new.app.redirect_uri.clone(),
            scopes: new.app.scopes.clone(),
            created_at: now(),
            last_used_at: Some(now()),
            refused_at: None,
            refused_reason: None,
        };
        let store = std::sync::Arc::clone(&self.store);
        // The row is written in the same call as the secrets: kept secrets are never left
        // without the row that names them, whoever stops waiting.
        self.with_secrets(move |secrets| {
            secrets.set(&names.0, &token)?;
            secrets.set(&names.1, &client_secret)?;
            Ok(store.lock().expect("cache lock poisoned").save_sign_in(&row)?)
        })
        .await?;
        Ok(token_ref)
    }

    /// A kept sign-in, ready to use again if its server still accepted it last time.
    pub(crate) async fn restore_sign_in(&self, link: &SurfaceLink) -> Result<Restored, AppError> {
        let row = self.store().sign_in(&link.token.0)?;
        match row {
            None => return Ok(Restored::Missing),
            // A token known to be refused stays unused until the user signs in again.
            Some(row) if row.refused_at.is_some() => return Ok(Restored::Refused),
            Some(_) => {}
        }
        let name = token_name(&link.token.0);
        let Some(token) = self.with_secrets(move |secrets| Ok(secrets.get(&name)?)).await? else {
            return Ok(Restored::Missing);
        };
        Ok(Restored::Client(MastodonClient::new(&link.base_url)?.with_token(token.expose())))
    }

    /// Forgets a sign-in here without asking its server: its row and sessions, then its secrets.
    /// A secret the keychain fails to delete is reported, not fatal: the sign-in is already
    /// gone from Facets, and a token revoked on its server is worthless.
    async fn forget_sign_in(&self, token_ref: &str) -> Result<Vec<Surface>, AppError> {
        let surfaces = self.store().remove_sign_in(token_ref)?;
        self.sessions.lock().expect("sessions lock poisoned").retain(|_, session| session.link.token.0 != token_ref);
        let names = [token_name(token_ref), client_secret_name(token_ref)];
        self.with_secrets(move |secrets| {
            for name in &names {
                if let Err(error) = secrets.delete(name) {
                    tracing::warn!(%error, "could not delete a forgotten sign-in's secret from the keychain");
                }
            }
            Ok(())
        })
        .await?;
        Ok(surfaces)
    }

    /// Forgets every sign-in (leaving demo mode, or a cache that must start afresh).
    pub(crate) async fn forget_all_sign_ins(&self) -> Result<(), AppError> {
        let rows = self.store().sign_ins()?;
        for row in rows {
            self.forget_sign_in(&row.token_ref).await?;
        }
        Ok(())
    }

    /// Replaces the sign-in a surface had (refused, or revoked) with a new one.
    pub(crate) async fn replace_sign_in(&self, surface: Surface, replacement: &str) -> Result<(), AppError> {
        let old = self.store().links()?.into_iter().find(|l| l.surface == surface).map(|l| l.token.0);
        if let Some(old) = old.filter(|old| !old.is_empty() && old != replacement) {
            let still_used = self.store().links()?.iter().any(|l| l.surface != surface && l.token.0 == old);
            if !still_used {
                self.forget_sign_in(&old).await?;
            }
        }
        Ok(())
    }

    /// Watches a session's client for its server refusing the token, for the life of the client.
    pub(crate) fn watch_refusal(&self, token_ref: String, client: &MastodonClient) {
        let mut refusal = client.token_refusal();
        let core = self.me.clone();
        self.spawn_until_closed(async move {
            let reason = match refusal.wait_for(Option::is_some).await {
                Ok(reason) => reason.clone().unwrap_or_default(),
                // Every clone of the client is gone: nothing left to watch.
                Err(_) => return,
            };
            if let Some(core) = core.upgrade() {
                if let Err(error) = core.sign_in_refused(&token_ref, &reason) {
                    tracing::warn!(%error, "could not record a refused sign-in");
                }
            }
        });
    }

    /// The server refused a sign-in: say so once (the log, the status), and stop using it, so
    /// background work does not knock on a closed door.
    pub(crate) fn sign_in_refused(&self, token_ref: &str, reason: &str) -> Result<(), AppError> {
        let surfaces: Vec<Surface> =
            self.store().links()?.into_iter().filter(|l| l.token.0 == token_ref).map(|l| l.surface).collect();
        let news = self.store().mark_sign_in_refused(token_ref, now(), reason)?;
        self.sessions.lock().expect("sessions lock poisoned").retain(|_, session| session.link.token.0 != token_ref);
        if news {
            tracing::warn!(?surfaces, reason, "a server refused Facets' sign-in");
            for surface in &surfaces {
                self.log(Some(*surface), SIGN_IN_SETTING, "active", "refused", Ok(()))?;
            }
            let _ = self.sign_in_changes.send(());
        }
        Ok(())
    }

    /// Writes "last used" for a sign-in, at most once a minute.
    pub(crate) fn touch_sign_in(&self, token_ref: &str) {
        let at = now();
        {
            let mut touched = self.touched.lock().expect("touch lock poisoned");
            if touched.get(token_ref).is_some_and(|last| at - last < TOUCH_EVERY_SECONDS) {
                return;
            }
            touched.insert(token_ref.to_owned(), at);
        }
        if let Err(error) = self.store().touch_sign_in(token_ref, at) {
            tracing::warn!(%error, "could not note when a sign-in was used");
        }
    }

    /// How each linked surface stands.
    pub(crate) fn sign_in_state(&self, link: &SurfaceLink) -> Result<SignInState, AppError> {
        if link.token.0.is_empty() {
            return Ok(SignInState::SignedOut);
        }
        Ok(match self.store().sign_in(&link.token.0)? {
            Some(row) if row.refused_at.is_some() => SignInState::Refused,
            _ => SignInState::Active,
        })
    }

    /// News of sign-ins starting, stopping or being revoked, for the shell to forward.
    pub fn subscribe_sign_ins(&self) -> tokio::sync::broadcast::Receiver<()> {
        self.sign_in_changes.subscribe()
    }

    /// Every sign-in Facets holds, and the surfaces signed out.
    pub fn connected_apps(&self) -> Result<ConnectedApps, AppError> {
        let (rows, links) = {
            let store = self.store();
            (store.sign_ins()?, store.links()?)
        };
        let mut apps = Vec::new();
        for row in rows {
            let surfaces: Vec<Surface> =
                links.iter().filter(|l| l.token.0 == row.token_ref).map(|l| l.surface).collect();
            let server = match surfaces.first() {
                Some(surface) => self.store().instance_domain(*surface)?,
                None => None,
            }
            .unwrap_or_else(|| host_of(&row.base_url));
            apps.push(ConnectedApp {
                id: row.token_ref,
                surfaces,
                server,
                handle: row.handle,
                scopes: row.scopes.split_whitespace().map(str::to_owned).collect(),
                created_at: iso(row.created_at),
                last_used_at: row.last_used_at.map(iso),
                refused: row.refused_at.map(|_| row.refused_reason.unwrap_or_default()),
            });
        }
        Ok(ConnectedApps {
            kept_in: self.secrets.kind().as_str(),
            apps,
            signed_out: links.iter().filter(|l| l.token.0.is_empty()).map(|l| l.surface).collect(),
        })
    }

    /// Revokes a sign-in on its server (`POST /oauth/revoke`), then forgets its token and client
    /// secret here; with `forget_cached`, also what was cached from the surfaces it served.
    ///
    /// If the server cannot be reached (or is failing), nothing changes and the error says
    /// so: a sign-in forgotten here but alive on the server is what revoking must not leave.
    pub async fn revoke_sign_in(&self, id: &str, forget_cached: bool) -> Result<ConnectedApps, AppError> {
        let row = self.store().sign_in(id)?.ok_or(AppError::NotFound)?;
        let names = (token_name(id), client_secret_name(id));
        let (token, client_secret) =
            self.with_secrets(move |secrets| Ok((secrets.get(&names.0)?, secrets.get(&names.1)?))).await?;
        let outcome = match (token, client_secret) {
            (Some(token), Some(client_secret)) => {
                let app = AppRegistration {
                    client_id: row.client_id.clone(),
                    client_secret: client_secret.expose().to_owned(),
                    redirect_uri: row.redirect_uri.clone(),
                    scopes: row.scopes.clone(),
                };
                match MastodonClient::new(&row.base_url)?.revoke(&app, token.expose()).await {
                    Ok(()) => Ok(()),
                    Err(error) if error.is_transient() => return Err(error.into()),
                    // The server will not revoke it (it forgot the app, say): it cannot be used
                    // from here any more either way, so it is forgotten, and the log says why.
                    Err(error) => Err(crate::privacy::refusal(&error.into())),
                }
            }
            // Nothing left to revoke with: the secrets went with the memory they lived in.
            _ => Err("Facets no longer had this sign-in's token, so its server was not asked to revoke it".to_owned()),
        };
        let surfaces = self.forget_sign_in(id).await?;
        if forget_cached {
            for surface in &surfaces {
                let urls = self.store().surface_media_urls(*surface)?;
                self.store().forget_surface_data(*surface)?;
                self.media.forget(urls.iter().map(String::as_str)).await?;
            }
        }
        for surface in &surfaces {
            let new_value = if forget_cached { "revokedAndCleared" } else { "revoked" };
            self.log(Some(*surface), SIGN_IN_SETTING, "active", new_value, outcome.clone())?;
            for timeline in facets_model::TimelineKind::ALL {
                let _ = self.changes.send(crate::views::CacheChanged { surface: *surface, timeline });
            }
        }
        let _ = self.sign_in_changes.send(());
        self.connected_apps()
    }
}

fn host_of(base_url: &str) -> String {
    url::Url::parse(base_url)
        .ok()
        .and_then(|url| {
            url.host_str().map(|host| match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            })
        })
        .unwrap_or_else(|| base_url.to_owned())
}
