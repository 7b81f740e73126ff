//! Keeping what the user made across restarts: their statuses, uploads, favourites, the state
//! of conversations, and OAuth registrations, as JSON (and the uploaded files) in the state
//! directory.
//!
//! The world itself is not saved: it is regenerated from the seed and the anchor time of the
//! first start, which is saved, so a restarted server serves the same posts under the same ids
//! (a client's cache stays valid, as with a real server). Should the anchor differ anyway (a
//! state written by another build), saved references to world statuses and conversations are
//! moved by the difference, since world ids encode time.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use facets_model::Surface;
use serde::{Deserialize, Serialize};

use crate::ids::Id;
use crate::model::{AccountPrivacy, ConversationRecord, MediaRecord, MediaSource, StatusRecord};
use crate::oauth::Registry;
use crate::state::{Data, SurfaceState};

const STATE_FILE: &str = "state.json";

/// A world's saved state: one folder per seed, so another seed starts afresh.
pub(crate) struct Persistence {
    dir: PathBuf,
}

#[derive(Serialize, Deserialize)]
struct Saved {
    anchor_ms: i64,
    oauth: Registry,
    feed: SavedSurface,
    visual: SavedSurface,
}

#[derive(Default, Serialize, Deserialize)]
struct SavedSurface {
    statuses: Vec<StatusRecord>,
    uploads: Vec<MediaRecord>,
    favourites: Vec<Id>,
    conversations: Vec<ConversationRecord>,
    #[serde(default)]
    deleted: Vec<Id>,
    /// `None` in states saved before the privacy settings existed: the world's defaults stand.
    #[serde(default)]
    privacy: Option<AccountPrivacy>,
}

impl Persistence {
    pub(crate) fn open(state_dir: &Path, seed: u64) -> io::Result<Persistence> {
        let dir = state_dir.join(format!("world-{seed}"));
        fs::create_dir_all(dir.join("media"))?;
        Ok(Persistence { dir })
    }

    /// When the world was first generated, if a readable state was saved.
    pub(crate) fn saved_anchor(&self) -> Option<i64> {
        #[derive(Deserialize)]
        struct AnchorOnly {
            anchor_ms: i64,
        }
        let text = fs::read_to_string(self.dir.join(STATE_FILE)).ok()?;
        serde_json::from_str::<AnchorOnly>(&text).ok().map(|saved| saved.anchor_ms)
    }

    pub(crate) fn has_saved_state(&self) -> bool {
        self.dir.join(STATE_FILE).exists()
    }

    /// Applies the saved state, if any, to freshly generated data.
    pub(crate) fn restore(&self, data: &mut Data) -> io::Result<()> {
        let text = match fs::read_to_string(self.dir.join(STATE_FILE)) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(error) => return Err(error),
        };
        let saved: Saved = match serde_json::from_str(&text) {
            Ok(saved) => saved,
            Err(error) => {
                // A demo should start even after a bad write or an incompatible version; the
                // old file is kept aside for whoever wants to look at it.
                let aside = self.dir.join(format!("{STATE_FILE}.unreadable"));
                tracing::warn!(%error, aside = %aside.display(), "ignoring unreadable demo state");
                fs::rename(self.dir.join(STATE_FILE), aside)?;
                return Ok(());
            }
        };
        let (old_anchor, delta) = (saved.anchor_ms, data.anchor_ms - saved.anchor_ms);
        let moved = move |id: Id| {
            if id.unix_ms() < old_anchor {
                id.shifted(delta)
            } else {
                id
            }
        };
        data.oauth = saved.oauth;
        for (surface, saved) in [(Surface::Feed, saved.feed), (Surface::Visual, saved.visual)] {
            // Ids restored from disk must stay below the ids issued from now on.
            for id in saved.statuses.iter().map(|s| s.id).chain(saved.uploads.iter().map(|m| m.id)) {
                data.ids.raise_floor(id);
            }
            let state = data.surface_mut(surface);
            for mut status in saved.statuses {
                status.in_reply_to = status.in_reply_to.map(moved);
                state.insert_status(status);
            }
            for media in saved.uploads {
                let MediaSource::Upload(upload) = &media.source else {
                    continue;
                };
                let original = fs::read(self.upload_path(surface, media.id, &upload.extension));
                let preview = fs::read(self.upload_path(surface, media.id, "small.jpg"));
                match (original, preview) {
                    (Ok(original), Ok(preview)) => {
                        state.uploads.insert(media.id, (original, preview));
                        state.media.insert(media.id, media);
                    }
                    (Err(error), _) | (_, Err(error)) => {
                        tracing::warn!(%error, id = %media.id, "an uploaded file of the demo is missing");
                    }
                }
            }
            state.favourites = saved.favourites.into_iter().map(moved).collect();
            if let Some(privacy) = saved.privacy {
                state.privacy = privacy;
            }
            for id in saved.deleted.into_iter().map(moved) {
                state.remove_status(id);
            }
            state.conversations = saved
                .conversations
                .into_iter()
                .map(|c| ConversationRecord {
                    id: moved(c.id),
                    statuses: c.statuses.into_iter().map(moved).collect(),
                    ..c
                })
                .collect();
        }
        Ok(())
    }

    /// Writes the state file atomically: a crash leaves the old or the new file, never half.
    pub(crate) fn save(&self, data: &Data) -> io::Result<()> {
        let saved = Saved {
            anchor_ms: data.anchor_ms,
            oauth: data.oauth.clone(),
            feed: snapshot(&data.feed, data),
            visual: snapshot(&data.visual, data),
        };
        let temporary = self.dir.join(format!("{STATE_FILE}.tmp"));
        fs::write(&temporary, serde_json::to_vec_pretty(&saved)?)?;
        fs::rename(temporary, self.dir.join(STATE_FILE))
    }

    pub(crate) fn save_upload(
        &self,
        surface: Surface,
        id: Id,
        extension: &str,
        original: &[u8],
        preview: &[u8],
    ) -> io::Result<()> {
        fs::write(self.upload_path(surface, id, extension), original)?;
        fs::write(self.upload_path(surface, id, "small.jpg"), preview)
    }

    fn upload_path(&self, surface: Surface, id: Id, suffix: &str) -> PathBuf {
        self.dir.join("media").join(format!("{surface}-{id}-{suffix}"))
    }
}

fn snapshot(state: &SurfaceState, data: &Data) -> SavedSurface {
    SavedSurface {
        statuses: state.runtime_statuses(|id| data.made_at_runtime(id)),
        uploads: state.media.values().filter(|m| matches!(m.source, MediaSource::Upload(_))).cloned().collect(),
        favourites: state.favourites.iter().copied().collect(),
        conversations: state.conversations.clone(),
        deleted: state.deleted.iter().copied().collect(),
        privacy: Some(state.privacy.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ANCHOR: i64 = 1_780_000_000_000;
    const DAY: i64 = 86_400_000;

    #[test]
    fn references_to_the_world_follow_it_to_a_new_anchor() {
        let dir = tempfile::tempdir().unwrap();
        let persistence = Persistence::open(dir.path(), 42).unwrap();
        let mut before = Data::new(42, ANCHOR);
        let world_status = before.feed.statuses_newest_first().nth(3).unwrap().id;
        before.feed.favourites = [world_status].into_iter().collect();
        persistence.save(&before).unwrap();

        let mut after = Data::new(42, ANCHOR + 3 * DAY);
        persistence.restore(&mut after).unwrap();
        let moved = world_status.shifted(3 * DAY);
        assert!(after.feed.status(moved).is_some(), "the same world post, three days later");
        assert_eq!(after.feed.favourites.iter().copied().collect::<Vec<_>>(), vec![moved]);
        assert_eq!(after.feed.status(moved).unwrap().text, before.feed.status(world_status).unwrap().text);
    }

    #[test]
    fn deleted_world_posts_stay_deleted_after_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let persistence = Persistence::open(dir.path(), 42).unwrap();
        let mut before = Data::new(42, ANCHOR);
        let doomed = before.feed.statuses_newest_first().nth(2).unwrap().id;
        assert!(before.feed.remove_status(doomed).is_some());
        persistence.save(&before).unwrap();

        let mut after = Data::new(42, ANCHOR);
        assert!(after.feed.status(doomed).is_some(), "the world regenerates it");
        persistence.restore(&mut after).unwrap();
        assert!(after.feed.status(doomed).is_none(), "the saved deletion removes it again");
    }

    #[test]
    fn an_unreadable_state_file_is_set_aside_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        let persistence = Persistence::open(dir.path(), 7).unwrap();
        fs::write(persistence.dir.join(STATE_FILE), "{ not json").unwrap();
        persistence.restore(&mut Data::new(7, ANCHOR)).expect("a fresh start");
        assert!(persistence.dir.join(format!("{STATE_FILE}.unreadable")).exists());
    }
}
