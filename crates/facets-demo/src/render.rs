//! Turning stored records into the wire entities of the Mastodon API, with absolute URLs on the
//! server's current address.

use facets_model::Surface;
use facets_wire as wire;

use crate::art::Size;
use crate::model::{AccountRecord, ConversationRecord, MediaRecord, MediaSource, Person, StatusRecord};
use crate::state::{Data, SurfaceState};
use crate::text;

pub(crate) struct Renderer<'a> {
    /// `http://127.0.0.1:PORT`
    origin: &'a str,
    surface: Surface,
    state: &'a SurfaceState,
    /// The other server, where the same people may have accounts too.
    elsewhere: &'a SurfaceState,
    people: &'a [Person],
}

fn other_surface(surface: Surface) -> Surface {
    match surface {
        Surface::Feed => Surface::Visual,
        Surface::Visual => Surface::Feed,
    }
}

pub(crate) fn created_at(unix_ms: i64) -> String {
    let time = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .expect("ids hold times in range");
    time.format(&time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    ))
    .expect("the format has only numeric parts")
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(origin: &'a str, surface: Surface, data: &'a Data) -> Renderer<'a> {
        Renderer {
            origin,
            surface,
            state: data.surface(surface),
            elsewhere: data.surface(other_surface(surface)),
            people: &data.people,
        }
    }

    /// The server's base URL: `http://127.0.0.1:PORT/feed`.
    pub(crate) fn base(&self) -> String {
        format!("{}/{}", self.origin, self.surface)
    }

    pub(crate) fn account(&self, record: &AccountRecord) -> wire::Account {
        let person = &self.people[record.person];
        let avatar = format!("{}/media/art/{}/{}.jpg", self.origin, person.avatar.code(), Size::Avatar.name());
        let header = format!("{}/media/art/{}/{}.jpg", self.origin, person.header.code(), Size::Header.name());
        let is_user = record.id == self.state.user_account().id;
        let privacy = &self.state.privacy;
        // Pixelfed's accounts have no directory, collection or search-engine settings.
        let mastodon_only = |user_value: bool, others: bool| {
            (self.surface == Surface::Feed).then_some(if is_user { user_value } else { others })
        };
        wire::Account {
            id: record.id.to_string(),
            username: person.username.clone(),
            acct: person.username.clone(),
            display_name: person.display_name.clone(),
            locked: is_user && privacy.locked,
            bot: false,
            discoverable: mastodon_only(privacy.discoverable, true),
            hide_collections: mastodon_only(privacy.hide_collections, false),
            indexable: mastodon_only(privacy.indexable, true),
            created_at: created_at(person.joined_ms - person.joined_ms.rem_euclid(86_400_000)),
            note: self.html(&person.bio),
            url: format!("{}/@{}", self.base(), person.username),
            avatar: avatar.clone(),
            avatar_static: avatar,
            header: header.clone(),
            header_static: header,
            followers_count: record.followers_count + if is_user { privacy.new_followers.len() as i64 } else { 0 },
            following_count: if is_user { self.state.followed_count() } else { record.following_count },
            statuses_count: self.state.statuses_count(record.id),
            fields: self.other_surface_field(person).into_iter().collect(),
            source: None,
        }
    }

    /// People with an account on both servers say so on their profile with a verified link, as
    /// people link their accounts on Mastodon.
    fn other_surface_field(&self, person: &Person) -> Option<wire::AccountField> {
        self.elsewhere.account_by_username(&person.username)?;
        let other = other_surface(self.surface);
        let url = format!("{}/{other}/@{}", self.origin, person.username);
        let label = if other == Surface::Visual { "Photos" } else { "Writing" };
        Some(wire::AccountField {
            name: label.to_owned(),
            value: format!(r#"<a href="{url}" rel="me nofollow noopener" target="_blank">{url}</a>"#),
            verified_at: Some(created_at(person.joined_ms)),
        })
    }

    /// `verify_credentials`: the user's account with the settings only they see.
    pub(crate) fn credential_account(&self) -> wire::Account {
        let user = self.state.user_account();
        let person = &self.people[user.person];
        wire::Account {
            source: Some(wire::AccountSource {
                privacy: Some(self.state.privacy.default_visibility.as_str().to_owned()),
                sensitive: self.state.privacy.sensitive,
                language: Some(person.language.to_owned()),
                note: person.bio.clone(),
            }),
            ..self.account(user)
        }
    }

    fn html(&self, text: &str) -> String {
        let base = self.base();
        text::to_html(
            text,
            |username| {
                self.state.account_by_username(username).map(|a| format!("{base}/@{}", self.people[a.person].username))
            },
            |tag| format!("{base}/tags/{tag}"),
        )
    }

    pub(crate) fn status(&self, record: &StatusRecord) -> wire::Status {
        let author = self.state.account(record.author).expect("every status has a known author");
        let username = &self.people[author.person].username;
        let base = self.base();
        let favourited = self.state.favourites.contains(&record.id);
        wire::Status {
            id: record.id.to_string(),
            uri: format!("{base}/users/{username}/statuses/{}", record.id),
            url: Some(format!("{base}/@{username}/{}", record.id)),
            created_at: created_at(record.id.unix_ms()),
            account: self.account(author),
            content: self.html(&record.text),
            spoiler_text: record.spoiler_text.clone(),
            sensitive: record.sensitive,
            visibility: record.visibility.as_str().to_owned(),
            in_reply_to_id: record.in_reply_to.map(|id| id.to_string()),
            in_reply_to_account_id: record.in_reply_to_account.map(|id| id.to_string()),
            reblog: None,
            media_attachments: self.attachments(record),
            mentions: record
                .mentions
                .iter()
                .filter_map(|id| self.state.account(*id))
                .map(|a| self.mention(a))
                .collect(),
            tags: record
                .tags
                .iter()
                .map(|name| wire::Tag { name: name.clone(), url: format!("{base}/tags/{name}") })
                .collect(),
            replies_count: self.state.replies_to(record.id).len() as i64,
            reblogs_count: record.reblogs,
            favourites_count: record.others_favourites + i64::from(favourited),
            favourited,
            reblogged: false,
            bookmarked: false,
            language: record.language.clone(),
            edited_at: record.edited_at.map(created_at),
        }
    }

    fn mention(&self, account: &AccountRecord) -> wire::Mention {
        let username = &self.people[account.person].username;
        wire::Mention {
            id: account.id.to_string(),
            username: username.clone(),
            acct: username.clone(),
            url: format!("{}/@{username}", self.base()),
        }
    }

    /// A status's pictures, in order.
    pub(crate) fn attachments(&self, record: &StatusRecord) -> Vec<wire::MediaAttachment> {
        record.media.iter().filter_map(|id| self.state.media.get(id)).map(|m| self.media(m)).collect()
    }

    pub(crate) fn media(&self, record: &MediaRecord) -> wire::MediaAttachment {
        let dimensions =
            |width: u32, height: u32| Some(wire::MediaDimensions { width: Some(width), height: Some(height) });
        let (url, preview_url, original, small) = match &record.source {
            MediaSource::Art(spec) => {
                let (ow, oh) = spec.dimensions(Size::Original);
                let (sw, sh) = spec.dimensions(Size::Small);
                let file = |size: Size| format!("{}/media/art/{}/{}.jpg", self.origin, spec.code(), size.name());
                (Some(file(Size::Original)), Some(file(Size::Small)), dimensions(ow, oh), dimensions(sw, sh))
            }
            MediaSource::Upload(upload) => {
                let folder = format!("{}/media/uploads/{}/{}", self.origin, self.surface, record.id);
                let ready = upload.pending_polls == 0;
                (
                    ready.then(|| format!("{folder}/original.{}", upload.extension)),
                    Some(format!("{folder}/small.jpg")),
                    dimensions(upload.width, upload.height),
                    dimensions(upload.preview_width, upload.preview_height),
                )
            }
        };
        wire::MediaAttachment {
            id: record.id.to_string(),
            kind: "image".to_owned(),
            url,
            preview_url,
            remote_url: None,
            description: record.description.clone(),
            blurhash: record.blurhash.clone(),
            meta: Some(wire::MediaMeta { original, small }),
        }
    }

    pub(crate) fn conversation(&self, record: &ConversationRecord) -> wire::Conversation {
        wire::Conversation {
            id: record.id.to_string(),
            unread: record.unread,
            accounts: record
                .participants
                .iter()
                .filter_map(|id| self.state.account(*id))
                .map(|a| self.account(a))
                .collect(),
            last_status: self.state.status(record.last_status()).map(|s| self.status(s)),
        }
    }
}
