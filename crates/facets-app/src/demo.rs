//! Demo mode: the demo backend runs in-process on loopback, and Facets signs in to each of its
//! servers through the same OAuth client path as any server, keeping the sign-ins as it keeps
//! any (secrets in the secret store). Nothing below the sign-in knows it is a demo.

use std::net::{Ipv4Addr, SocketAddr};

use facets_client::{AppRegistration, ClientError, MastodonClient, Pkce};
use facets_demo::{DemoConfig, DemoServer};
use facets_model::{Dialect, Surface, SurfaceLink, TokenRef};

use crate::sign_ins::{NewSignIn, Restored, SignInState};
use crate::{now, AppError, Core};

/// The demo's redirect URI: a loopback address, as a desktop app registers for real servers.
/// The demo approves without a login page, so nothing needs to listen there.
const DEMO_REDIRECT_URI: &str = "http://127.0.0.1/facets/oauth-callback";
const DEMO_SURFACES: [(Surface, Dialect); 2] =
    [(Surface::Feed, Dialect::Mastodon), (Surface::Visual, Dialect::Pixelfed)];
const DEMO_PORT_SETTING: &str = "demo.port";

impl Core {
    /// Starts the demo backend and signs in to both of its surfaces. Idempotent.
    pub async fn start_demo(&self) -> Result<(), AppError> {
        let result = self.start_demo_inner().await;
        self.mark_signed_in(result.as_ref().map(|_| ()));
        result
    }

    async fn start_demo_inner(&self) -> Result<(), AppError> {
        if self.mode != crate::Mode::Demo {
            return Err(AppError::internal("the demo runs only in its own data directory"));
        }
        let mut demo = self.demo.lock().await;
        if demo.is_some() {
            return Ok(());
        }
        let server = self.launch_demo_server().await?;
        // The same port keeps cached media URLs valid; if it had to change, the old cache
        // points at a server that is gone, so start afresh.
        let stale = self.store().links()?.iter().any(|old| old.base_url != server.base_url(old.surface));
        if stale {
            self.forget_all_sign_ins().await?;
            self.store().clear_all()?;
        }
        for (surface, _) in DEMO_SURFACES {
            let link = self.store().links()?.into_iter().find(|l| l.surface == surface);
            match link {
                // The user revoked it: it stays signed out until they sign in again.
                Some(link) if link.token.0.is_empty() => {}
                Some(link) => match self.restore_sign_in(&link).await? {
                    Restored::Client(client) => self.add_session(link, client),
                    // Its server refused it before: left alone until the user signs in again.
                    Restored::Refused => {}
                    // Kept in memory only, the token ended with the last run: the demo's
                    // approval needs nobody, so sign in anew.
                    Restored::Missing => self.sign_in_to_demo(&server, surface).await?,
                },
                None => self.sign_in_to_demo(&server, surface).await?,
            }
        }
        *demo = Some(server);
        Ok(())
    }

    /// Signs in again to a surface whose sign-in was refused or revoked. In demo mode the
    /// demo approves at once.
    pub async fn sign_in_again(&self, surface: Surface) -> Result<(), AppError> {
        let demo = self.demo.lock().await;
        let server =
            demo.as_ref().ok_or_else(|| AppError::Invalid("Facets is not signed in to a server yet.".into()))?;
        let link = self.store().links()?.into_iter().find(|l| l.surface == surface);
        if let Some(link) = link {
            // A working sign-in is not replaced: the old token would stay alive on its server.
            if self.sign_in_state(&link)? == SignInState::Active && self.has_session(surface) {
                return Err(AppError::Invalid(format!("{} is signed in already.", surface.title())));
            }
        }
        self.sign_in_to_demo(server, surface).await?;
        let _ = self.sign_in_changes.send(());
        Ok(())
    }

    /// One surface's sign-in, from app registration to a kept token and a session.
    async fn sign_in_to_demo(&self, server: &DemoServer, surface: Surface) -> Result<(), AppError> {
        let dialect = DEMO_SURFACES.iter().find(|(s, _)| *s == surface).map(|(_, d)| *d).unwrap_or(Dialect::Mastodon);
        let base_url = server.base_url(surface);
        let (app, token) = demo_sign_in(&base_url).await?;
        let client = MastodonClient::new(&base_url)?.with_token(token.clone());
        let account = client.verify_credentials().await?;
        let handle = if account.acct.contains('@') {
            account.acct.clone()
        } else {
            format!("{}@{}", account.acct, client.instance().await?.domain)
        };
        let token_ref = self
            .keep_sign_in(&NewSignIn {
                base_url: base_url.clone(),
                app,
                token,
                account_id: account.id.clone(),
                handle: handle.clone(),
            })
            .await?;
        self.replace_sign_in(surface, &token_ref).await?;
        let link = SurfaceLink {
            surface,
            base_url,
            dialect,
            remote_account_id: account.id.clone(),
            handle,
            token: TokenRef(token_ref),
        };
        {
            let mut store = self.store();
            store.save_link(&link, now())?;
            store.ingest_account(surface, &account)?;
        }
        self.add_session(link, client);
        Ok(())
    }

    async fn launch_demo_server(&self) -> Result<DemoServer, AppError> {
        let config = || DemoConfig {
            state_dir: Some(self.data_dir().join("demo-server")),
            messages_every: self.demo_messages_every,
            ..DemoConfig::default()
        };
        let remembered: Option<u16> = self.store().setting(DEMO_PORT_SETTING)?.and_then(|p| p.parse().ok());
        if let Some(port) = remembered {
            match DemoServer::start(config(), SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await {
                Ok(server) => return Ok(server),
                Err(e) => {
                    tracing::info!(port, error = %e, "remembered demo port is taken; picking another")
                }
            }
        }
        let server = DemoServer::start(config(), SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
            .await
            .map_err(|e| AppError::Demo(e.to_string()))?;
        self.store().set_setting(DEMO_PORT_SETTING, &server.addr().port().to_string())?;
        Ok(server)
    }
}

/// Signs in to one demo server the way Facets signs in anywhere: app registration, then the
/// OAuth code flow with PKCE, the demo approving without a login page.
async fn demo_sign_in(base_url: &str) -> Result<(AppRegistration, String), ClientError> {
    let client = MastodonClient::new(base_url)?;
    let app = client.register_app(DEMO_REDIRECT_URI).await?;
    let pkce = Pkce::generate();
    let state = uuid::Uuid::new_v4().to_string();
    let authorize = client.authorize_url(&app, &state, Some(&pkce));
    let code = client.approve_without_login(&authorize, &state).await?;
    let token = client.exchange_code(&app, &code, Some(&pkce)).await?.access_token;
    Ok((app, token))
}

/// A token for the demo's Feed, which the demo's Visual accepts too (one identity), for tests
/// that drive the servers directly.
pub async fn demo_access_token(server: &DemoServer) -> Result<String, ClientError> {
    Ok(demo_sign_in(&server.base_url(Surface::Feed)).await?.1)
}
