//! Trouble on demand, for tests and for trying failure by hand: latency, error answers, rate
//! limiting, a connection cut after a post was committed, and a full outage, each scoped to one
//! server and switchable while it runs. And a ledger of every post the servers accepted, so a
//! test can count what really arrived.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use facets_model::Surface;
use futures_util::stream;
use serde::{Deserialize, Serialize};

use crate::api::{ApiError, Ctx};

/// What one server does wrong, until changed. The default is a healthy server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultPlan {
    /// Added to every answer, after the request was carried out.
    pub latency_ms: u64,
    /// The next this many API requests are answered with `fail_status` and not handled.
    pub fail_next: u32,
    /// 500 when unset. A 429 comes with `Retry-After` and `X-RateLimit-*` headers.
    pub fail_status: Option<u16>,
    /// Seconds announced in `Retry-After` with a failing 429 or 503.
    pub retry_after_seconds: u64,
    /// The next this many posts and uploads are carried out, then the connection is cut before
    /// the answer arrives: the client cannot know the post went through.
    pub cut_after_commit_next: u32,
    /// The next this many posts and uploads are carried out, then answered 200 with a body
    /// that is not JSON, as a broken proxy might.
    pub garble_after_commit_next: u32,
    /// Every request fails as if the network were down, until cleared.
    pub outage: bool,
}

/// A post a server accepted (an idempotent repeat is not a new entry).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub surface: Surface,
    pub status_id: String,
    pub idempotency_key: Option<String>,
    pub text: String,
    pub media_count: usize,
}

#[derive(Default)]
pub(crate) struct Faults {
    plans: Mutex<HashMap<Surface, FaultPlan>>,
    ledger: Mutex<Vec<LedgerEntry>>,
}

enum Verdict {
    Pass,
    Fail { status: StatusCode, retry_after: u64 },
    CutAfterCommit,
    GarbleAfterCommit,
    Outage,
}

impl Faults {
    pub(crate) fn set(&self, surface: Surface, plan: FaultPlan) {
        self.plans.lock().expect("fault lock").insert(surface, plan);
    }

    pub(crate) fn plan(&self, surface: Surface) -> FaultPlan {
        self.plans.lock().expect("fault lock").get(&surface).cloned().unwrap_or_default()
    }

    pub(crate) fn record(&self, entry: LedgerEntry) {
        self.ledger.lock().expect("ledger lock").push(entry);
    }

    pub(crate) fn ledger(&self) -> Vec<LedgerEntry> {
        self.ledger.lock().expect("ledger lock").clone()
    }

    /// Decides the fate of one request and counts it against the plan.
    fn judge(&self, surface: Surface, commits: bool) -> (Duration, Verdict) {
        let mut plans = self.plans.lock().expect("fault lock");
        let Some(plan) = plans.get_mut(&surface) else { return (Duration::ZERO, Verdict::Pass) };
        let latency = Duration::from_millis(plan.latency_ms);
        let verdict = if plan.outage {
            Verdict::Outage
        } else if plan.fail_next > 0 {
            plan.fail_next -= 1;
            let status = plan
                .fail_status
                .and_then(|code| StatusCode::from_u16(code).ok())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            Verdict::Fail { status, retry_after: plan.retry_after_seconds }
        } else if commits && plan.cut_after_commit_next > 0 {
            plan.cut_after_commit_next -= 1;
            Verdict::CutAfterCommit
        } else if commits && plan.garble_after_commit_next > 0 {
            plan.garble_after_commit_next -= 1;
            Verdict::GarbleAfterCommit
        } else {
            Verdict::Pass
        };
        (latency, verdict)
    }
}

/// A response whose body breaks off: the client sees the connection die mid-answer.
fn cut_connection() -> Response {
    let broken = stream::iter([Err::<bytes::Bytes, std::io::Error>(std::io::Error::new(
        std::io::ErrorKind::ConnectionReset,
        "demo fault: connection cut",
    ))]);
    let mut response = Response::new(Body::from_stream(broken));
    response.headers_mut().insert(axum::http::header::CONTENT_LENGTH, axum::http::HeaderValue::from_static("64"));
    response
}

fn failure(status: StatusCode, retry_after: u64) -> Response {
    let mut response = match status {
        StatusCode::TOO_MANY_REQUESTS => ApiError::TooManyRequests.into_response(),
        _ => (status, axum::Json(serde_json::json!({ "error": "Demo fault: the server is having trouble" })))
            .into_response(),
    };
    if retry_after > 0 {
        let headers = response.headers_mut();
        headers.insert("retry-after", retry_after.to_string().parse().expect("digits are a valid header value"));
        if status == StatusCode::TOO_MANY_REQUESTS {
            let reset = time::OffsetDateTime::now_utc() + time::Duration::seconds(retry_after as i64);
            headers.insert("x-ratelimit-limit", "300".parse().expect("valid"));
            headers.insert("x-ratelimit-remaining", "0".parse().expect("valid"));
            headers.insert(
                "x-ratelimit-reset",
                reset.unix_timestamp().to_string().parse().expect("digits are a valid header value"),
            );
        }
    }
    response
}

/// Requests that create something: the ones a cut after commit applies to.
fn commits(request: &Request) -> bool {
    let path = request.uri().path();
    request.method() == Method::POST
        && (path.ends_with("/api/v1/statuses")
            || path.ends_with("/api/v2/media")
            || path.ends_with("/api/v1.1/direct/thread/send"))
}

pub(crate) async fn inject(State(ctx): State<Ctx>, request: Request, next: Next) -> Response {
    let (latency, verdict) = ctx.shared.faults.judge(ctx.surface, commits(&request));
    match verdict {
        // The answer is slow on its way back: the work is done, the client does not know yet.
        Verdict::Pass => {
            let response = next.run(request).await;
            tokio::time::sleep(latency).await;
            response
        }
        Verdict::Fail { status, retry_after } => failure(status, retry_after),
        Verdict::Outage => cut_connection(),
        Verdict::CutAfterCommit => {
            let _ = next.run(request).await;
            cut_connection()
        }
        Verdict::GarbleAfterCommit => {
            let _ = next.run(request).await;
            (StatusCode::OK, "<html>502 Bad Gateway</html>").into_response()
        }
    }
}
