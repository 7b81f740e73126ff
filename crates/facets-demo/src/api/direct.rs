//! Pixelfed's direct messages (`/api/v1.1/direct/thread…`), served by Visual as Pixelfed does:
//! a thread is addressed by the other person's account, read a few messages at a time, newest
//! first; a message is sent without an idempotency key; reading is marked by person. And
//! Pixelfed's `GET /api/v1/conversations`, paged by number with no `Link` header and never
//! unread (Pixelfed keeps that on the messages).
//!
//! Shapes follow `DirectMessageController` and `ApiV1Controller::conversations` of
//! `pixelfed/pixelfed`.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use facets_wire as wire;
use serde::Deserialize;

use super::extract::{is_json, ApiQuery, UserSession};
use super::{now_ms, ApiError, Ctx};
use crate::faults::LedgerEntry;
use crate::ids::Id;
use crate::model::{ConversationRecord, StatusRecord, Visibility};
use crate::render::Renderer;
use crate::state::SurfaceState;

/// Messages per page of a thread, as Pixelfed.
const THREAD_PAGE: usize = 8;
/// Pixelfed's caps on a conversations page and on one message.
const MAX_CONVERSATIONS_PAGE: usize = 40;
const MAX_MESSAGE: usize = 500;

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NumberedPage {
    page: Option<String>,
    limit: Option<String>,
}

/// `GET /api/v1/conversations?page=N&limit=L`.
pub(crate) async fn conversations(
    State(ctx): State<Ctx>,
    _: UserSession,
    ApiQuery(query): ApiQuery<NumberedPage>,
) -> Result<Json<Vec<wire::Conversation>>, ApiError> {
    let number = |value: &Option<String>, default: usize, name: &str| match value.as_deref() {
        None | Some("") => Ok(default),
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| ApiError::Unprocessable(format!("The {name} must be an integer."))),
    };
    let page = number(&query.page, 1, "page")?;
    let limit = number(&query.limit, 20, "limit")?.min(MAX_CONVERSATIONS_PAGE);
    let data = ctx.shared.lock();
    let state = data.surface(ctx.surface);
    let mut conversations: Vec<&ConversationRecord> = state.conversations.iter().collect();
    conversations.sort_by_key(|c| std::cmp::Reverse(c.last_status()));
    let renderer = Renderer::new(&ctx.shared.origin, ctx.surface, &data);
    Ok(Json(
        conversations
            .into_iter()
            .skip((page - 1).saturating_mul(limit))
            .take(limit)
            .map(|c| wire::Conversation { unread: false, ..renderer.conversation(c) })
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ThreadQuery {
    pid: Option<String>,
    max_id: Option<String>,
    min_id: Option<String>,
}

/// `GET /api/v1.1/direct/thread?pid=…[&max_id=…|&min_id=…]`.
pub(crate) async fn thread(
    State(ctx): State<Ctx>,
    _: UserSession,
    ApiQuery(query): ApiQuery<ThreadQuery>,
) -> Result<Json<wire::DirectThread>, ApiError> {
    let pid = account_id(query.pid.as_deref())?;
    let cursor = |value: &Option<String>| -> Result<Option<u64>, ApiError> {
        match value.as_deref() {
            None | Some("") => Ok(None),
            Some(text) => {
                text.parse().map(Some).map_err(|_| ApiError::Unprocessable("The max id must be an integer.".into()))
            }
        }
    };
    let (max_id, min_id) = (cursor(&query.max_id)?, cursor(&query.min_id)?);
    let data = ctx.shared.lock();
    let state = data.surface(ctx.surface);
    let person = state.account(pid).ok_or(ApiError::NotFound)?;
    let renderer = Renderer::new(&ctx.shared.origin, ctx.surface, &data);
    let account = renderer.account(person);
    let mut messages: Vec<wire::DirectMessage> = Vec::new();
    if let Some(conversation) = one_to_one(state, pid) {
        let newest_first = conversation.statuses.iter().rev().filter_map(|id| state.status(*id));
        let unseen_from = unseen_from(state, conversation);
        let mut page: Vec<&StatusRecord> = match (max_id, min_id) {
            (_, Some(min)) => {
                let mut newer: Vec<&StatusRecord> =
                    newest_first.filter(|s| s.id.direct_message_number() > min).collect();
                let keep = newer.len().saturating_sub(THREAD_PAGE);
                newer.drain(..keep);
                newer
            }
            (Some(max), None) => {
                newest_first.filter(|s| s.id.direct_message_number() < max).take(THREAD_PAGE).collect()
            }
            (None, None) => newest_first.take(THREAD_PAGE).collect(),
        };
        let user = state.user_account().id;
        messages = page
            .drain(..)
            .map(|status| {
                let seen = status.author == user || unseen_from.is_none_or(|from| status.id < from);
                message(&renderer, status, user, seen)
            })
            .collect();
    }
    Ok(Json(wire::DirectThread {
        id: account.id,
        name: account.display_name,
        username: account.username,
        avatar: account.avatar,
        url: account.url,
        messages,
    }))
}

/// `POST /api/v1.1/direct/thread/send` (JSON or form): `to_id`, `message`, `type`.
pub(crate) async fn send(
    State(ctx): State<Ctx>,
    _: UserSession,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<wire::DirectMessage>, ApiError> {
    let form: wire::NewDirectMessage = json_or_form(&headers, &body)?;
    if form.message.trim().is_empty() {
        return Err(ApiError::Unprocessable("The message field is required.".into()));
    }
    if form.message.chars().count() > MAX_MESSAGE {
        return Err(ApiError::Unprocessable(format!("The message must not be greater than {MAX_MESSAGE} characters.")));
    }
    if !matches!(form.kind.as_str(), "text" | "emoji") {
        return Err(ApiError::Unprocessable("The selected type is invalid.".into()));
    }
    let recipient = account_id(Some(&form.to_id))?;
    let (id, answer) = {
        let mut data = ctx.shared.lock();
        let now = now_ms();
        let state = data.surface(ctx.surface);
        let user = state.user_account().id;
        if recipient == user || state.account(recipient).is_none() {
            return Err(ApiError::NotFound);
        }
        let record = StatusRecord {
            id: data.ids.issue(now),
            author: user,
            text: form.message.clone(),
            mentions: vec![recipient],
            tags: Vec::new(),
            spoiler_text: String::new(),
            sensitive: false,
            visibility: Visibility::Direct,
            in_reply_to: None,
            in_reply_to_account: None,
            media: Vec::new(),
            language: None,
            others_favourites: 0,
            reblogs: 0,
            edited_at: None,
        };
        let id = record.id;
        let state = data.surface_mut(ctx.surface);
        state.insert_status(record);
        match state.conversations.iter_mut().find(|c| c.participants == [recipient]) {
            Some(conversation) => {
                conversation.statuses.push(id);
                conversation.unread = false;
            }
            None => state.conversations.push(ConversationRecord {
                id,
                participants: vec![recipient],
                statuses: vec![id],
                unread: false,
            }),
        }
        ctx.shared.faults.record(LedgerEntry {
            surface: ctx.surface,
            status_id: id.to_string(),
            idempotency_key: None,
            text: form.message,
            media_count: 0,
        });
        let state = data.surface(ctx.surface);
        let status = state.status(id).expect("just inserted");
        let renderer = Renderer::new(&ctx.shared.origin, ctx.surface, &data);
        // The answer to sending has only a relative time, as Pixelfed's.
        (id, wire::DirectMessage { created_at: None, ..message(&renderer, status, user, false) })
    };
    ctx.shared.save()?;
    ctx.shared.direct_message_posted(ctx.surface, id);
    Ok(Json(answer))
}

/// `POST /api/v1.1/direct/thread/read` (JSON or form): `pid`, `sid`. Answers the numbers of
/// the messages it marked.
pub(crate) async fn read(
    State(ctx): State<Ctx>,
    _: UserSession,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Vec<String>>, ApiError> {
    let form: wire::DirectThreadRead = json_or_form(&headers, &body)?;
    let pid = account_id(Some(&form.pid))?;
    let from: Id = form.sid.parse().map_err(|_| ApiError::Unprocessable("The sid field is required.".into()))?;
    let marked = {
        let mut data = ctx.shared.lock();
        let state = data.surface_mut(ctx.surface);
        let user = state.user_account().id;
        let Some(conversation) = state.conversations.iter_mut().find(|c| c.participants == [pid]) else {
            return Ok(Json(Vec::new()));
        };
        conversation.unread = false;
        let statuses = conversation.statuses.clone();
        let state = data.surface(ctx.surface);
        statuses
            .into_iter()
            .filter(|id| *id >= from && state.status(*id).is_some_and(|s| s.author != user))
            .map(|id| id.direct_message_number().to_string())
            .collect()
    };
    ctx.shared.save()?;
    Ok(Json(marked))
}

/// A body as JSON, or as a form whose fields are the object's (Laravel reads either).
fn json_or_form<T: serde::de::DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, ApiError> {
    let value = if is_json(headers) {
        serde_json::from_slice(body).map_err(|e| ApiError::Unprocessable(e.to_string()))?
    } else {
        serde_json::Value::Object(
            url::form_urlencoded::parse(body)
                .map(|(key, value)| (key.into_owned(), serde_json::Value::String(value.into_owned())))
                .collect(),
        )
    };
    serde_json::from_value(value).map_err(|e| ApiError::Unprocessable(e.to_string()))
}

fn account_id(raw: Option<&str>) -> Result<Id, ApiError> {
    match raw {
        None | Some("") => Err(ApiError::Unprocessable("The pid field is required.".into())),
        Some(text) => text.parse().map_err(|_| ApiError::NotFound),
    }
}

/// The user's one-to-one conversation with `account`: Pixelfed's threads are between two.
fn one_to_one(state: &SurfaceState, account: Id) -> Option<&ConversationRecord> {
    state.conversations.iter().find(|c| c.participants == [account])
}

/// Where the unread messages of an unread conversation begin: after the user's last one.
fn unseen_from(state: &SurfaceState, conversation: &ConversationRecord) -> Option<Id> {
    if !conversation.unread {
        return None;
    }
    let user = state.user_account().id;
    let last_of_user =
        conversation.statuses.iter().rev().find(|id| state.status(**id).is_some_and(|s| s.author == user));
    conversation.statuses.iter().copied().find(|id| last_of_user.is_none_or(|mine| id > mine))
}

/// A message as Pixelfed's thread shows it; one with pictures is a `photo`, whose `media` is
/// the first picture's address and whose `carousel` describes them all.
fn message(renderer: &Renderer, status: &StatusRecord, user: Id, seen: bool) -> wire::DirectMessage {
    let carousel = renderer.attachments(status);
    wire::DirectMessage {
        id: status.id.direct_message_number().to_string(),
        report_id: status.id.to_string(),
        is_author: status.author == user,
        kind: if carousel.is_empty() { "text" } else { "photo" }.into(),
        text: Some(status.text.clone()),
        media: carousel.first().and_then(|picture| picture.url.clone()),
        carousel,
        created_at: Some(crate::render::created_at(status.id.unix_ms())),
        seen,
        hidden: false,
    }
}
