use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use time::format_description::well_known::{Rfc2822, Rfc3339};
use time::OffsetDateTime;

/// A server's rate-limit state from `X-RateLimit-*` headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimit {
    pub limit: u64,
    pub remaining: u64,
    /// When the window resets. Mastodon sends ISO-8601, GoToSocial Unix seconds.
    pub reset_at: OffsetDateTime,
}

impl RateLimit {
    /// Reads the headers; `None` when a server does not send them or sends nonsense.
    pub fn from_headers(headers: &HeaderMap, now: OffsetDateTime) -> Option<RateLimit> {
        let text = |name: &str| headers.get(name)?.to_str().ok().map(str::trim);
        let limit = text("x-ratelimit-limit")?.parse().ok()?;
        let remaining = text("x-ratelimit-remaining")?.parse().ok()?;
        let reset_at = parse_reset(text("x-ratelimit-reset")?, now)?;
        Some(RateLimit { limit, remaining, reset_at })
    }

    /// How long to wait before the next request, if the bucket is empty.
    pub fn wait(&self, now: OffsetDateTime) -> Option<Duration> {
        (self.remaining == 0 && self.reset_at > now).then(|| (self.reset_at - now).unsigned_abs())
    }
}

/// Parses a reset time: ISO-8601, or a number. A number is Unix seconds when it is large, and
/// seconds from now when it is small (some servers send a delta).
pub(crate) fn parse_reset(value: &str, now: OffsetDateTime) -> Option<OffsetDateTime> {
    if let Ok(at) = OffsetDateTime::parse(value, &Rfc3339) {
        return Some(at);
    }
    let seconds: f64 = value.parse().ok()?;
    if !seconds.is_finite() || seconds < 0.0 {
        return None;
    }
    const ONE_YEAR: f64 = 365.0 * 24.0 * 3600.0;
    if seconds < ONE_YEAR {
        Some(now + Duration::from_secs_f64(seconds))
    } else {
        OffsetDateTime::from_unix_timestamp(seconds as i64).ok()
    }
}

/// `Retry-After` (seconds or an HTTP date), else the rate-limit reset when the bucket is empty.
pub(crate) fn retry_after(headers: &HeaderMap, now: OffsetDateTime) -> Option<Duration> {
    if let Some(value) = headers.get(RETRY_AFTER).and_then(|v| v.to_str().ok()).map(str::trim) {
        if let Ok(seconds) = value.parse::<u64>() {
            return Some(Duration::from_secs(seconds));
        }
        if let Ok(at) = OffsetDateTime::parse(value, &Rfc2822) {
            return Some(if at > now { (at - now).unsigned_abs() } else { Duration::ZERO });
        }
    }
    RateLimit::from_headers(headers, now).and_then(|r| r.wait(now))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use time::macros::datetime;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    const NOW: OffsetDateTime = datetime!(2026-11-25 12:00:00 UTC);

    #[test]
    fn iso_reset_as_mastodon_sends_it() {
        let h = headers(&[
            ("x-ratelimit-limit", "300"),
            ("x-ratelimit-remaining", "0"),
            ("x-ratelimit-reset", "2026-11-25T12:05:00.000Z"),
        ]);
        let rate = RateLimit::from_headers(&h, NOW).unwrap();
        assert_eq!(rate.limit, 300);
        assert_eq!(rate.reset_at, datetime!(2026-11-25 12:05:00 UTC));
        assert_eq!(rate.wait(NOW), Some(Duration::from_secs(300)));
        assert_eq!(retry_after(&h, NOW), Some(Duration::from_secs(300)));
    }

    #[test]
    fn unix_seconds_reset_as_gotosocial_sends_it() {
        let at = datetime!(2026-11-25 12:01:00 UTC);
        let h = headers(&[
            ("x-ratelimit-limit", "300"),
            ("x-ratelimit-remaining", "12"),
            ("x-ratelimit-reset", &at.unix_timestamp().to_string()),
        ]);
        let rate = RateLimit::from_headers(&h, NOW).unwrap();
        assert_eq!(rate.reset_at, at);
        assert_eq!(rate.wait(NOW), None, "a bucket with requests left needs no wait");
    }

    #[test]
    fn retry_after_wins_and_garbage_is_ignored() {
        assert_eq!(retry_after(&headers(&[("retry-after", "7")]), NOW), Some(Duration::from_secs(7)));
        assert_eq!(
            retry_after(&headers(&[("retry-after", "Wed, 25 Nov 2026 12:00:30 GMT")]), NOW),
            Some(Duration::from_secs(30))
        );
        let junk =
            headers(&[("x-ratelimit-limit", "many"), ("x-ratelimit-remaining", "0"), ("x-ratelimit-reset", "soon")]);
        assert_eq!(RateLimit::from_headers(&junk, NOW), None);
        assert_eq!(parse_reset("-5", NOW), None);
    }
}
