//! The one error type of every handler, answered as Mastodon answers errors:
//! `{"error": "…"}` (with `error_description` for OAuth) and the matching status code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::oauth::OAuthError;

#[derive(Debug, thiserror::Error)]
pub(crate) enum ApiError {
    #[error("The access token is invalid")]
    InvalidToken,
    #[error("The access token was revoked")]
    RevokedToken,
    #[error("This action is outside the authorized scopes")]
    OutsideScopes,
    #[error("This method requires an authenticated user")]
    RequiresUser,
    #[error("Record not found")]
    NotFound,
    /// Mastodon's validation failures.
    #[error("{0}")]
    Unprocessable(String),
    /// Refusals with a reason, such as Pixelfed's "Empty statuses are not allowed".
    #[error("{0}")]
    Forbidden(String),
    #[error("Too many requests")]
    TooManyRequests,
    /// Pixelfed's answer to a request it will not repeat, such as a post with a key it has seen.
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    OAuth(#[from] OAuthError),
    /// `/oauth/authorize` refusing a request: always 400, even for an unknown client, since
    /// there is no client authentication to fail on that page.
    #[error(transparent)]
    AuthorizationRefused(OAuthError),
    #[error("Internal server error")]
    Internal(String),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            ApiError::InvalidToken | ApiError::RevokedToken => StatusCode::UNAUTHORIZED,
            ApiError::OutsideScopes | ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::RequiresUser | ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::OAuth(OAuthError::InvalidClient) => StatusCode::UNAUTHORIZED,
            ApiError::OAuth(OAuthError::UnauthorizedClient) => StatusCode::FORBIDDEN,
            ApiError::OAuth(_) | ApiError::AuthorizationRefused(_) => StatusCode::BAD_REQUEST,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "demo server failure");
        }
        let body = match &self {
            ApiError::OAuth(error) | ApiError::AuthorizationRefused(error) => {
                facets_wire::ApiError { error: error.code().to_owned(), error_description: Some(error.to_string()) }
            }
            other => facets_wire::ApiError { error: other.to_string(), error_description: None },
        };
        (self.status(), Json(body)).into_response()
    }
}

impl From<std::io::Error> for ApiError {
    fn from(error: std::io::Error) -> ApiError {
        ApiError::Internal(error.to_string())
    }
}
