// Shared by several test binaries; each uses only part of it.
#![allow(dead_code)]

//! A demo server on a free loopback port and a client signed in to it, for the HTTP tests.

use std::collections::HashMap;

use facets_demo::{DemoConfig, DemoServer};
use facets_model::Surface;
use facets_wire as wire;
use reqwest::header::LINK;
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};

pub const REDIRECT: &str = "http://127.0.0.1:9/callback";

pub struct Demo {
    pub server: DemoServer,
    pub http: Client,
}

pub struct RegisteredApp {
    pub client_id: String,
    pub client_secret: String,
}

impl Demo {
    pub async fn start(config: DemoConfig) -> Demo {
        let server = DemoServer::start(config, "127.0.0.1:0".parse().unwrap()).await.expect("the demo server starts");
        // Redirects are part of what is tested, so the client must not follow them.
        let http = Client::builder().redirect(Policy::none()).build().unwrap();
        Demo { server, http }
    }

    pub async fn default() -> Demo {
        Demo::start(DemoConfig::default()).await
    }

    pub fn url(&self, surface: Surface, path: &str) -> String {
        format!("{}{path}", self.server.base_url(surface))
    }

    pub async fn register_app(&self, surface: Surface) -> RegisteredApp {
        let response = self
            .http
            .post(self.url(surface, "/api/v1/apps"))
            .form(&[("client_name", "Facets tests"), ("redirect_uris", REDIRECT), ("scopes", "read write follow")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let app: wire::Application = response.json().await.unwrap();
        RegisteredApp { client_id: app.client_id, client_secret: app.client_secret }
    }

    /// The code from `/oauth/authorize`'s redirect, checking the `state` comes back too.
    pub async fn authorize(&self, surface: Surface, app: &RegisteredApp, challenge: Option<&str>) -> String {
        let mut query = vec![
            ("response_type", "code"),
            ("client_id", app.client_id.as_str()),
            ("redirect_uri", REDIRECT),
            ("scope", "read write"),
            ("state", "opaque-state"),
        ];
        if let Some(challenge) = challenge {
            query.extend([("code_challenge", challenge), ("code_challenge_method", "S256")]);
        }
        let response = self.http.get(self.url(surface, "/oauth/authorize")).query(&query).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::FOUND, "authorize approves at once");
        let location = url::Url::parse(response.headers()["location"].to_str().unwrap()).unwrap();
        assert!(location.as_str().starts_with(REDIRECT), "{location}");
        let pairs: HashMap<String, String> = location.query_pairs().into_owned().collect();
        assert_eq!(pairs.get("state").map(String::as_str), Some("opaque-state"));
        pairs["code"].clone()
    }

    pub async fn exchange(
        &self,
        surface: Surface,
        app: &RegisteredApp,
        code: &str,
        verifier: Option<&str>,
    ) -> Response {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.as_str()),
            ("code", code),
            ("redirect_uri", REDIRECT),
        ];
        if let Some(verifier) = verifier {
            form.push(("code_verifier", verifier));
        }
        self.http.post(self.url(surface, "/oauth/token")).form(&form).send().await.unwrap()
    }

    /// Registers an app on the feed server and signs in: a token for both servers.
    pub async fn sign_in(&self) -> String {
        let app = self.register_app(Surface::Feed).await;
        let code = self.authorize(Surface::Feed, &app, None).await;
        let response = self.exchange(Surface::Feed, &app, &code, None).await;
        assert_eq!(response.status(), StatusCode::OK);
        response.json::<wire::Token>().await.unwrap().access_token
    }

    pub async fn get(&self, token: &str, url: &str) -> Response {
        self.http.get(url).bearer_auth(token).send().await.unwrap()
    }

    pub async fn get_json<T: serde::de::DeserializeOwned>(&self, token: &str, url: &str) -> T {
        let response = self.get(token, url).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {url}");
        response.json().await.unwrap()
    }

    /// Follows `rel="next"` from `first_url` to the end, returning every item in order.
    pub async fn all_pages<T: serde::de::DeserializeOwned>(&self, token: &str, first_url: &str) -> Vec<T> {
        let mut items = Vec::new();
        let mut next = Some(first_url.to_owned());
        while let Some(url) = next.take() {
            let response = self.get(token, &url).await;
            assert_eq!(response.status(), StatusCode::OK, "GET {url}");
            next = link(&response, "next");
            let page: Vec<T> = response.json().await.unwrap();
            if page.is_empty() {
                assert!(next.is_none(), "an empty page must not link to a next page");
            }
            items.extend(page);
        }
        items
    }
}

/// The URL of a `Link` header relation, if present.
pub fn link(response: &Response, relation: &str) -> Option<String> {
    let header = response.headers().get(LINK)?.to_str().ok()?;
    header.split(", ").find_map(|part| {
        let (url, rel) = part.split_once("; ")?;
        (rel == format!("rel=\"{relation}\"")).then(|| url.trim_start_matches('<').trim_end_matches('>').to_owned())
    })
}
