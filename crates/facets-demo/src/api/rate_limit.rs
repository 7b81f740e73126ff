//! Mastodon's API rate limit: a number of requests per five-minute window for each token (or,
//! without one, each address), reported on every response in `X-RateLimit-*` headers.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Mutex;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use facets_model::Surface;

use super::extract::bearer_token;
use super::{ApiError, Ctx};

pub(crate) const WINDOW_SECONDS: i64 = 300;

pub(crate) struct RateLimiter {
    limit: u32,
    /// `(server, caller)` → `(window number, requests in it)`.
    windows: Mutex<HashMap<(Surface, String), (i64, u32)>>,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub allowed: bool,
    pub remaining: u32,
    /// Unix seconds when the window ends.
    pub reset_at: i64,
}

impl RateLimiter {
    pub(crate) fn new(limit: u32) -> RateLimiter {
        RateLimiter { limit, windows: Mutex::new(HashMap::new()) }
    }

    /// Counts one request; windows are aligned to the clock as in Mastodon's rack-attack setup.
    pub(crate) fn hit(&self, surface: Surface, caller: &str, now_seconds: i64) -> Verdict {
        let window = now_seconds.div_euclid(WINDOW_SECONDS);
        let mut windows = self.windows.lock().expect("rate limit lock");
        let entry = windows.entry((surface, caller.to_owned())).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        let allowed = entry.1 < self.limit;
        if allowed {
            entry.1 += 1;
        }
        Verdict { allowed, remaining: self.limit - entry.1, reset_at: (window + 1) * WINDOW_SECONDS }
    }

    pub(crate) fn limit(&self) -> u32 {
        self.limit
    }
}

pub(crate) async fn limit(State(ctx): State<Ctx>, request: Request, next: Next) -> Response {
    let caller = match bearer_token(request.headers()) {
        Some(token) => format!("token {token}"),
        None => {
            let peer =
                request.extensions().get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip().to_string());
            format!("address {}", peer.unwrap_or_default())
        }
    };
    let now = time::OffsetDateTime::now_utc();
    let limiter = &ctx.shared.rate_limits;
    let verdict = limiter.hit(ctx.surface, &caller, now.unix_timestamp());
    let mut response =
        if verdict.allowed { next.run(request).await } else { ApiError::TooManyRequests.into_response() };
    // Mastodon says when the window ends in ISO 8601; GoToSocial in Unix seconds.
    let reset = if ctx.dialect() == facets_model::Dialect::GoToSocial {
        verdict.reset_at.to_string()
    } else {
        time::OffsetDateTime::from_unix_timestamp(verdict.reset_at)
            .expect("window ends are valid times")
            .format(&time::macros::format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
            ))
            .expect("the format has only numeric parts")
    };
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ratelimit-limit", limiter.limit().to_string()),
        ("x-ratelimit-remaining", verdict.remaining.to_string()),
        ("x-ratelimit-reset", reset),
    ] {
        headers.insert(name, HeaderValue::from_str(&value).expect("numbers and timestamps are valid header values"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_caller_gets_the_limit_per_window_then_a_fresh_window() {
        let limiter = RateLimiter::new(2);
        let start = 1_000 * WINDOW_SECONDS + 10;
        assert_eq!(
            limiter.hit(Surface::Feed, "t", start),
            Verdict { allowed: true, remaining: 1, reset_at: 1_001 * WINDOW_SECONDS }
        );
        assert!(limiter.hit(Surface::Feed, "t", start).allowed);
        assert!(!limiter.hit(Surface::Feed, "t", start + 1).allowed, "the third request in a window is refused");
        assert!(limiter.hit(Surface::Visual, "t", start).allowed, "each server counts on its own");
        assert!(limiter.hit(Surface::Feed, "t", start + WINDOW_SECONDS).allowed, "a new window starts afresh");
    }
}
