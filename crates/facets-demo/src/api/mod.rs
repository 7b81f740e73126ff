//! The HTTP surface: one router per server (`/feed` plays Mastodon, `/visual` plays Pixelfed),
//! each listing the endpoints of the Mastodon client API that Facets uses, and the media files.

mod accounts;
mod admin;
mod conversations;
mod direct;
mod error;
mod extract;
mod files;
mod instance;
mod media;
mod oauth;
mod privacy;
mod rate_limit;
mod statuses;
mod streaming;
mod timelines;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::header::LINK;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use facets_model::Surface;
use serde::Serialize;

pub(crate) use error::ApiError;
pub(crate) use rate_limit::RateLimiter;

use crate::ids::Id;
use crate::pagination::Page;
use crate::server::Shared;

/// What a handler of one server needs: which server it is, and the shared state.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub surface: Surface,
    pub shared: Arc<Shared>,
}

impl Ctx {
    /// The software this server plays, whose dialect it speaks.
    pub fn dialect(&self) -> facets_model::Dialect {
        match self.surface {
            Surface::Feed => self.shared.feed_plays,
            Surface::Visual => facets_model::Dialect::Pixelfed,
        }
    }
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    let shared_for_admin = shared.clone();
    let media_files = Router::new()
        .route("/media/art/{code}/{file}", get(files::art))
        .route("/media/uploads/{surface}/{id}/{file}", get(files::upload))
        .with_state(shared.clone());
    Router::new()
        .nest("/feed", server_routes(Ctx { surface: Surface::Feed, shared: shared.clone() }))
        .nest("/visual", server_routes(Ctx { surface: Surface::Visual, shared }))
        .merge(media_files)
        .merge(admin::routes(shared_for_admin))
        .fallback(not_found)
}

fn server_routes(ctx: Ctx) -> Router {
    Router::new()
        .route("/api/v1/apps", post(oauth::register_app))
        .route("/oauth/authorize", get(oauth::authorize))
        .route("/oauth/token", post(oauth::token))
        .route("/oauth/revoke", post(oauth::revoke))
        .route("/api/v2/instance", get(instance::show))
        .route("/.well-known/nodeinfo", get(instance::nodeinfo_links))
        .route("/nodeinfo/2.0", get(instance::nodeinfo))
        .route("/api/v1/accounts/verify_credentials", get(accounts::verify_credentials))
        .route("/api/v1/accounts/search", get(accounts::search))
        .route("/api/v1/accounts/update_credentials", axum::routing::patch(privacy::update_credentials))
        .route("/api/v1/accounts/{id}/{verb}", post(privacy::relate))
        .route("/api/v1/follow_requests", get(privacy::follow_requests))
        .route("/api/v1/follow_requests/{id}/authorize", post(privacy::authorize))
        .route("/api/v1/follow_requests/{id}/reject", post(privacy::reject))
        .route("/api/v1/blocks", get(privacy::blocks))
        .route("/api/v1/mutes", get(privacy::mutes))
        .route("/api/v1/accounts/{id}", get(accounts::show))
        .route("/api/v1/accounts/{id}/statuses", get(accounts::statuses))
        .route("/api/v1/timelines/home", get(timelines::home))
        .route("/api/v1/timelines/public", get(timelines::public))
        .route("/api/v1/statuses", post(statuses::create))
        .route("/api/v1/statuses/{id}", get(statuses::show).put(statuses::edit).delete(statuses::delete))
        .route("/api/v1/statuses/{id}/context", get(statuses::context))
        .route("/api/v1/statuses/{id}/favourite", post(statuses::favourite))
        .route("/api/v1/statuses/{id}/unfavourite", post(statuses::unfavourite))
        .route("/api/v2/media", post(media::upload).layer(DefaultBodyLimit::max(media::MAX_UPLOAD_BYTES)))
        .route("/api/v1/media/{id}", get(media::show).put(media::update))
        .merge(direct_message_routes(ctx.dialect()))
        .merge(mastodon_only_routes(ctx.dialect()))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(ctx.clone(), rate_limit::limit))
        // Outermost: a fault answers before the rate limiter counts, as a broken proxy would.
        .layer(middleware::from_fn_with_state(ctx.clone(), crate::faults::inject))
        .layer(middleware::from_fn_with_state(ctx.clone(), id_style))
        .with_state(ctx)
}

/// Every id in an answer (bodies, `Link` headers) is written as the server played writes it:
/// GoToSocial's are ULIDs.
async fn id_style(
    axum::extract::State(ctx): axum::extract::State<Ctx>,
    request: axum::extract::Request,
    next: middleware::Next,
) -> Response {
    let style = match ctx.dialect() {
        facets_model::Dialect::GoToSocial => crate::ids::IdStyle::Ulid,
        _ => crate::ids::IdStyle::Snowflake,
    };
    crate::ids::written_as(style, next.run(request)).await
}

/// Direct messages: Mastodon's conversations API, or Pixelfed's own threads beside a
/// conversations list paged by number.
fn direct_message_routes(dialect: facets_model::Dialect) -> Router<Ctx> {
    match dialect {
        facets_model::Dialect::Pixelfed => Router::new()
            .route("/api/v1/conversations", get(direct::conversations))
            .route("/api/v1.1/direct/thread", get(direct::thread))
            .route("/api/v1.1/direct/thread/send", post(direct::send))
            .route("/api/v1.1/direct/thread/read", post(direct::read)),
        _ => Router::new()
            .route("/api/v1/conversations", get(conversations::list))
            .route("/api/v1/conversations/{id}/read", post(conversations::mark_read)),
    }
}

/// What only Mastodon has among the servers the demo plays: RFC 8414 OAuth metadata (4.3+) and
/// the streaming API over server-sent events (GoToSocial and Akkoma stream over WebSocket only,
/// Pixelfed not at all), so a client of the others polls.
fn mastodon_only_routes(dialect: facets_model::Dialect) -> Router<Ctx> {
    match dialect {
        facets_model::Dialect::Mastodon => Router::new()
            .route("/.well-known/oauth-authorization-server", get(oauth::metadata))
            .route("/api/v1/streaming/health", get(streaming::health))
            .route("/api/v1/streaming/direct", get(streaming::direct)),
        _ => Router::new(),
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound
}

/// An id in a path: one that cannot exist is simply not found, as in Mastodon.
fn parse_id(text: &str) -> Result<Id, ApiError> {
    text.parse().map_err(|_| ApiError::NotFound)
}

fn now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// A page of entities as JSON, with Mastodon's `Link` header for the pages around it.
fn page_response<T, W: Serialize>(
    page: &Page,
    endpoint: &str,
    kept: &[(&str, String)],
    selected: Vec<(Id, T)>,
    render: impl Fn(T) -> W,
) -> Response {
    let ids: Vec<Id> = selected.iter().map(|(id, _)| *id).collect();
    let body: Vec<W> = selected.into_iter().map(|(_, item)| render(item)).collect();
    let mut response = Json(body).into_response();
    if let Some(link) = page.link_header(endpoint, kept, &ids) {
        response
            .headers_mut()
            .insert(LINK, link.parse().expect("URLs built from ids and encoded params are valid header values"));
    }
    response
}
