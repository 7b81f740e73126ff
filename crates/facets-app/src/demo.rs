//! Demo mode: the demo backend runs in-process on loopback, and Facets signs in to it through
//! the same OAuth client path as any server. Nothing below the sign-in knows it is a demo.

use std::net::{Ipv4Addr, SocketAddr};

use facets_client::{ClientError, MastodonClient, Pkce};
use facets_demo::{DemoConfig, DemoServer};
use facets_model::{Dialect, Surface, SurfaceLink, TokenRef};

use crate::{now, AppError, Core};

/// The demo's redirect URI: a loopback address, as a desktop app registers for real servers.
/// The demo approves without a login page, so nothing needs to listen there.
const DEMO_REDIRECT_URI: &str = "http://127.0.0.1/facets/oauth-callback";
/// The demo's token is issued anew at each start and kept only in memory.
const DEMO_TOKEN_REF: &str = "memory:demo";
const DEMO_PORT_SETTING: &str = "demo.port";

impl Core {
    /// Starts the demo backend and signs in to both of its surfaces. Idempotent.
    pub async fn start_demo(&self) -> Result<(), AppError> {
        let result = self.start_demo_inner().await;
        self.mark_signed_in(result.as_ref().map(|_| ()));
        result
    }

    async fn start_demo_inner(&self) -> Result<(), AppError> {
        let mut demo = self.demo.lock().await;
        if demo.is_some() {
            return Ok(());
        }
        let server = self.launch_demo_server().await?;
        let links = sign_in(&server).await?;
        {
            let mut store = self.store();
            // The same port keeps cached media URLs valid; if it had to change, the old cache
            // points at a server that is gone, so start afresh.
            let stale = store
                .links()?
                .iter()
                .any(|old| links.iter().any(|(new, _, _)| new.surface == old.surface && new.base_url != old.base_url));
            if stale {
                store.clear_all()?;
            }
            for (link, account, _) in &links {
                store.save_link(link, now())?;
                store.ingest_account(link.surface, account)?;
            }
        }
        for (link, _, client) in links {
            self.add_session(link, client);
        }
        *demo = Some(server);
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

    /// Stops the demo backend (at exit).
    pub async fn shutdown(&self) {
        if let Some(server) = self.demo.lock().await.take() {
            server.shutdown().await;
        }
    }
}

/// Signs in to the demo the way Facets signs in anywhere: app registration, then the OAuth
/// code flow with PKCE, the demo approving without a login page. One sign-in (on Feed) yields a
/// token both surfaces accept, like one Meta login for Facebook and Instagram.
pub async fn demo_access_token(server: &DemoServer) -> Result<String, ClientError> {
    let feed = MastodonClient::new(&server.base_url(Surface::Feed))?;
    let app = feed.register_app(DEMO_REDIRECT_URI).await?;
    let pkce = Pkce::generate();
    let state = uuid::Uuid::new_v4().to_string();
    let authorize = feed.authorize_url(&app, &state, Some(&pkce));
    let code = feed.approve_without_login(&authorize, &state).await?;
    Ok(feed.exchange_code(&app, &code, Some(&pkce)).await?.access_token)
}

/// Each surface reports its own account for the one demo token.
async fn sign_in(server: &DemoServer) -> Result<Vec<(SurfaceLink, facets_wire::Account, MastodonClient)>, AppError> {
    let token = demo_access_token(server).await?;

    let mut links = Vec::new();
    for (surface, dialect) in [(Surface::Feed, Dialect::Mastodon), (Surface::Visual, Dialect::Pixelfed)] {
        let base_url = server.base_url(surface);
        let client = MastodonClient::new(&base_url)?.with_token(token.clone());
        let account = client.verify_credentials().await?;
        let handle = if account.acct.contains('@') {
            account.acct.clone()
        } else {
            format!("{}@{}", account.acct, client.instance().await?.domain)
        };
        let link = SurfaceLink {
            surface,
            base_url,
            dialect,
            remote_account_id: account.id.clone(),
            handle,
            token: TokenRef(DEMO_TOKEN_REF.into()),
        };
        links.push((link, account, client));
    }
    Ok(links)
}
