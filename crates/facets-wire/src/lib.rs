//! Wire types of the Mastodon client API (and the dialects of Pixelfed, GoToSocial, Akkoma).
//!
//! Parsing is lenient by design: unknown fields are ignored, missing optional fields default,
//! enum-like fields (`visibility`, attachment `type`) stay strings so an unknown value never
//! breaks a page, and a notification's `type` keeps a name Facets does not know as
//! `NotificationKind::Other`. Ids are strings everywhere (GoToSocial uses ULIDs, Akkoma opaque
//! strings); a server that sends a number is accepted too.
//!
//! The same types serialise the demo backend's answers, so both sides agree by construction.

use serde::{Deserialize, Deserializer, Serialize};

/// Accepts a JSON string or number as an id string.
fn id_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        S(String),
        N(i64),
        U(u64),
    }
    Ok(match Id::deserialize(d)? {
        Id::S(s) => s,
        Id::N(n) => n.to_string(),
        Id::U(n) => n.to_string(),
    })
}

fn opt_id_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        S(String),
        N(i64),
        U(u64),
    }
    Ok(Option::<Id>::deserialize(d)?.map(|id| match id {
        Id::S(s) => s,
        Id::N(n) => n.to_string(),
        Id::U(n) => n.to_string(),
    }))
}

/// `null` counts as the default, as some servers send `null` for "nothing".
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A list, or nothing where the server sent something else in its place (PHP may write an
/// empty list as `{}`, or `false` for none).
fn lenient_list<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum ListOrNot<T> {
        List(Vec<T>),
        Not(serde::de::IgnoredAny),
    }
    Ok(match ListOrNot::deserialize(d)? {
        ListOrNot::List(items) => items,
        ListOrNot::Not(_) => Vec::new(),
    })
}

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Account {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    #[serde(deserialize_with = "null_default")]
    pub username: String,
    /// `user` for local accounts, `user@domain` for remote ones.
    #[serde(deserialize_with = "null_default")]
    pub acct: String,
    #[serde(deserialize_with = "null_default")]
    pub display_name: String,
    pub locked: bool,
    pub bot: bool,
    #[serde(deserialize_with = "null_default")]
    pub discoverable: Option<bool>,
    /// Followers and follows hidden (Mastodon 4.1+; absent on Pixelfed).
    #[serde(deserialize_with = "null_default", skip_serializing_if = "Option::is_none")]
    pub hide_collections: Option<bool>,
    /// Public posts may be indexed by search engines (Mastodon 4.2+; absent on Pixelfed).
    #[serde(deserialize_with = "null_default", skip_serializing_if = "Option::is_none")]
    pub indexable: Option<bool>,
    #[serde(deserialize_with = "null_default")]
    pub created_at: String,
    /// Bio, server HTML (untrusted).
    #[serde(deserialize_with = "null_default")]
    pub note: String,
    #[serde(deserialize_with = "null_default")]
    pub url: String,
    #[serde(deserialize_with = "null_default")]
    pub avatar: String,
    #[serde(deserialize_with = "null_default")]
    pub avatar_static: String,
    #[serde(deserialize_with = "null_default")]
    pub header: String,
    #[serde(deserialize_with = "null_default")]
    pub header_static: String,
    #[serde(deserialize_with = "null_default")]
    pub followers_count: i64,
    #[serde(deserialize_with = "null_default")]
    pub following_count: i64,
    #[serde(deserialize_with = "null_default")]
    pub statuses_count: i64,
    /// Profile metadata: name/value pairs; a value may hold a link the server verified (`rel="me"`).
    #[serde(deserialize_with = "null_default")]
    pub fields: Vec<AccountField>,
    /// Present only on `verify_credentials`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<AccountSource>,
}

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountField {
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    /// Server HTML (untrusted).
    #[serde(deserialize_with = "null_default")]
    pub value: String,
    /// Set when the server confirmed that the linked page links back to this account.
    #[serde(deserialize_with = "null_default")]
    pub verified_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct AccountSource {
    #[serde(deserialize_with = "null_default")]
    pub privacy: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub sensitive: bool,
    #[serde(deserialize_with = "null_default")]
    pub language: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub note: String,
}

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaAttachment {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    /// `image`, `video`, `gifv`, `audio`, `unknown` — or anything else a server invents.
    #[serde(rename = "type", deserialize_with = "null_default")]
    pub kind: String,
    /// Null while the server is still processing (202 upload path).
    #[serde(deserialize_with = "null_default")]
    pub url: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub preview_url: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub remote_url: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub description: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub blurhash: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub meta: Option<MediaMeta>,
}

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaMeta {
    #[serde(deserialize_with = "null_default")]
    pub original: Option<MediaDimensions>,
    #[serde(deserialize_with = "null_default")]
    pub small: Option<MediaDimensions>,
}

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaDimensions {
    #[serde(deserialize_with = "null_default")]
    pub width: Option<u32>,
    #[serde(deserialize_with = "null_default")]
    pub height: Option<u32>,
}

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Mention {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    pub username: String,
    pub acct: String,
    pub url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Tag {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct Status {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    #[serde(deserialize_with = "null_default")]
    pub uri: String,
    #[serde(deserialize_with = "null_default")]
    pub url: Option<String>,
    pub created_at: String,
    pub account: Account,
    /// Server HTML (untrusted).
    #[serde(deserialize_with = "null_default")]
    pub content: String,
    /// Content warning, plain text.
    #[serde(deserialize_with = "null_default")]
    pub spoiler_text: String,
    #[serde(deserialize_with = "null_default")]
    pub sensitive: bool,
    /// `public`, `unlisted`, `private`, `direct`, or a dialect's own.
    #[serde(deserialize_with = "null_default")]
    pub visibility: String,
    #[serde(deserialize_with = "opt_id_string")]
    pub in_reply_to_id: Option<String>,
    #[serde(deserialize_with = "opt_id_string")]
    pub in_reply_to_account_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reblog: Option<Box<Status>>,
    #[serde(deserialize_with = "null_default")]
    pub media_attachments: Vec<MediaAttachment>,
    #[serde(deserialize_with = "null_default")]
    pub mentions: Vec<Mention>,
    #[serde(deserialize_with = "null_default")]
    pub tags: Vec<Tag>,
    #[serde(deserialize_with = "null_default")]
    pub replies_count: i64,
    #[serde(deserialize_with = "null_default")]
    pub reblogs_count: i64,
    #[serde(deserialize_with = "null_default")]
    pub favourites_count: i64,
    #[serde(deserialize_with = "null_default")]
    pub favourited: bool,
    #[serde(deserialize_with = "null_default")]
    pub reblogged: bool,
    #[serde(deserialize_with = "null_default")]
    pub bookmarked: bool,
    #[serde(deserialize_with = "null_default")]
    pub language: Option<String>,
    /// When the post was last edited, if ever (RFC 3339).
    #[serde(deserialize_with = "null_default", skip_serializing_if = "Option::is_none")]
    pub edited_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Context {
    pub ancestors: Vec<Status>,
    pub descendants: Vec<Status>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Conversation {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    pub unread: bool,
    pub accounts: Vec<Account>,
    pub last_status: Option<Status>,
}

/// `GET /api/v1.1/direct/thread?pid=…` (Pixelfed): a page of the user's messages with one
/// person, newest first, and who that person is. Pixelfed's direct messages live here, not in
/// `POST /api/v1/statuses` (which refuses `visibility=direct`) nor in a status's context.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DirectThread {
    /// The other person's account id.
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    #[serde(deserialize_with = "null_default")]
    pub username: String,
    #[serde(deserialize_with = "null_default")]
    pub avatar: String,
    #[serde(deserialize_with = "null_default")]
    pub url: String,
    #[serde(deserialize_with = "null_default")]
    pub messages: Vec<DirectMessage>,
}

/// One message of a Pixelfed thread; also the answer to `POST /api/v1.1/direct/thread/send`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DirectMessage {
    /// The message's own id, the cursor of the thread's `max_id` and `min_id`.
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    /// The id of the status that carries the message: what a conversation's `last_status`
    /// names, and what `thread/read` takes.
    #[serde(rename = "reportId", deserialize_with = "id_string")]
    pub report_id: String,
    #[serde(rename = "isAuthor", deserialize_with = "null_default")]
    pub is_author: bool,
    /// `text`, `emoji`, `link`, `photo`, `video`, or another the server adds.
    #[serde(rename = "type", deserialize_with = "null_default")]
    pub kind: String,
    /// The words as typed: plain text, not HTML. `None` for a picture alone.
    #[serde(deserialize_with = "null_default")]
    pub text: Option<String>,
    /// The address of a `photo` or `video` message's first picture.
    #[serde(deserialize_with = "null_default", skip_serializing_if = "Option::is_none")]
    pub media: Option<String>,
    /// Every picture of the message, described as a status's are (`[]` for words alone).
    #[serde(deserialize_with = "lenient_list", skip_serializing_if = "Vec::is_empty")]
    pub carousel: Vec<MediaAttachment>,
    /// RFC 3339; absent from the answer to sending, which has only a relative `timeAgo`.
    #[serde(deserialize_with = "null_default", skip_serializing_if = "Option::is_none")]
    pub created_at: Option<String>,
    /// Whether the recipient has read it.
    #[serde(deserialize_with = "null_default")]
    pub seen: bool,
    /// Held among message requests (the recipient does not follow the sender).
    #[serde(deserialize_with = "null_default")]
    pub hidden: bool,
}

/// Body of `POST /api/v1.1/direct/thread/send` (Pixelfed).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewDirectMessage {
    pub to_id: String,
    pub message: String,
    /// `text` (or `emoji`).
    #[serde(rename = "type")]
    pub kind: String,
}

/// Body of `POST /api/v1.1/direct/thread/read` (Pixelfed): the person's messages to the user
/// from the status `sid` on are read.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DirectThreadRead {
    pub pid: String,
    pub sid: String,
}

/// `GET /api/v1/notifications`: something that happened to the user, by whom, and about which post.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Notification {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    #[serde(rename = "type", deserialize_with = "null_default")]
    pub kind: NotificationKind,
    #[serde(deserialize_with = "null_default")]
    pub created_at: String,
    /// Who did it.
    #[serde(deserialize_with = "null_default")]
    pub account: Account,
    /// The post it is about: for mentions, boosts, favourites, polls, edits and quotes.
    #[serde(deserialize_with = "null_default", skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
}

/// A notification's `type`: Mastodon's kinds by name, and any other a server sends (Pixelfed's
/// `direct` or `tagged`, a kind newer than Facets) kept as it came, so a page never fails on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum NotificationKind {
    Mention,
    Status,
    Reblog,
    Follow,
    FollowRequest,
    Favourite,
    Poll,
    Update,
    AdminSignUp,
    AdminReport,
    SeveredRelationships,
    ModerationWarning,
    Quote,
    QuotedUpdate,
    Other(String),
}

impl NotificationKind {
    const NAMED: [(&'static str, NotificationKind); 14] = [
        ("mention", NotificationKind::Mention),
        ("status", NotificationKind::Status),
        ("reblog", NotificationKind::Reblog),
        ("follow", NotificationKind::Follow),
        ("follow_request", NotificationKind::FollowRequest),
        ("favourite", NotificationKind::Favourite),
        ("poll", NotificationKind::Poll),
        ("update", NotificationKind::Update),
        ("admin.sign_up", NotificationKind::AdminSignUp),
        ("admin.report", NotificationKind::AdminReport),
        ("severed_relationships", NotificationKind::SeveredRelationships),
        ("moderation_warning", NotificationKind::ModerationWarning),
        ("quote", NotificationKind::Quote),
        ("quoted_update", NotificationKind::QuotedUpdate),
    ];

    /// The `type` as the server wrote it.
    pub fn as_str(&self) -> &str {
        match self {
            NotificationKind::Other(name) => name,
            kind => Self::NAMED.iter().find(|(_, named)| named == kind).map_or("", |(name, _)| *name),
        }
    }
}

impl Default for NotificationKind {
    /// A notification without a `type` is of no kind Facets knows.
    fn default() -> Self {
        NotificationKind::Other(String::new())
    }
}

impl From<String> for NotificationKind {
    fn from(name: String) -> Self {
        Self::NAMED
            .into_iter()
            .find(|(known, _)| *known == name)
            .map_or(NotificationKind::Other(name), |(_, kind)| kind)
    }
}

impl From<NotificationKind> for String {
    fn from(kind: NotificationKind) -> String {
        kind.as_str().to_owned()
    }
}

/// `GET /.well-known/nodeinfo`: where the server's NodeInfo documents are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeInfoLinks {
    #[serde(deserialize_with = "null_default")]
    pub links: Vec<NodeInfoLink>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeInfoLink {
    #[serde(deserialize_with = "null_default")]
    pub rel: String,
    #[serde(deserialize_with = "null_default")]
    pub href: String,
}

/// A NodeInfo 2.x document, of which Facets reads which software the server runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeInfo {
    #[serde(deserialize_with = "null_default")]
    pub version: String,
    #[serde(deserialize_with = "null_default")]
    pub software: NodeInfoSoftware,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NodeInfoSoftware {
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    #[serde(deserialize_with = "null_default")]
    pub version: String,
}

/// `GET /.well-known/oauth-authorization-server` (RFC 8414; Mastodon 4.3 and later): what the
/// server's OAuth supports, of which Facets reads whether PKCE with S256 is offered.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuthServerMetadata {
    #[serde(deserialize_with = "null_default")]
    pub issuer: String,
    #[serde(deserialize_with = "null_default")]
    pub authorization_endpoint: String,
    #[serde(deserialize_with = "null_default")]
    pub token_endpoint: String,
    #[serde(deserialize_with = "null_default")]
    pub scopes_supported: Vec<String>,
    #[serde(deserialize_with = "null_default")]
    pub code_challenge_methods_supported: Vec<String>,
}

/// `POST /api/v1/apps` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Application {
    #[serde(deserialize_with = "opt_id_string")]
    pub id: Option<String>,
    pub name: String,
    #[serde(deserialize_with = "null_default")]
    pub website: Option<String>,
    #[serde(deserialize_with = "null_default")]
    pub redirect_uri: String,
    #[serde(deserialize_with = "null_default")]
    pub client_id: String,
    #[serde(deserialize_with = "null_default")]
    pub client_secret: String,
}

/// `POST /oauth/token` answer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Token {
    pub access_token: String,
    pub token_type: String,
    pub scope: String,
    pub created_at: i64,
}

/// How the user stands with an account (`/api/v1/accounts/relationships`, and the answer of
/// follow, block, mute and follow-request actions).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Relationship {
    #[serde(deserialize_with = "id_string")]
    pub id: String,
    pub following: bool,
    pub followed_by: bool,
    /// They asked to follow the user, who has not answered yet.
    pub requested_by: bool,
    pub blocking: bool,
    pub muting: bool,
}

/// `PATCH /api/v1/accounts/update_credentials`: the privacy fields; `None` leaves one as is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrivacyUpdate {
    pub locked: Option<bool>,
    pub discoverable: Option<bool>,
    pub hide_collections: Option<bool>,
    pub indexable: Option<bool>,
    /// `source[privacy]`: the default audience of new posts.
    pub default_privacy: Option<String>,
    /// `source[sensitive]`: mark new media sensitive by default.
    pub sensitive: Option<bool>,
}

impl PrivacyUpdate {
    /// The form fields, as Mastodon names them.
    pub fn form(&self) -> Vec<(&'static str, String)> {
        let flag = |name: &'static str, value: Option<bool>| value.map(|v| (name, v.to_string()));
        [
            flag("locked", self.locked),
            flag("discoverable", self.discoverable),
            flag("hide_collections", self.hide_collections),
            flag("indexable", self.indexable),
            self.default_privacy.clone().map(|p| ("source[privacy]", p)),
            flag("source[sensitive]", self.sensitive),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// `GET /api/v2/instance`, the parts Facets uses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Instance {
    pub domain: String,
    pub title: String,
    pub version: String,
    #[serde(deserialize_with = "null_default")]
    pub description: String,
    pub configuration: InstanceConfiguration,
    #[serde(deserialize_with = "null_default")]
    pub api_versions: std::collections::BTreeMap<String, i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InstanceConfiguration {
    pub urls: InstanceUrls,
    pub statuses: StatusLimits,
    pub media_attachments: MediaLimits,
}

/// `configuration.urls`: where the server's streaming API listens (`wss://…`), if it has one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(from = "InstanceUrlsAsSent")]
pub struct InstanceUrls {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub streaming: Option<String>,
}

/// `configuration.urls` as servers write it: GoToSocial before its `InstanceV2URLs` reused the
/// v1 object here, so its streaming URL came as `streaming_api`.
#[derive(Default, Deserialize)]
#[serde(default)]
struct InstanceUrlsAsSent {
    #[serde(deserialize_with = "null_default")]
    streaming: Option<String>,
    #[serde(deserialize_with = "null_default")]
    streaming_api: Option<String>,
}

impl From<InstanceUrlsAsSent> for InstanceUrls {
    fn from(sent: InstanceUrlsAsSent) -> Self {
        InstanceUrls { streaming: sent.streaming.or(sent.streaming_api) }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StatusLimits {
    pub max_characters: u32,
    pub max_media_attachments: u32,
    pub characters_reserved_per_url: u32,
}

impl Default for StatusLimits {
    /// Mastodon's defaults, for servers that do not say.
    fn default() -> Self {
        StatusLimits { max_characters: 500, max_media_attachments: 4, characters_reserved_per_url: 23 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaLimits {
    pub supported_mime_types: Vec<String>,
    pub image_size_limit: u64,
    pub image_matrix_limit: u64,
    pub video_size_limit: u64,
}

impl Default for MediaLimits {
    fn default() -> Self {
        MediaLimits {
            supported_mime_types: vec!["image/jpeg".into(), "image/png".into(), "image/webp".into()],
            image_size_limit: 16 * 1024 * 1024,
            image_matrix_limit: 33_177_600,
            video_size_limit: 99 * 1024 * 1024,
        }
    }
}

/// Mastodon's error body: `{"error": "…", "error_description": "…"}`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApiError {
    pub error: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// Form of `POST /api/v1/statuses`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewStatus {
    pub status: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub media_ids: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub in_reply_to_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitive: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spoiler_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_with_unknown_fields_numbers_for_ids_and_nulls_parses() {
        let json = r#"{
            "id": 109, "created_at": "2026-11-01T10:00:00.000Z",
            "account": {"id": "7", "acct": "ana", "display_name": null, "followers_count": null,
                        "emojis": [], "fancy_new_field": {"x": 1}},
            "content": "<p>hi</p>", "visibility": "local", "spoiler_text": null,
            "media_attachments": [{"id": 3, "type": "hologram", "url": null}],
            "reactions": [{"name": "🔥"}], "in_reply_to_id": 108
        }"#;
        let status: Status = serde_json::from_str(json).expect("lenient parse");
        assert_eq!(status.id, "109");
        assert_eq!(status.account.display_name, "");
        assert_eq!(status.visibility, "local");
        assert_eq!(status.spoiler_text, "");
        assert_eq!(status.media_attachments[0].kind, "hologram");
        assert_eq!(status.media_attachments[0].url, None);
        assert_eq!(status.in_reply_to_id.as_deref(), Some("108"));
        assert_eq!(status.favourites_count, 0);
    }

    #[test]
    fn missing_instance_configuration_falls_back_to_mastodon_defaults() {
        let instance: Instance = serde_json::from_str(r#"{"domain": "x.example"}"#).unwrap();
        assert_eq!(instance.configuration.statuses.max_characters, 500);
        assert_eq!(instance.configuration.statuses.max_media_attachments, 4);
    }

    #[test]
    fn the_streaming_url_is_read_under_either_name_and_written_as_streaming() {
        let both: InstanceUrls =
            serde_json::from_str(r#"{"streaming": "wss://a.example", "streaming_api": "wss://b.example"}"#).unwrap();
        assert_eq!(both.streaming.as_deref(), Some("wss://a.example"), "the v2 name wins, and both are no error");
        let older: InstanceUrls =
            serde_json::from_str(r#"{"streaming": null, "streaming_api": "wss://b.example"}"#).unwrap();
        assert_eq!(older.streaming.as_deref(), Some("wss://b.example"));
        assert_eq!(
            serde_json::to_string(&older).unwrap(),
            r#"{"streaming":"wss://b.example"}"#,
            "the demo serves v2's name"
        );
        let none: InstanceUrls = serde_json::from_str("{}").unwrap();
        assert_eq!(none.streaming, None);
    }

    #[test]
    fn a_pixelfed_message_carries_its_pictures_and_survives_a_strange_carousel() {
        let message: DirectMessage = serde_json::from_str(
            r#"{"id": 7, "reportId": "70", "isAuthor": false, "type": "photo", "text": null,
                "media": "https://px.example/storage/m/a.jpg",
                "carousel": [
                    {"id": "901", "type": "image", "url": "https://px.example/storage/m/a.jpg",
                     "preview_url": "https://px.example/storage/m/a_thumb.jpg", "description": "Low tide",
                     "blurhash": "LEHV6nWB2yk8pyo0adR*.7kCMdnj", "orientation": "landscape", "mime": "image/jpeg"},
                    {"id": 902, "type": "hologram", "url": null}
                ]}"#,
        )
        .unwrap();
        assert_eq!(message.carousel.len(), 2);
        assert_eq!(message.carousel[0].id, "901");
        assert_eq!(message.carousel[0].description.as_deref(), Some("Low tide"));
        assert_eq!((message.carousel[1].id.as_str(), message.carousel[1].kind.as_str()), ("902", "hologram"));
        for strange in [r#"{}"#, "false", "null", r#""none""#, r#"[1, 2]"#] {
            let json = format!(r#"{{"id": 8, "reportId": "80", "type": "photo", "carousel": {strange}}}"#);
            let message: DirectMessage = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{strange}: {e}"));
            assert!(message.carousel.is_empty(), "{strange}");
        }
    }

    #[test]
    fn bad_json_is_an_error_not_a_panic() {
        assert!(serde_json::from_str::<Status>("{\"id\": [1,2]}").is_err());
        assert!(serde_json::from_str::<Status>("not json").is_err());
    }
}
