//! Facets' own privacy settings: choices Facets enforces on this machine, stored in the cache.
//! (The servers' settings, the connected apps and the log of changes come with the privacy
//! center.)

use facets_media::PhotoMetadata;
use serde::Serialize;

use crate::{AppError, Core};

const STRIP_PHOTO_METADATA: &str = "privacy.strip_photo_metadata";

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PrivacySettings {
    /// Remove location and camera details from photos before upload. On unless turned off.
    pub strip_photo_metadata: bool,
}

impl Core {
    pub fn privacy_settings(&self) -> Result<PrivacySettings, AppError> {
        let strip = self.store().setting(STRIP_PHOTO_METADATA)?.is_none_or(|value| value != "false");
        Ok(PrivacySettings { strip_photo_metadata: strip })
    }

    pub fn set_strip_photo_metadata(&self, strip: bool) -> Result<PrivacySettings, AppError> {
        self.store().set_setting(STRIP_PHOTO_METADATA, if strip { "true" } else { "false" })?;
        self.privacy_settings()
    }

    /// How pictures attached from now on are prepared. An unreadable setting strips: the
    /// safe side.
    pub(crate) fn photo_metadata(&self) -> PhotoMetadata {
        match self.privacy_settings() {
            Ok(PrivacySettings { strip_photo_metadata: false }) => PhotoMetadata::KeepWhenPossible,
            _ => PhotoMetadata::Strip,
        }
    }
}
