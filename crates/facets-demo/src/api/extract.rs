//! Extractors: who is calling (the bearer token), and request bodies in the forms Mastodon
//! accepts (URL-encoded form or JSON), with every rejection answered as an [`ApiError`].

use axum::extract::{Form, FromRequest, FromRequestParts, Json, Query, Request};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method};
use serde::de::DeserializeOwned;

use super::{ApiError, Ctx};
use crate::oauth::{TokenGrant, TokenLookup};

pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}

/// A caller with a valid token whose scopes allow the request: `read` for GET, `write` otherwise.
pub(crate) struct Session {
    pub token: String,
    pub grant: TokenGrant,
}

impl FromRequestParts<Ctx> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Session, ApiError> {
        let token = bearer_token(&parts.headers).ok_or(ApiError::InvalidToken)?.to_owned();
        let grant = match ctx.shared.lock().oauth.token(&token) {
            TokenLookup::Valid(grant) => grant.clone(),
            TokenLookup::Revoked => return Err(ApiError::RevokedToken),
            TokenLookup::Unknown => return Err(ApiError::InvalidToken),
        };
        let family = if parts.method == Method::GET || parts.method == Method::HEAD { "read" } else { "write" };
        if !grant.allows(family) {
            return Err(ApiError::OutsideScopes);
        }
        Ok(Session { token, grant })
    }
}

/// A [`Session`] with a user behind it, not an application's own token.
pub(crate) struct UserSession(pub Session);

impl FromRequestParts<Ctx> for UserSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<UserSession, ApiError> {
        let session = Session::from_request_parts(parts, ctx).await?;
        if !session.grant.user {
            return Err(ApiError::RequiresUser);
        }
        Ok(UserSession(session))
    }
}

/// Query parameters, with a malformed query answered as a 422 error body.
pub(crate) struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ApiQuery<T>, ApiError> {
        let Query(value) =
            Query::<T>::from_request_parts(parts, state).await.map_err(|e| ApiError::Unprocessable(e.body_text()))?;
        Ok(ApiQuery(value))
    }
}

pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.trim_start().starts_with("application/json"))
}

/// A body sent as JSON or as a URL-encoded form; Mastodon takes either.
pub(crate) struct FormOrJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for FormOrJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<FormOrJson<T>, ApiError> {
        let value = if is_json(request.headers()) {
            Json::<T>::from_request(request, state)
                .await
                .map(|Json(v)| v)
                .map_err(|e| ApiError::Unprocessable(e.body_text()))?
        } else {
            Form::<T>::from_request(request, state)
                .await
                .map(|Form(v)| v)
                .map_err(|e| ApiError::Unprocessable(e.body_text()))?
        };
        Ok(FormOrJson(value))
    }
}

/// Rails-style booleans in query strings and forms: `true`, `1`, `on`, `t`.
pub(crate) fn truthy(value: Option<&str>) -> bool {
    matches!(value.map(str::trim), Some("true" | "1" | "on" | "t" | "True" | "TRUE"))
}
