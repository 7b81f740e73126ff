//! OAuth 2 as Mastodon (Doorkeeper) does it: registered applications, single-use authorisation
//! codes with optional PKCE, and bearer tokens.
//!
//! Applications belong to one server, as on the real networks. Tokens belong to the identity:
//! one sign-in on either surface is accepted by both, like one account centre login.

use std::collections::{HashMap, HashSet};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use facets_model::Surface;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Doorkeeper's lifetime for authorisation codes.
const CODE_LIFETIME_MS: i64 = 10 * 60 * 1000;
pub(crate) const OUT_OF_BAND: &str = "urn:ietf:wg:oauth:2.0:oob";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct App {
    pub id: String,
    pub surface: Surface,
    pub name: String,
    pub website: Option<String>,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Debug, Clone)]
struct Grant {
    surface: Surface,
    client_id: String,
    redirect_uri: String,
    scopes: Vec<String>,
    code_challenge: Option<String>,
    expires_ms: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct TokenGrant {
    pub client_id: String,
    pub scopes: Vec<String>,
    /// Unix seconds.
    pub created_at: i64,
    /// `false` for an application's own token (`client_credentials`): no user behind it.
    pub user: bool,
}

impl TokenGrant {
    /// Whether the token may do things of a scope family (`read`, `write`): the family itself or
    /// any of its parts (`read:statuses`) will do.
    pub(crate) fn allows(&self, family: &str) -> bool {
        self.scopes.iter().any(|s| s == family || s.strip_prefix(family).is_some_and(|rest| rest.starts_with(':')))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum OAuthError {
    #[error("Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.")]
    InvalidClient,
    #[error("The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.")]
    InvalidGrant,
    #[error("The request is missing a required parameter, includes an unsupported parameter value, or is otherwise malformed.")]
    InvalidRequest,
    #[error("The requested redirect uri is malformed or doesn't match client redirect URI.")]
    InvalidRedirectUri,
    #[error("The requested scope is invalid, unknown, or malformed.")]
    InvalidScope,
    #[error("The authorization grant type is not supported by the authorization server.")]
    UnsupportedGrantType,
    #[error("The authorization server does not support this response type.")]
    UnsupportedResponseType,
    #[error("The code challenge method must be S256.")]
    InvalidCodeChallengeMethod,
    #[error("You are not authorized to revoke this token")]
    UnauthorizedClient,
}

impl OAuthError {
    /// The `error` field of the OAuth error body.
    pub(crate) fn code(self) -> &'static str {
        match self {
            OAuthError::InvalidClient => "invalid_client",
            OAuthError::InvalidGrant => "invalid_grant",
            OAuthError::InvalidRequest => "invalid_request",
            OAuthError::InvalidRedirectUri => "invalid_redirect_uri",
            OAuthError::InvalidScope => "invalid_scope",
            OAuthError::UnsupportedGrantType => "unsupported_grant_type",
            OAuthError::UnsupportedResponseType => "unsupported_response_type",
            OAuthError::InvalidCodeChallengeMethod => "invalid_code_challenge_method",
            OAuthError::UnauthorizedClient => "unauthorized_client",
        }
    }
}

/// What `GET /oauth/authorize` asks for.
pub(crate) struct AuthorizeRequest<'a> {
    pub response_type: &'a str,
    pub client_id: &'a str,
    pub redirect_uri: &'a str,
    pub scope: Option<&'a str>,
    pub code_challenge: Option<&'a str>,
    pub code_challenge_method: Option<&'a str>,
}

/// What `POST /oauth/token` exchanges for a token.
pub(crate) struct CodeExchange<'a> {
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub code: &'a str,
    pub redirect_uri: &'a str,
    pub code_verifier: Option<&'a str>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Registry {
    apps: Vec<App>,
    /// Codes live minutes; a restart forgets them, as it would forget a browser's half-done login.
    #[serde(skip)]
    grants: HashMap<String, Grant>,
    tokens: HashMap<String, TokenGrant>,
    /// Tokens revoked, so a request with one is told so (as Doorkeeper says "revoked", not
    /// "invalid").
    #[serde(default)]
    revoked: HashSet<String>,
}

/// What the server knows of a bearer token.
pub(crate) enum TokenLookup<'a> {
    Valid(&'a TokenGrant),
    Revoked,
    Unknown,
}

pub(crate) fn parse_scopes(text: Option<&str>) -> Vec<String> {
    let scopes: Vec<String> = text.unwrap_or("").split_whitespace().map(str::to_owned).collect();
    if scopes.is_empty() {
        vec!["read".to_owned()]
    } else {
        scopes
    }
}

/// Scopes Mastodon knows: the families and their `family:part` forms.
pub(crate) fn known_scope(scope: &str) -> bool {
    let family = scope.split(':').next().unwrap_or(scope);
    matches!(family, "read" | "write" | "follow" | "push" | "profile" | "admin")
}

fn covered(granted: &[String], requested: &str) -> bool {
    granted
        .iter()
        .any(|g| g == requested || requested.strip_prefix(g.as_str()).is_some_and(|rest| rest.starts_with(':')))
}

fn random_secret() -> String {
    format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple())
}

impl Registry {
    pub(crate) fn register(
        &mut self,
        surface: Surface,
        name: String,
        website: Option<String>,
        redirect_uris: Vec<String>,
        scopes: Vec<String>,
    ) -> App {
        let app = App {
            id: (self.apps.len() + 1).to_string(),
            surface,
            name,
            website,
            redirect_uris,
            scopes,
            client_id: random_secret()[..43].to_owned(),
            client_secret: random_secret()[..43].to_owned(),
        };
        self.apps.push(app.clone());
        app
    }

    fn app(&self, surface: Surface, client_id: &str) -> Option<&App> {
        self.apps.iter().find(|app| app.surface == surface && app.client_id == client_id)
    }

    fn authenticated_app(&self, surface: Surface, client_id: &str, client_secret: &str) -> Result<&App, OAuthError> {
        self.app(surface, client_id).filter(|app| app.client_secret == client_secret).ok_or(OAuthError::InvalidClient)
    }

    /// Approves the demo user at once, as if they had signed in and pressed "Authorise".
    pub(crate) fn authorize(
        &mut self,
        surface: Surface,
        request: &AuthorizeRequest<'_>,
        now_ms: i64,
    ) -> Result<String, OAuthError> {
        let app = self.app(surface, request.client_id).ok_or(OAuthError::InvalidClient)?;
        if !app.redirect_uris.iter().any(|uri| uri == request.redirect_uri) {
            return Err(OAuthError::InvalidRedirectUri);
        }
        if request.response_type != "code" {
            return Err(OAuthError::UnsupportedResponseType);
        }
        let scopes = match request.scope {
            Some(scope) if !scope.trim().is_empty() => parse_scopes(Some(scope)),
            _ => app.scopes.clone(),
        };
        if !scopes.iter().all(|scope| covered(&app.scopes, scope)) {
            return Err(OAuthError::InvalidScope);
        }
        let code_challenge = match (request.code_challenge, request.code_challenge_method) {
            (None, _) => None,
            (Some(challenge), Some("S256")) if !challenge.is_empty() => Some(challenge.to_owned()),
            (Some(_), _) => return Err(OAuthError::InvalidCodeChallengeMethod),
        };
        let code = random_secret()[..43].to_owned();
        self.grants.insert(
            code.clone(),
            Grant {
                surface,
                client_id: request.client_id.to_owned(),
                redirect_uri: request.redirect_uri.to_owned(),
                scopes,
                code_challenge,
                expires_ms: now_ms + CODE_LIFETIME_MS,
            },
        );
        Ok(code)
    }

    pub(crate) fn exchange_code(
        &mut self,
        surface: Surface,
        exchange: &CodeExchange<'_>,
        now_ms: i64,
    ) -> Result<(String, TokenGrant), OAuthError> {
        self.authenticated_app(surface, exchange.client_id, exchange.client_secret)?;
        // A code is spent by any attempt to use it, as Doorkeeper does: a failed exchange cannot
        // be retried with different guesses.
        let grant = self.grants.remove(exchange.code).ok_or(OAuthError::InvalidGrant)?;
        if grant.surface != surface
            || grant.client_id != exchange.client_id
            || grant.redirect_uri != exchange.redirect_uri
            || grant.expires_ms < now_ms
        {
            return Err(OAuthError::InvalidGrant);
        }
        if let Some(challenge) = &grant.code_challenge {
            let verifier = exchange.code_verifier.ok_or(OAuthError::InvalidGrant)?;
            if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != *challenge {
                return Err(OAuthError::InvalidGrant);
            }
        }
        Ok(self.issue(exchange.client_id, grant.scopes, true, now_ms))
    }

    pub(crate) fn client_credentials(
        &mut self,
        surface: Surface,
        client_id: &str,
        client_secret: &str,
        scope: Option<&str>,
        now_ms: i64,
    ) -> Result<(String, TokenGrant), OAuthError> {
        let app = self.authenticated_app(surface, client_id, client_secret)?;
        let scopes = parse_scopes(scope);
        if !scopes.iter().all(|s| covered(&app.scopes, s)) {
            return Err(OAuthError::InvalidScope);
        }
        Ok(self.issue(client_id, scopes, false, now_ms))
    }

    fn issue(&mut self, client_id: &str, scopes: Vec<String>, user: bool, now_ms: i64) -> (String, TokenGrant) {
        let token = random_secret();
        let grant = TokenGrant { client_id: client_id.to_owned(), scopes, created_at: now_ms / 1000, user };
        self.tokens.insert(token.clone(), grant.clone());
        (token, grant)
    }

    /// Revoking an unknown token succeeds (RFC 7009); revoking another client's token does not.
    pub(crate) fn revoke(
        &mut self,
        surface: Surface,
        client_id: &str,
        client_secret: &str,
        token: &str,
    ) -> Result<(), OAuthError> {
        self.authenticated_app(surface, client_id, client_secret)?;
        match self.tokens.get(token) {
            None => Ok(()),
            Some(grant) if grant.client_id == client_id => {
                self.tokens.remove(token);
                self.revoked.insert(token.to_owned());
                Ok(())
            }
            Some(_) => Err(OAuthError::UnauthorizedClient),
        }
    }

    pub(crate) fn token(&self, token: &str) -> TokenLookup<'_> {
        match self.tokens.get(token) {
            Some(grant) => TokenLookup::Valid(grant),
            None if self.revoked.contains(token) => TokenLookup::Revoked,
            None => TokenLookup::Unknown,
        }
    }

    /// The user revokes every app of one server from its settings page, as a person does who
    /// no longer trusts a device. Returns how many tokens stopped working.
    pub(crate) fn revoke_user_tokens_of(&mut self, surface: Surface) -> usize {
        let clients: HashSet<&str> =
            self.apps.iter().filter(|app| app.surface == surface).map(|app| app.client_id.as_str()).collect();
        let doomed: Vec<String> = self
            .tokens
            .iter()
            .filter(|(_, grant)| grant.user && clients.contains(grant.client_id.as_str()))
            .map(|(token, _)| token.clone())
            .collect();
        for token in &doomed {
            self.tokens.remove(token);
            self.revoked.insert(token.clone());
        }
        doomed.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry_with_app() -> (Registry, App) {
        let mut registry = Registry::default();
        let app = registry.register(
            Surface::Feed,
            "Facets".into(),
            None,
            vec!["facets://cb".into()],
            vec!["read".into(), "write".into()],
        );
        (registry, app)
    }

    fn authorize(registry: &mut Registry, app: &App, challenge: Option<&str>) -> String {
        let request = AuthorizeRequest {
            response_type: "code",
            client_id: &app.client_id,
            redirect_uri: "facets://cb",
            scope: Some("read write:statuses"),
            code_challenge: challenge,
            code_challenge_method: challenge.map(|_| "S256"),
        };
        registry.authorize(Surface::Feed, &request, 0).expect("a registered app is approved")
    }

    fn exchange<'a>(app: &'a App, code: &'a str, verifier: Option<&'a str>) -> CodeExchange<'a> {
        CodeExchange {
            client_id: &app.client_id,
            client_secret: &app.client_secret,
            code,
            redirect_uri: "facets://cb",
            code_verifier: verifier,
        }
    }

    #[test]
    fn a_code_is_single_use() {
        let (mut registry, app) = registry_with_app();
        let code = authorize(&mut registry, &app, None);
        let (token, grant) = registry.exchange_code(Surface::Feed, &exchange(&app, &code, None), 1).unwrap();
        assert!(grant.allows("write") && grant.allows("read"));
        assert!(matches!(registry.token(&token), TokenLookup::Valid(_)));
        assert_eq!(
            registry.exchange_code(Surface::Feed, &exchange(&app, &code, None), 2).unwrap_err(),
            OAuthError::InvalidGrant
        );
    }

    #[test]
    fn pkce_is_checked_and_codes_expire() {
        let (mut registry, app) = registry_with_app();
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        // The example from RFC 7636, appendix B.
        let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        let code = authorize(&mut registry, &app, Some(challenge));
        assert_eq!(
            registry.exchange_code(Surface::Feed, &exchange(&app, &code, Some("wrong")), 1).unwrap_err(),
            OAuthError::InvalidGrant
        );
        let code = authorize(&mut registry, &app, Some(challenge));
        assert!(registry.exchange_code(Surface::Feed, &exchange(&app, &code, Some(verifier)), 1).is_ok());
        let code = authorize(&mut registry, &app, None);
        assert_eq!(
            registry.exchange_code(Surface::Feed, &exchange(&app, &code, None), CODE_LIFETIME_MS + 1).unwrap_err(),
            OAuthError::InvalidGrant
        );
    }

    #[test]
    fn apps_belong_to_their_server_and_scopes_to_their_app() {
        let (mut registry, app) = registry_with_app();
        let request = AuthorizeRequest {
            response_type: "code",
            client_id: &app.client_id,
            redirect_uri: "facets://cb",
            scope: Some("read"),
            code_challenge: None,
            code_challenge_method: None,
        };
        assert_eq!(registry.authorize(Surface::Visual, &request, 0).unwrap_err(), OAuthError::InvalidClient);
        let too_much = AuthorizeRequest { scope: Some("admin:read"), ..request };
        assert_eq!(registry.authorize(Surface::Feed, &too_much, 0).unwrap_err(), OAuthError::InvalidScope);
    }
}
