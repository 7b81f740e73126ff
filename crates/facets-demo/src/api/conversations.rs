//! `GET /api/v1/conversations`, `POST /api/v1/conversations/:id/read`.
//!
//! As in Mastodon, conversations are ordered and paged by their last status's id, so the `Link`
//! header's cursors are status ids.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use facets_wire as wire;

use super::extract::{ApiQuery, UserSession};
use super::{page_response, parse_id, ApiError, Ctx};
use crate::pagination::{Page, PageQuery};
use crate::render::Renderer;

pub(crate) async fn list(
    State(ctx): State<Ctx>,
    _: UserSession,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> Result<Response, ApiError> {
    let page = Page::parse(&page)?;
    let data = ctx.shared.lock();
    let state = data.surface(ctx.surface);
    let mut conversations: Vec<_> = state.conversations.iter().map(|c| (c.last_status(), c)).collect();
    conversations.sort_by_key(|(last_status, _)| std::cmp::Reverse(*last_status));
    let selected = page.select(conversations.into_iter());
    let renderer = Renderer::new(&ctx.shared.origin, ctx.surface, &data);
    let endpoint = format!("{}/api/v1/conversations", renderer.base());
    Ok(page_response(&page, &endpoint, &[], selected, |c| renderer.conversation(c)))
}

pub(crate) async fn mark_read(
    State(ctx): State<Ctx>,
    _: UserSession,
    Path(id): Path<String>,
) -> Result<Json<wire::Conversation>, ApiError> {
    let id = parse_id(&id)?;
    let conversation = {
        let mut data = ctx.shared.lock();
        let state = data.surface_mut(ctx.surface);
        let conversation = state.conversations.iter_mut().find(|c| c.id == id).ok_or(ApiError::NotFound)?;
        conversation.unread = false;
        let conversation = conversation.clone();
        Renderer::new(&ctx.shared.origin, ctx.surface, &data).conversation(&conversation)
    };
    ctx.shared.save()?;
    Ok(Json(conversation))
}
