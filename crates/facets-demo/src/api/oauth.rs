//! `POST /api/v1/apps`, `GET /oauth/authorize`, `POST /oauth/token`, `POST /oauth/revoke`, and
//! (Mastodon only, as since 4.3) `GET /.well-known/oauth-authorization-server`.

use axum::extract::State;
use axum::http::header::LOCATION;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use facets_wire as wire;
use serde::Deserialize;

use super::extract::{ApiQuery, FormOrJson};
use super::{now_ms, ApiError, Ctx};
use crate::oauth::{known_scope, parse_scopes, AuthorizeRequest, CodeExchange, OAuthError, OUT_OF_BAND};
use crate::text::escape;

#[derive(Deserialize)]
pub(crate) struct NewApp {
    #[serde(default)]
    client_name: String,
    #[serde(default)]
    redirect_uris: String,
    scopes: Option<String>,
    website: Option<String>,
}

pub(crate) async fn register_app(
    State(ctx): State<Ctx>,
    FormOrJson(app): FormOrJson<NewApp>,
) -> Result<Json<wire::Application>, ApiError> {
    if app.client_name.trim().is_empty() {
        return Err(ApiError::Unprocessable("Validation failed: Application name can't be blank".into()));
    }
    let redirect_uris: Vec<String> = app.redirect_uris.split_whitespace().map(str::to_owned).collect();
    if redirect_uris.is_empty() {
        return Err(ApiError::Unprocessable("Validation failed: Redirect URI can't be blank".into()));
    }
    if redirect_uris.iter().any(|uri| uri != OUT_OF_BAND && url::Url::parse(uri).is_err()) {
        return Err(ApiError::Unprocessable("Validation failed: Redirect URI must be an absolute URI.".into()));
    }
    if ctx.shared.https_redirects_only && redirect_uris.iter().any(|uri| uri.starts_with("http:")) {
        return Err(ApiError::Unprocessable("Validation failed: Redirect URI must be an HTTPS/SSL URI.".into()));
    }
    let scopes = parse_scopes(app.scopes.as_deref());
    if let Some(unknown) = scopes.iter().find(|scope| !known_scope(scope)) {
        return Err(ApiError::Unprocessable(format!("Validation failed: Scopes {unknown} is not a known scope")));
    }
    let website = app.website.filter(|w| !w.trim().is_empty());
    let registered = ctx.shared.lock().oauth.register(ctx.surface, app.client_name, website, redirect_uris, scopes);
    ctx.shared.save()?;
    Ok(Json(wire::Application {
        id: Some(registered.id),
        name: registered.name,
        website: registered.website,
        redirect_uri: registered.redirect_uris.join("\n"),
        client_id: registered.client_id,
        client_secret: registered.client_secret,
    }))
}

#[derive(Deserialize)]
pub(crate) struct AuthorizeQuery {
    #[serde(default)]
    response_type: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    redirect_uri: String,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

/// Approves the demo user without a password page: straight back to the app with a code, or,
/// for out-of-band clients, a page showing the code to copy.
pub(crate) async fn authorize(
    State(ctx): State<Ctx>,
    ApiQuery(query): ApiQuery<AuthorizeQuery>,
) -> Result<Response, ApiError> {
    let request = AuthorizeRequest {
        response_type: &query.response_type,
        client_id: &query.client_id,
        redirect_uri: &query.redirect_uri,
        scope: query.scope.as_deref(),
        code_challenge: query.code_challenge.as_deref(),
        code_challenge_method: query.code_challenge_method.as_deref(),
    };
    let code =
        ctx.shared.lock().oauth.authorize(ctx.surface, &request, now_ms()).map_err(ApiError::AuthorizationRefused)?;
    if query.redirect_uri == OUT_OF_BAND {
        let page = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Authorization code</title></head><body>\
             <h1>Authorization code</h1><p>Copy this code and paste it into the application.</p>\
             <code id=\"authorization-code\">{}</code></body></html>",
            escape(&code)
        );
        return Ok(Html(page).into_response());
    }
    let mut target = url::Url::parse(&query.redirect_uri)
        .map_err(|_| ApiError::AuthorizationRefused(OAuthError::InvalidRedirectUri))?;
    target.query_pairs_mut().append_pair("code", &code);
    if let Some(state) = &query.state {
        target.query_pairs_mut().append_pair("state", state);
    }
    Ok((StatusCode::FOUND, [(LOCATION, target.to_string())]).into_response())
}

#[derive(Deserialize)]
pub(crate) struct TokenRequest {
    #[serde(default)]
    grant_type: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
    code: Option<String>,
    redirect_uri: Option<String>,
    code_verifier: Option<String>,
    scope: Option<String>,
}

pub(crate) async fn token(
    State(ctx): State<Ctx>,
    FormOrJson(request): FormOrJson<TokenRequest>,
) -> Result<Json<wire::Token>, ApiError> {
    let now = now_ms();
    let (token, grant) = {
        let mut data = ctx.shared.lock();
        match request.grant_type.as_str() {
            "authorization_code" => {
                let exchange = CodeExchange {
                    client_id: &request.client_id,
                    client_secret: &request.client_secret,
                    code: request.code.as_deref().ok_or(OAuthError::InvalidRequest)?,
                    redirect_uri: request.redirect_uri.as_deref().ok_or(OAuthError::InvalidRequest)?,
                    code_verifier: request.code_verifier.as_deref(),
                };
                data.oauth.exchange_code(ctx.surface, &exchange, now)?
            }
            "client_credentials" => data.oauth.client_credentials(
                ctx.surface,
                &request.client_id,
                &request.client_secret,
                request.scope.as_deref(),
                now,
            )?,
            _ => return Err(OAuthError::UnsupportedGrantType.into()),
        }
    };
    ctx.shared.save()?;
    Ok(Json(wire::Token {
        access_token: token,
        token_type: "Bearer".into(),
        scope: grant.scopes.join(" "),
        created_at: grant.created_at,
    }))
}

#[derive(Deserialize)]
pub(crate) struct RevokeRequest {
    #[serde(default)]
    token: String,
    #[serde(default)]
    client_id: String,
    #[serde(default)]
    client_secret: String,
}

pub(crate) async fn revoke(
    State(ctx): State<Ctx>,
    FormOrJson(request): FormOrJson<RevokeRequest>,
) -> Result<Json<serde_json::Value>, ApiError> {
    ctx.shared.lock().oauth.revoke(ctx.surface, &request.client_id, &request.client_secret, &request.token)?;
    ctx.shared.save()?;
    Ok(Json(serde_json::json!({})))
}

/// `GET /.well-known/oauth-authorization-server` (RFC 8414), as Mastodon 4.3 describes itself.
pub(crate) async fn metadata(State(ctx): State<Ctx>) -> Json<wire::OAuthServerMetadata> {
    let base = format!("{}/{}", ctx.shared.origin, ctx.surface.as_str());
    Json(wire::OAuthServerMetadata {
        issuer: format!("{base}/"),
        authorization_endpoint: format!("{base}/oauth/authorize"),
        token_endpoint: format!("{base}/oauth/token"),
        scopes_supported: ["read", "write", "follow", "push", "profile"].map(str::to_owned).to_vec(),
        code_challenge_methods_supported: vec!["S256".to_owned()],
    })
}
