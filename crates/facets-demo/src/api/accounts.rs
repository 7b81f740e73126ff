//! `GET /api/v1/accounts/verify_credentials`, `/accounts/:id`, `/accounts/:id/statuses`.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use facets_wire as wire;
use serde::Deserialize;

use super::extract::{truthy, ApiQuery, Session, UserSession};
use super::{page_response, parse_id, ApiError, Ctx};
use crate::model::Visibility;
use crate::pagination::{Page, PageQuery};
use crate::render::Renderer;

pub(crate) async fn verify_credentials(State(ctx): State<Ctx>, _: UserSession) -> Json<wire::Account> {
    let data = ctx.shared.lock();
    Json(Renderer::new(&ctx.shared.origin, ctx.surface, &data).credential_account())
}

pub(crate) async fn show(
    State(ctx): State<Ctx>,
    _: Session,
    Path(id): Path<String>,
) -> Result<Json<wire::Account>, ApiError> {
    let id = parse_id(&id)?;
    let data = ctx.shared.lock();
    let account = data.surface(ctx.surface).account(id).ok_or(ApiError::NotFound)?;
    Ok(Json(Renderer::new(&ctx.shared.origin, ctx.surface, &data).account(account)))
}

#[derive(Deserialize)]
pub(crate) struct AccountSearch {
    q: String,
    limit: Option<usize>,
}

/// `GET /api/v1/accounts/search`: accounts whose username or a word of whose name starts with
/// the query (`@name` and `name@this-server` too), exact usernames first.
pub(crate) async fn search(
    State(ctx): State<Ctx>,
    _: UserSession,
    ApiQuery(search): ApiQuery<AccountSearch>,
) -> Json<Vec<wire::Account>> {
    let query = search.q.trim().trim_start_matches('@').to_lowercase();
    let (local, domain) = query.split_once('@').unwrap_or((&query, ""));
    let limit = search.limit.unwrap_or(40).clamp(1, 80);
    let data = ctx.shared.lock();
    if local.is_empty() || !(domain.is_empty() || crate::LOCAL_DOMAIN.starts_with(domain)) {
        return Json(Vec::new());
    }
    let state = data.surface(ctx.surface);
    let mut found: Vec<_> = state
        .accounts()
        .iter()
        .filter_map(|account| {
            let person = &data.people[account.person];
            let username = person.username.to_lowercase();
            let rank = if username == local {
                0
            } else if username.starts_with(local) {
                1
            } else if person.display_name.to_lowercase().split_whitespace().any(|word| word.starts_with(local)) {
                2
            } else {
                return None;
            };
            Some((rank, username, account))
        })
        .collect();
    found.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let renderer = Renderer::new(&ctx.shared.origin, ctx.surface, &data);
    Json(found.into_iter().take(limit).map(|(_, _, account)| renderer.account(account)).collect())
}

#[derive(Deserialize)]
pub(crate) struct ProfileFilters {
    only_media: Option<String>,
    exclude_replies: Option<String>,
    exclude_reblogs: Option<String>,
    pinned: Option<String>,
    tagged: Option<String>,
}

impl ProfileFilters {
    /// The filters the request used, to repeat in the `Link` header's URLs.
    fn kept(&self) -> Vec<(&'static str, String)> {
        [
            ("only_media", &self.only_media),
            ("exclude_replies", &self.exclude_replies),
            ("exclude_reblogs", &self.exclude_reblogs),
            ("pinned", &self.pinned),
            ("tagged", &self.tagged),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.clone().map(|v| (key, v)))
        .collect()
    }
}

pub(crate) async fn statuses(
    State(ctx): State<Ctx>,
    _: Session,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<PageQuery>,
    ApiQuery(filters): ApiQuery<ProfileFilters>,
) -> Result<Response, ApiError> {
    let account_id = parse_id(&id)?;
    let page = Page::parse(&page)?;
    let data = ctx.shared.lock();
    let state = data.surface(ctx.surface);
    state.account(account_id).ok_or(ApiError::NotFound)?;
    let only_media = truthy(filters.only_media.as_deref());
    let exclude_replies = truthy(filters.exclude_replies.as_deref());
    let tag = filters.tagged.as_deref().map(str::to_lowercase);
    // Nothing is pinned in the demo world, and it has no reblogs to exclude.
    let pinned = truthy(filters.pinned.as_deref());
    let candidates = state
        .statuses_newest_first()
        .filter(|s| s.author == account_id && s.visibility != Visibility::Direct && !pinned)
        .filter(|s| !only_media || !s.media.is_empty())
        // Mastodon keeps self-replies (threads) when excluding replies.
        .filter(|s| !exclude_replies || s.in_reply_to_account.is_none_or(|to| to == account_id))
        .filter(|s| tag.as_ref().is_none_or(|tag| s.tags.contains(tag)))
        .map(|s| (s.id, s));
    let selected = page.select(candidates);
    let renderer = Renderer::new(&ctx.shared.origin, ctx.surface, &data);
    let endpoint = format!("{}/api/v1/accounts/{account_id}/statuses", renderer.base());
    Ok(page_response(&page, &endpoint, &filters.kept(), selected, |s| renderer.status(s)))
}
