//! "Let my activity on one surface shape the other": while the user allows it, what they do
//! (favourites, replies, people messaged) is recorded on this machine as signals, shown to
//! them with how it was used, and deleted when they say so. Nothing leaves the machine. Off,
//! nothing is recorded; paused, nothing new is recorded but what is there still counts.

use std::path::{Path, PathBuf};

use facets_model::Surface;
use facets_store::{SignalKind, SignalRow};
use serde::Serialize;

use crate::views::{iso, PersonView};
use crate::{now, AppError, Core};

const SIGNAL_PAGE: usize = 50;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SignalView {
    pub id: i64,
    pub at: String,
    pub surface: Surface,
    /// `favourite`, `reply` or `message`.
    pub kind: &'static str,
    /// What the user did, in their words: "You favourited a post by Ana".
    pub description: String,
    /// The person, when still cached.
    pub person: Option<PersonView>,
    /// How often ranking used it, and when last (ISO 8601).
    pub used_count: i64,
    pub last_used_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SignalPage {
    pub entries: Vec<SignalView>,
    /// Pass as `before` for older signals; `None` at the start.
    pub older: Option<i64>,
}

impl Core {
    /// Records one thing the user did, if they let their activity shape the other surface and
    /// have not paused it. A failure to record never stops what the user did.
    pub(crate) fn record_activity(&self, surface: Surface, kind: SignalKind, person_id: &str, post_id: Option<&str>) {
        let settings = match self.privacy_settings() {
            Ok(settings) => settings,
            Err(error) => {
                tracing::warn!(%error, "could not read whether to record activity; not recording");
                return;
            }
        };
        if !settings.activity_shapes_other || settings.activity_paused {
            return;
        }
        if let Err(error) = self.store().record_signal(now(), surface, kind, person_id, post_id) {
            tracing::warn!(%error, "could not record an activity signal");
        }
    }

    /// The recorded signals, newest first; `before` (an id) reads further back.
    pub fn activity_signals(&self, before: Option<i64>) -> Result<SignalPage, AppError> {
        let mut rows = self.store().signals(before, SIGNAL_PAGE + 1)?;
        let more = rows.len() > SIGNAL_PAGE;
        rows.truncate(SIGNAL_PAGE);
        let older = if more { rows.last().map(|row| row.id) } else { None };
        let entries = rows.iter().map(|row| self.signal_view(row)).collect::<Result<_, _>>()?;
        Ok(SignalPage { entries, older })
    }

    fn signal_view(&self, row: &SignalRow) -> Result<SignalView, AppError> {
        let person = self.store().person(row.surface, &row.person_id)?;
        let name = person
            .as_ref()
            .map(|p| if p.display_name.is_empty() { format!("@{}", p.handle) } else { p.display_name.clone() })
            .unwrap_or_else(|| "someone no longer cached".to_owned());
        let description = match row.kind {
            SignalKind::Favourite => format!("You favourited a post by {name}"),
            SignalKind::Reply => format!("You replied to {name}"),
            SignalKind::Message => format!("You messaged {name}"),
        };
        Ok(SignalView {
            id: row.id,
            at: iso(row.at),
            surface: row.surface,
            kind: row.kind.as_str(),
            description,
            person: person.as_ref().map(|p| self.urls.person_view(p)),
            used_count: row.used_count,
            last_used_at: row.last_used_at.map(iso),
        })
    }

    /// Deletes one signal from the cache; whether it was there.
    pub fn delete_signal(&self, id: i64) -> Result<bool, AppError> {
        Ok(self.store().delete_signal(id)?)
    }

    /// Deletes every signal from the cache; how many there were.
    pub fn delete_all_signals(&self) -> Result<usize, AppError> {
        Ok(self.store().delete_all_signals()?)
    }

    /// Writes every signal as JSON into `folder`, under a name no earlier export has.
    pub fn export_signals(&self, folder: &Path) -> Result<PathBuf, AppError> {
        let mut entries = Vec::new();
        let mut before = None;
        loop {
            let page = self.activity_signals(before)?;
            entries.extend(page.entries);
            match page.older {
                Some(older) => before = Some(older),
                None => break,
            }
        }
        crate::privacy::export_json(folder, "facets-activity-signals", &entries)
    }
}
