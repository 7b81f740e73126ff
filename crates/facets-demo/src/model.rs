//! What the demo servers store: accounts, statuses, media and conversations of one surface, in
//! the server's own terms. They become wire entities only when a handler renders them, because
//! their HTML and URLs depend on the address the server is listening on.

use serde::{Deserialize, Serialize};

use crate::art::ArtSpec;
use crate::ids::Id;

/// One of the people of the demo world; index 0 of the world's list is the signed-in user.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub username: String,
    pub display_name: String,
    /// The bio as its author typed it; rendered to HTML like a status.
    pub bio: String,
    pub avatar: ArtSpec,
    pub header: ArtSpec,
    pub joined_ms: i64,
    pub language: &'static str,
}

/// A person's account on one server.
#[derive(Debug, Clone)]
pub(crate) struct AccountRecord {
    pub id: Id,
    pub person: usize,
    /// Whether the signed-in user follows this account.
    pub followed: bool,
    pub followers_count: i64,
    pub following_count: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Visibility {
    Public,
    Unlisted,
    Private,
    Direct,
    /// Akkoma's own: public on this server, never sent to others.
    Local,
}

impl Visibility {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
            Visibility::Direct => "direct",
            Visibility::Local => "local",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Visibility> {
        [Visibility::Public, Visibility::Unlisted, Visibility::Private, Visibility::Direct, Visibility::Local]
            .into_iter()
            .find(|v| v.as_str() == text)
    }
}

/// The user's privacy settings on one server and the accounts they have answered or kept away,
/// as the API changes them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub(crate) struct AccountPrivacy {
    pub locked: bool,
    pub default_visibility: Visibility,
    pub sensitive: bool,
    pub discoverable: bool,
    pub hide_collections: bool,
    pub indexable: bool,
    /// Waiting for the user's answer, oldest first.
    pub follow_requests: Vec<Id>,
    /// Who started following the user while the server ran.
    pub new_followers: Vec<Id>,
    pub blocked: Vec<Id>,
    pub muted: Vec<Id>,
}

impl Default for AccountPrivacy {
    fn default() -> Self {
        AccountPrivacy {
            locked: false,
            default_visibility: Visibility::Public,
            sensitive: false,
            discoverable: true,
            hide_collections: false,
            indexable: true,
            follow_requests: Vec::new(),
            new_followers: Vec::new(),
            blocked: Vec::new(),
            muted: Vec::new(),
        }
    }
}

/// A status; its id also tells when it was posted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct StatusRecord {
    pub id: Id,
    pub author: Id,
    /// The text as typed: mentions, hashtags and links become HTML when rendered.
    pub text: String,
    pub mentions: Vec<Id>,
    pub tags: Vec<String>,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: Visibility,
    pub in_reply_to: Option<Id>,
    pub in_reply_to_account: Option<Id>,
    pub media: Vec<Id>,
    pub language: Option<String>,
    /// Favourites by everyone but the signed-in user.
    pub others_favourites: i64,
    pub reblogs: i64,
    /// Unix ms of the last edit.
    #[serde(default)]
    pub edited_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct MediaRecord {
    pub id: Id,
    pub owner: Id,
    pub description: Option<String>,
    pub blurhash: Option<String>,
    pub source: MediaSource,
    /// The status it is attached to, once posted.
    pub status: Option<Id>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) enum MediaSource {
    /// A generated picture, served from its spec's code.
    Art(#[serde(with = "art_code")] ArtSpec),
    /// A file the user uploaded.
    Upload(UploadedImage),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UploadedImage {
    pub content_type: String,
    pub extension: String,
    pub width: u32,
    pub height: u32,
    pub preview_width: u32,
    pub preview_height: u32,
    /// How many more times `GET /api/v1/media/:id` answers "still processing".
    pub pending_polls: u8,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ConversationRecord {
    pub id: Id,
    /// Everyone in it but the signed-in user.
    pub participants: Vec<Id>,
    /// Oldest first.
    pub statuses: Vec<Id>,
    pub unread: bool,
}

impl ConversationRecord {
    pub(crate) fn last_status(&self) -> Id {
        *self.statuses.last().expect("a conversation has at least one status")
    }
}

mod art_code {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::art::ArtSpec;

    pub fn serialize<S: Serializer>(spec: &ArtSpec, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&spec.code())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ArtSpec, D::Error> {
        let code = String::deserialize(d)?;
        ArtSpec::from_code(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown art code {code:?}")))
    }
}
