//! `POST /api/v1/statuses`, `GET /api/v1/statuses/:id` and its context, and favourites.

use axum::extract::{FromRequest, Path, Request, State};
use axum::http::HeaderMap;
use axum::Json;
use facets_model::{Dialect, Surface};
use facets_wire as wire;

use super::extract::{is_json, truthy, Session, UserSession};
use super::{now_ms, parse_id, ApiError, Ctx};
use crate::faults::LedgerEntry;
use crate::ids::Id;
use crate::model::{ConversationRecord, MediaSource, StatusRecord, Visibility};
use crate::render::Renderer;
use crate::state::{Data, SurfaceState};
use crate::text;

const MAX_CHARACTERS: usize = 500;
const MAX_MEDIA: usize = 4;

pub(crate) async fn show(
    State(ctx): State<Ctx>,
    _: Session,
    Path(id): Path<String>,
) -> Result<Json<wire::Status>, ApiError> {
    let id = parse_id(&id)?;
    let data = ctx.shared.lock();
    let status = data.surface(ctx.surface).status(id).ok_or(ApiError::NotFound)?;
    Ok(Json(Renderer::new(&ctx.shared.origin, ctx.surface, &data).status(status)))
}

/// `DELETE /api/v1/statuses/:id`: only the user's own; anyone else's is "not found", as in
/// Mastodon. Answers with the status as it was.
pub(crate) async fn delete(
    State(ctx): State<Ctx>,
    _: UserSession,
    Path(id): Path<String>,
) -> Result<Json<wire::Status>, ApiError> {
    let id = parse_id(&id)?;
    let rendered = {
        let mut data = ctx.shared.lock();
        let state = data.surface(ctx.surface);
        let status = state.status(id).filter(|s| s.author == state.user_account().id).ok_or(ApiError::NotFound)?;
        let rendered = Renderer::new(&ctx.shared.origin, ctx.surface, &data).status(status);
        data.surface_mut(ctx.surface).remove_status(id);
        rendered
    };
    ctx.shared.save()?;
    Ok(Json(rendered))
}

/// `PUT /api/v1/statuses/:id`: the user edits one of their posts. Text, content warning,
/// sensitivity and attachments change; visibility and the reply it answers do not, as in
/// Mastodon. The attachments sent replace the old ones (reordered, fewer, or new uploads).
pub(crate) async fn edit(
    State(ctx): State<Ctx>,
    _: UserSession,
    Path(id): Path<String>,
    StatusForm(form): StatusForm,
) -> Result<Json<wire::Status>, ApiError> {
    let id = parse_id(&id)?;
    let rendered = {
        let mut data = ctx.shared.lock();
        let state = data.surface(ctx.surface);
        let user = state.user_account().id;
        let status = state.status(id).filter(|s| s.author == user).ok_or(ApiError::NotFound)?;
        let mut media = Vec::new();
        for raw in &form.media_ids {
            let record = raw.parse::<Id>().ok().and_then(|m| state.media.get(&m));
            let usable = record.filter(|m| m.owner == user && (m.status.is_none() || m.status == Some(id)));
            let record = usable.ok_or_else(|| ApiError::Unprocessable(format!("Media {raw} not found")))?;
            media.push(record.id);
        }
        // Mastodon keeps the attachments when the edit does not mention them.
        let media = if form.media_ids.is_empty() { status.media.clone() } else { media };
        check_content(ctx.surface, &form.status, !media.is_empty(), status.in_reply_to.is_some())?;
        let mentions = mentioned(state, &form.status, user);
        let previous = status.media.clone();
        let state = data.surface_mut(ctx.surface);
        for dropped in previous.iter().filter(|m| !media.contains(m)) {
            if let Some(record) = state.media.get_mut(dropped) {
                record.status = None;
            }
        }
        for kept in &media {
            if let Some(record) = state.media.get_mut(kept) {
                record.status = Some(id);
            }
        }
        let status = state.status_mut(id).expect("checked above");
        let spoiler_text = form.spoiler_text.unwrap_or_default();
        status.sensitive = form.sensitive.unwrap_or(false) || !spoiler_text.is_empty();
        status.spoiler_text = spoiler_text;
        status.tags = text::hashtags(&form.status);
        status.text = form.status;
        status.mentions = mentions;
        status.media = media;
        status.edited_at = Some(now_ms());
        let status = data.surface(ctx.surface).status(id).expect("checked above");
        Renderer::new(&ctx.shared.origin, ctx.surface, &data).status(status)
    };
    ctx.shared.save()?;
    Ok(Json(rendered))
}

/// The thread around a status: its ancestors oldest first, and its descendants depth-first in
/// the order they were posted, as Mastodon lays threads out.
pub(crate) async fn context(
    State(ctx): State<Ctx>,
    _: Session,
    Path(id): Path<String>,
) -> Result<Json<wire::Context>, ApiError> {
    let id = parse_id(&id)?;
    let data = ctx.shared.lock();
    let state = data.surface(ctx.surface);
    let status = state.status(id).ok_or(ApiError::NotFound)?;
    let mut ancestors = Vec::new();
    let mut parent = status.in_reply_to;
    while let Some(parent_id) = parent {
        let Some(ancestor) = state.status(parent_id) else {
            break;
        };
        ancestors.push(ancestor);
        parent = ancestor.in_reply_to;
    }
    ancestors.reverse();
    let mut descendants = Vec::new();
    let mut pending: Vec<Id> = state.replies_to(id).iter().rev().copied().collect();
    while let Some(next) = pending.pop() {
        if let Some(reply) = state.status(next) {
            descendants.push(reply);
            pending.extend(state.replies_to(next).iter().rev());
        }
    }
    let renderer = Renderer::new(&ctx.shared.origin, ctx.surface, &data);
    Ok(Json(wire::Context {
        ancestors: ancestors.into_iter().map(|s| renderer.status(s)).collect(),
        descendants: descendants.into_iter().map(|s| renderer.status(s)).collect(),
    }))
}

pub(crate) async fn favourite(
    State(ctx): State<Ctx>,
    _: UserSession,
    Path(id): Path<String>,
) -> Result<Json<wire::Status>, ApiError> {
    set_favourite(&ctx, &id, true)
}

pub(crate) async fn unfavourite(
    State(ctx): State<Ctx>,
    _: UserSession,
    Path(id): Path<String>,
) -> Result<Json<wire::Status>, ApiError> {
    set_favourite(&ctx, &id, false)
}

fn set_favourite(ctx: &Ctx, id: &str, favourited: bool) -> Result<Json<wire::Status>, ApiError> {
    let id = parse_id(id)?;
    let status = {
        let mut data = ctx.shared.lock();
        let state = data.surface_mut(ctx.surface);
        state.status(id).ok_or(ApiError::NotFound)?;
        if favourited {
            state.favourites.insert(id);
        } else {
            state.favourites.remove(&id);
        }
        let renderer = Renderer::new(&ctx.shared.origin, ctx.surface, &data);
        renderer.status(data.surface(ctx.surface).status(id).expect("checked above"))
    };
    ctx.shared.save()?;
    Ok(Json(status))
}

/// The body of `POST /api/v1/statuses`: JSON, or a form whose arrays are written `media_ids[]`.
pub(crate) struct StatusForm(pub wire::NewStatus);

impl<S: Send + Sync> FromRequest<S> for StatusForm {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<StatusForm, ApiError> {
        let json = is_json(request.headers());
        let body = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|e| ApiError::Unprocessable(e.body_text()))?;
        if json {
            return serde_json::from_slice(&body).map(StatusForm).map_err(|e| ApiError::Unprocessable(e.to_string()));
        }
        let mut status = wire::NewStatus::default();
        for (key, value) in url::form_urlencoded::parse(&body) {
            let value = value.into_owned();
            match key.as_ref() {
                "status" => status.status = value,
                "media_ids[]" | "media_ids" => status.media_ids.push(value),
                "in_reply_to_id" if !value.is_empty() => status.in_reply_to_id = Some(value),
                "sensitive" => status.sensitive = Some(truthy(Some(&value))),
                "spoiler_text" => status.spoiler_text = Some(value),
                "visibility" => status.visibility = Some(value),
                "language" => status.language = Some(value),
                _ => {}
            }
        }
        Ok(StatusForm(status))
    }
}

pub(crate) async fn create(
    State(ctx): State<Ctx>,
    UserSession(session): UserSession,
    headers: HeaderMap,
    StatusForm(form): StatusForm,
) -> Result<Json<wire::Status>, ApiError> {
    let idempotency_key =
        headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(|key| (session.token.clone(), key.to_owned()));
    let (id, fresh, status) = {
        let mut data = ctx.shared.lock();
        let repeated = idempotency_key.as_ref().and_then(|key| data.surface(ctx.surface).idempotency.get(key).copied());
        // Mastodon answers a repeated key with the post it made; Pixelfed keeps the key only to
        // refuse the repeat, so a client must look for its post itself.
        if repeated.is_some() && ctx.surface == Surface::Visual {
            return Err(ApiError::BadRequest("Duplicate request".into()));
        }
        let id = match repeated {
            Some(id) => id,
            None => {
                let (text, media_count) = (form.status.clone(), form.media_ids.len());
                let id = publish(&mut data, ctx.surface, ctx.dialect(), form, now_ms())?;
                ctx.shared.faults.record(LedgerEntry {
                    surface: ctx.surface,
                    status_id: id.to_string(),
                    idempotency_key: idempotency_key.as_ref().map(|(_, key)| key.clone()),
                    text,
                    media_count,
                });
                if let Some(key) = idempotency_key {
                    data.surface_mut(ctx.surface).idempotency.insert(key, id);
                }
                id
            }
        };
        let renderer = Renderer::new(&ctx.shared.origin, ctx.surface, &data);
        (id, repeated.is_none(), renderer.status(data.surface(ctx.surface).status(id).expect("just published")))
    };
    ctx.shared.save()?;
    if fresh && status.visibility == "direct" {
        ctx.shared.direct_message_posted(ctx.surface, id);
    }
    Ok(Json(status))
}

/// What creating and editing a post both check, with each dialect's own refusals.
fn check_content(surface: Surface, status: &str, has_media: bool, is_reply: bool) -> Result<(), ApiError> {
    if surface == Surface::Visual && !has_media && !is_reply {
        // Pixelfed's own check and message: photo posts need photos; only comments may be text.
        return Err(ApiError::Forbidden("Empty statuses are not allowed".into()));
    }
    if text::counted_length(status) > MAX_CHARACTERS {
        return Err(ApiError::Unprocessable(match surface {
            Surface::Feed => format!("Validation failed: Text character limit of {MAX_CHARACTERS} exceeded"),
            Surface::Visual => format!("The status field must not be greater than {MAX_CHARACTERS} characters."),
        }));
    }
    if status.trim().is_empty() && !has_media {
        return Err(ApiError::Unprocessable("Validation failed: Text can't be blank".into()));
    }
    Ok(())
}

/// The accounts a text mentions that exist here, the author aside.
fn mentioned(state: &SurfaceState, status: &str, author: Id) -> Vec<Id> {
    text::mentioned_usernames(status)
        .iter()
        .filter_map(|name| state.account_by_username(name))
        .map(|account| account.id)
        .filter(|id| *id != author)
        .collect()
}

/// Validates a new status as the server would, stores it, and returns its id.
fn publish(
    data: &mut Data,
    surface: Surface,
    dialect: Dialect,
    form: wire::NewStatus,
    now_ms: i64,
) -> Result<Id, ApiError> {
    let visibility = match form.visibility.as_deref() {
        None | Some("") => Visibility::Public,
        // Only Akkoma has local posts.
        Some(text) => {
            Visibility::parse(text).filter(|v| *v != Visibility::Local || dialect == Dialect::Akkoma).ok_or_else(
                || ApiError::Unprocessable("Validation failed: Visibility is not included in the list".into()),
            )?
        }
    };
    if visibility == Visibility::Direct && surface == Surface::Visual {
        // Pixelfed's statuses take public, unlisted or private; messages go through
        // `/api/v1.1/direct/thread/send`.
        return Err(ApiError::Unprocessable("The selected visibility is invalid.".into()));
    }
    if form.media_ids.len() > MAX_MEDIA {
        return Err(ApiError::Unprocessable(format!("Cannot attach more than {MAX_MEDIA} files")));
    }
    check_content(surface, &form.status, !form.media_ids.is_empty(), form.in_reply_to_id.is_some())?;

    let state = data.surface(surface);
    let user = state.user_account().id;
    let parent = match form.in_reply_to_id.as_deref() {
        None => None,
        Some(id) => Some(state.status(parse_id(id)?).ok_or(ApiError::NotFound)?),
    };
    let not_found = |ids: &[String]| {
        ApiError::Unprocessable(format!("Media {} not found or already attached to another post", ids.join(", ")))
    };
    let mut media = Vec::new();
    for raw in &form.media_ids {
        let record = raw.parse::<Id>().ok().and_then(|id| state.media.get(&id));
        let record = record
            .filter(|m| m.owner == user && m.status.is_none())
            .ok_or_else(|| not_found(std::slice::from_ref(raw)))?;
        if matches!(&record.source, MediaSource::Upload(upload) if upload.pending_polls > 0) {
            return Err(ApiError::Unprocessable(
                "Cannot attach files that have not finished processing. Try again in a moment!".into(),
            ));
        }
        media.push(record.id);
    }
    let mentions = mentioned(state, &form.status, user);
    let (in_reply_to, in_reply_to_account) = (parent.map(|p| p.id), parent.map(|p| p.author));
    let spoiler_text = form.spoiler_text.unwrap_or_default();
    let record = StatusRecord {
        id: data.ids.issue(now_ms),
        author: user,
        tags: text::hashtags(&form.status),
        text: form.status,
        mentions: mentions.clone(),
        sensitive: form.sensitive.unwrap_or(false) || !spoiler_text.is_empty(),
        spoiler_text,
        visibility,
        in_reply_to,
        in_reply_to_account,
        media: media.clone(),
        language: Some(form.language.filter(|l| !l.is_empty()).unwrap_or_else(|| "en".to_owned())),
        others_favourites: 0,
        reblogs: 0,
        edited_at: None,
    };
    let id = record.id;
    let state = data.surface_mut(surface);
    for media_id in &media {
        if let Some(attached) = state.media.get_mut(media_id) {
            attached.status = Some(id);
        }
    }
    state.insert_status(record);
    if visibility == Visibility::Direct {
        match in_reply_to.and_then(|parent| state.conversation_of(parent)) {
            Some(index) => {
                let conversation = &mut state.conversations[index];
                conversation.statuses.push(id);
                conversation.unread = false;
                for mentioned in mentions {
                    if !conversation.participants.contains(&mentioned) {
                        conversation.participants.push(mentioned);
                    }
                }
            }
            None => state.conversations.push(ConversationRecord {
                id,
                participants: mentions,
                statuses: vec![id],
                unread: false,
            }),
        }
    }
    Ok(id)
}
