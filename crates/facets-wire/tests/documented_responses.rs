//! The example responses in the servers' API documentation parse into Facets' wire types without
//! losing a field Facets uses.
//!
//! Each fixture's source is listed in `tests/fixtures/README.md`. The expected values below were
//! read off the fixtures, not off the parser's output.

use facets_wire::{
    Account, Conversation, DirectMessage, DirectThread, Instance, MediaAttachment, MediaDimensions, Notification,
    NotificationKind, Status,
};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Parses `tests/fixtures/<path>` as `T`, failing the test with the file and the reason if it does not.
fn fixture<T: DeserializeOwned>(path: &str) -> T {
    let file = fixtures_dir().join(path);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} does not parse as documented: {e}"))
}

fn dimensions(d: &Option<MediaDimensions>) -> Option<(Option<u32>, Option<u32>)> {
    d.as_ref().map(|d| (d.width, d.height))
}

// --- Mastodon: docs.joinmastodon.org ---------------------------------------------------------

#[test]
fn mastodon_status_example() {
    let status: Status = fixture("mastodon/status.json");
    assert_eq!(status.id, "103270115826048975");
    assert_eq!(status.created_at, "2019-12-08T03:48:33.901Z");
    assert_eq!(status.uri, "https://mastodon.social/users/Gargron/statuses/103270115826048975");
    assert_eq!(status.url.as_deref(), Some("https://mastodon.social/@Gargron/103270115826048975"));
    assert_eq!(status.in_reply_to_id, None);
    assert_eq!(status.in_reply_to_account_id, None);
    assert_eq!(status.visibility, "public");
    assert_eq!(status.spoiler_text, "");
    assert!(!status.sensitive);
    assert_eq!(status.language.as_deref(), Some("en"));
    assert!(
        status.content.starts_with("<p>&quot;I lost my inheritance with one wrong digit on my sort code&quot;</p>"),
        "the content is kept as the server's HTML: {}",
        status.content
    );
    assert_eq!((status.replies_count, status.reblogs_count, status.favourites_count), (5, 6, 11));
    assert!(!status.favourited && !status.reblogged && !status.bookmarked);
    assert!(status.reblog.is_none());
    assert!(status.media_attachments.is_empty());
    assert_eq!(status.edited_at, None, "the example predates edits and has no edited_at");

    let author = &status.account;
    assert_eq!(author.id, "1");
    assert_eq!(author.username, "Gargron");
    assert_eq!(author.acct, "Gargron");
    assert_eq!(author.display_name, "Eugen");
    assert!(!author.locked && !author.bot);
    assert_eq!(author.discoverable, Some(true));
    assert_eq!(author.created_at, "2016-03-16T14:34:26.392Z");
    assert_eq!(author.url, "https://mastodon.social/@Gargron");
    assert_eq!(
        author.avatar,
        "https://files.mastodon.social/accounts/avatars/000/000/001/original/d96d39a0abb45b92.jpg"
    );
    assert_eq!(author.avatar_static, author.avatar);
    assert_eq!(
        author.header,
        "https://files.mastodon.social/accounts/headers/000/000/001/original/c91b871f294ea63e.png"
    );
    assert_eq!(author.header_static, author.header);
    assert_eq!((author.followers_count, author.following_count, author.statuses_count), (322930, 459, 61323));
    assert_eq!(author.fields.len(), 2);
    assert_eq!(author.fields[0].name, "Patreon");
    assert_eq!(author.fields[0].verified_at, None);
    assert_eq!(author.fields[1].name, "Homepage");
    assert_eq!(author.fields[1].verified_at.as_deref(), Some("2019-07-15T18:29:57.191+00:00"));
    assert!(author.fields[1].value.contains("zeonfederated.com"));
    assert!(author.source.is_none(), "source comes only with verify_credentials");
}

#[test]
fn mastodon_status_with_an_image() {
    let status: Status = fixture("mastodon/status-with-media.json");
    assert_eq!(status.id, "103254193998341330");
    assert_eq!(status.account.acct, "trwnh");
    assert_eq!(status.account.display_name, "infinite love ⴳ");
    assert_eq!(status.account.avatar, "", "the docs elide the rest of the account");
    assert_eq!(status.media_attachments.len(), 1);

    let image = &status.media_attachments[0];
    assert_eq!(image.id, "22345792");
    assert_eq!(image.kind, "image");
    assert_eq!(
        image.url.as_deref(),
        Some("https://files.mastodon.social/media_attachments/files/022/345/792/original/57859aede991da25.jpeg")
    );
    assert_eq!(
        image.preview_url.as_deref(),
        Some("https://files.mastodon.social/media_attachments/files/022/345/792/small/57859aede991da25.jpeg")
    );
    assert_eq!(image.remote_url, None);
    assert_eq!(image.description.as_deref(), Some("test media description"));
    assert_eq!(image.blurhash.as_deref(), Some("UFBWY:8_0Jxv4mx]t8t64.%M-:IUWGWAt6M}"));
    let meta = image.meta.as_ref().expect("the image has meta");
    assert_eq!(dimensions(&meta.original), Some((Some(640), Some(480))));
    assert_eq!(dimensions(&meta.small), Some((Some(461), Some(346))));
}

#[test]
fn mastodon_edited_status() {
    let status: Status = fixture("mastodon/status-edited.json");
    assert_eq!(status.id, "108942703571991143");
    assert_eq!(status.created_at, "2022-09-04T23:22:13.704Z");
    assert_eq!(status.edited_at.as_deref(), Some("2022-09-05T00:33:20.309Z"), "Facets marks edited posts");
    assert_eq!((status.replies_count, status.reblogs_count, status.favourites_count), (3, 1, 6));
    assert_eq!(
        status.content,
        "<p>this is a status that has been edited multiple times to change the text, add a poll, and change poll options.</p>"
    );
}

#[test]
fn mastodon_boost_carries_the_boosted_status() {
    let boost: Status = fixture("mastodon/status-reblog.json");
    assert_eq!(boost.id, "103254401326800919");
    assert!(boost.reblogged);
    let original = boost.reblog.as_deref().expect("a boost carries the boosted status");
    assert_eq!(original.id, "99734435964706331");
    assert_eq!(original.created_at, "2018-03-23T17:38:40.700Z");
    assert!(original.reblogged);
}

#[test]
fn mastodon_account_example() {
    let account: Account = fixture("mastodon/account.json");
    assert_eq!(account.id, "23634");
    assert_eq!(account.username, "noiob");
    assert_eq!(account.acct, "noiob@awoo.space", "a remote account's handle includes its domain");
    assert_eq!(account.display_name, "ikea shark fan account");
    assert!(!account.locked && !account.bot);
    assert_eq!(account.discoverable, None, "the example does not say");
    assert_eq!(account.created_at, "2017-02-08T02:00:53.274Z");
    assert_eq!(account.url, "https://awoo.space/@noiob");
    assert_eq!(
        account.avatar,
        "https://files.mastodon.social/accounts/avatars/000/023/634/original/6ca8804dc46800ad.png"
    );
    assert_eq!(
        account.header,
        "https://files.mastodon.social/accounts/headers/000/023/634/original/256eb8d7ac40f49a.png"
    );
    assert_eq!((account.followers_count, account.following_count, account.statuses_count), (547, 404, 28468));
    assert!(account.note.contains("compsci student"));
    let names: Vec<&str> = account.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["Pronouns", "Alt", "Bots", "Website"]);
    assert_eq!(account.fields[0].value, "they/them");
    assert_eq!(account.fields[3].verified_at.as_deref(), Some("2019-11-10T10:31:10.744+00:00"));
}

#[test]
fn mastodon_credential_account_has_its_source() {
    let account: Account = fixture("mastodon/account-credential.json");
    assert_eq!(account.id, "14715");
    assert_eq!(account.acct, "trwnh");
    let source = account.source.expect("verify_credentials answers with source");
    assert_eq!(source.privacy.as_deref(), Some("public"), "the default audience of new posts");
    assert!(!source.sensitive);
    assert_eq!(source.language.as_deref(), Some(""), "Mastodon sends an empty string for no default language");
    assert!(source.note.starts_with("i have approximate knowledge of many things."), "the plain-text bio");
    assert_eq!(account.fields.len(), 4);
    assert_eq!(account.fields[1].name, "Portfolio");
    assert_eq!(account.fields[1].verified_at.as_deref(), Some("2021-02-11T20:34:13.574+00:00"));
}

#[test]
fn mastodon_media_attachment_examples() {
    let video: MediaAttachment = fixture("mastodon/media-video.json");
    assert_eq!(video.id, "22546306");
    assert_eq!(video.kind, "video");
    assert_eq!(
        video.url.as_deref(),
        Some("https://files.mastodon.social/media_attachments/files/022/546/306/original/dab9a597f68b9745.mp4")
    );
    assert_eq!(
        video.preview_url.as_deref(),
        Some("https://files.mastodon.social/media_attachments/files/022/546/306/small/dab9a597f68b9745.png")
    );
    assert_eq!(video.description, None);
    assert_eq!(video.blurhash.as_deref(), Some("U58E0g8_0M.94T?bIr00?bD%NGoM?bD%oLt7"));
    let meta = video.meta.as_ref().expect("video meta");
    assert_eq!(dimensions(&meta.original), Some((Some(1280), Some(720))));
    assert_eq!(dimensions(&meta.small), Some((Some(400), Some(225))));

    let gifv: MediaAttachment = fixture("mastodon/media-gifv.json");
    assert_eq!(gifv.id, "21130559");
    assert_eq!(gifv.kind, "gifv");
    assert_eq!(gifv.blurhash.as_deref(), Some("URHT%Jm,2a1d%MRO%LozkrNH$*n*oMn$Rjt7"));
    let meta = gifv.meta.as_ref().expect("gifv meta");
    assert_eq!(dimensions(&meta.original), Some((Some(600), Some(332))));
    assert_eq!(dimensions(&meta.small), Some((Some(400), Some(221))));

    let audio: MediaAttachment = fixture("mastodon/media-audio.json");
    assert_eq!(audio.id, "21165404");
    assert_eq!(audio.kind, "audio");
    assert_eq!(
        audio.url.as_deref(),
        Some("https://files.mastodon.social/media_attachments/files/021/165/404/original/a31a4a46cd713cd2.mp3")
    );
    assert_eq!(audio.blurhash, None);
    let meta = audio.meta.as_ref().expect("audio meta");
    assert_eq!(dimensions(&meta.original), Some((None, None)), "audio has a duration, not a size");
    assert_eq!(dimensions(&meta.small), None);

    let image: MediaAttachment = fixture("mastodon/media-image.json");
    assert_eq!(image.kind, "image");
    assert_eq!(image.description.as_deref(), Some("test media description"));
}

#[test]
fn mastodon_conversation_example() {
    let conversation: Conversation = fixture("mastodon/conversation.json");
    assert_eq!(conversation.id, "418450");
    assert!(conversation.unread);
    assert_eq!(conversation.accounts.len(), 1);
    assert_eq!(conversation.accounts[0].id, "482403");
    assert_eq!(conversation.accounts[0].acct, "amic@nulled.red");
    let last = conversation.last_status.expect("the example has a last status");
    assert_eq!(last.id, "103196583826321184");
    assert_eq!(last.created_at, "2019-11-25T04:08:24.000Z");
    assert_eq!(last.in_reply_to_id.as_deref(), Some("103196540587943467"));
    assert_eq!(last.in_reply_to_account_id.as_deref(), Some("14715"));
}

#[test]
fn mastodon_instance_example() {
    let instance: Instance = fixture("mastodon/instance-v2.json");
    assert_eq!(instance.domain, "mastodon.social");
    assert_eq!(instance.title, "Mastodon");
    assert_eq!(instance.version, "4.0.0rc1");
    assert_eq!(instance.description, "The original server operated by the Mastodon gGmbH non-profit");
    let config = &instance.configuration;
    assert_eq!(config.urls.streaming.as_deref(), Some("wss://mastodon.social"));
    assert_eq!(config.statuses.max_characters, 500);
    assert_eq!(config.statuses.max_media_attachments, 4);
    assert_eq!(config.statuses.characters_reserved_per_url, 23);
    let media = &config.media_attachments;
    assert_eq!(media.supported_mime_types.len(), 27);
    assert_eq!(media.supported_mime_types[0], "image/jpeg");
    assert!(media.supported_mime_types.iter().any(|m| m == "image/heic"));
    assert_eq!(media.supported_mime_types.last().map(String::as_str), Some("video/x-ms-asf"));
    assert_eq!(media.image_size_limit, 10_485_760);
    assert_eq!(media.image_matrix_limit, 16_777_216);
    assert_eq!(media.video_size_limit, 41_943_040);
    assert!(instance.api_versions.is_empty(), "the 4.0 example predates api_versions");
}

#[test]
fn mastodon_notification_examples() {
    let mention: Notification = fixture("mastodon/notification-mention.json");
    assert_eq!(mention.id, "34975861");
    assert_eq!(mention.kind, NotificationKind::Mention);
    assert_eq!(mention.created_at, "2019-11-23T07:49:02.064Z");
    assert_eq!(mention.account.id, "971724");
    assert_eq!(mention.account.acct, "zsc");
    let status = mention.status.expect("a mention carries the status");
    assert_eq!(status.id, "103186126728896492");
    assert_eq!(status.in_reply_to_id.as_deref(), Some("103186038209478945"));

    let favourite: Notification = fixture("mastodon/notification-favourite.json");
    assert_eq!(favourite.id, "34975535");
    assert_eq!(favourite.kind, NotificationKind::Favourite);
    assert_eq!(favourite.account.acct, "haskal@cybre.space");
    let status = favourite.status.expect("a favourite carries the status");
    assert_eq!(status.id, "103186046267791694");
    assert_eq!(status.account.acct, "trwnh", "the favourited post is the user's own");
}

// --- GoToSocial: docs/api/swagger.yaml and the model it is generated from ---------------------

#[test]
fn gotosocial_status_with_ulid_ids() {
    let status: Status = fixture("gotosocial/status.json");
    assert_eq!(status.id, "01FBVD42CQ3ZEEVMW180SBX03B");
    assert_eq!(status.created_at, "2021-07-30T09:20:25+00:00");
    assert_eq!(status.in_reply_to_id.as_deref(), Some("01FBVD42CQ3ZEEVMW180SBX03B"));
    assert_eq!(status.in_reply_to_account_id.as_deref(), Some("01FBVD42CQ3ZEEVMW180SBX03B"));
    assert_eq!(status.spoiler_text, "warning nsfw");
    assert_eq!(status.visibility, "unlisted");
    assert_eq!(status.content, "<p>Hey this is a status!</p>");
    assert_eq!(status.url.as_deref(), Some("https://example.org/@some_user/statuses/01FBVD42CQ3ZEEVMW180SBX03B"));
    assert_eq!(status.favourites_count, 0, "the swagger gives no example count");
    assert_eq!(status.mentions.len(), 1);
    assert_eq!(status.mentions[0].acct, "some_user@example.org");

    assert_eq!(status.account.acct, "some_user@example.org");
    assert_eq!(status.account.display_name, "big jeff (he/him)");
    assert_eq!(status.account.avatar, "https://example.org/media/some_user/avatar/original/avatar.jpeg");
    assert_eq!(status.account.header, "https://example.org/media/some_user/header/original/header.jpeg");

    let image = &status.media_attachments[0];
    assert_eq!(image.id, "01FC31DZT1AYWDZ8XTCRWRBYRK");
    assert_eq!(image.kind, "image");
    assert_eq!(
        image.url.as_deref(),
        Some("https://example.org/fileserver/some_id/attachments/some_id/original/attachment.jpeg")
    );
    assert_eq!(
        image.preview_url.as_deref(),
        Some("https://example.org/fileserver/some_id/attachments/some_id/small/attachment.jpeg")
    );
    assert_eq!(image.remote_url.as_deref(), Some("https://some-other-server.org/attachments/original/ahhhhh.jpeg"));
    assert_eq!(image.description.as_deref(), Some("This is a picture of a kitten."));
    assert_eq!(image.blurhash, None, "GoToSocial omits blurhash when it has none");
    let meta = image.meta.as_ref().expect("image meta");
    assert_eq!(dimensions(&meta.original), Some((Some(1920), Some(1080))));
}

#[test]
fn gotosocial_account() {
    let account: Account = fixture("gotosocial/account.json");
    assert_eq!(account.id, "01FBVD42CQ3ZEEVMW180SBX03B");
    assert_eq!(account.username, "some_user");
    assert_eq!(account.acct, "some_user@example.org");
    assert_eq!(account.display_name, "big jeff (he/him)");
    assert_eq!(account.avatar_static, "https://example.org/media/some_user/avatar/static/avatar.png");
    assert_eq!(account.header_static, "https://example.org/media/some_user/header/static/header.png");
    assert!(!account.locked, "not documented, so not locked");
    assert_eq!(account.fields[0].name, "pronouns");
    assert_eq!(account.fields[0].value, "they/them");
    assert_eq!(account.fields[0].verified_at.as_deref(), Some("2021-07-30T09:20:25+00:00"));
}

#[test]
fn gotosocial_instance_names_its_streaming_url_streaming_api() {
    let instance: Instance = fixture("gotosocial/instance-v2.json");
    assert_eq!(instance.domain, "gts.example.org");
    assert_eq!(instance.title, "GoToSocial Example Instance");
    assert_eq!(instance.version, "0.1.1 cb85f65");
    assert_eq!(instance.description, "", "the swagger has no example description");
    let config = &instance.configuration;
    assert_eq!(
        config.urls.streaming.as_deref(),
        Some("wss://example.org"),
        "this GoToSocial reused the v1 `urls` object in v2, so the URL is under `streaming_api`"
    );
    assert_eq!(config.statuses.max_characters, 5000);
    assert_eq!(config.statuses.max_media_attachments, 4);
    assert_eq!(config.statuses.characters_reserved_per_url, 25);
    assert_eq!(config.media_attachments.supported_mime_types, ["image/jpeg", "image/gif"]);
    assert_eq!(config.media_attachments.image_size_limit, 2_097_152);
    assert_eq!(config.media_attachments.image_matrix_limit, 16_777_216);
    assert_eq!(config.media_attachments.video_size_limit, 10_485_760);
}

#[test]
fn gotosocial_current_instance() {
    let instance: Instance = fixture("gotosocial/instance-v2-current.json");
    let config = &instance.configuration;
    assert_eq!(config.urls.streaming.as_deref(), Some("wss://example.org"));
    assert_eq!(config.statuses.max_characters, 5000);
    assert_eq!(
        config.media_attachments.supported_mime_types,
        ["image/jpeg", "image/gif"],
        "the text formats under statuses.supported_mime_types are not media types"
    );
}

// --- Pixelfed: the shapes of its API transformers (it publishes no examples) ------------------

#[test]
fn pixelfed_status_in_mastodon_mode() {
    let status: Status = fixture("pixelfed/status.json");
    assert_eq!(status.id, "650000000000000001");
    assert_eq!(status.created_at, "2024-05-04T07:12:45.000Z");
    assert_eq!(status.visibility, "public");
    assert_eq!(status.content, "Morning light over the harbour");
    assert!(!status.favourited, "Pixelfed sends null for a viewer state it does not know");
    assert_eq!(status.language, None);
    assert_eq!(status.edited_at, None);
    assert_eq!((status.replies_count, status.reblogs_count, status.favourites_count), (3, 2, 14));

    assert_eq!(status.account.acct, "alice");
    assert_eq!(status.account.display_name, "Alice");
    assert_eq!(status.account.header, "https://pixelfed.example/storage/headers/missing.png");
    assert_eq!(status.account.discoverable, Some(true));

    let photo = &status.media_attachments[0];
    assert_eq!(photo.id, "700000000000000001");
    assert_eq!(photo.kind, "image");
    assert_eq!(photo.url.as_deref(), Some("https://pixelfed.example/storage/m/_v2/600000000000000001/harbour.jpg"));
    assert_eq!(
        photo.preview_url.as_deref(),
        Some("https://pixelfed.example/storage/m/_v2/600000000000000001/harbour_thumb.jpg")
    );
    assert_eq!(photo.description.as_deref(), Some("Fishing boats moored in a calm harbour at sunrise"));
    assert_eq!(photo.blurhash.as_deref(), Some("U4Rfzst8?bt7ogayj[j[~pfQ9Goe%Mj[WBay"));
    let meta = photo.meta.as_ref().expect("Pixelfed sends meta when it knows the size");
    assert_eq!(dimensions(&meta.original), Some((Some(1080), Some(1350))));
    assert_eq!(dimensions(&meta.small), None, "Pixelfed sends no small size");
}

#[test]
fn pixelfed_status_in_its_own_shape() {
    let status: Status = fixture("pixelfed/status-native.json");
    assert_eq!(status.id, "650000000000000002");
    assert_eq!(status.visibility, "unlisted");
    assert!(!status.favourited && !status.reblogged, "null viewer state reads as not done");
    assert_eq!(status.replies_count, 1);
    assert_eq!(status.edited_at.as_deref(), Some("2024-05-05T16:10:42.000Z"));
    assert_eq!(status.account.acct, "alice");
    assert_eq!(status.account.avatar, "https://pixelfed.example/storage/avatars/default.jpg");
    assert_eq!(status.account.avatar_static, "", "Pixelfed's own shape has no avatar_static");
    assert_eq!(status.account.header, "", "nor a header");

    assert_eq!(status.media_attachments.len(), 2);
    let photo = &status.media_attachments[0];
    assert_eq!(photo.kind, "image");
    assert_eq!(photo.description.as_deref(), Some("Crates of oranges stacked on a market stall"));
    assert_eq!(dimensions(&photo.meta.as_ref().expect("photo meta").original), Some((Some(1350), Some(1080))));
    let video = &status.media_attachments[1];
    assert_eq!(video.kind, "video");
    assert_eq!(video.url.as_deref(), Some("https://pixelfed.example/storage/m/_v2/600000000000000001/market.mp4"));
    assert_eq!(video.meta, None, "Pixelfed sends null meta when it does not know the size");
    assert_eq!(video.description, None);
}

#[test]
fn pixelfed_direct_message_notification() {
    let notification: Notification = fixture("pixelfed/notification.json");
    assert_eq!(notification.id, "800000000000000001");
    assert_eq!(
        notification.kind,
        NotificationKind::Other("direct".into()),
        "Pixelfed's own kind is kept as it came, not refused"
    );
    assert_eq!(notification.kind.as_str(), "direct");
    assert_eq!(notification.created_at, "2024-05-06T09:30:00.000000Z");
    assert_eq!(notification.account.acct, "bob");
    assert!(notification.account.locked);
    let status = notification.status.expect("the message");
    assert_eq!(status.visibility, "direct");
    assert_eq!(status.content, "Are you coming to the photo walk?");
    assert_eq!(status.account.acct, "bob");
}

#[test]
fn pixelfed_instance() {
    let instance: Instance = fixture("pixelfed/instance-v2.json");
    assert_eq!(instance.domain, "pixelfed.example");
    assert_eq!(instance.version, "0.11.9");
    assert_eq!(instance.description, "", "null reads as no description");
    let config = &instance.configuration;
    assert_eq!(config.urls.streaming.as_deref(), Some("wss://pixelfed.example"));
    assert_eq!(config.statuses.max_characters, 500, "Pixelfed's caption limit");
    assert_eq!(config.statuses.max_media_attachments, 4, "Pixelfed's album limit");
    assert_eq!(config.statuses.characters_reserved_per_url, 23);
    assert_eq!(config.media_attachments.supported_mime_types, ["image/jpeg", "image/png", "image/gif"]);
    assert_eq!(config.media_attachments.image_size_limit, 15_360_000, "15000 KB, sent in bytes");
    assert_eq!(config.media_attachments.image_matrix_limit, 3_686_400);
}

// --- Values a server invents ----------------------------------------------------------------

#[test]
fn a_visibility_a_server_invents_is_kept_as_sent() {
    // GoToSocial's `mutuals_only` (internal/api/model/status.go); Akkoma's `local` and `list`.
    for visibility in ["mutuals_only", "local", "list"] {
        let json = format!(r#"{{"id": "1", "visibility": "{visibility}"}}"#);
        let status: Status = serde_json::from_str(&json).expect("an unknown visibility is no error");
        assert_eq!(status.visibility, visibility, "the domain layer decides what it means");
    }
}

#[test]
fn a_media_type_a_server_invents_is_kept_as_sent() {
    // Mastodon's own `unknown`; Pixelfed's older transformer sent `Image` capitalised, and its own
    // shape lowercases `Document` for other files.
    for kind in ["unknown", "Image", "document"] {
        let json = format!(r#"{{"id": "1", "type": "{kind}", "url": null}}"#);
        let media: MediaAttachment = serde_json::from_str(&json).expect("an unknown media type is no error");
        assert_eq!(media.kind, kind);
    }
}

#[test]
fn a_notification_type_a_server_invents_is_kept_and_sent_back_as_it_came() {
    // Pixelfed's `tagged` and `modlog` (app/Transformer/Api/Mastodon/v1/NotificationTransformer.php).
    for name in ["tagged", "modlog"] {
        let json = format!(r#"{{"id": "5", "type": "{name}", "account": {{"id": "7"}}}}"#);
        let notification: Notification = serde_json::from_str(&json).expect("an unknown type is no error");
        assert_eq!(notification.kind, NotificationKind::Other(name.into()));
        assert_eq!(notification.status, None);
        let back = serde_json::to_value(&notification).unwrap();
        assert_eq!(back["type"], name, "the demo backend serves what it was given");
    }
}

#[test]
fn a_notification_without_a_type_still_parses() {
    let notification: Notification = serde_json::from_str(r#"{"id": 9, "type": null}"#).unwrap();
    assert_eq!(notification.id, "9");
    assert_eq!(notification.kind, NotificationKind::Other(String::new()));
}

// --- Every fixture is tested and has its source written down ----------------------------------

#[test]
fn every_fixture_parses_as_the_entity_its_name_says_and_its_source_is_listed() {
    let readme = std::fs::read_to_string(fixtures_dir().join("README.md")).expect("tests/fixtures/README.md");
    let mut seen = 0;
    for server in std::fs::read_dir(fixtures_dir()).unwrap() {
        let server = server.unwrap().path();
        if !server.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&server).unwrap() {
            let file = file.unwrap().path();
            let relative = format!(
                "{}/{}",
                server.file_name().unwrap().to_string_lossy(),
                file.file_name().unwrap().to_string_lossy()
            );
            assert!(readme.contains(&format!("`{relative}`")), "{relative} needs its source in the README");
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&file).unwrap();
            let parsed = match name.split(['-', '.']).next().unwrap() {
                "status" => serde_json::from_str::<Status>(&text).map(drop),
                "account" => serde_json::from_str::<Account>(&text).map(drop),
                "media" => serde_json::from_str::<MediaAttachment>(&text).map(drop),
                "conversation" => serde_json::from_str::<Conversation>(&text).map(drop),
                "instance" => serde_json::from_str::<Instance>(&text).map(drop),
                "notification" => serde_json::from_str::<Notification>(&text).map(drop),
                "thread" => serde_json::from_str::<DirectThread>(&text).map(drop),
                "message" => serde_json::from_str::<DirectMessage>(&text).map(drop),
                other => panic!("{relative}: no entity is named {other}"),
            };
            parsed.unwrap_or_else(|e| panic!("{relative}: {e}"));
            seen += 1;
        }
    }
    assert_eq!(seen, 24, "a fixture was added or lost without this count changing");
}

#[test]
fn pixelfed_direct_thread() {
    let thread: DirectThread = fixture("pixelfed/thread.json");
    assert_eq!(thread.id, "600000000000000007");
    assert_eq!(thread.name, "Mira Holm");
    assert_eq!(thread.username, "mira");
    assert_eq!(thread.url, "https://pixelfed.example/mira");
    assert_eq!(thread.messages.len(), 2);
    let newest = &thread.messages[0];
    assert_eq!((newest.id.as_str(), newest.report_id.as_str()), ("412", "600000000000000950"));
    assert!(!newest.is_author);
    assert_eq!(newest.kind, "text");
    assert_eq!(newest.text.as_deref(), Some("See you at the harbour <b>at six</b>?"), "plain text, as typed");
    assert_eq!(newest.created_at.as_deref(), Some("2026-11-20T18:02:11+00:00"));
    assert!(!newest.seen);
    let picture = &thread.messages[1];
    assert_eq!((picture.id.as_str(), picture.report_id.as_str()), ("398", "600000000000000901"), "numbers read as ids");
    assert!(picture.is_author && picture.seen);
    assert_eq!((picture.kind.as_str(), picture.text.as_deref()), ("photo", None));
    assert_eq!(
        picture.media.as_deref(),
        Some("https://pixelfed.example/storage/m/_v2/600000000000000001/harbour.jpg"),
        "a picture message names its picture"
    );
    assert!(picture.carousel.is_empty() && newest.media.is_none());
}

#[test]
fn pixelfed_direct_message_sent() {
    let sent: DirectMessage = fixture("pixelfed/message-sent.json");
    assert_eq!((sent.id.as_str(), sent.report_id.as_str()), ("413", "600000000000000961"));
    assert!(sent.is_author);
    assert_eq!(sent.text.as_deref(), Some("Six it is."));
    assert_eq!(sent.created_at, None, "the answer to sending has only a relative time");
}
