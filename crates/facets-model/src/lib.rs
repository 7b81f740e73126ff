//! The domain model of Facets: one signed-in *identity* seen through several *surfaces*.
//!
//! A surface (`Feed`, `Visual`) is a front end of the identity, backed by a linked account on a
//! Mastodon-compatible server. The same remote account may back both surfaces, or each surface
//! may have its own account. This crate holds only types and rules: no I/O, no async, no Tauri.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One front end of the identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Surface {
    /// Text-first timeline (posts, links, comments, reactions).
    Feed,
    /// Media-first (profile grid, photo feed, lightbox).
    Visual,
}

impl Surface {
    pub const ALL: [Surface; 2] = [Surface::Feed, Surface::Visual];

    pub fn as_str(self) -> &'static str {
        match self {
            Surface::Feed => "feed",
            Surface::Visual => "visual",
        }
    }

    /// The surface's name as people read it.
    pub fn title(self) -> &'static str {
        match self {
            Surface::Feed => "Feed",
            Surface::Visual => "Visual",
        }
    }
}

impl fmt::Display for Surface {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown surface {0:?}: expected \"feed\" or \"visual\"")]
pub struct UnknownSurface(pub String);

impl FromStr for Surface {
    type Err = UnknownSurface;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "feed" => Ok(Surface::Feed),
            "visual" => Ok(Surface::Visual),
            other => Err(UnknownSurface(other.to_owned())),
        }
    }
}

/// The server software a surface account lives on. Each has its own dialect of the Mastodon
/// client API; the client handles the differences behind one interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Mastodon,
    Pixelfed,
    GoToSocial,
    Akkoma,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Mastodon => "mastodon",
            Dialect::Pixelfed => "pixelfed",
            Dialect::GoToSocial => "gotosocial",
            Dialect::Akkoma => "akkoma",
        }
    }

    /// Pixelfed refuses statuses without media.
    pub fn requires_media(self) -> bool {
        matches!(self, Dialect::Pixelfed)
    }
}

impl FromStr for Dialect {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "mastodon" => Ok(Dialect::Mastodon),
            "pixelfed" => Ok(Dialect::Pixelfed),
            "gotosocial" => Ok(Dialect::GoToSocial),
            "akkoma" | "pleroma" => Ok(Dialect::Akkoma),
            other => Err(format!("unknown server software {other:?}")),
        }
    }
}

/// Where a token is kept. The token itself never lives in the model or in SQLite: only this
/// reference does, and the secret store (keychain, or memory in demo mode) resolves it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TokenRef(pub String);

/// A surface of the identity linked to a remote account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurfaceLink {
    pub surface: Surface,
    /// Base URL of the server API, e.g. `https://mastodon.social` (no trailing slash).
    pub base_url: String,
    pub dialect: Dialect,
    /// The account's id on that server.
    pub remote_account_id: String,
    /// `user@server`
    pub handle: String,
    pub token: TokenRef,
}

/// The person signed in, with the surfaces linked to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub id: String,
    pub display_name: String,
    pub links: Vec<SurfaceLink>,
}

impl Identity {
    pub fn link(&self, surface: Surface) -> Option<&SurfaceLink> {
        self.links.iter().find(|l| l.surface == surface)
    }

    /// True when both surfaces are two views of one remote account.
    pub fn surfaces_share_account(&self) -> bool {
        match (self.link(Surface::Feed), self.link(Surface::Visual)) {
            (Some(a), Some(b)) => a.base_url == b.base_url && a.remote_account_id == b.remote_account_id,
            _ => false,
        }
    }
}

/// Who may see a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Public,
    Unlisted,
    Private,
    Direct,
}

impl Visibility {
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Private => "private",
            Visibility::Direct => "direct",
        }
    }

    /// Servers add their own visibilities (Akkoma's `local`, `list`); they are treated as the
    /// narrowest standard audience rather than failing.
    pub fn parse_lenient(s: &str) -> Visibility {
        match s {
            "public" => Visibility::Public,
            "unlisted" => Visibility::Unlisted,
            "private" => Visibility::Private,
            _ => Visibility::Direct,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MediaKind {
    Image,
    Video,
    Gifv,
    Audio,
    Unknown,
}

impl MediaKind {
    /// Older Pixelfed servers capitalise the type (`Image`); case does not change its meaning.
    pub fn parse_lenient(s: &str) -> MediaKind {
        match s.to_ascii_lowercase().as_str() {
            "image" => MediaKind::Image,
            "video" => MediaKind::Video,
            "gifv" => MediaKind::Gifv,
            "audio" => MediaKind::Audio,
            _ => MediaKind::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Image => "image",
            MediaKind::Video => "video",
            MediaKind::Gifv => "gifv",
            MediaKind::Audio => "audio",
            MediaKind::Unknown => "unknown",
        }
    }
}

/// A person as cached from one surface's server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub surface: Surface,
    pub remote_id: String,
    pub handle: String,
    pub display_name: String,
    /// Sanitised HTML.
    pub note_html: String,
    pub avatar_remote_url: Option<String>,
    pub header_remote_url: Option<String>,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub locked: bool,
}

/// A media attachment of a post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Media {
    pub surface: Surface,
    pub remote_id: String,
    /// Its place among its post's pictures, from 0: with the post, how the cache names it.
    pub position: u32,
    pub kind: MediaKind,
    pub remote_url: String,
    pub preview_remote_url: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// Alt text, plain.
    pub description: Option<String>,
    pub blurhash: Option<String>,
}

/// A status as cached, normalised. The raw server JSON is kept beside it in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub surface: Surface,
    pub remote_id: String,
    /// Seconds since the Unix epoch, UTC.
    pub created_at: i64,
    pub author: Person,
    pub url: Option<String>,
    /// Sanitised HTML.
    pub content_html: String,
    /// Content warning, plain text.
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: Visibility,
    pub in_reply_to_id: Option<String>,
    pub media: Vec<Media>,
    pub replies_count: i64,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub favourited: bool,
    /// Seconds since the Unix epoch, UTC, of the last edit.
    pub edited_at: Option<i64>,
}

impl Post {
    /// The stable local key of a post: `surface:remote_id`.
    pub fn key(&self) -> PostKey {
        PostKey { surface: self.surface, remote_id: self.remote_id.clone() }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PostKey {
    pub surface: Surface,
    pub remote_id: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("malformed post key {0:?}: expected \"feed:ID\" or \"visual:ID\"")]
pub struct MalformedPostKey(pub String);

impl fmt::Display for PostKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.surface, self.remote_id)
    }
}

impl FromStr for PostKey {
    type Err = MalformedPostKey;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (surface, id) = s.split_once(':').ok_or_else(|| MalformedPostKey(s.to_owned()))?;
        let surface = surface.parse().map_err(|_| MalformedPostKey(s.to_owned()))?;
        if id.is_empty() {
            return Err(MalformedPostKey(s.to_owned()));
        }
        Ok(PostKey { surface, remote_id: id.to_owned() })
    }
}

/// A direct-message conversation on one surface.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub surface: Surface,
    pub remote_id: String,
    pub participants: Vec<Person>,
    pub unread: bool,
    pub last_post_id: Option<String>,
    pub updated_at: i64,
}

/// The timelines Facets keeps per surface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimelineKind {
    /// Posts of the people followed.
    Home,
    /// The identity's own posts (the Visual grid uses its media posts).
    Profile,
    /// The server's public posts: Visual's Explore and Feed's suggestions.
    Explore,
}

impl TimelineKind {
    pub const ALL: [TimelineKind; 3] = [TimelineKind::Home, TimelineKind::Profile, TimelineKind::Explore];

    pub fn as_str(self) -> &'static str {
        match self {
            TimelineKind::Home => "home",
            TimelineKind::Profile => "profile",
            TimelineKind::Explore => "explore",
        }
    }
}

impl FromStr for TimelineKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "home" => Ok(TimelineKind::Home),
            "profile" => Ok(TimelineKind::Profile),
            "explore" => Ok(TimelineKind::Explore),
            other => Err(format!("unknown timeline {other:?}")),
        }
    }
}

/// Privacy settings of one surface account, as the server reports them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivacySettings {
    pub locked: bool,
    pub default_visibility: Option<Visibility>,
    pub sensitive_by_default: bool,
    pub discoverable: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_kinds_read_in_any_case_and_unknown_ones_stay_unknown() {
        assert_eq!(MediaKind::parse_lenient("Image"), MediaKind::Image);
        assert_eq!(MediaKind::parse_lenient("gifv"), MediaKind::Gifv);
        assert_eq!(MediaKind::parse_lenient("document"), MediaKind::Unknown);
    }

    #[test]
    fn post_keys_round_trip_and_reject_garbage() {
        let key: PostKey = "visual:1234".parse().unwrap();
        assert_eq!(key.surface, Surface::Visual);
        assert_eq!(key.remote_id, "1234");
        assert_eq!(key.to_string(), "visual:1234");
        // Ids may contain colons on some servers (Akkoma URIs); only the first one splits.
        let odd: PostKey = "feed:a:b".parse().unwrap();
        assert_eq!(odd.remote_id, "a:b");
        for bad in ["", "feed", "feed:", "photos:1", ":1"] {
            assert!(bad.parse::<PostKey>().is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn unknown_visibilities_narrow_rather_than_fail() {
        assert_eq!(Visibility::parse_lenient("local"), Visibility::Direct);
        assert_eq!(Visibility::parse_lenient("unlisted"), Visibility::Unlisted);
    }

    #[test]
    fn shared_account_detection() {
        let link = |surface, id: &str| SurfaceLink {
            surface,
            base_url: "https://example.social".into(),
            dialect: Dialect::Mastodon,
            remote_account_id: id.into(),
            handle: "me@example.social".into(),
            token: TokenRef("t".into()),
        };
        let mut identity = Identity {
            id: "i".into(),
            display_name: "Me".into(),
            links: vec![link(Surface::Feed, "1"), link(Surface::Visual, "1")],
        };
        assert!(identity.surfaces_share_account());
        identity.links[1].remote_account_id = "2".into();
        assert!(!identity.surfaces_share_account());
    }
}
