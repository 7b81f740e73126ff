//! `GET /api/v1/timelines/home` and `/public`: one page selection, each its own statuses.

use axum::extract::State;
use std::sync::atomic::Ordering;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::extract::{truthy, ApiQuery, UserSession};
use super::{page_response, ApiError, Ctx};
use crate::model::{StatusRecord, Visibility};
use crate::pagination::{Page, PageQuery};
use crate::render::Renderer;
use crate::state::SurfaceState;

/// The filters of the home and public timelines, kept in their `Link` headers.
#[derive(Deserialize)]
pub(crate) struct TimelineFilters {
    only_media: Option<String>,
    local: Option<String>,
    remote: Option<String>,
}

impl TimelineFilters {
    fn kept(&self) -> Vec<(&'static str, String)> {
        [("only_media", &self.only_media), ("local", &self.local), ("remote", &self.remote)]
            .into_iter()
            .filter_map(|(key, value)| value.clone().map(|v| (key, v)))
            .collect()
    }
}

pub(crate) async fn home(
    State(ctx): State<Ctx>,
    _: UserSession,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filters): ApiQuery<TimelineFilters>,
) -> Result<Response, ApiError> {
    let regenerating = ctx.dialect() == facets_model::Dialect::Mastodon
        && ctx
            .shared
            .home_regenerating
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| left.checked_sub(1))
            .is_ok();
    if regenerating {
        // Mastodon rebuilds a returning user's home feed in the background and meanwhile
        // answers with what it has so far: here, nothing.
        return Ok((StatusCode::PARTIAL_CONTENT, Json(Vec::<facets_wire::Status>::new())).into_response());
    }
    timeline(&ctx, &page, &filters, "home", |state, status| state.in_home(status))
}

/// `GET /api/v1/timelines/public`: everyone's public posts, newest first, without the accounts
/// the user keeps away. On Visual, as on Pixelfed, photo posts only (no comments).
pub(crate) async fn public(
    State(ctx): State<Ctx>,
    _: UserSession,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filters): ApiQuery<TimelineFilters>,
) -> Result<Response, ApiError> {
    let posts_only = ctx.surface == facets_model::Surface::Visual;
    timeline(&ctx, &page, &filters, "public", |state, status| {
        matches!(status.visibility, Visibility::Public | Visibility::Local)
            && !state.kept_away(status.author)
            && (!posts_only || status.in_reply_to.is_none())
    })
}

/// A page of the statuses `shown` keeps, newest first, with the filters every timeline takes.
fn timeline(
    ctx: &Ctx,
    page: &PageQuery,
    filters: &TimelineFilters,
    name: &str,
    shown: impl Fn(&SurfaceState, &StatusRecord) -> bool,
) -> Result<Response, ApiError> {
    let page = Page::parse(page)?;
    let only_media = truthy(filters.only_media.as_deref());
    // Everyone in the demo world is local to their server, so `remote` leaves nothing.
    let remote_only = truthy(filters.remote.as_deref());
    let data = ctx.shared.lock();
    let state = data.surface(ctx.surface);
    let candidates = state
        .statuses_newest_first()
        .filter(|s| !remote_only && shown(state, s))
        .filter(|s| !only_media || !s.media.is_empty())
        .map(|s| (s.id, s));
    let selected = page.select(candidates);
    let renderer = Renderer::new(&ctx.shared.origin, ctx.surface, &data);
    let endpoint = format!("{}/api/v1/timelines/{name}", renderer.base());
    Ok(page_response(&page, &endpoint, &filters.kept(), selected, |s| renderer.status(s)))
}
