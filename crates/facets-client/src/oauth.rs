use base64::Engine;
use facets_wire::{Application, OAuthServerMetadata, Token};
use rand::RngCore;
use reqwest::{header, Method};
use sha2::{Digest, Sha256};
use url::Url;

use crate::{ClientError, LoopbackRedirect, MastodonClient};

/// The redirect URI of the copy-the-code flow: the server shows the code instead of sending
/// the browser back.
pub const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";

/// How the browser hands the authorization code back to Facets.
pub enum SignInRedirect {
    /// To a listener on 127.0.0.1, which gets it by itself.
    Loopback(LoopbackRedirect),
    /// Shown to the user by the server, who copies it into Facets.
    OutOfBand,
}

/// The scopes Facets asks for.
pub const SCOPES: &str = "read write follow push";

/// An app registered on a server (`POST /api/v1/apps`).
#[derive(Clone, PartialEq, Eq)]
pub struct AppRegistration {
    pub client_id: String,
    /// A secret: kept in the secret store, never in SQLite or logs.
    pub client_secret: String,
    pub redirect_uri: String,
    pub scopes: String,
}

impl std::fmt::Debug for AppRegistration {
    // The client secret never appears in logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppRegistration")
            .field("client_id", &self.client_id)
            .field("redirect_uri", &self.redirect_uri)
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

/// A PKCE (RFC 7636, S256) verifier and its challenge.
#[derive(Clone)]
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    pub fn generate() -> Pkce {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let verifier = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        Pkce::from_verifier(verifier)
    }

    pub fn from_verifier(verifier: String) -> Pkce {
        let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Pkce { verifier, challenge }
    }
}

impl MastodonClient {
    /// Registers Facets on the server for one redirect URI.
    pub async fn register_app(&self, redirect_uri: &str) -> Result<AppRegistration, ClientError> {
        let form = [
            ("client_name", "Facets"),
            ("redirect_uris", redirect_uri),
            ("scopes", SCOPES),
            ("website", "https://facets.app"),
        ];
        let app: Application = self.json(self.request(Method::POST, self.endpoint("api/v1/apps")).form(&form)).await?;
        Ok(AppRegistration {
            client_id: app.client_id,
            client_secret: app.client_secret,
            redirect_uri: redirect_uri.to_owned(),
            scopes: SCOPES.to_owned(),
        })
    }

    /// Registers Facets for one sign-in, with the loopback listener's exact redirect URI; a
    /// server that refuses that URI (422) gets the copy-the-code flow instead.
    pub async fn register_for_sign_in(
        &self,
        loopback: LoopbackRedirect,
    ) -> Result<(AppRegistration, SignInRedirect), ClientError> {
        match self.register_app(loopback.redirect_uri()).await {
            Ok(app) => Ok((app, SignInRedirect::Loopback(loopback))),
            Err(error) if error.status() == Some(reqwest::StatusCode::UNPROCESSABLE_ENTITY) => {
                tracing::info!(%error, "the server refused the loopback redirect; the user will copy the code");
                Ok((self.register_app(OUT_OF_BAND).await?, SignInRedirect::OutOfBand))
            }
            Err(error) => Err(error),
        }
    }

    /// Whether the server says it takes PKCE with S256 (RFC 8414 metadata). A server without
    /// the metadata (older Mastodon, Pixelfed) is signed in to without PKCE, as it would
    /// refuse or ignore the challenge.
    pub async fn offers_pkce(&self) -> Result<bool, ClientError> {
        let url = self.endpoint(".well-known/oauth-authorization-server");
        match self.json::<OAuthServerMetadata>(self.request(Method::GET, url)).await {
            Ok(metadata) => Ok(metadata.code_challenge_methods_supported.iter().any(|m| m == "S256")),
            // Unreachable is a failed sign-in; anything else (404, an HTML page, a refusal) is a
            // server that does not describe its OAuth.
            Err(error) if error.is_transient() => Err(error),
            Err(_) => Ok(false),
        }
    }

    /// The page where the user approves Facets.
    pub fn authorize_url(&self, app: &AppRegistration, state: &str, pkce: Option<&Pkce>) -> Url {
        let mut url = self.endpoint("oauth/authorize");
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("response_type", "code")
                .append_pair("client_id", &app.client_id)
                .append_pair("redirect_uri", &app.redirect_uri)
                .append_pair("scope", &app.scopes)
                .append_pair("state", state);
            if let Some(pkce) = pkce {
                q.append_pair("code_challenge", &pkce.challenge).append_pair("code_challenge_method", "S256");
            }
        }
        url
    }

    /// Exchanges an authorization code for a token.
    pub async fn exchange_code(
        &self,
        app: &AppRegistration,
        code: &str,
        pkce: Option<&Pkce>,
    ) -> Result<Token, ClientError> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", app.client_id.as_str()),
            ("client_secret", app.client_secret.as_str()),
            ("redirect_uri", app.redirect_uri.as_str()),
            ("scope", app.scopes.as_str()),
        ];
        if let Some(pkce) = pkce {
            form.push(("code_verifier", pkce.verifier.as_str()));
        }
        self.json(self.request(Method::POST, self.endpoint("oauth/token")).form(&form)).await
    }

    /// Revokes a token (`POST /oauth/revoke`).
    pub async fn revoke(&self, app: &AppRegistration, token: &str) -> Result<(), ClientError> {
        let form =
            [("client_id", app.client_id.as_str()), ("client_secret", app.client_secret.as_str()), ("token", token)];
        self.send(self.request(Method::POST, self.endpoint("oauth/revoke")).form(&form)).await?;
        Ok(())
    }

    /// Plays the browser's part for a server that approves without a login page (the demo
    /// backend): loads the authorize URL and reads the code from the redirect it answers with.
    pub async fn approve_without_login(
        &self,
        authorize_url: &Url,
        expected_state: &str,
    ) -> Result<String, ClientError> {
        let response =
            self.http.request(Method::GET, authorize_url.clone()).send().await.map_err(ClientError::Network)?;
        if !response.status().is_redirection() {
            return Err(ClientError::from_response(response).await);
        }
        let location = response
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .ok_or(ClientError::MissingAuthorizationCode)?;
        authorization_code_from_redirect(location, expected_state)
    }
}

/// Extracts the code from the redirect back to Facets, checking `state` against CSRF.
pub fn authorization_code_from_redirect(location: &str, expected_state: &str) -> Result<String, ClientError> {
    let url = Url::parse(location).map_err(|_| ClientError::MissingAuthorizationCode)?;
    let mut code = None;
    let mut state = None;
    for (name, value) in url.query_pairs() {
        match name.as_ref() {
            "code" => code = Some(value.into_owned()),
            "state" => state = Some(value.into_owned()),
            _ => {}
        }
    }
    if state.as_deref() != Some(expected_state) {
        return Err(ClientError::MissingAuthorizationCode);
    }
    code.filter(|c| !c.is_empty()).ok_or(ClientError::MissingAuthorizationCode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc7636_example() {
        let pkce = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into());
        assert_eq!(pkce.challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn code_needs_the_right_state() {
        let ok = authorization_code_from_redirect("http://127.0.0.1:9/cb?code=abc&state=s1", "s1");
        assert_eq!(ok.unwrap(), "abc");
        assert!(authorization_code_from_redirect("http://127.0.0.1:9/cb?code=abc&state=evil", "s1").is_err());
        assert!(authorization_code_from_redirect("http://127.0.0.1:9/cb?state=s1", "s1").is_err());
    }
}
