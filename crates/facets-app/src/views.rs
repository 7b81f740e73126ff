//! The data transfer objects the UI receives (camelCase JSON). Kept in step with
//! `ui/src/lib/types.ts`. Media URLs are built here, always on the app's media scheme.

use facets_model::{Media, Person, Post, Surface, SurfaceLink, TimelineKind};
/// The text of a post's stored (sanitised) HTML, for front ends that print text.
pub use facets_sanitize::html_to_text;
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Builds URLs of the app's media URI scheme. The base differs per platform
/// (`facets-media://localhost/` on Linux and macOS, `http://facets-media.localhost/` on Windows),
/// so the shell provides it.
#[derive(Debug, Clone)]
pub struct MediaUrls {
    base: String,
}

impl MediaUrls {
    pub fn new(base: impl Into<String>) -> MediaUrls {
        let mut base = base.into();
        if !base.ends_with('/') {
            base.push('/');
        }
        MediaUrls { base }
    }

    /// A post's picture, named by its post and place: the cache's key for it.
    fn media(&self, post: &Post, media: &Media, variant: &str) -> String {
        format!("{}media/{}/{}/{}/{variant}", self.base, post.surface, encode(&post.remote_id), media.position)
    }

    pub fn draft_media(&self, id: &str) -> String {
        format!("{}draft/{}", self.base, encode(id))
    }

    fn person(&self, person: &Person, variant: &str) -> String {
        format!("{}person/{}/{}/{variant}", self.base, person.surface, encode(&person.remote_id))
    }
}

fn encode(segment: &str) -> String {
    segment
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MediaView {
    pub id: String,
    pub kind: &'static str,
    pub url: String,
    pub thumb_url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub description: Option<String>,
    pub blurhash: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PersonView {
    pub id: String,
    pub display_name: String,
    pub handle: String,
    /// For avatars up to 48 px.
    pub avatar_url: Option<String>,
    /// For larger ones (a profile's header).
    pub avatar_large_url: Option<String>,
    pub note_html: String,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub header_url: Option<String>,
    /// A private account: follows need approval.
    pub locked: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct PostView {
    pub key: String,
    pub surface: Surface,
    pub remote_id: String,
    pub url: Option<String>,
    pub author: PersonView,
    pub created_at: String,
    /// ISO-8601, when the author last edited the post.
    pub edited_at: Option<String>,
    pub content_html: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub visibility: &'static str,
    pub media: Vec<MediaView>,
    pub replies_count: i64,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub favourited: bool,
    pub in_reply_to_id: Option<String>,
    /// Other surfaces this post was cross-posted to from Facets.
    pub also_on: Vec<Surface>,
    /// Written by the signed-in identity (so it can be deleted).
    pub own: bool,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TimelinePage {
    pub posts: Vec<PostView>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ThreadView {
    pub ancestors: Vec<PostView>,
    pub post: PostView,
    pub descendants: Vec<PostView>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SurfaceLinkView {
    pub surface: Surface,
    pub server: String,
    pub dialect: &'static str,
    pub handle: String,
    pub sign_in: crate::sign_ins::SignInState,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub mode: crate::Mode,
    pub identity: Option<PersonView>,
    pub surfaces: Vec<SurfaceLinkView>,
    pub last_sync_at: Option<String>,
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct SyncReport {
    pub surface: Surface,
    pub timeline: TimelineKind,
    pub new_posts: usize,
    pub updated_posts: usize,
}

/// Emitted after sync writes to the cache (the `cache-changed` event).
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct CacheChanged {
    pub surface: Surface,
    pub timeline: TimelineKind,
}

impl MediaUrls {
    pub fn person_view(&self, person: &Person) -> PersonView {
        PersonView {
            id: person.remote_id.clone(),
            display_name: person.display_name.clone(),
            handle: person.handle.clone(),
            avatar_url: person.avatar_remote_url.as_ref().map(|_| self.person(person, "avatar")),
            avatar_large_url: person.avatar_remote_url.as_ref().map(|_| self.person(person, "avatar-large")),
            note_html: person.note_html.clone(),
            followers_count: person.followers_count,
            following_count: person.following_count,
            statuses_count: person.statuses_count,
            header_url: person.header_remote_url.as_ref().map(|_| self.person(person, "header")),
            locked: person.locked,
        }
    }

    pub fn post_view(&self, post: &Post) -> PostView {
        PostView {
            key: post.key().to_string(),
            surface: post.surface,
            remote_id: post.remote_id.clone(),
            url: post.url.clone(),
            author: self.person_view(&post.author),
            created_at: iso(post.created_at),
            edited_at: post.edited_at.map(iso),
            content_html: post.content_html.clone(),
            spoiler_text: post.spoiler_text.clone(),
            sensitive: post.sensitive,
            visibility: post.visibility.as_str(),
            media: post
                .media
                .iter()
                .map(|m| MediaView {
                    id: m.remote_id.clone(),
                    kind: m.kind.as_str(),
                    url: self.media(post, m, "full"),
                    thumb_url: self.media(post, m, "thumb"),
                    width: m.width,
                    height: m.height,
                    description: m.description.clone(),
                    blurhash: m.blurhash.clone(),
                })
                .collect(),
            replies_count: post.replies_count,
            reblogs_count: post.reblogs_count,
            favourites_count: post.favourites_count,
            favourited: post.favourited,
            in_reply_to_id: post.in_reply_to_id.clone(),
            also_on: Vec::new(),
            own: false,
        }
    }

    pub fn link_view(link: &SurfaceLink, sign_in: crate::sign_ins::SignInState) -> SurfaceLinkView {
        SurfaceLinkView {
            surface: link.surface,
            server: link.base_url.clone(),
            dialect: link.dialect.as_str(),
            handle: link.handle.clone(),
            sign_in,
        }
    }
}

pub fn iso(unix: i64) -> String {
    OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH).format(&Rfc3339).unwrap_or_default()
}
