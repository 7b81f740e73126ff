//! Composing: drafts saved as the user types, pictures prepared for upload, and publishing to
//! one or both surfaces through the outbox.

use std::path::PathBuf;

use facets_model::{Dialect, Surface, TimelineKind};
use facets_store::{DraftMediaRow, DraftRow, NewOutboxRow, OutboxRow, OutboxState};
use facets_wire::Status;
use serde::{Deserialize, Serialize};

use crate::outbox::{Clients, OutgoingMedia, OutgoingPost};
use crate::views::{iso, CacheChanged};
use crate::{now_ms, AppError, Core};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Audience {
    Public,
    Unlisted,
    /// Followers only.
    Private,
    /// Only the people mentioned.
    Direct,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Public => "public",
            Audience::Unlisted => "unlisted",
            Audience::Private => "private",
            Audience::Direct => "direct",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SurfaceVariant {
    pub surface: Surface,
    pub enabled: bool,
    /// When false, the variant follows the shared text and all the draft's pictures.
    #[serde(default)]
    pub customised: bool,
    #[serde(default)]
    pub text: String,
    pub audience: Audience,
    #[serde(default)]
    pub media_ids: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftMediaView {
    pub id: String,
    #[serde(default)]
    pub file_name: String,
    #[serde(default)]
    pub mime_type: String,
    #[serde(default)]
    pub width: Option<u32>,
    #[serde(default)]
    pub height: Option<u32>,
    /// Alt text.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub preview_url: String,
}

/// A draft as the UI edits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Draft {
    pub id: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub updated_at: String,
    #[serde(default)]
    pub text: String,
    /// The content warning, plain text.
    #[serde(default)]
    pub spoiler_text: String,
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub media: Vec<DraftMediaView>,
    pub variants: Vec<SurfaceVariant>,
}

/// What is stored for a draft; the files themselves are rows of `draft_media`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DraftDocument {
    text: String,
    spoiler_text: String,
    sensitive: bool,
    /// Picture ids in the order chosen, with their alt text.
    media: Vec<(String, String)>,
    variants: Vec<SurfaceVariant>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ComposeLimits {
    pub surface: Surface,
    pub max_characters: u32,
    pub max_media_attachments: u32,
    pub characters_reserved_per_url: u32,
    pub supported_mime_types: Vec<String>,
    pub image_size_limit: u64,
    #[serde(skip)]
    pub image_matrix_limit: u64,
    /// Pixelfed refuses posts without a picture.
    pub requires_media: bool,
    /// The account is private there, and what that means; `None` when it is not.
    pub private_account: Option<crate::privacy::LockedMeans>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxEntry {
    pub id: String,
    pub draft_id: String,
    pub surface: Surface,
    pub state: &'static str,
    pub attempts: u32,
    pub last_error: Option<String>,
    /// While waiting: "network", "server", "rate_limit", "session" or "processing".
    pub waiting_for: Option<&'static str>,
    pub next_attempt_at: Option<String>,
    /// The published post, once sent.
    pub post_key: Option<String>,
    pub created_at: String,
    /// The start of the text, to recognise the entry by.
    pub summary: String,
}

/// The largest file accepted from the UI before decoding.
const MAX_ATTACHMENT_BYTES: usize = 40 * 1024 * 1024;
const TARGETS_SETTING: &str = "compose.targets";

fn limits_key(surface: Surface) -> String {
    format!("instance_limits.{surface}")
}

/// Mastodon's count: every URL weighs `url_weight` characters, and a mention counts only its
/// local part (`@user@server` counts as `@user`).
pub fn counted_length(text: &str, url_weight: u32) -> usize {
    text.split_inclusive(char::is_whitespace)
        .map(|chunk| {
            let word = chunk.trim_end_matches(char::is_whitespace);
            let trailing = chunk.chars().count() - word.chars().count();
            // A server that reserves nothing for URLs counts them as written.
            let weight = if url_weight > 0 && (word.starts_with("http://") || word.starts_with("https://")) {
                url_weight as usize
            } else if let Some(local) = word.strip_prefix('@').and_then(|rest| rest.split_once('@')).map(|(u, _)| u) {
                1 + local.chars().count()
            } else {
                word.chars().count()
            };
            weight + trailing
        })
        .sum()
}

fn default_limits(surface: Surface, dialect: Dialect) -> ComposeLimits {
    let wire = facets_wire::InstanceConfiguration::default();
    limits_from(surface, dialect, &wire)
}

fn limits_from(surface: Surface, dialect: Dialect, config: &facets_wire::InstanceConfiguration) -> ComposeLimits {
    ComposeLimits {
        surface,
        max_characters: config.statuses.max_characters,
        max_media_attachments: config.statuses.max_media_attachments,
        characters_reserved_per_url: config.statuses.characters_reserved_per_url,
        supported_mime_types: config.media_attachments.supported_mime_types.clone(),
        image_size_limit: config.media_attachments.image_size_limit,
        image_matrix_limit: config.media_attachments.image_matrix_limit,
        requires_media: dialect == Dialect::Pixelfed,
        private_account: None,
    }
}

impl Draft {
    fn variant(&self, surface: Surface) -> Option<&SurfaceVariant> {
        self.variants.iter().find(|v| v.surface == surface)
    }

    fn text_for(&self, variant: &SurfaceVariant) -> String {
        if variant.customised {
            variant.text.clone()
        } else {
            self.text.clone()
        }
    }

    fn media_for(&self, variant: &SurfaceVariant) -> Vec<&DraftMediaView> {
        if variant.customised {
            variant.media_ids.iter().filter_map(|id| self.media.iter().find(|m| &m.id == id)).collect()
        } else {
            self.media.iter().collect()
        }
    }
}

/// Why a draft cannot go out yet, one sentence per problem; empty when it can.
pub fn problems(draft: &Draft, limits: &[ComposeLimits]) -> Vec<String> {
    let enabled: Vec<&SurfaceVariant> = draft.variants.iter().filter(|v| v.enabled).collect();
    if enabled.is_empty() {
        return vec!["Choose where to post: Feed, Visual or both.".into()];
    }
    let mut problems = Vec::new();
    for variant in enabled {
        let name = match variant.surface {
            Surface::Feed => "Feed",
            Surface::Visual => "Visual",
        };
        let Some(limit) = limits.iter().find(|l| l.surface == variant.surface) else {
            problems.push(format!("No account is linked for {name}."));
            continue;
        };
        let text = draft.text_for(variant);
        let media = draft.media_for(variant);
        let length = counted_length(&text, limit.characters_reserved_per_url)
            + counted_length(&draft.spoiler_text, limit.characters_reserved_per_url);
        if length > limit.max_characters as usize {
            problems.push(format!(
                "The {name} post is {} characters over its limit of {}.",
                length - limit.max_characters as usize,
                limit.max_characters
            ));
        }
        if limit.requires_media && media.is_empty() {
            problems.push(format!("{name} posts need at least one picture."));
        }
        if text.trim().is_empty() && media.is_empty() {
            problems.push(format!("The {name} post is empty."));
        }
        if media.len() > limit.max_media_attachments as usize {
            problems.push(format!("{name} takes at most {} pictures per post.", limit.max_media_attachments));
        }
        for picture in media {
            if !limit.supported_mime_types.is_empty() && !limit.supported_mime_types.contains(&picture.mime_type) {
                problems.push(format!("{name} does not accept {} files ({}).", picture.mime_type, picture.file_name));
            }
        }
    }
    problems
}

impl Core {
    fn draft_view(&self, row: &DraftRow) -> Result<Draft, AppError> {
        let document: DraftDocument = serde_json::from_str(&row.document)
            .map_err(|e| AppError::internal(format!("unreadable draft {}: {e}", row.id)))?;
        let files = self.store().draft_media(&row.id)?;
        let view = |file: &DraftMediaRow, description: String| DraftMediaView {
            id: file.id.clone(),
            file_name: file.file_name.clone(),
            mime_type: file.mime_type.clone(),
            width: file.width,
            height: file.height,
            description,
            preview_url: self.urls.draft_media(&file.id),
        };
        // The document's order first; files attached since the last save go last.
        let mut media: Vec<DraftMediaView> = document
            .media
            .iter()
            .filter_map(|(id, description)| files.iter().find(|f| &f.id == id).map(|f| view(f, description.clone())))
            .collect();
        for file in &files {
            if !media.iter().any(|m| m.id == file.id) {
                media.push(view(file, String::new()));
            }
        }
        let variants = document
            .variants
            .into_iter()
            .map(|mut v| {
                v.media_ids.retain(|id| media.iter().any(|m| &m.id == id));
                v
            })
            .collect();
        Ok(Draft {
            id: row.id.clone(),
            created_at: iso(row.created_at / 1000),
            updated_at: iso(row.updated_at / 1000),
            text: document.text,
            spoiler_text: document.spoiler_text,
            sensitive: document.sensitive,
            media,
            variants,
        })
    }

    fn write_draft(&self, draft: &Draft) -> Result<Draft, AppError> {
        let mut variants = Vec::new();
        for surface in Surface::ALL {
            let variant = draft.variant(surface).cloned().unwrap_or(SurfaceVariant {
                surface,
                enabled: false,
                customised: false,
                text: String::new(),
                audience: Audience::Public,
                media_ids: Vec::new(),
            });
            variants.push(variant);
        }
        let document = DraftDocument {
            text: draft.text.clone(),
            spoiler_text: draft.spoiler_text.clone(),
            sensitive: draft.sensitive,
            media: draft.media.iter().map(|m| (m.id.clone(), m.description.clone())).collect(),
            variants,
        };
        let json = serde_json::to_string(&document).map_err(|e| AppError::internal(e.to_string()))?;
        let row = self
            .store()
            .save_draft(&draft.id, &json, now_ms())?
            .ok_or_else(|| AppError::Invalid("This draft was already published.".into()))?;
        self.draft_view(&row)
    }

    /// With "Share new Visual posts to Feed" on, a public or unlisted post for Visual alone
    /// also goes to Feed, as its Visual variant says it and to the same audience. Followers-only
    /// and direct posts stay where they were meant for.
    fn with_automatic_share(&self, mut draft: Draft) -> Result<Draft, AppError> {
        if !self.privacy_settings()?.share_visual_to_feed {
            return Ok(draft);
        }
        let enabled = |surface| draft.variants.iter().find(|v| v.surface == surface && v.enabled).cloned();
        let feed_linked = self.store().links()?.iter().any(|l| l.surface == Surface::Feed);
        let Some(visual) = enabled(Surface::Visual) else { return Ok(draft) };
        if enabled(Surface::Feed).is_some()
            || !feed_linked
            || !matches!(visual.audience, Audience::Public | Audience::Unlisted)
        {
            return Ok(draft);
        }
        let copy = SurfaceVariant {
            surface: Surface::Feed,
            enabled: true,
            customised: true,
            text: draft.text_for(&visual),
            audience: visual.audience,
            media_ids: draft.media_for(&visual).iter().map(|m| m.id.clone()).collect(),
        };
        draft.variants.retain(|v| v.surface != Surface::Feed);
        draft.variants.push(copy);
        Ok(draft)
    }

    /// The limits of each linked surface, as its server last described them.
    pub fn compose_limits(&self) -> Result<Vec<ComposeLimits>, AppError> {
        let links = self.store().links()?;
        let mut limits = Vec::new();
        for link in links {
            let mut surface_limits = match self.instance_configuration(link.surface) {
                Some(config) => limits_from(link.surface, link.dialect, &config),
                None => default_limits(link.surface, link.dialect),
            };
            surface_limits.private_account = self.private_account(link.surface, link.dialect);
            limits.push(surface_limits);
        }
        Ok(limits)
    }

    /// The server's own description, as last read.
    pub(crate) fn instance_configuration(&self, surface: Surface) -> Option<facets_wire::InstanceConfiguration> {
        let saved = self.store().setting(&limits_key(surface)).ok().flatten()?;
        serde_json::from_str(&saved).ok()
    }

    pub(crate) fn remember_limits(&self, surface: Surface, config: &facets_wire::InstanceConfiguration) {
        if let Ok(json) = serde_json::to_string(config) {
            if let Err(error) = self.store().set_setting(&limits_key(surface), &json) {
                tracing::warn!(%error, "could not cache the server's limits");
            }
        }
    }

    pub fn draft_list(&self) -> Result<Vec<Draft>, AppError> {
        let rows = self.store().unsent_drafts()?;
        rows.iter().map(|row| self.draft_view(row)).collect()
    }

    /// A new empty draft aimed where the user last posted (Feed only, the first time).
    pub fn draft_new(&self) -> Result<Draft, AppError> {
        let linked: Vec<Surface> = self.store().links()?.iter().map(|l| l.surface).collect();
        let remembered: Vec<Surface> = self
            .store()
            .setting(TARGETS_SETTING)?
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_else(|| vec![Surface::Feed]);
        let draft = Draft {
            id: uuid::Uuid::new_v4().to_string(),
            created_at: String::new(),
            updated_at: String::new(),
            text: String::new(),
            spoiler_text: String::new(),
            sensitive: false,
            media: Vec::new(),
            variants: Surface::ALL
                .into_iter()
                .map(|surface| SurfaceVariant {
                    surface,
                    enabled: remembered.contains(&surface) && linked.contains(&surface),
                    customised: false,
                    text: String::new(),
                    audience: Audience::Public,
                    media_ids: Vec::new(),
                })
                .collect(),
        };
        self.write_draft(&draft)
    }

    /// Saves a draft durably: when this returns, a crash loses nothing.
    pub fn draft_save(&self, draft: &Draft) -> Result<Draft, AppError> {
        self.write_draft(draft)
    }

    pub async fn draft_delete(&self, id: &str) -> Result<(), AppError> {
        let files = self.store().delete_draft(id)?;
        for file in files {
            let _ = tokio::fs::remove_file(self.data_dir.join(&file.path)).await;
        }
        Ok(())
    }

    /// Attaches a picture: turned upright, scaled to the servers' budget and stripped of its
    /// metadata (location included) before it is stored with the draft.
    pub async fn draft_attach_media(&self, draft_id: &str, file_name: &str, bytes: Vec<u8>) -> Result<Draft, AppError> {
        let row = self.store().draft(draft_id)?.ok_or(AppError::NotFound)?;
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(AppError::Invalid(format!(
                "{file_name} is larger than {} MB.",
                MAX_ATTACHMENT_BYTES / (1024 * 1024)
            )));
        }
        let budget = self.compose_limits()?.iter().map(|l| l.image_matrix_limit).filter(|&m| m > 0).min().unwrap_or(0);
        let metadata = self.photo_metadata();
        let prepared = tokio::task::spawn_blocking(move || facets_media::prepare_for_upload(&bytes, budget, metadata))
            .await
            .map_err(|e| AppError::internal(e.to_string()))?
            .map_err(|e| AppError::Invalid(format!("{file_name} is not a picture Facets can read ({e}).")))?;
        let id = uuid::Uuid::new_v4().to_string();
        let relative = PathBuf::from("drafts").join(format!("{id}.{}", prepared.extension));
        let path = self.data_dir.join(&relative);
        tokio::fs::create_dir_all(self.data_dir.join("drafts"))
            .await
            .map_err(|e| AppError::internal(format!("cannot create the drafts folder: {e}")))?;
        let partial = path.with_extension("part");
        tokio::fs::write(&partial, &prepared.bytes)
            .await
            .and(tokio::fs::rename(&partial, &path).await)
            .map_err(|e| AppError::internal(format!("cannot store the picture: {e}")))?;
        let stem = std::path::Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or("picture");
        self.store().add_draft_media(&DraftMediaRow {
            id,
            draft_id: draft_id.to_owned(),
            file_name: format!("{stem}.{}", prepared.extension),
            mime_type: prepared.mime_type.to_owned(),
            width: Some(prepared.width),
            height: Some(prepared.height),
            path: relative.to_string_lossy().into_owned(),
            byte_size: prepared.bytes.len() as u64,
            created_at: now_ms(),
        })?;
        self.draft_view(&row)
    }

    pub async fn draft_remove_media(&self, draft_id: &str, media_id: &str) -> Result<Draft, AppError> {
        let removed = self.store().remove_draft_media(draft_id, media_id)?;
        if let Some(file) = removed {
            let _ = tokio::fs::remove_file(self.data_dir.join(&file.path)).await;
        }
        let row = self.store().draft(draft_id)?.ok_or(AppError::NotFound)?;
        self.draft_view(&row)
    }

    /// Queues the draft for each enabled surface in one transaction and returns at once; the
    /// outbox sends it.
    pub fn publish(&self, draft_id: &str) -> Result<Vec<OutboxEntry>, AppError> {
        let row = self.store().draft(draft_id)?.ok_or(AppError::NotFound)?;
        let chosen = self.draft_view(&row)?;
        let draft = self.with_automatic_share(chosen.clone())?;
        let problems = problems(&draft, &self.compose_limits()?);
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems.join(" ")));
        }
        let files = self.store().draft_media(draft_id)?;
        let mut rows = Vec::new();
        for variant in draft.variants.iter().filter(|v| v.enabled) {
            let media = draft
                .media_for(variant)
                .into_iter()
                .filter_map(|m| {
                    let file = files.iter().find(|f| f.id == m.id)?;
                    Some(OutgoingMedia {
                        draft_media_id: m.id.clone(),
                        path: file.path.clone(),
                        file_name: file.file_name.clone(),
                        mime_type: file.mime_type.clone(),
                        description: m.description.clone(),
                    })
                })
                .collect();
            let post = OutgoingPost {
                text: draft.text_for(variant),
                spoiler_text: draft.spoiler_text.clone(),
                sensitive: draft.sensitive,
                visibility: variant.audience.as_str().to_owned(),
                media,
                ..OutgoingPost::default()
            };
            rows.push(NewOutboxRow {
                id: uuid::Uuid::new_v4().to_string(),
                surface: variant.surface,
                idempotency_key: uuid::Uuid::new_v4().to_string(),
                payload: serde_json::to_string(&post).map_err(|e| AppError::internal(e.to_string()))?,
            });
        }
        if !self.store().enqueue(draft_id, &rows, now_ms())? {
            return Err(AppError::Invalid("This draft was already published.".into()));
        }
        // The user's choice is remembered, not the share Facets added.
        let targets: Vec<Surface> = chosen.variants.iter().filter(|v| v.enabled).map(|v| v.surface).collect();
        if let Ok(json) = serde_json::to_string(&targets) {
            self.store().set_setting(TARGETS_SETTING, &json)?;
        }
        self.outbox.wake();
        let store = self.store();
        rows.iter().filter_map(|r| store.outbox_row(&r.id).transpose()).map(|r| Ok(outbox_entry(&r?))).collect()
    }

    pub fn outbox_list(&self) -> Result<Vec<OutboxEntry>, AppError> {
        Ok(self.store().outbox()?.iter().map(outbox_entry).collect())
    }

    pub fn outbox_retry(&self, id: &str) -> Result<OutboxEntry, AppError> {
        let row = self
            .store()
            .transition_outbox(id, &[OutboxState::Failed, OutboxState::Waiting], OutboxState::Queued, now_ms())?
            .ok_or(AppError::NotFound)?;
        self.outbox.wake();
        let entry = outbox_entry(&row);
        let _ = self.outbox_changes.send(entry.clone());
        Ok(entry)
    }

    /// The system says the network is back: rows that waited for it go now, not at their
    /// next backoff. Rows a server asked to wait keep waiting. Pictures that failed to download
    /// are tried again when next shown.
    pub fn network_returned(&self) -> Result<usize, AppError> {
        self.media.forget_failures();
        let hurried = self.store().hurry_waits_for(facets_store::WaitReason::Network, now_ms())?;
        if hurried > 0 {
            self.outbox.wake();
        }
        Ok(hurried)
    }

    pub fn outbox_cancel(&self, id: &str) -> Result<OutboxEntry, AppError> {
        let row = self
            .store()
            .transition_outbox(
                id,
                &[OutboxState::Queued, OutboxState::Waiting, OutboxState::Failed],
                OutboxState::Cancelled,
                now_ms(),
            )?
            .ok_or(AppError::NotFound)?;
        let entry = outbox_entry(&row);
        let _ = self.outbox_changes.send(entry.clone());
        Ok(entry)
    }

    /// A row moved on: tell the UI, and put a just-published post into the cache.
    pub(crate) fn outbox_progressed(&self, row: &OutboxRow, sent: Option<&Status>) {
        let payload = serde_json::from_str::<OutgoingPost>(&row.payload).ok();
        let conversation = payload.as_ref().and_then(|p| p.conversation_id.clone());
        if sent.is_some() && payload.as_ref().is_some_and(|p| p.visibility == "direct" && p.conversation_id.is_none()) {
            // A new conversation: the server names it; the inbox learns it from there.
            self.poke_inbox();
        }
        let direct = payload.as_ref().is_some_and(|p| p.visibility == "direct");
        if let (Some(status), Some(conversation)) = (sent, &conversation) {
            match self.store().ingest_messages(row.surface, conversation, std::slice::from_ref(status)) {
                Ok(_) => self.inbox_changed(),
                Err(error) => tracing::warn!(%error, "could not cache a sent message"),
            }
        } else if let Some(status) = sent.filter(|_| !direct) {
            for timeline in [TimelineKind::Profile, TimelineKind::Home] {
                if let Err(error) = self.store().ingest_statuses(
                    row.surface,
                    Some(timeline),
                    std::slice::from_ref(status),
                    None,
                    crate::now(),
                ) {
                    tracing::warn!(%error, "could not cache a published post");
                }
            }
            // Every surface: a copy sent here makes its siblings there read "also on" this one,
            // and a view that loaded them before must read them again.
            for surface in Surface::ALL {
                for timeline in [TimelineKind::Profile, TimelineKind::Home] {
                    let _ = self.changes.send(CacheChanged { surface, timeline });
                }
            }
        }
        let _ = self.outbox_changes.send(outbox_entry(row));
    }
}

impl Clients for Core {
    fn client(&self, surface: Surface) -> Option<facets_client::MastodonClient> {
        self.sessions.lock().expect("sessions lock poisoned").get(&surface).map(|s| s.client.clone())
    }
}

pub(crate) fn outbox_entry(row: &OutboxRow) -> OutboxEntry {
    let summary = serde_json::from_str::<OutgoingPost>(&row.payload)
        .map(|post| {
            // A reply is recognised by what was typed, not by the mentions that address it.
            let typed = match post.conversation_id {
                Some(_) => crate::inbox::without_leading_mentions(&post.text),
                None => post.text.clone(),
            };
            let text: String = typed.chars().take(80).collect();
            if text.trim().is_empty() {
                format!("{} picture(s)", post.media.len())
            } else {
                text
            }
        })
        .unwrap_or_default();
    OutboxEntry {
        id: row.id.clone(),
        draft_id: row.draft_id.clone(),
        surface: row.surface,
        state: row.state.as_str(),
        attempts: row.attempts,
        last_error: row.last_error.clone(),
        waiting_for: row.waiting_for.filter(|_| row.state == OutboxState::Waiting).map(|r| r.as_str()),
        next_attempt_at: (row.state == OutboxState::Waiting).then(|| iso(row.next_attempt_at / 1000)),
        post_key: row.remote_status_id.as_ref().map(|id| format!("{}:{id}", row.surface)),
        created_at: iso(row.created_at / 1000),
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_weigh_a_fixed_amount_and_mentions_only_their_local_part() {
        assert_eq!(counted_length("hello", 23), 5);
        assert_eq!(counted_length("see https://example.com/a/very/long/path/indeed", 23), 4 + 23);
        assert_eq!(counted_length("hi @mara@facets.example!", 23), 3 + 5);
        assert_eq!(counted_length("naïve ☕", 23), 7, "characters, not bytes");
        assert_eq!(counted_length("a  b\n", 23), 5, "whitespace counts");
        assert_eq!(counted_length("https://example.com", 0), 19, "no reservation: as written");
    }

    fn limits() -> Vec<ComposeLimits> {
        vec![default_limits(Surface::Feed, Dialect::Mastodon), default_limits(Surface::Visual, Dialect::Pixelfed)]
    }

    fn draft(text: &str, feed: bool, visual: bool) -> Draft {
        Draft {
            id: "d".into(),
            created_at: String::new(),
            updated_at: String::new(),
            text: text.into(),
            spoiler_text: String::new(),
            sensitive: false,
            media: Vec::new(),
            variants: vec![
                SurfaceVariant {
                    surface: Surface::Feed,
                    enabled: feed,
                    customised: false,
                    text: String::new(),
                    audience: Audience::Public,
                    media_ids: vec![],
                },
                SurfaceVariant {
                    surface: Surface::Visual,
                    enabled: visual,
                    customised: false,
                    text: String::new(),
                    audience: Audience::Public,
                    media_ids: vec![],
                },
            ],
        }
    }

    #[test]
    fn problems_are_found_before_the_server_would_refuse() {
        assert!(problems(&draft("hello", true, false), &limits()).is_empty());
        assert_eq!(problems(&draft("hello", false, false), &limits()).len(), 1, "no target");
        let visual = problems(&draft("hello", true, true), &limits());
        assert!(visual.iter().any(|p| p.contains("picture")), "{visual:?}");
        let long = "x".repeat(501);
        assert!(problems(&draft(&long, true, false), &limits())[0].contains("1 characters over"));
        let mut customised = draft(&long, true, false);
        customised.variants[0].customised = true;
        customised.variants[0].text = "short".into();
        assert!(problems(&customised, &limits()).is_empty(), "the variant's own text counts");
    }
}
