//! `/_demo/…`: the demo's own controls, outside both servers' APIs. Faults per server
//! (`GET`/`PUT /_demo/faults/{surface}`), the ledger of accepted posts (`GET /_demo/ledger`), and
//! a message from one of the demo's people to the user (`POST /_demo/messages/{surface}`), and
//! someone new following the user (`POST /_demo/follows/{surface}`; a request when private), and
//! the user revoking every app from one server's settings (`POST /_demo/sign-outs/{surface}`),
//! and Feed rebuilding the home feed for a while (`PUT /_demo/home-regeneration`).
//! The servers listen on loopback only, so these reach no one else.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use facets_model::Surface;

use super::ApiError;
use crate::faults::{FaultPlan, LedgerEntry};
use crate::server::Shared;

pub(crate) fn routes(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/_demo/faults/{surface}", get(show_faults).put(set_faults))
        .route("/_demo/ledger", get(ledger))
        .route("/_demo/messages/{surface}", axum::routing::post(write_to_user))
        .route("/_demo/follows/{surface}", axum::routing::post(follow_user))
        .route("/_demo/sign-outs/{surface}", axum::routing::post(sign_out_everywhere))
        .route("/_demo/home-regeneration", axum::routing::put(regenerate_home))
        .with_state(shared)
}

fn surface(name: &str) -> Result<Surface, ApiError> {
    name.parse().map_err(|_| ApiError::NotFound)
}

async fn show_faults(State(shared): State<Arc<Shared>>, Path(name): Path<String>) -> Result<Json<FaultPlan>, ApiError> {
    Ok(Json(shared.faults.plan(surface(&name)?)))
}

async fn set_faults(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    Json(plan): Json<FaultPlan>,
) -> Result<Json<FaultPlan>, ApiError> {
    let surface = surface(&name)?;
    tracing::info!(?surface, ?plan, "demo faults changed");
    shared.faults.set(surface, plan);
    Ok(Json(shared.faults.plan(surface)))
}

async fn ledger(State(shared): State<Arc<Shared>>) -> Json<Vec<LedgerEntry>> {
    Json(shared.faults.ledger())
}

/// `POST /_demo/messages/{surface}`: one of the demo's people writes to the user now.
async fn write_to_user(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let id = shared.write_to_user(surface(&name)?).ok_or(ApiError::NotFound)?;
    Ok(Json(serde_json::json!({ "id": id })))
}

/// `POST /_demo/follows/{surface}`: someone new follows the user, or asks to.
async fn follow_user(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let (id, requested) = shared.follow_user(surface(&name)?).ok_or(ApiError::NotFound)?;
    Ok(Json(serde_json::json!({ "account_id": id, "requested": requested })))
}

#[derive(serde::Deserialize)]
struct Regeneration {
    requests: u32,
}

/// `PUT /_demo/home-regeneration` `{"requests": N}`: Feed answers the next N home-timeline
/// requests with 206 and nothing, as Mastodon while it rebuilds a returning user's home feed.
async fn regenerate_home(
    State(shared): State<Arc<Shared>>,
    Json(regeneration): Json<Regeneration>,
) -> Json<serde_json::Value> {
    shared.home_regenerating.store(regeneration.requests, std::sync::atomic::Ordering::SeqCst);
    Json(serde_json::json!({ "requests": regeneration.requests }))
}

/// `POST /_demo/sign-outs/{surface}`: the user revokes every app on that server's settings page.
async fn sign_out_everywhere(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let revoked = shared.sign_out_everywhere(surface(&name)?);
    Ok(Json(serde_json::json!({ "revoked": revoked })))
}
