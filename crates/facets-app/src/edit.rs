//! Editing published posts: one copy, or every cross-posted copy at once. An edit goes straight
//! to the servers (`PUT /api/v1/statuses/:id`) while the user waits, and the cache takes the
//! servers' answers; sending the same edit again is harmless, so a failed one is simply retried.

use facets_model::{PostKey, Surface};
use facets_wire::NewStatus;
use serde::{Deserialize, Serialize};

use crate::compose::counted_length;
use crate::outbox::OutgoingPost;
use crate::views::PostView;
use crate::{now, AppError, CacheChanged, Core, TimelineKind};

/// What the edit dialog starts from.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EditSource {
    pub key: String,
    pub text: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    /// The other surfaces holding a cross-posted copy of this post.
    pub copies_on: Vec<Surface>,
}

/// The words of a post after an edit.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PostEdit {
    pub text: String,
    #[serde(default)]
    pub spoiler_text: String,
    #[serde(default)]
    pub sensitive: bool,
}

impl Core {
    /// The post as its author wrote it. A post Facets published and nobody edited since keeps
    /// the exact text that was sent; otherwise the server's HTML is read back into text.
    pub fn edit_source(&self, key: &str) -> Result<EditSource, AppError> {
        let key: PostKey = key.parse()?;
        let store = self.store();
        let post = store.post(&key)?.ok_or(AppError::NotFound)?;
        let own =
            store.links()?.iter().any(|l| l.surface == key.surface && l.remote_account_id == post.author.remote_id);
        if !own {
            return Err(AppError::Invalid("Only your own posts can be edited.".into()));
        }
        let sent_text = match (post.edited_at, store.outbox_row_for_remote(key.surface, &key.remote_id)?) {
            (None, Some(row_id)) => store
                .outbox_row(&row_id)?
                .and_then(|row| serde_json::from_str::<OutgoingPost>(&row.payload).ok())
                .map(|sent| sent.text),
            _ => None,
        };
        let text = match sent_text {
            Some(text) => text,
            None => store.post_text(&key)?.unwrap_or_default(),
        };
        let copies_on = store
            .copies_of(key.surface, &key.remote_id)?
            .into_iter()
            .map(|(surface, _)| surface)
            .filter(|surface| *surface != key.surface)
            .collect();
        Ok(EditSource {
            key: key.to_string(),
            text,
            spoiler_text: post.spoiler_text,
            sensitive: post.sensitive,
            copies_on,
        })
    }

    /// Applies an edit to a post and, with `everywhere`, to its cross-posted copies. Checks every
    /// copy against its server's limits before sending any, so an edit does not land on one
    /// surface and bounce off the other. Returns the edited posts as cached.
    pub async fn edit_post(&self, key: &str, edit: PostEdit, everywhere: bool) -> Result<Vec<PostView>, AppError> {
        let key: PostKey = key.parse()?;
        let mut targets = vec![key.clone()];
        if everywhere {
            for (surface, remote_id) in self.store().copies_of(key.surface, &key.remote_id)? {
                let copy = PostKey { surface, remote_id };
                if !targets.contains(&copy) {
                    targets.push(copy);
                }
            }
        }
        let limits = self.compose_limits()?;
        let mut requests = Vec::new();
        for target in &targets {
            let post = self.store().post(target)?.ok_or(AppError::NotFound)?;
            if edit.text.trim().is_empty() && post.media.is_empty() {
                return Err(AppError::Invalid("A post without pictures needs some words.".into()));
            }
            if let Some(limit) = limits.iter().find(|l| l.surface == target.surface) {
                // The content warning counts too, as on the servers.
                let length = counted_length(&edit.text, limit.characters_reserved_per_url)
                    + edit.spoiler_text.trim().chars().count();
                if length > limit.max_characters as usize {
                    return Err(AppError::Invalid(format!(
                        "The text is {} characters over the {} limit of {}.",
                        length - limit.max_characters as usize,
                        target.surface,
                        limit.max_characters
                    )));
                }
            }
            let spoiler_text = edit.spoiler_text.trim().to_owned();
            requests.push((
                target.clone(),
                NewStatus {
                    status: edit.text.clone(),
                    // The attachments stay as they are; naming them keeps them on every server.
                    media_ids: post.media.iter().map(|m| m.remote_id.clone()).collect(),
                    sensitive: Some(edit.sensitive || !spoiler_text.is_empty()),
                    spoiler_text: Some(spoiler_text),
                    ..NewStatus::default()
                },
            ));
        }

        let mut edited = Vec::new();
        for (target, request) in requests {
            let session = self.session(target.surface).await?;
            let status = session.client.edit_status(&target.remote_id, &request).await?;
            self.store().ingest_statuses(target.surface, None, std::slice::from_ref(&status), None, now())?;
            edited.push(target);
        }
        for surface in Surface::ALL {
            for timeline in TimelineKind::ALL {
                let _ = self.changes.send(CacheChanged { surface, timeline });
            }
        }
        let posts: Vec<_> = edited.iter().filter_map(|key| self.store().post(key).ok().flatten()).collect();
        Ok(self.post_views(&posts))
    }
}
