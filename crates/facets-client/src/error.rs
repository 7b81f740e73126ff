use std::time::Duration;

use reqwest::{Response, StatusCode};

/// What can go wrong talking to a server. HTTP failures keep their status and the server's
/// message so callers can tell "sign in again" (401) from "try later" (429, 5xx) from "this
/// request is wrong" (422).
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("the server address {0:?} is not an http(s) URL")]
    InvalidBaseUrl(String),
    #[error("could not reach the server: {0}")]
    Network(#[source] reqwest::Error),
    #[error("the server answered {status}: {}", message.as_deref().unwrap_or("no message"))]
    Http {
        status: StatusCode,
        /// The `error` (and `error_description`) of Mastodon's error body, when present.
        message: Option<String>,
        /// From `Retry-After`, or the rate-limit reset on a 429.
        retry_after: Option<Duration>,
    },
    #[error("the server sent data Facets could not read from {url}: {source}")]
    Decode {
        url: String,
        #[source]
        source: serde_json::Error,
    },
    /// Not sent: the server's rate limit for this sign-in is used up until it resets.
    #[error("the server's rate limit is used up for another {} s", .retry_after.as_secs())]
    RateLimited { retry_after: Duration },
    #[error("refusing to follow a link to another server: {0}")]
    ForeignLink(String),
    #[error("{0:?} is not a valid media type")]
    InvalidMime(String),
    #[error("the sign-in answer carried no authorization code")]
    MissingAuthorizationCode,
    #[error("the server did not give Facets access: {0}")]
    AuthorizationDenied(String),
    #[error("could not listen for the browser coming back: {0}")]
    Loopback(#[source] std::io::Error),
    #[error("the stream at {0} went silent")]
    StreamSilent(String),
    #[error("the stream at {0} sent an event too long to read")]
    StreamTooLong(String),
}

impl ClientError {
    pub(crate) async fn from_response(response: Response) -> ClientError {
        let status = response.status();
        let headers = response.headers().clone();
        let retry_after = crate::rate_limit::retry_after(&headers, time::OffsetDateTime::now_utc());
        let message = response
            .bytes()
            .await
            .ok()
            .and_then(|body| serde_json::from_slice::<facets_wire::ApiError>(&body).ok())
            .map(|e| match e.error_description {
                Some(description) if !description.is_empty() && description != e.error => {
                    format!("{}: {description}", e.error)
                }
                _ => e.error,
            })
            .filter(|m| !m.is_empty());
        ClientError::Http { status, message, retry_after }
    }

    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ClientError::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Worth retrying later: network trouble, rate limits and server errors.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Network(_) | ClientError::StreamSilent(_) | ClientError::RateLimited { .. } => true,
            ClientError::Http { status, .. } => {
                *status == StatusCode::TOO_MANY_REQUESTS
                    || *status == StatusCode::REQUEST_TIMEOUT
                    || status.is_server_error()
            }
            _ => false,
        }
    }

    /// The server asked Facets to slow down (429), or its rate limit is known to be used up.
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, ClientError::RateLimited { .. }) || self.status() == Some(StatusCode::TOO_MANY_REQUESTS)
    }

    /// How long the server asked Facets to wait before trying again, if it said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            ClientError::Http { retry_after, .. } => *retry_after,
            ClientError::RateLimited { retry_after } => Some(*retry_after),
            _ => None,
        }
    }

    /// The token was refused: the user must sign in again.
    pub fn is_unauthorized(&self) -> bool {
        self.status() == Some(StatusCode::UNAUTHORIZED)
    }
}
