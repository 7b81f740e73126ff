//! Signing in to a real server and linking the account to surfaces.
//!
//! The sign-in is OAuth's authorization-code flow as a native app does it (RFC 8252): a
//! listener on 127.0.0.1 is opened first, the app is registered on the server with that exact
//! redirect URI (or, when the server refuses loopback redirects, with the copy-the-code URI),
//! the user approves Facets in their browser, and the code comes back to the listener (or is
//! pasted by the user). PKCE is used where the server advertises S256.
//!
//! [`Core::begin_sign_in`] returns the page the user must open; [`Core::finish_sign_in`] waits
//! for the code (or takes the pasted one) and keeps the sign-in; [`Core::link_account`] makes
//! the account the one a surface shows.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use facets_client::{AppRegistration, LoopbackRedirect, MastodonClient, Pkce, SignInRedirect};
use facets_model::{Dialect, Surface, SurfaceLink, TokenRef};
use serde::Serialize;
use url::Url;

use crate::sign_ins::{NewSignIn, Restored, SignInState, SIGN_IN_SETTING};
use crate::{now, AppError, Core};

/// How long Facets waits for the browser to come back before the attempt is given up.
const BROWSER_WAIT: Duration = Duration::from_secs(15 * 60);

/// A sign-in waiting for the user's approval in their browser.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SignInStarted {
    /// Names the attempt in [`Core::finish_sign_in`] and [`Core::cancel_sign_in`].
    pub attempt: String,
    /// The server's page where the user approves Facets: to open in the system browser.
    pub authorize_url: String,
    /// The server refused the loopback redirect: it will show a code for the user to paste.
    pub paste_code: bool,
    /// The server as the user knows it (`mastodon.social`).
    pub server: String,
    /// The software the server runs, as its NodeInfo says (`mastodon`, `pixelfed`, …).
    pub software: Dialect,
}

/// An account Facets has just been allowed to use.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SignedIn {
    /// The sign-in's id, as the connected-apps list names it; what [`Core::link_account`] takes.
    pub id: String,
    pub handle: String,
    pub display_name: String,
    pub server: String,
    pub software: Dialect,
    /// Where the account fits best: Visual for a photo server, Feed for the rest.
    pub suggested_surfaces: Vec<Surface>,
}

/// What an attempt holds between its two halves.
struct Attempt {
    client: MastodonClient,
    app: AppRegistration,
    pkce: Option<Pkce>,
    state: String,
    /// `None` once taken by the wait for the browser, or for the copy-the-code flow.
    listener: Option<LoopbackRedirect>,
    /// Wakes a wait for the browser when the user gives up.
    cancelled: Arc<tokio::sync::Notify>,
}

#[derive(Default)]
pub(crate) struct Attempts(std::sync::Mutex<HashMap<String, Attempt>>);

impl Attempts {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Attempt>> {
        self.0.lock().expect("sign-in attempts lock poisoned")
    }
}

/// The base URL of a server as the user typed it: `mastodon.social`, `https://host/`, or a
/// handle such as `@me@host`. Plain HTTP only reaches this machine (a server under test, the
/// demo), as a token must not cross a network in clear text.
pub fn server_url(input: &str) -> Result<Url, AppError> {
    let trimmed = input.trim();
    let without_handle = match trimmed.trim_start_matches('@').rsplit_once('@') {
        Some((_, host)) if !trimmed.contains("://") => host,
        _ => trimmed,
    };
    let with_scheme =
        if without_handle.contains("://") { without_handle.to_owned() } else { format!("https://{without_handle}") };
    let invalid = || AppError::Invalid(format!("“{trimmed}” is not a server address. Type one like mastodon.social."));
    let mut url = Url::parse(&with_scheme).map_err(|_| invalid())?;
    let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(invalid)?.to_owned();
    if !url.username().is_empty() || url.password().is_some() || url.query().is_some() || url.fragment().is_some() {
        return Err(invalid());
    }
    let loopback = match url.host() {
        Some(url::Host::Domain(name)) => name == "localhost",
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(AppError::Invalid(format!(
                "Facets signs in to {host} only over HTTPS, so your sign-in cannot be read on the way. Type https://{host}."
            )))
        }
        _ => return Err(invalid()),
    }
    let path = url.path().trim_end_matches('/').to_owned();
    url.set_path(&path);
    Ok(url)
}

/// The dialect a server's software speaks; one Facets does not know is spoken to as Mastodon,
/// whose API the others follow.
fn dialect_of(software: Option<&facets_wire::NodeInfoSoftware>) -> Dialect {
    software.and_then(|s| s.name.parse().ok()).unwrap_or(Dialect::Mastodon)
}

fn host_and_port(url: &Url) -> String {
    match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_owned(),
        _ => url.to_string(),
    }
}

/// The account's `user@domain`, the domain from the server's own description when it has one.
async fn full_handle(client: &MastodonClient, acct: &str) -> String {
    if acct.contains('@') {
        return acct.to_owned();
    }
    let domain = match client.instance().await {
        Ok(instance) if !instance.domain.is_empty() => instance.domain,
        _ => host_and_port(client.base_url()),
    };
    format!("{acct}@{domain}")
}

impl Core {
    /// Registers Facets on the server and prepares the page where the user approves it.
    pub async fn begin_sign_in(&self, server: &str) -> Result<SignInStarted, AppError> {
        if self.mode == crate::Mode::Demo {
            // The demo's cache holds the demo's world only; real accounts get their own.
            return Err(AppError::Invalid(
                "The demo keeps its own cache: add your account to a new identity instead (`facets login SERVER`)."
                    .into(),
            ));
        }
        let base_url = server_url(server)?;
        let client = MastodonClient::new(base_url.as_str())?;
        // The software first: an address that is not a server fails here, before registering.
        let software = dialect_of(client.software().await?.as_ref());
        let listener = LoopbackRedirect::open().await.map_err(facets_client::ClientError::Loopback)?;
        let (app, redirect) = client.register_for_sign_in(listener).await?;
        let pkce = if client.offers_pkce().await? { Some(Pkce::generate()) } else { None };
        let state = uuid::Uuid::new_v4().to_string();
        let authorize_url = client.authorize_url(&app, &state, pkce.as_ref()).to_string();
        let (listener, paste_code) = match redirect {
            SignInRedirect::Loopback(listener) => (Some(listener), false),
            SignInRedirect::OutOfBand => (None, true),
        };
        let attempt = uuid::Uuid::new_v4().to_string();
        self.sign_in_attempts.lock().insert(
            attempt.clone(),
            Attempt { client, app, pkce, state, listener, cancelled: Arc::new(tokio::sync::Notify::new()) },
        );
        Ok(SignInStarted { attempt, authorize_url, paste_code, server: host_and_port(&base_url), software })
    }

    /// Finishes a sign-in: waits for the browser to come back (or takes the code the user
    /// pasted), exchanges the code for a token and keeps the sign-in. The account is not shown
    /// anywhere until it is linked to a surface.
    pub async fn finish_sign_in(&self, attempt_id: &str, pasted_code: Option<&str>) -> Result<SignedIn, AppError> {
        let gone = || AppError::Invalid("That sign-in has ended. Start again with Add account.".into());
        let (listener, cancelled, state) = {
            let mut attempts = self.sign_in_attempts.lock();
            let attempt = attempts.get_mut(attempt_id).ok_or_else(gone)?;
            (attempt.listener.take(), attempt.cancelled.clone(), attempt.state.clone())
        };
        let code = match (listener, pasted_code.map(str::trim).filter(|c| !c.is_empty())) {
            (Some(listener), _) => {
                let waited = tokio::select! {
                    waited = tokio::time::timeout(BROWSER_WAIT, listener.wait_for_code(&state)) => waited,
                    _ = cancelled.notified() => return Err(gone()),
                };
                match waited {
                    Ok(Ok(code)) => code,
                    Ok(Err(error)) => {
                        self.sign_in_attempts.lock().remove(attempt_id);
                        return Err(error.into());
                    }
                    Err(_) => {
                        self.sign_in_attempts.lock().remove(attempt_id);
                        return Err(AppError::Invalid(
                            "The browser did not come back with Facets' approval in time. Start again with Add account."
                                .into(),
                        ));
                    }
                }
            }
            (None, Some(code)) => code.to_owned(),
            (None, None) => {
                return Err(AppError::Invalid("Paste the code the server showed after you approved Facets.".into()))
            }
        };
        let (client, app, pkce) = {
            let attempts = self.sign_in_attempts.lock();
            let attempt = attempts.get(attempt_id).ok_or_else(gone)?;
            (attempt.client.clone(), attempt.app.clone(), attempt.pkce.clone())
        };
        // A mistyped pasted code may be pasted again: the attempt stays until a token comes.
        let token = client.exchange_code(&app, &code, pkce.as_ref()).await?.access_token;
        self.sign_in_attempts.lock().remove(attempt_id);
        let kept = self.keep_new_sign_in(&client, app.clone(), token.clone()).await;
        let (id, account, software, handle) = match kept {
            Ok(kept) => kept,
            Err(error) => {
                // A token Facets did not keep must not stay alive on the server.
                if let Err(revoke) = client.revoke(&app, &token).await {
                    tracing::warn!(error = %revoke, "could not revoke a sign-in that was not kept");
                }
                return Err(error);
            }
        };
        let _ = self.sign_in_changes.send(());
        Ok(SignedIn {
            id,
            display_name: facets_sanitize::plain_text(&account.display_name),
            handle,
            server: host_and_port(client.base_url()),
            software,
            suggested_surfaces: vec![if software == Dialect::Pixelfed { Surface::Visual } else { Surface::Feed }],
        })
    }

    /// Checks a new token and keeps it with what the account and server are.
    async fn keep_new_sign_in(
        &self,
        client: &MastodonClient,
        app: AppRegistration,
        token: String,
    ) -> Result<(String, facets_wire::Account, Dialect, String), AppError> {
        let signed_in = client.with_token(token.clone());
        let account = signed_in.verify_credentials().await?;
        let software = dialect_of(client.software().await?.as_ref());
        let handle = full_handle(&signed_in, &account.acct).await;
        let id = self
            .keep_sign_in(&NewSignIn {
                base_url: client.base_url().as_str().trim_end_matches('/').to_owned(),
                app,
                token,
                account_id: account.id.clone(),
                handle: handle.clone(),
            })
            .await?;
        Ok((id, account, software, handle))
    }

    /// Gives up a sign-in attempt (the user closed the dialog): a wait for the browser ends.
    pub fn cancel_sign_in(&self, attempt_id: &str) {
        if let Some(attempt) = self.sign_in_attempts.lock().remove(attempt_id) {
            attempt.cancelled.notify_one();
        }
    }

    /// Makes a kept sign-in's account the one `surfaces` show. A surface showing another
    /// account that still works is left alone (its sign-in would stay alive on its server):
    /// the user revokes that one first. What was cached from an earlier account of the surface
    /// is removed, so two accounts never mix in one timeline.
    pub async fn link_account(&self, id: &str, surfaces: &[Surface]) -> Result<(), AppError> {
        if surfaces.is_empty() {
            return Err(AppError::Invalid("Choose Feed, Visual or both.".into()));
        }
        let row = self.store().sign_in(id)?.ok_or(AppError::NotFound)?;
        if row.refused_at.is_some() {
            return Err(AppError::Invalid("The server no longer accepts this sign-in. Sign in again.".into()));
        }
        let links = self.store().links()?;
        for surface in surfaces {
            if let Some(link) = links.iter().find(|l| l.surface == *surface && l.token.0 != id) {
                if self.sign_in_state(link)? == SignInState::Active && self.has_session(*surface) {
                    return Err(AppError::Invalid(format!(
                        "{} shows {} already. Revoke that sign-in in Privacy › Connected apps first.",
                        surface.title(),
                        link.handle
                    )));
                }
            }
        }
        let link_for = |surface: Surface| SurfaceLink {
            surface,
            base_url: row.base_url.clone(),
            dialect: Dialect::Mastodon,
            remote_account_id: row.account_id.clone(),
            handle: row.handle.clone(),
            token: TokenRef(id.to_owned()),
        };
        let Restored::Client(client) = self.restore_sign_in(&link_for(surfaces[0])).await? else {
            return Err(AppError::Invalid("Facets no longer holds this sign-in. Sign in again.".into()));
        };
        let dialect = dialect_of(client.software().await?.as_ref());
        let account = client.verify_credentials().await?;
        for surface in surfaces {
            let old = links.iter().find(|l| l.surface == *surface);
            let old_state = match old {
                None => "notLinked",
                Some(link) => match self.sign_in_state(link)? {
                    SignInState::SignedOut => "revoked",
                    SignInState::Refused => "refused",
                    SignInState::Active => "active",
                },
            };
            if let Some(old) = old.filter(|l| l.base_url != row.base_url || l.remote_account_id != row.account_id) {
                tracing::info!(surface = %old.surface, "a different account replaces the surface's; forgetting its cache");
                let urls = self.store().surface_media_urls(*surface)?;
                self.store().forget_surface_data(*surface)?;
                self.media.forget(urls.iter().map(String::as_str)).await?;
            }
            self.replace_sign_in(*surface, id).await?;
            let link = SurfaceLink { dialect, ..link_for(*surface) };
            {
                let mut store = self.store();
                store.save_link(&link, now())?;
                store.ingest_account(*surface, &account)?;
            }
            self.add_session(link, client.clone());
            self.log(Some(*surface), SIGN_IN_SETTING, old_state, "active", Ok(()))?;
        }
        self.mark_signed_in(Ok(()));
        let _ = self.sign_in_changes.send(());
        Ok(())
    }

    /// Starts using the linked accounts kept from earlier runs. A sign-in whose token cannot be
    /// read (kept in memory only, it ended when Facets quit; or the keychain is locked) stays
    /// as it is, unused this run: the server never refused it, and it may come back.
    pub async fn start_accounts(&self) -> Result<(), AppError> {
        let result = self.restore_accounts().await;
        self.mark_signed_in(result.as_ref().map(|_| ()));
        result
    }

    async fn restore_accounts(&self) -> Result<(), AppError> {
        let links = self.store().links()?;
        for link in links {
            if link.token.0.is_empty() || self.has_session(link.surface) {
                continue;
            }
            match self.restore_sign_in(&link).await? {
                // The keychain may have taken a while: an account linked meanwhile stands.
                Restored::Client(_) if self.has_session(link.surface) => {}
                Restored::Client(client) => self.add_session(link, client),
                Restored::Refused => {}
                Restored::Missing => {
                    tracing::warn!(surface = %link.surface, "this sign-in's token could not be read from the secret store")
                }
            }
        }
        Ok(())
    }
}

/// Removes an identity from this computer: its sign-ins revoked on their servers first (nothing
/// is removed while one would stay alive), then its whole cache. An identity a running Facets
/// holds (its outbox sender) is left alone, as is the demo.
pub async fn remove_identity(
    profiles: &mut crate::profiles::Profiles,
    profile: &crate::profiles::Profile,
    secrets: std::sync::Arc<dyn facets_secrets::SecretStore>,
) -> Result<(), AppError> {
    if *profile == crate::profiles::Profile::Demo {
        return Err(AppError::Invalid("The demo is part of Facets and cannot be removed.".into()));
    }
    let dir = profiles.dir(profile);
    let rights = crate::outbox::SendingRights::claim(&dir)
        .map_err(|e| AppError::internal(format!("could not check whether Facets has this identity open: {e}")))?
        .ok_or_else(|| {
            AppError::Invalid("Facets has this identity open. Switch to another one or quit it, then remove it.".into())
        })?;
    {
        let core = Core::open(crate::CoreConfig {
            data_dir: dir,
            media_url_base: String::new(),
            demo_messages_every: None,
            secrets,
            mode: crate::Mode::Accounts,
        })?;
        let apps = core.connected_apps()?.apps;
        for app in apps {
            core.revoke_sign_in(&app.id, false).await?;
        }
        core.shutdown().await;
    }
    drop(rights);
    profiles.remove_identity(profile)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_is_typed_as_a_name_an_address_or_a_handle() {
        let url = |input: &str| server_url(input).map(|u| u.to_string());
        assert_eq!(url("mastodon.social").unwrap(), "https://mastodon.social/");
        assert_eq!(url("  https://pixelfed.social/ ").unwrap(), "https://pixelfed.social/");
        assert_eq!(url("@alice@gts.example.org").unwrap(), "https://gts.example.org/");
        assert_eq!(url("http://127.0.0.1:4000/feed/").unwrap(), "http://127.0.0.1:4000/feed");
        assert_eq!(url("http://localhost:3000").unwrap(), "http://localhost:3000/");
        assert_eq!(url("http://[::1]:3000").unwrap(), "http://[::1]:3000/");
    }

    #[test]
    fn a_token_never_crosses_a_network_in_clear_text() {
        let error = server_url("http://mastodon.social").unwrap_err();
        assert!(error.to_string().contains("only over HTTPS"), "{error}");
        for bad in ["", "ftp://host", "https://user:pw@host", "https://host/?q=1", "https://"] {
            assert!(server_url(bad).is_err(), "{bad:?} is refused");
        }
    }
}
