//! The user's privacy on each server: `PATCH /api/v1/accounts/update_credentials` (its privacy
//! fields), follow requests, blocks and mutes. Feed keeps Mastodon's semantics; Visual keeps
//! Pixelfed's, which has no directory, collection or search-engine settings and ignores them.

use axum::extract::{Path, State};
use axum::Json;
use facets_model::Surface;
use facets_wire as wire;
use serde::Deserialize;

use super::extract::{truthy, FormOrJson, UserSession};
use super::{parse_id, ApiError, Ctx};
use crate::ids::Id;
use crate::model::Visibility;
use crate::render::Renderer;
use crate::state::SurfaceState;

/// The privacy fields of `update_credentials`; the others (name, bio, avatar…) are not
/// implemented by the demo and ignored.
#[derive(Deserialize, Default)]
pub(crate) struct PrivacyForm {
    locked: Option<String>,
    discoverable: Option<String>,
    hide_collections: Option<String>,
    indexable: Option<String>,
    #[serde(rename = "source[privacy]")]
    privacy: Option<String>,
    #[serde(rename = "source[sensitive]")]
    sensitive: Option<String>,
}

pub(crate) async fn update_credentials(
    State(ctx): State<Ctx>,
    _: UserSession,
    FormOrJson(form): FormOrJson<PrivacyForm>,
) -> Result<Json<wire::Account>, ApiError> {
    let default_visibility = match form.privacy.as_deref() {
        None => None,
        Some(text) => match Visibility::parse(text) {
            Some(visibility) if !matches!(visibility, Visibility::Direct | Visibility::Local) => Some(visibility),
            _ => return Err(ApiError::Unprocessable("Validation failed: Privacy is not included in the list".into())),
        },
    };
    let flag = |value: &Option<String>| value.as_deref().map(|v| truthy(Some(v)));
    let account = {
        let mut data = ctx.shared.lock();
        let state = data.surface_mut(ctx.surface);
        let privacy = &mut state.privacy;
        if let Some(locked) = flag(&form.locked) {
            if privacy.locked && !locked {
                // As Mastodon does on unlocking: whoever was waiting is let in.
                let waiting = std::mem::take(&mut privacy.follow_requests);
                privacy.new_followers.extend(waiting);
            }
            privacy.locked = locked;
        }
        if let Some(visibility) = default_visibility {
            privacy.default_visibility = visibility;
        }
        if let Some(sensitive) = flag(&form.sensitive) {
            privacy.sensitive = sensitive;
        }
        if ctx.surface == Surface::Feed {
            if let Some(value) = flag(&form.discoverable) {
                privacy.discoverable = value;
            }
            if let Some(value) = flag(&form.hide_collections) {
                privacy.hide_collections = value;
            }
            if let Some(value) = flag(&form.indexable) {
                privacy.indexable = value;
            }
        }
        Renderer::new(&ctx.shared.origin, ctx.surface, &data).credential_account()
    };
    ctx.shared.save()?;
    Ok(Json(account))
}

pub(crate) async fn follow_requests(State(ctx): State<Ctx>, _: UserSession) -> Json<Vec<wire::Account>> {
    accounts(&ctx, |state| state.privacy.follow_requests.clone())
}

pub(crate) async fn blocks(State(ctx): State<Ctx>, _: UserSession) -> Json<Vec<wire::Account>> {
    accounts(&ctx, |state| state.privacy.blocked.clone())
}

pub(crate) async fn mutes(State(ctx): State<Ctx>, _: UserSession) -> Json<Vec<wire::Account>> {
    accounts(&ctx, |state| state.privacy.muted.clone())
}

fn accounts(ctx: &Ctx, ids: impl Fn(&SurfaceState) -> Vec<Id>) -> Json<Vec<wire::Account>> {
    let data = ctx.shared.lock();
    let state = data.surface(ctx.surface);
    let renderer = Renderer::new(&ctx.shared.origin, ctx.surface, &data);
    Json(ids(state).into_iter().filter_map(|id| state.account(id)).map(|a| renderer.account(a)).collect())
}

pub(crate) async fn authorize(
    ctx: State<Ctx>,
    user: UserSession,
    id: Path<String>,
) -> Result<Json<wire::Relationship>, ApiError> {
    answer(ctx, user, id, true).await
}

pub(crate) async fn reject(
    ctx: State<Ctx>,
    user: UserSession,
    id: Path<String>,
) -> Result<Json<wire::Relationship>, ApiError> {
    answer(ctx, user, id, false).await
}

async fn answer(
    State(ctx): State<Ctx>,
    _: UserSession,
    Path(id): Path<String>,
    approve: bool,
) -> Result<Json<wire::Relationship>, ApiError> {
    let id = parse_id(&id)?;
    change(&ctx, id, |privacy| {
        let position = privacy.follow_requests.iter().position(|&r| r == id).ok_or(ApiError::NotFound)?;
        privacy.follow_requests.remove(position);
        if approve {
            privacy.new_followers.push(id);
        }
        Ok(())
    })
}

/// `block`, `unblock`, `mute`, `unmute`.
pub(crate) async fn relate(
    State(ctx): State<Ctx>,
    _: UserSession,
    Path((id, verb)): Path<(String, String)>,
) -> Result<Json<wire::Relationship>, ApiError> {
    let id = parse_id(&id)?;
    change(&ctx, id, |privacy| {
        let (list, on) = match verb.as_str() {
            "block" => (&mut privacy.blocked, true),
            "unblock" => (&mut privacy.blocked, false),
            "mute" => (&mut privacy.muted, true),
            "unmute" => (&mut privacy.muted, false),
            _ => return Err(ApiError::NotFound),
        };
        list.retain(|&a| a != id);
        if on {
            list.push(id);
        }
        if verb == "block" {
            // A block ends following both ways, and any pending request.
            privacy.new_followers.retain(|&a| a != id);
            privacy.follow_requests.retain(|&a| a != id);
        }
        Ok(())
    })
}

fn change(
    ctx: &Ctx,
    account: Id,
    apply: impl FnOnce(&mut crate::model::AccountPrivacy) -> Result<(), ApiError>,
) -> Result<Json<wire::Relationship>, ApiError> {
    let relationship = {
        let mut data = ctx.shared.lock();
        let state = data.surface_mut(ctx.surface);
        if state.account(account).is_none() || account == state.user_account().id {
            return Err(ApiError::NotFound);
        }
        apply(&mut state.privacy)?;
        relationship(state, account)
    };
    ctx.shared.save()?;
    Ok(Json(relationship))
}

pub(crate) fn relationship(state: &SurfaceState, account: Id) -> wire::Relationship {
    let privacy = &state.privacy;
    wire::Relationship {
        id: account.to_string(),
        following: state.account(account).is_some_and(|a| a.followed),
        followed_by: privacy.new_followers.contains(&account),
        requested_by: privacy.follow_requests.contains(&account),
        blocking: privacy.blocked.contains(&account),
        muting: privacy.muted.contains(&account),
    }
}
