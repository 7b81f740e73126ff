//! The privacy center: each surface's settings that live on its server (read from and written
//! to it, never pretended), the accounts it lists for the user to answer or keep away, Facets'
//! own settings, and a log of every change with whether it was taken.

use std::path::{Path, PathBuf};

use facets_media::PhotoMetadata;
use facets_model::{Dialect, Surface, TimelineKind};
use facets_store::{AccountList, PrivacyLogRow};
use facets_wire::{Account, PrivacyUpdate};
use serde::{Deserialize, Serialize};

use crate::views::{iso, CacheChanged, PersonView};
use crate::{now, AppError, Core};

const STRIP_PHOTO_METADATA: &str = "strip_photo_metadata";
const SHARE_VISUAL_TO_FEED: &str = "share_visual_to_feed";
const INBOX_ACROSS_SURFACES: &str = "inbox_across_surfaces";
const ACTIVITY_SHAPES_OTHER: &str = "activity_shapes_other";
const ACTIVITY_PAUSED: &str = "activity_paused";
/// Pages of follow requests, blocks and mutes read per refresh (40 each).
const LIST_LIMIT: u32 = 40;
const LOG_PAGE: usize = 50;

/// Facets' own settings, enforced on this computer.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PrivacySettings {
    /// Remove location and camera details from photos before upload. On unless turned off.
    pub strip_photo_metadata: bool,
    /// A public or unlisted post for Visual alone also goes to Feed. Off unless turned on.
    pub share_visual_to_feed: bool,
    /// One inbox across surfaces, a person's conversations on both gathered. On unless turned
    /// off; off, each surface's messages are kept apart.
    pub inbox_across_surfaces: bool,
    /// Let the user's activity on one surface shape the other (ranked locally from recorded
    /// signals). Off unless turned on; off, nothing is recorded.
    pub activity_shapes_other: bool,
    /// Recording paused: what was recorded still counts, nothing new is added.
    pub activity_paused: bool,
}

/// One change of Facets' own settings: `{"setting": "shareVisualToFeed", "value": true}`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(tag = "setting", content = "value", rename_all = "camelCase")]
pub enum LocalPrivacyChange {
    StripPhotoMetadata(bool),
    ShareVisualToFeed(bool),
    InboxAcrossSurfaces(bool),
    ActivityShapesOther(bool),
    ActivityPaused(bool),
}

impl LocalPrivacyChange {
    fn key_and_value(self) -> (&'static str, bool) {
        match self {
            LocalPrivacyChange::StripPhotoMetadata(v) => (STRIP_PHOTO_METADATA, v),
            LocalPrivacyChange::ShareVisualToFeed(v) => (SHARE_VISUAL_TO_FEED, v),
            LocalPrivacyChange::InboxAcrossSurfaces(v) => (INBOX_ACROSS_SURFACES, v),
            LocalPrivacyChange::ActivityShapesOther(v) => (ACTIVITY_SHAPES_OTHER, v),
            LocalPrivacyChange::ActivityPaused(v) => (ACTIVITY_PAUSED, v),
        }
    }
}

/// What a private (locked) account means on a server.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum LockedMeans {
    /// Mastodon: new followers need approval; public posts stay public.
    ApprovesFollowers,
    /// Pixelfed: only approved followers see the posts.
    FollowersOnly,
}

impl LockedMeans {
    pub(crate) fn of(dialect: Dialect) -> LockedMeans {
        match dialect {
            Dialect::Pixelfed => LockedMeans::FollowersOnly,
            _ => LockedMeans::ApprovesFollowers,
        }
    }
}

/// One surface's account as its server last described it; `None` where the server has no
/// such setting.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SurfacePrivacy {
    pub surface: Surface,
    pub server: String,
    pub account: PersonView,
    pub locked: bool,
    pub locked_means: LockedMeans,
    pub default_audience: String,
    pub sensitive_media: bool,
    pub discoverable: Option<bool>,
    pub hide_collections: Option<bool>,
    pub indexable: Option<bool>,
    pub follow_requests: Vec<PersonView>,
    pub blocked: Vec<PersonView>,
    pub muted: Vec<PersonView>,
    pub checked_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyCenter {
    pub surfaces: Vec<SurfacePrivacy>,
    pub local: PrivacySettings,
}

/// One change asked of a server: `{"setting": "locked", "value": true}`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(tag = "setting", content = "value", rename_all = "camelCase")]
pub enum AccountPrivacyChange {
    Locked(bool),
    DefaultAudience(String),
    SensitiveMedia(bool),
    Discoverable(bool),
    HideCollections(bool),
    Indexable(bool),
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyLogEntry {
    pub id: i64,
    pub at: String,
    pub surface: Option<Surface>,
    /// The setting as stored (`locked`, `defaultAudience`, `blocked`…), for exports.
    pub setting: String,
    pub label: String,
    pub old_value: String,
    pub new_value: String,
    pub accepted: bool,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PrivacyLogPage {
    pub entries: Vec<PrivacyLogEntry>,
    pub older: Option<i64>,
}

impl AccountPrivacyChange {
    fn setting(&self) -> &'static str {
        match self {
            AccountPrivacyChange::Locked(_) => "locked",
            AccountPrivacyChange::DefaultAudience(_) => "defaultAudience",
            AccountPrivacyChange::SensitiveMedia(_) => "sensitiveMedia",
            AccountPrivacyChange::Discoverable(_) => "discoverable",
            AccountPrivacyChange::HideCollections(_) => "hideCollections",
            AccountPrivacyChange::Indexable(_) => "indexable",
        }
    }

    fn update(&self) -> PrivacyUpdate {
        let mut update = PrivacyUpdate::default();
        match self.clone() {
            AccountPrivacyChange::Locked(v) => update.locked = Some(v),
            AccountPrivacyChange::DefaultAudience(v) => update.default_privacy = Some(v),
            AccountPrivacyChange::SensitiveMedia(v) => update.sensitive = Some(v),
            AccountPrivacyChange::Discoverable(v) => update.discoverable = Some(v),
            AccountPrivacyChange::HideCollections(v) => update.hide_collections = Some(v),
            AccountPrivacyChange::Indexable(v) => update.indexable = Some(v),
        }
        update
    }

    /// The value asked for, stored as text.
    fn wanted(&self) -> String {
        match self {
            AccountPrivacyChange::DefaultAudience(audience) => audience.clone(),
            AccountPrivacyChange::Locked(v)
            | AccountPrivacyChange::SensitiveMedia(v)
            | AccountPrivacyChange::Discoverable(v)
            | AccountPrivacyChange::HideCollections(v)
            | AccountPrivacyChange::Indexable(v) => v.to_string(),
        }
    }
}

/// The value of a setting in an account as a server describes it; `None`: it has no such
/// setting.
fn value_of(account: &Account, setting: &str) -> Option<String> {
    let source = account.source.as_ref();
    match setting {
        "locked" => Some(account.locked.to_string()),
        "defaultAudience" => Some(source.and_then(|s| s.privacy.clone()).unwrap_or_else(|| "public".to_owned())),
        "sensitiveMedia" => Some(source.is_some_and(|s| s.sensitive).to_string()),
        "discoverable" => account.discoverable.map(|v| v.to_string()),
        "hideCollections" => account.hide_collections.map(|v| v.to_string()),
        "indexable" => account.indexable.map(|v| v.to_string()),
        _ => None,
    }
}

/// A setting in the user's words.
fn label(setting: &str) -> &'static str {
    match setting {
        "locked" => "Private account",
        "defaultAudience" => "Default audience",
        "sensitiveMedia" => "Sensitive media by default",
        "discoverable" => "Listed in the directory",
        "hideCollections" => "Hide followers and following",
        "indexable" => "Allow search engines",
        "followRequest" => "Follow request",
        "blocked" => "Blocked account",
        "muted" => "Muted account",
        crate::sign_ins::SIGN_IN_SETTING => "Sign-in",
        STRIP_PHOTO_METADATA => "Remove location and camera details from photos",
        SHARE_VISUAL_TO_FEED => "Share new Visual posts to Feed",
        INBOX_ACROSS_SURFACES => "One inbox across surfaces",
        ACTIVITY_SHAPES_OTHER => "Let my activity on one surface shape the other",
        ACTIVITY_PAUSED => "Pause recording activity",
        _ => "Setting",
    }
}

/// A value in the user's words.
fn words(value: &str) -> String {
    match value {
        "true" => "On".to_owned(),
        "false" => "Off".to_owned(),
        "active" => "Signed in".to_owned(),
        "refused" => "Refused by the server".to_owned(),
        "revoked" => "Revoked".to_owned(),
        "notLinked" => "Not linked".to_owned(),
        "revokedAndCleared" => "Revoked, cached data removed".to_owned(),
        "public" => "Public".to_owned(),
        "unlisted" => "Unlisted".to_owned(),
        "private" => "Followers only".to_owned(),
        "direct" => "Mentioned people only".to_owned(),
        other => other.to_owned(),
    }
}

fn log_entry(row: PrivacyLogRow) -> PrivacyLogEntry {
    PrivacyLogEntry {
        id: row.id,
        at: iso(row.at),
        surface: row.surface,
        label: label(&row.setting).to_owned(),
        old_value: words(&row.old_value),
        new_value: words(&row.new_value),
        setting: row.setting,
        accepted: row.accepted,
        reason: row.reason,
    }
}

/// What a refusing server said, without the HTTP wrapping when it said something.
pub(crate) fn refusal(error: &AppError) -> String {
    match error {
        AppError::Client(facets_client::ClientError::Http { message: Some(message), .. }) => message.clone(),
        other => other.to_string(),
    }
}

fn credentials_key(surface: Surface) -> String {
    format!("privacy.{surface}.account")
}

fn checked_key(surface: Surface) -> String {
    format!("privacy.{surface}.checked_at")
}

impl Core {
    pub fn privacy_settings(&self) -> Result<PrivacySettings, AppError> {
        let store = self.store();
        let flag = |key: &str| -> Result<bool, AppError> {
            Ok(store.setting(&local_key(key))?.map_or(default_of(key), |value| value == "true"))
        };
        Ok(PrivacySettings {
            strip_photo_metadata: flag(STRIP_PHOTO_METADATA)?,
            share_visual_to_feed: flag(SHARE_VISUAL_TO_FEED)?,
            inbox_across_surfaces: flag(INBOX_ACROSS_SURFACES)?,
            activity_shapes_other: flag(ACTIVITY_SHAPES_OTHER)?,
            activity_paused: flag(ACTIVITY_PAUSED)?,
        })
    }

    pub fn set_strip_photo_metadata(&self, strip: bool) -> Result<PrivacySettings, AppError> {
        self.set_local_privacy(LocalPrivacyChange::StripPhotoMetadata(strip))
    }

    /// Changes one of Facets' own settings, logging the change.
    pub fn set_local_privacy(&self, change: LocalPrivacyChange) -> Result<PrivacySettings, AppError> {
        let (key, value) = change.key_and_value();
        let before = self.store().setting(&local_key(key))?;
        self.store().set_setting(&local_key(key), &value.to_string())?;
        let before = before.map_or(default_of(key), |text| text == "true");
        if before != value {
            self.log(None, key, &before.to_string(), &value.to_string(), Ok(()))?;
        }
        if key == INBOX_ACROSS_SURFACES {
            self.inbox_changed();
        }
        self.privacy_settings()
    }

    /// How pictures attached from now on are prepared. An unreadable setting strips: the
    /// safe side.
    pub(crate) fn photo_metadata(&self) -> PhotoMetadata {
        match self.privacy_settings() {
            Ok(PrivacySettings { strip_photo_metadata: false, .. }) => PhotoMetadata::KeepWhenPossible,
            _ => PhotoMetadata::Strip,
        }
    }

    /// Everything the Privacy view shows, from the cache.
    pub fn privacy_center(&self) -> Result<PrivacyCenter, AppError> {
        let links = self.store().links()?;
        let mut surfaces = Vec::new();
        for link in links {
            if let Some(surface) = self.surface_privacy_of(link.surface)? {
                surfaces.push(surface);
            }
        }
        surfaces.sort_by_key(|s| s.surface);
        Ok(PrivacyCenter { surfaces, local: self.privacy_settings()? })
    }

    /// Reads every linked surface's settings and lists from its server into the cache. Every
    /// surface that answers is updated even when another fails; the first failure is returned.
    pub async fn refresh_privacy(&self) -> Result<PrivacyCenter, AppError> {
        let mut failure = None;
        for surface in Surface::ALL {
            match self.refresh_surface_privacy(surface).await {
                Ok(()) | Err(AppError::NotLinked(_)) => {}
                Err(error) => {
                    tracing::info!(%surface, %error, "could not read the privacy settings");
                    failure.get_or_insert(error);
                }
            }
        }
        match failure {
            Some(error) => Err(error),
            None => self.privacy_center(),
        }
    }

    async fn refresh_surface_privacy(&self, surface: Surface) -> Result<(), AppError> {
        let session = self.session(surface).await?;
        let client = &session.client;
        let account = client.verify_credentials().await?;
        let query = facets_client::PageQuery::limit(LIST_LIMIT);
        let requests = client.follow_requests(&query).await?.items;
        let blocked = client.blocks(&query).await?.items;
        let muted = client.mutes(&query).await?.items;
        self.remember_credentials(surface, &account)?;
        let kept_away_changed = {
            let mut store = self.store();
            store.replace_account_list(surface, AccountList::FollowRequests, &requests)?;
            let blocked = store.replace_account_list(surface, AccountList::Blocked, &blocked)?;
            let muted = store.replace_account_list(surface, AccountList::Muted, &muted)?;
            blocked || muted
        };
        if kept_away_changed {
            self.kept_away_changed(surface);
        }
        Ok(())
    }

    /// Home and Explore leave out the blocked and the muted as they read: they show something
    /// else once those lists change.
    fn kept_away_changed(&self, surface: Surface) {
        for timeline in [TimelineKind::Home, TimelineKind::Explore] {
            let _ = self.changes.send(CacheChanged { surface, timeline });
        }
    }

    /// The account as a server just described it (with `source`): the profile, and the
    /// settings the privacy center shows.
    pub(crate) fn remember_credentials(&self, surface: Surface, account: &Account) -> Result<(), AppError> {
        let json = serde_json::to_string(account).map_err(|e| AppError::internal(e.to_string()))?;
        let changed = {
            let mut store = self.store();
            let changed = store.setting(&credentials_key(surface))?.as_deref() != Some(json.as_str());
            store.ingest_account(surface, account)?;
            store.set_setting(&credentials_key(surface), &json)?;
            store.set_setting(&checked_key(surface), &now().to_string())?;
            changed
        };
        if changed {
            // The profile header shows the account (a lock once private, the follower count).
            let _ = self.changes.send(CacheChanged { surface, timeline: TimelineKind::Profile });
        }
        Ok(())
    }

    fn credentials(&self, surface: Surface) -> Result<Option<Account>, AppError> {
        let saved = self.store().setting(&credentials_key(surface))?;
        Ok(saved.and_then(|json| serde_json::from_str(&json).ok()))
    }

    /// The audience new posts get on a surface by default, as its server last said.
    pub(crate) fn default_audience(&self, surface: Surface) -> Option<facets_model::Visibility> {
        let account = self.credentials(surface).ok().flatten()?;
        let privacy = account.source?.privacy?;
        Some(facets_model::Visibility::parse_lenient(&privacy))
    }

    /// Whether the account on a surface is private, and what that means there.
    pub(crate) fn private_account(&self, surface: Surface, dialect: Dialect) -> Option<LockedMeans> {
        let locked = self.credentials(surface).ok().flatten().is_some_and(|account| account.locked);
        locked.then(|| LockedMeans::of(dialect))
    }

    fn surface_privacy_of(&self, surface: Surface) -> Result<Option<SurfacePrivacy>, AppError> {
        let Some(link) = self.store().links()?.into_iter().find(|l| l.surface == surface) else {
            return Ok(None);
        };
        let Some(person) = self.store().person(surface, &link.remote_account_id)? else {
            return Ok(None);
        };
        let account = self.credentials(surface)?.unwrap_or_default();
        let setting = |name: &str| value_of(&account, name).map(|v| v == "true");
        let people = |list| -> Result<Vec<PersonView>, AppError> {
            Ok(self.store().account_list(surface, list)?.iter().map(|p| self.urls.person_view(p)).collect())
        };
        let checked_at = self.store().setting(&checked_key(surface))?.and_then(|at| at.parse().ok()).map(iso);
        // The name the server gives itself (its accounts' domain), else the host it is on.
        let domain = self.store().instance_domain(surface)?;
        let server = domain.unwrap_or_else(|| {
            url::Url::parse(&link.base_url)
                .ok()
                .and_then(|u| u.host_str().map(str::to_owned))
                .unwrap_or(link.base_url.clone())
        });
        Ok(Some(SurfacePrivacy {
            surface,
            server,
            locked: person.locked,
            account: self.urls.person_view(&person),
            locked_means: LockedMeans::of(link.dialect),
            default_audience: value_of(&account, "defaultAudience").unwrap_or_else(|| "public".to_owned()),
            sensitive_media: setting("sensitiveMedia").unwrap_or(false),
            discoverable: setting("discoverable"),
            hide_collections: setting("hideCollections"),
            indexable: setting("indexable"),
            follow_requests: people(AccountList::FollowRequests)?,
            blocked: people(AccountList::Blocked)?,
            muted: people(AccountList::Muted)?,
            checked_at,
        }))
    }

    fn surface_privacy(&self, surface: Surface) -> Result<SurfacePrivacy, AppError> {
        self.surface_privacy_of(surface)?.ok_or(AppError::NotLinked(surface))
    }

    /// Asks a surface's server to change one setting, and answers with what the server then
    /// says. A refusal, or a server that answers without the change, is an error and leaves the
    /// cached setting as it was. Either way the attempt is logged.
    pub async fn set_account_privacy(
        &self,
        surface: Surface,
        change: AccountPrivacyChange,
    ) -> Result<SurfacePrivacy, AppError> {
        let setting = change.setting();
        let before = self.credentials(surface)?.unwrap_or_default();
        let Some(old_value) = value_of(&before, setting) else {
            return Err(AppError::Invalid(format!("{} is not a setting of this server.", label(setting))));
        };
        let wanted = change.wanted();
        let session = self.session(surface).await?;
        let answer = session.client.update_privacy(&change.update()).await.map_err(AppError::from);
        let outcome = match answer {
            Ok(account) => {
                self.remember_credentials(surface, &account)?;
                match value_of(&account, setting) {
                    Some(now) if now == wanted => Ok(()),
                    _ => Err(AppError::Invalid(format!(
                        "The server kept its setting: {} is still {}.",
                        label(setting).to_lowercase(),
                        words(&old_value).to_lowercase()
                    ))),
                }
            }
            Err(error) => Err(error),
        };
        self.log(Some(surface), setting, &old_value, &wanted, outcome.as_ref().map(|_| ()).map_err(refusal))?;
        outcome?;
        self.surface_privacy(surface)
    }

    /// Approves or rejects a follow request.
    pub async fn answer_follow_request(
        &self,
        surface: Surface,
        person_id: &str,
        approve: bool,
    ) -> Result<SurfacePrivacy, AppError> {
        let handle = self.handle_of(surface, person_id)?;
        let session = self.session(surface).await?;
        let answer = session.client.answer_follow_request(person_id, approve).await.map_err(AppError::from);
        let outcome = answer.as_ref().map(|_| ()).map_err(refusal);
        let verdict = if approve { "Approved" } else { "Rejected" };
        self.log(Some(surface), "followRequest", &format!("{handle} asked"), verdict, outcome)?;
        answer?;
        self.store().remove_from_account_list(surface, AccountList::FollowRequests, person_id)?;
        if approve {
            // The follower count changed.
            if let Ok(account) = session.client.verify_credentials().await {
                self.remember_credentials(surface, &account)?;
            }
        }
        self.surface_privacy(surface)
    }

    /// Blocks (or unblocks) an account on a surface; a blocked account's posts leave the
    /// cached home timeline at once.
    pub async fn set_blocked(
        &self,
        surface: Surface,
        person_id: &str,
        blocked: bool,
    ) -> Result<SurfacePrivacy, AppError> {
        self.keep_away(surface, person_id, AccountList::Blocked, blocked).await
    }

    /// Mutes (or unmutes) an account on a surface.
    pub async fn set_muted(&self, surface: Surface, person_id: &str, muted: bool) -> Result<SurfacePrivacy, AppError> {
        self.keep_away(surface, person_id, AccountList::Muted, muted).await
    }

    async fn keep_away(
        &self,
        surface: Surface,
        person_id: &str,
        list: AccountList,
        on: bool,
    ) -> Result<SurfacePrivacy, AppError> {
        let handle = self.handle_of(surface, person_id)?;
        let session = self.session(surface).await?;
        let client = &session.client;
        let (setting, answer) = match list {
            AccountList::Blocked => ("blocked", client.set_blocked(person_id, on).await),
            _ => ("muted", client.set_muted(person_id, on).await),
        };
        let answer = answer.map_err(AppError::from);
        let (old, new) = if on { ("Off", "On") } else { ("On", "Off") };
        let outcome = answer.as_ref().map(|_| ()).map_err(refusal);
        self.log(Some(surface), setting, &format!("{handle}: {old}"), &format!("{handle}: {new}"), outcome)?;
        answer?;
        // The server's list is the truth: read it again rather than guess its order.
        let query = facets_client::PageQuery::limit(LIST_LIMIT);
        let accounts = match list {
            AccountList::Blocked => client.blocks(&query).await?.items,
            _ => client.mutes(&query).await?.items,
        };
        if self.store().replace_account_list(surface, list, &accounts)? {
            self.kept_away_changed(surface);
        }
        self.surface_privacy(surface)
    }

    fn handle_of(&self, surface: Surface, person_id: &str) -> Result<String, AppError> {
        let person = self.store().person(surface, person_id)?;
        Ok(person.map(|p| format!("@{}", p.handle)).unwrap_or_else(|| person_id.to_owned()))
    }

    pub(crate) fn log(
        &self,
        surface: Option<Surface>,
        setting: &str,
        old_value: &str,
        new_value: &str,
        outcome: Result<(), String>,
    ) -> Result<(), AppError> {
        let reason = outcome.as_ref().err().map(String::as_str);
        self.store().log_privacy_change(now(), surface, setting, old_value, new_value, outcome.is_ok(), reason)?;
        Ok(())
    }

    /// The privacy log, newest first; `before` (an entry id) reads further back.
    pub fn privacy_log(&self, before: Option<i64>) -> Result<PrivacyLogPage, AppError> {
        let mut rows = self.store().privacy_log(before, LOG_PAGE + 1)?;
        let more = rows.len() > LOG_PAGE;
        rows.truncate(LOG_PAGE);
        let older = if more { rows.last().map(|row| row.id) } else { None };
        Ok(PrivacyLogPage { entries: rows.into_iter().map(log_entry).collect(), older })
    }

    /// Writes the whole log as JSON into `folder`, under a name that does not replace an
    /// earlier export; the file's path.
    pub fn export_privacy_log(&self, folder: &Path) -> Result<PathBuf, AppError> {
        let mut entries = Vec::new();
        let mut before = None;
        loop {
            let page = self.privacy_log(before)?;
            entries.extend(page.entries);
            match page.older {
                Some(older) => before = Some(older),
                None => break,
            }
        }
        export_json(folder, "facets-privacy-log", &entries)
    }
}

/// Which of Facets' own settings are on until the user turns them off: the protective ones.
/// Everything that moves data across surfaces waits for the user to turn it on.
fn default_of(setting: &str) -> bool {
    matches!(setting, STRIP_PHOTO_METADATA | INBOX_ACROSS_SURFACES)
}

/// Writes `value` as pretty JSON into `folder` under `{stem}-{date}.json` (numbered when an
/// earlier export has the name, which is never replaced); the file's path.
pub(crate) fn export_json<T: Serialize>(folder: &Path, stem: &str, value: &T) -> Result<PathBuf, AppError> {
    let json = serde_json::to_vec_pretty(value).map_err(|e| AppError::internal(e.to_string()))?;
    let date = iso(now()).chars().take(10).collect::<String>();
    let unable =
        |e: std::io::Error| AppError::Invalid(format!("Could not write the export in {}: {e}", folder.display()));
    std::fs::create_dir_all(folder).map_err(unable)?;
    for attempt in 1.. {
        let name = match attempt {
            1 => format!("{stem}-{date}.json"),
            n => format!("{stem}-{date}-{n}.json"),
        };
        let path = folder.join(name);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut file) => {
                std::io::Write::write_all(&mut file, &json).map_err(unable)?;
                return Ok(path);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(unable(e)),
        }
    }
    unreachable!("some numbered name is free")
}

/// Facets' own settings keep their historical keys.
fn local_key(setting: &str) -> String {
    format!("privacy.{setting}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_reads_as_the_ui_sends_it() {
        let change: AccountPrivacyChange = serde_json::from_str(r#"{"setting":"locked","value":true}"#).unwrap();
        assert_eq!(change, AccountPrivacyChange::Locked(true));
        let audience: AccountPrivacyChange =
            serde_json::from_str(r#"{"setting":"defaultAudience","value":"private"}"#).unwrap();
        assert_eq!(audience.update().default_privacy.as_deref(), Some("private"));
        assert!(serde_json::from_str::<AccountPrivacyChange>(r#"{"setting":"locked","value":"yes"}"#).is_err());
    }

    #[test]
    fn settings_a_server_lacks_have_no_value() {
        let pixelfed = Account { locked: true, ..Default::default() };
        assert_eq!(value_of(&pixelfed, "locked").as_deref(), Some("true"));
        assert_eq!(value_of(&pixelfed, "discoverable"), None);
        assert_eq!(value_of(&pixelfed, "defaultAudience").as_deref(), Some("public"));
    }
}
