//! The client against the demo backend over real loopback HTTP: the same code path real
//! servers get.

use std::collections::HashSet;
use std::io::Cursor;
use std::net::SocketAddr;
use std::time::Duration;

use facets_client::{
    AccountStatusesFilter, ClientError, LoopbackRedirect, MastodonClient, MediaState, Page, PageQuery, Pkce,
    SignInRedirect, OUT_OF_BAND,
};
use facets_demo::{DemoConfig, DemoServer};
use facets_model::{Dialect, Surface};
use facets_wire::{Conversation, NewStatus};

const REDIRECT: &str = "http://127.0.0.1/facets/oauth-callback";

async fn demo() -> DemoServer {
    DemoServer::start(DemoConfig::default(), SocketAddr::from(([127, 0, 0, 1], 0))).await.expect("demo starts")
}

/// Signs in on Feed through the whole OAuth flow and returns an authenticated client per surface.
async fn sign_in(server: &DemoServer) -> (MastodonClient, MastodonClient) {
    let feed = MastodonClient::new(&server.base_url(Surface::Feed)).unwrap();
    let app = feed.register_app(REDIRECT).await.unwrap();
    assert!(!app.client_id.is_empty() && !app.client_secret.is_empty());
    let pkce = Pkce::generate();
    let url = feed.authorize_url(&app, "state-1", Some(&pkce));
    let code = feed.approve_without_login(&url, "state-1").await.unwrap();
    let token = feed.exchange_code(&app, &code, Some(&pkce)).await.unwrap();
    // A code is single-use.
    assert!(feed.exchange_code(&app, &code, Some(&pkce)).await.is_err());
    let visual = MastodonClient::new(&server.base_url(Surface::Visual)).unwrap();
    (feed.with_token(token.access_token.clone()), visual.with_token(token.access_token))
}

fn jpeg(width: u32, height: u32, noise: bool) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        let n = if noise { (x.wrapping_mul(2654435761) ^ y.wrapping_mul(40503)) % 255 } else { 0 };
        image::Rgb([(x % 255) as u8, (y % 255) as u8, n as u8])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn one_sign_in_serves_both_surfaces() {
    let server = demo().await;
    let (feed, visual) = sign_in(&server).await;
    let me_feed = feed.verify_credentials().await.unwrap();
    let me_visual = visual.verify_credentials().await.unwrap();
    assert_eq!(me_feed.display_name, me_visual.display_name, "one identity on both surfaces");
    assert!(me_feed.source.is_some(), "verify_credentials carries the account's source");
    let rate = feed.last_rate_limit().expect("the demo sends rate-limit headers");
    assert!(rate.limit > 0 && rate.remaining < rate.limit);
}

#[tokio::test]
async fn wrong_pkce_verifier_is_refused() {
    let server = demo().await;
    let feed = MastodonClient::new(&server.base_url(Surface::Feed)).unwrap();
    let app = feed.register_app(REDIRECT).await.unwrap();
    let pkce = Pkce::generate();
    let code = feed.approve_without_login(&feed.authorize_url(&app, "s", Some(&pkce)), "s").await.unwrap();
    let other = Pkce::generate();
    let error = feed.exchange_code(&app, &code, Some(&other)).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(400), "{error}");
}

#[tokio::test]
async fn without_a_token_the_api_answers_401_with_a_message() {
    let server = demo().await;
    let anonymous = MastodonClient::new(&server.base_url(Surface::Feed)).unwrap();
    let error = anonymous.verify_credentials().await.unwrap_err();
    assert!(error.is_unauthorized());
    assert!(matches!(&error, ClientError::Http { message: Some(m), .. } if !m.is_empty()), "{error:?}");
}

#[tokio::test]
async fn home_timeline_pages_through_link_headers_without_gaps() {
    let server = demo().await;
    let (feed, _) = sign_in(&server).await;
    let mut page = feed.home_timeline(&PageQuery::limit(40)).await.unwrap();
    let newest_first = page.items.first().map(|s| s.id.clone()).unwrap();
    let mut ids = Vec::new();
    let mut pages = 1;
    loop {
        ids.extend(page.items.iter().map(|s| s.id.clone()));
        let Some(next) = page.next.clone() else { break };
        page = feed.follow(&next).await.unwrap();
        pages += 1;
        assert!(pages < 100, "pagination must end");
    }
    assert!(ids.len() >= 300, "the demo feed has at least 300 posts, got {}", ids.len());
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "no post appears twice across pages");
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(ids, sorted, "newest first, across page boundaries");

    // min_id gives what is newer than a known post, and nothing newer than the newest.
    let newer = feed
        .home_timeline(&PageQuery { min_id: Some(ids[10].clone()), limit: Some(40), ..Default::default() })
        .await
        .unwrap();
    let newer_ids: HashSet<_> = newer.items.iter().map(|s| s.id.clone()).collect();
    assert_eq!(newer_ids, ids[..10].iter().cloned().collect::<HashSet<_>>());
    let none = feed.home_timeline(&PageQuery { min_id: Some(newest_first), ..Default::default() }).await.unwrap();
    assert!(none.items.is_empty());
}

#[tokio::test]
async fn visual_profile_grid_is_only_media() {
    let server = demo().await;
    let (_, visual) = sign_in(&server).await;
    let me = visual.verify_credentials().await.unwrap();
    let filter = AccountStatusesFilter { only_media: true, exclude_reblogs: true, exclude_replies: false };
    let page = visual.account_statuses(&me.id, filter, &PageQuery::limit(40)).await.unwrap();
    assert!(page.items.len() >= 24, "the demo user has a grid of at least 24 posts");
    assert!(page.items.iter().all(|s| !s.media_attachments.is_empty() && s.account.id == me.id));
}

#[tokio::test]
async fn comments_come_with_the_context() {
    let server = demo().await;
    let (feed, _) = sign_in(&server).await;
    let page = feed.home_timeline(&PageQuery::limit(40)).await.unwrap();
    let commented = page.items.iter().find(|s| s.replies_count > 0).expect("some posts have comments");
    let context = feed.context(&commented.id).await.unwrap();
    assert!(!context.descendants.is_empty());
    assert!(context.descendants.iter().any(|d| d.in_reply_to_id.as_deref() == Some(commented.id.as_str())));
}

#[tokio::test]
async fn favourites_round_trip() {
    let server = demo().await;
    let (feed, _) = sign_in(&server).await;
    let page = feed.home_timeline(&PageQuery::limit(5)).await.unwrap();
    let target = page.items.iter().find(|s| !s.favourited).expect("an unfavourited post");
    let liked = feed.set_favourite(&target.id, true).await.unwrap();
    assert!(liked.favourited);
    assert_eq!(liked.favourites_count, target.favourites_count + 1);
    let unliked = feed.set_favourite(&target.id, false).await.unwrap();
    assert!(!unliked.favourited);
    assert_eq!(unliked.favourites_count, target.favourites_count);
}

#[tokio::test]
async fn posting_twice_with_one_idempotency_key_publishes_once() {
    let server = demo().await;
    let (feed, _) = sign_in(&server).await;
    let me = feed.verify_credentials().await.unwrap();
    let status =
        NewStatus { status: "Hello from the test".into(), visibility: Some("public".into()), ..Default::default() };
    let first = feed.post_status(&status, "key-123").await.unwrap();
    let again = feed.post_status(&status, "key-123").await.unwrap();
    assert_eq!(first.id, again.id, "a retry with the same key returns the original");
    let other = feed.post_status(&status, "key-456").await.unwrap();
    assert_ne!(first.id, other.id);
    let mine = feed.account_statuses(&me.id, AccountStatusesFilter::default(), &PageQuery::limit(40)).await.unwrap();
    let copies = mine.items.iter().filter(|s| s.content.contains("Hello from the test")).count();
    assert_eq!(copies, 2);
}

#[tokio::test]
async fn pixelfed_refuses_a_repeated_idempotency_key_instead_of_answering_with_the_post() {
    let server = demo().await;
    let (_, visual) = sign_in(&server).await;
    let picture = visual.upload_media(jpeg(64, 48, false), "a.jpg", "image/jpeg", None).await.unwrap();
    let status = NewStatus {
        status: "Once only".into(),
        visibility: Some("public".into()),
        media_ids: vec![picture.id().to_owned()],
        ..Default::default()
    };
    visual.post_status(&status, "key-789").await.unwrap();
    let again = visual.post_status(&status, "key-789").await.unwrap_err();
    assert_eq!(again.status(), Some(reqwest::StatusCode::BAD_REQUEST), "{again}");
    assert_eq!(server.ledger().iter().filter(|e| e.text == "Once only").count(), 1);
}

#[tokio::test]
async fn visual_refuses_a_post_without_media() {
    let server = demo().await;
    let (_, visual) = sign_in(&server).await;
    let error =
        visual.post_status(&NewStatus { status: "words only".into(), ..Default::default() }, "k").await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403), "{error}");
    assert!(!error.is_transient(), "a refused post must not be retried");
}

#[tokio::test]
async fn media_upload_small_answers_at_once_and_large_goes_through_processing() {
    let server = demo().await;
    let (_, visual) = sign_in(&server).await;
    let small =
        visual.upload_media(jpeg(64, 64, false), "small.jpg", "image/jpeg", Some("a tiny square")).await.unwrap();
    let MediaState::Ready(small) = small else { panic!("a small file is ready at once: {small:?}") };
    assert!(small.url.is_some());
    assert_eq!(small.description.as_deref(), Some("a tiny square"));

    // Noise does not compress: this is well above the demo's threshold for the 202 path.
    let big = jpeg(1400, 1000, true);
    assert!(big.len() > 300 * 1024, "test image too small to exercise the 202 path: {}", big.len());
    let accepted = visual.upload_media(big, "big.jpg", "image/jpeg", None).await.unwrap();
    let MediaState::Processing(big_id) = accepted else { panic!("a large file is processed later: {accepted:?}") };
    let early = NewStatus { status: "too soon".into(), media_ids: vec![big_id.clone()], ..Default::default() };
    let refused = visual.post_status(&early, "album-0").await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(422), "{refused}");

    let one_poll = visual.wait_for_media(&big_id, &[Duration::ZERO]).await.unwrap();
    assert!(matches!(one_poll, MediaState::Processing(_)), "one poll is not enough: {one_poll:?}");
    let MediaState::Ready(processed) = visual.wait_for_media(&big_id, &[Duration::ZERO; 4]).await.unwrap() else {
        panic!("polling must end with the file ready")
    };
    assert!(processed.url.is_some());
    let width = processed.meta.as_ref().and_then(|m| m.original.as_ref()).and_then(|o| o.width);
    assert_eq!(width, Some(1400));

    let post = NewStatus {
        status: "two pictures".into(),
        media_ids: vec![small.id.clone(), processed.id],
        ..Default::default()
    };
    let status = visual.post_status(&post, "album-1").await.unwrap();
    assert_eq!(status.media_attachments.len(), 2);
    let attached = visual.media(&small.id).await.unwrap_err();
    assert_eq!(attached.status().map(|s| s.as_u16()), Some(404), "attached files are no longer the upload's");
}

#[tokio::test]
async fn conversations_exist_on_both_surfaces_and_page() {
    let server = demo().await;
    let (feed, visual) = sign_in(&server).await;
    let first = feed.conversations(&PageQuery::limit(3)).await.unwrap();
    assert_eq!(first.items.len(), 3);
    let next: Page<Conversation> = feed.follow(&first.next.clone().expect("more conversations")).await.unwrap();
    assert!(!next.items.is_empty());
    let first_ids: HashSet<_> = first.items.iter().map(|c| c.id.clone()).collect();
    assert!(next.items.iter().all(|c| !first_ids.contains(&c.id)));
    let unread = first.items.iter().chain(&next.items).find(|c| c.unread);
    if let Some(unread) = unread {
        let read = feed.mark_conversation_read(&unread.id).await.unwrap();
        assert!(!read.unread);
    }
    let on_visual = visual.conversations_numbered(1, 40).await.unwrap();
    assert!(on_visual.len() >= 4);
}

/// Mastodon answers 206 while it rebuilds a returning user's home feed: the page says so.
#[tokio::test]
async fn a_home_feed_being_rebuilt_comes_back_partial() {
    let server = demo().await;
    let (feed, _) = sign_in(&server).await;
    server.regenerate_home(1);
    let rebuilding = feed.home_timeline(&PageQuery::limit(20)).await.unwrap();
    assert!(rebuilding.partial && rebuilding.items.is_empty(), "206 with nothing yet");
    let built = feed.home_timeline(&PageQuery::limit(20)).await.unwrap();
    assert!(!built.partial && !built.items.is_empty(), "then the feed");
}

/// Pixelfed's direct messages: threads by person, a few messages a page, sending through
/// `thread/send` (its statuses refuse `direct`), conversations paged by number, read by person.
#[tokio::test]
async fn pixelfed_messages_go_through_its_threads() {
    let server = demo().await;
    let (_, visual) = sign_in(&server).await;
    let first = visual.conversations_numbered(1, 2).await.unwrap();
    let second = visual.conversations_numbered(2, 2).await.unwrap();
    assert_eq!((first.len(), second.len()), (2, 2), "pages of two");
    let first_people: HashSet<_> = first.iter().map(|c| c.accounts[0].id.clone()).collect();
    assert!(second.iter().all(|c| !first_people.contains(&c.accounts[0].id)), "page 2 follows page 1");
    assert!(visual.conversations_numbered(99, 2).await.unwrap().is_empty(), "past the end: nothing");

    let person = first[0].accounts[0].id.clone();
    let refused = visual
        .post_status(
            &NewStatus {
                status: "hello".into(),
                visibility: Some("direct".into()),
                in_reply_to_id: first[0].last_status.as_ref().map(|s| s.id.clone()),
                ..Default::default()
            },
            "dm-1",
        )
        .await
        .unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(422), "Pixelfed's statuses take no direct: {refused}");

    let mut sent = Vec::new();
    for n in 0..10 {
        let message = visual.send_direct_message(&person, &format!("message {n}")).await.unwrap();
        assert!(message.is_author);
        assert_eq!(message.text.as_deref(), Some(format!("message {n}").as_str()));
        sent.push(message);
    }
    let listed = visual.conversations_numbered(1, 40).await.unwrap();
    let theirs = listed.iter().find(|c| c.accounts[0].id == person).unwrap();
    assert_eq!(theirs.last_status.as_ref().map(|s| s.id.as_str()), Some(sent[9].report_id.as_str()));
    assert_eq!(listed[0].accounts[0].id, person, "the latest conversation comes first");

    let newest = visual.direct_thread(&person, None).await.unwrap();
    assert_eq!(newest.id, person);
    assert_eq!(newest.messages.len(), 8, "Pixelfed's page");
    let texts: Vec<_> = newest.messages.iter().map(|m| m.text.clone().unwrap_or_default()).collect();
    assert_eq!(texts[0], "message 9");
    assert_eq!(texts[7], "message 2");
    let older = visual.direct_thread(&person, Some(&newest.messages[7].id)).await.unwrap();
    let texts: Vec<_> = older.messages.iter().map(|m| m.text.clone().unwrap_or_default()).collect();
    assert_eq!(&texts[..2], ["message 1", "message 0"], "older ones continue where the page stopped");
    assert!(older.messages.len() > 2, "and the conversation's earlier messages follow");

    // Someone writes back: unread in the thread, not in the list.
    let written = server.write_to_user(Surface::Visual).expect("the user has conversations on Visual");
    let writer = visual
        .conversations_numbered(1, 40)
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.last_status.as_ref().is_some_and(|s| s.id == written))
        .expect("the conversation written in");
    assert!(!writer.unread, "Pixelfed's list never says unread");
    let writer_id = writer.accounts[0].id.clone();
    let thread = visual.direct_thread(&writer_id, None).await.unwrap();
    let unseen = thread.messages.iter().find(|m| !m.is_author && !m.seen).expect("an unread message");
    assert_eq!(unseen.report_id, written);
    visual.mark_direct_thread_read(&writer_id, &thread.messages.last().unwrap().report_id).await.unwrap();
    let thread = visual.direct_thread(&writer_id, None).await.unwrap();
    assert!(thread.messages.iter().all(|m| m.seen || m.is_author), "read once marked");
}

#[tokio::test]
async fn an_edit_changes_the_words_keeps_the_pictures_and_only_applies_to_own_posts() {
    let server = demo().await;
    let (_, visual) = sign_in(&server).await;
    let MediaState::Ready(picture) =
        visual.upload_media(jpeg(64, 64, false), "p.jpg", "image/jpeg", Some("a square")).await.unwrap()
    else {
        panic!("a small file is ready at once")
    };
    let post = NewStatus { status: "first words".into(), media_ids: vec![picture.id.clone()], ..Default::default() };
    let posted = visual.post_status(&post, "edit-1").await.unwrap();
    assert_eq!(posted.edited_at, None);

    let edit = NewStatus {
        status: "better words #edited".into(),
        spoiler_text: Some("a warning".into()),
        media_ids: vec![picture.id.clone()],
        ..Default::default()
    };
    let edited = visual.edit_status(&posted.id, &edit).await.unwrap();
    assert_eq!(edited.id, posted.id, "an edit keeps the post");
    assert!(edited.content.contains("better words"), "{}", edited.content);
    assert_eq!(edited.spoiler_text, "a warning");
    assert!(edited.sensitive, "a content warning makes the post sensitive");
    assert!(edited.edited_at.is_some(), "the server says the post was edited");
    assert_eq!(edited.media_attachments.len(), 1, "the picture stays");
    assert_eq!(visual.status(&posted.id).await.unwrap().content, edited.content, "the edit is what others see");

    let home = visual.home_timeline(&PageQuery::limit(40)).await.unwrap();
    let someone_else = home.items.iter().find(|s| s.account.id != posted.account.id).expect("others post too");
    let refused = visual.edit_status(&someone_else.id, &edit).await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(404), "{refused}");
}

#[tokio::test]
async fn the_direct_stream_brings_each_new_message_as_it_is_posted() {
    let server = demo().await;
    let (feed, visual) = sign_in(&server).await;
    let announced = feed.instance().await.unwrap().configuration.urls.streaming;
    assert!(announced.as_deref().is_some_and(|url| url.starts_with("ws://")), "Mastodon names its streaming URL");
    let mut stream = feed.stream_direct(announced.as_deref()).await.unwrap();

    let written = server.write_to_user(Surface::Feed).expect("the user has conversations on Feed");
    let event = tokio::time::timeout(Duration::from_secs(10), stream.next_event()).await.unwrap().unwrap();
    let Some(facets_client::StreamEvent::Conversation(conversation)) = event else {
        panic!("expected a conversation event, got {event:?}")
    };
    assert_eq!(conversation.last_status.as_ref().map(|s| s.id.as_str()), Some(written.as_str()));
    assert!(conversation.unread);

    // The user's own reply comes through the stream too, once, even when the request repeats.
    let reply = NewStatus {
        status: format!("@{} on my way", conversation.accounts[0].acct),
        visibility: Some("direct".into()),
        in_reply_to_id: Some(written.clone()),
        ..Default::default()
    };
    let sent = feed.post_status(&reply, "stream-reply").await.unwrap();
    feed.post_status(&reply, "stream-reply").await.unwrap();
    let event = tokio::time::timeout(Duration::from_secs(10), stream.next_event()).await.unwrap().unwrap();
    let Some(facets_client::StreamEvent::Conversation(after_reply)) = event else { panic!("got {event:?}") };
    assert_eq!(
        (after_reply.id.as_str(), after_reply.last_status.map(|s| s.id)),
        (conversation.id.as_str(), Some(sent.id))
    );
    let written_again = server.write_to_user(Surface::Feed).unwrap();
    let event = tokio::time::timeout(Duration::from_secs(10), stream.next_event()).await.unwrap().unwrap();
    let Some(facets_client::StreamEvent::Conversation(next)) = event else { panic!("got {event:?}") };
    assert_eq!(next.last_status.map(|s| s.id), Some(written_again), "the repeated request was not streamed again");

    // Pixelfed has no streaming API: Visual says so, and its clients poll.
    let refused = visual.stream_direct(None).await.err().expect("Visual has no stream");
    assert_eq!(refused.status(), Some(facets_client::StatusCode::NOT_FOUND));
    server.shutdown().await;
}

#[tokio::test]
async fn a_stream_that_goes_silent_is_given_up() {
    // A server that answers and then writes nothing, not even a heartbeat: a dead connection.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = [0u8; 4096];
        let _ = socket.read(&mut request).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        socket.write_all(head.as_bytes()).await.unwrap();
        let mut rest = Vec::new();
        let _ = socket.read_to_end(&mut rest).await;
    });
    let client = MastodonClient::new(&format!("http://{addr}")).unwrap().with_token("t");
    let mut stream = client.open_stream(None, Duration::from_millis(300)).await.unwrap();
    let error = stream.next_event().await.expect_err("silence ends the stream");
    assert!(matches!(error, ClientError::StreamSilent(_)), "{error:?}");
    assert!(error.is_transient(), "a silent stream is worth opening again");
}

#[tokio::test]
async fn privacy_settings_round_trip_with_each_servers_semantics() {
    use facets_wire::PrivacyUpdate;
    let server = demo().await;
    let (feed, visual) = sign_in(&server).await;

    // Mastodon has every setting; Pixelfed lacks the directory, collections and indexing ones.
    let me = feed.verify_credentials().await.unwrap();
    assert_eq!((me.locked, me.discoverable, me.indexable), (false, Some(true), Some(true)));
    let me_visual = visual.verify_credentials().await.unwrap();
    assert_eq!((me_visual.discoverable, me_visual.hide_collections, me_visual.indexable), (None, None, None));

    let update = PrivacyUpdate {
        locked: Some(true),
        discoverable: Some(false),
        hide_collections: Some(true),
        default_privacy: Some("private".into()),
        sensitive: Some(true),
        ..Default::default()
    };
    let changed = feed.update_privacy(&update).await.unwrap();
    let source = changed.source.clone().unwrap();
    assert_eq!((changed.locked, changed.discoverable, changed.hide_collections), (true, Some(false), Some(true)));
    assert_eq!((source.privacy.as_deref(), source.sensitive), (Some("private"), true));
    assert!(feed.verify_credentials().await.unwrap().locked, "the server kept it");
    let on_visual = visual.update_privacy(&update).await.unwrap();
    assert!(on_visual.locked, "Pixelfed has private accounts");
    assert_eq!(on_visual.discoverable, None, "and ignores what it does not have");

    let direct_by_default = PrivacyUpdate { default_privacy: Some("direct".into()), ..Default::default() };
    let refused = feed.update_privacy(&direct_by_default).await.unwrap_err();
    assert_eq!(refused.status(), Some(facets_client::StatusCode::UNPROCESSABLE_ENTITY), "{refused}");

    // Private: a follow becomes a request, answered through the API.
    let (asking, requested) = server.follow_user(Surface::Visual).unwrap();
    assert!(requested);
    let waiting = visual.follow_requests(&PageQuery::default()).await.unwrap().items;
    assert_eq!(waiting.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(), vec![asking.as_str()]);
    let approved = visual.answer_follow_request(&asking, true).await.unwrap();
    assert!(approved.followed_by && !approved.requested_by);
    assert!(visual.follow_requests(&PageQuery::default()).await.unwrap().items.is_empty());
    assert_eq!(
        visual.answer_follow_request(&asking, true).await.unwrap_err().status(),
        Some(facets_client::StatusCode::NOT_FOUND),
        "an answered request is gone"
    );
    // Public again: the next follow is immediate, and pending requests are let in.
    let (other, _) = server.follow_user(Surface::Visual).unwrap();
    visual.update_privacy(&PrivacyUpdate { locked: Some(false), ..Default::default() }).await.unwrap();
    assert!(visual.follow_requests(&PageQuery::default()).await.unwrap().items.is_empty(), "{other} was let in");
    assert!(!server.follow_user(Surface::Visual).unwrap().1, "not a request any more");
    server.shutdown().await;
}

#[tokio::test]
async fn blocked_and_muted_accounts_leave_the_home_timeline() {
    let server = demo().await;
    let (feed, _) = sign_in(&server).await;
    let blocked = feed.blocks(&PageQuery::default()).await.unwrap().items;
    let muted = feed.mutes(&PageQuery::default()).await.unwrap().items;
    assert_eq!((blocked.len(), muted.len()), (1, 1), "the demo starts with one of each");

    let home = feed.home_timeline(&PageQuery::limit(40)).await.unwrap().items;
    let author = home.iter().map(|s| s.account.clone()).find(|a| a.username != "mara").expect("someone followed");
    assert!(feed.set_blocked(&author.id, true).await.unwrap().blocking);
    let after = feed.home_timeline(&PageQuery::limit(40)).await.unwrap().items;
    assert!(after.iter().all(|s| s.account.id != author.id), "their posts are gone");
    assert!(feed.blocks(&PageQuery::default()).await.unwrap().items.iter().any(|a| a.id == author.id));

    assert!(!feed.set_blocked(&author.id, false).await.unwrap().blocking);
    assert!(feed.set_muted(&author.id, true).await.unwrap().muting);
    let muted_home = feed.home_timeline(&PageQuery::limit(40)).await.unwrap().items;
    assert!(muted_home.iter().all(|s| s.account.id != author.id), "muted: gone as well");
    feed.set_muted(&author.id, false).await.unwrap();
    let back = feed.home_timeline(&PageQuery::limit(40)).await.unwrap().items;
    assert!(back.iter().any(|s| s.account.id == author.id), "and back once unmuted");
    server.shutdown().await;
}

#[tokio::test]
async fn the_public_timeline_is_everyones_public_posts_and_visual_keeps_photo_posts() {
    let server = demo().await;
    let (feed, visual) = sign_in(&server).await;
    let on_feed = feed.public_timeline(&PageQuery::limit(40), false).await.unwrap();
    assert_eq!(on_feed.items.len(), 40);
    assert!(on_feed.items.iter().all(|s| s.visibility == "public"));
    assert!(on_feed.next.is_some(), "pages on");
    let authors: HashSet<_> = on_feed.items.iter().map(|s| s.account.id.clone()).collect();
    assert!(authors.len() > 3, "not only the people followed");
    let photos = visual.public_timeline(&PageQuery::limit(40), true).await.unwrap();
    assert!(!photos.items.is_empty());
    assert!(photos.items.iter().all(|s| !s.media_attachments.is_empty() && s.in_reply_to_id.is_none()));
    server.shutdown().await;
}

#[tokio::test]
async fn a_token_revoked_on_the_server_is_refused_and_the_client_says_so() {
    let server = demo().await;
    let visual = MastodonClient::new(&server.base_url(Surface::Visual)).unwrap();
    let app = visual.register_app(REDIRECT).await.unwrap();
    let code = visual.approve_without_login(&visual.authorize_url(&app, "s", None), "s").await.unwrap();
    let token = visual.exchange_code(&app, &code, None).await.unwrap().access_token;
    let signed_in = visual.with_token(token.clone());
    let refusal = signed_in.token_refusal();
    signed_in.verify_credentials().await.unwrap();
    assert!(refusal.borrow().is_none(), "an accepted token is not refused");

    // The Feed sign-in is someone else's app registration: revoking Visual's apps spares it.
    let (feed, _) = sign_in(&server).await;
    assert_eq!(server.sign_out_everywhere(Surface::Visual), 1);
    let error = signed_in.home_timeline(&PageQuery::limit(5)).await.unwrap_err();
    assert!(error.is_unauthorized(), "{error}");
    assert_eq!(refusal.borrow().as_deref(), Some("The access token was revoked"));
    feed.verify_credentials().await.expect("Feed's own sign-in still works");

    // Revoking our own token is idempotent: an already-revoked token revokes fine (RFC 7009).
    visual.revoke(&app, &token).await.unwrap();
}

#[tokio::test]
async fn revoking_its_own_token_makes_the_server_refuse_it() {
    let server = demo().await;
    let feed = MastodonClient::new(&server.base_url(Surface::Feed)).unwrap();
    let app = feed.register_app(REDIRECT).await.unwrap();
    let code = feed.approve_without_login(&feed.authorize_url(&app, "s", None), "s").await.unwrap();
    let token = feed.exchange_code(&app, &code, None).await.unwrap().access_token;
    let signed_in = feed.with_token(token.clone());
    signed_in.verify_credentials().await.unwrap();
    feed.revoke(&app, &token).await.unwrap();
    assert!(signed_in.verify_credentials().await.unwrap_err().is_unauthorized());
    assert!(signed_in.token_refusal().borrow().is_some());
}

/// Plays the user's browser: opens the authorize page and follows where the server sends it
/// (to the loopback listener, when there is one); the text of the page it ends on.
async fn browser_visits(url: &url::Url) -> String {
    reqwest::Client::new().get(url.clone()).send().await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn signing_in_through_the_browser_comes_back_to_the_loopback_listener_with_pkce() {
    let server = demo().await;
    let feed = MastodonClient::new(&server.base_url(Surface::Feed)).unwrap();
    assert!(feed.offers_pkce().await.unwrap(), "Mastodon 4.3 advertises S256");
    let (app, redirect) = feed.register_for_sign_in(LoopbackRedirect::open().await.unwrap()).await.unwrap();
    let SignInRedirect::Loopback(listener) = redirect else { panic!("the server takes loopback redirect URIs") };
    assert!(app.redirect_uri.starts_with("http://127.0.0.1:"), "{}", app.redirect_uri);
    let pkce = Pkce::generate();
    let url = feed.authorize_url(&app, "state-7", Some(&pkce));
    let code = tokio::spawn(listener.wait_for_code("state-7"));
    let page = browser_visits(&url).await;
    assert!(page.contains("You can close this window"), "{page}");
    let code = code.await.unwrap().unwrap();
    let token = feed.exchange_code(&app, &code, Some(&pkce)).await.unwrap();
    feed.with_token(token.access_token).verify_credentials().await.expect("signed in");
}

#[tokio::test]
async fn a_server_refusing_loopback_redirects_gets_the_copy_the_code_flow() {
    let config = DemoConfig { https_redirects_only: true, ..DemoConfig::default() };
    let server = DemoServer::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let visual = MastodonClient::new(&server.base_url(Surface::Visual)).unwrap();
    assert!(!visual.offers_pkce().await.unwrap(), "Pixelfed publishes no OAuth metadata");
    let (app, redirect) = visual.register_for_sign_in(LoopbackRedirect::open().await.unwrap()).await.unwrap();
    assert!(matches!(redirect, SignInRedirect::OutOfBand));
    assert_eq!(app.redirect_uri, OUT_OF_BAND);
    let page = browser_visits(&visual.authorize_url(&app, "state-8", None)).await;
    // The user copies the code shown on the page into Facets.
    let shown = page.split("<code id=\"authorization-code\">").nth(1).and_then(|rest| rest.split("</code>").next());
    let code = shown.unwrap_or_else(|| panic!("the page shows a code: {page}"));
    let token = visual.exchange_code(&app, code, None).await.unwrap();
    visual.with_token(token.access_token).verify_credentials().await.expect("signed in");
}

#[tokio::test]
async fn once_the_rate_limit_is_used_up_nothing_is_sent_until_it_resets() {
    // Windows are aligned to the clock; one ending mid-test refills the bucket, so try again.
    for _attempt in 0..2 {
        let config = DemoConfig { rate_limit_per_window: 3, ..DemoConfig::default() };
        let server = DemoServer::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
        let (feed, _) = sign_in(&server).await;
        let mut spent = 0;
        while feed.last_rate_limit().is_none_or(|rate| rate.remaining > 0) && spent < 10 {
            feed.verify_credentials().await.unwrap();
            spent += 1;
        }
        let window = feed.last_rate_limit().unwrap();
        match feed.verify_credentials().await {
            Err(ClientError::RateLimited { retry_after }) => {
                assert!(retry_after <= Duration::from_secs(300), "{retry_after:?}");
                let error = feed.verify_credentials().await.unwrap_err();
                assert!(error.is_rate_limited() && error.is_transient() && error.retry_after().is_some());
                assert_eq!(feed.last_rate_limit(), Some(window), "no answer came back: nothing was sent");
                return;
            }
            // The window turned over between the last answer and now: the bucket is full again.
            Ok(_) => continue,
            Err(other) => panic!("expected to be held back, got {other}"),
        }
    }
    panic!("two rate-limit windows ended during the test");
}

#[tokio::test]
async fn each_server_says_which_software_it_runs_and_so_which_dialect_to_speak() {
    let server = demo().await;
    for (surface, dialect) in [(Surface::Feed, Dialect::Mastodon), (Surface::Visual, Dialect::Pixelfed)] {
        let client = MastodonClient::new(&server.base_url(surface)).unwrap();
        let software = client.software().await.unwrap().expect("the demo publishes NodeInfo");
        assert_eq!(software.name.parse::<Dialect>(), Ok(dialect), "{surface}: {software:?}");
        assert!(!software.version.is_empty());
    }
}

/// The Feed server started as GoToSocial speaks its dialect: NodeInfo says so, the rate-limit
/// reset comes in Unix seconds, a large picture is answered when ready (200, no polling), and
/// there is no server-sent-events stream (GoToSocial streams over WebSocket only).
#[tokio::test]
async fn the_demo_playing_gotosocial_speaks_its_dialect_and_the_client_follows() {
    let config = DemoConfig { feed_plays: Dialect::GoToSocial, ..DemoConfig::default() };
    let server = DemoServer::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let (feed, _) = sign_in(&server).await;
    let software = feed.software().await.unwrap().expect("NodeInfo");
    assert_eq!(software.name.parse::<Dialect>(), Ok(Dialect::GoToSocial));
    assert!(!feed.offers_pkce().await.unwrap(), "no RFC 8414 metadata");

    let raw = reqwest::get(format!("{}/api/v1/instance", server.base_url(Surface::Feed))).await.unwrap();
    let reset = raw.headers()["x-ratelimit-reset"].to_str().unwrap().to_owned();
    assert!(reset.chars().all(|c| c.is_ascii_digit()), "Unix seconds: {reset}");
    feed.verify_credentials().await.unwrap();
    let limit = feed.last_rate_limit().expect("the client read the headers");
    let reset_at = limit.reset_at.unix_timestamp();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert!(reset_at > now && reset_at <= now + 300, "the reset is read as a time, not a delay: {reset_at} vs {now}");

    let big = jpeg(1400, 1000, true);
    let uploaded = feed.upload_media(big, "big.jpg", "image/jpeg", None).await.unwrap();
    assert!(matches!(uploaded, MediaState::Ready(_)), "answered once processed: {uploaded:?}");

    let stream = feed.stream_direct(None).await.map(|_| ()).unwrap_err();
    assert_eq!(stream.status(), Some(reqwest::StatusCode::NOT_FOUND), "{stream}");

    // Ids are ULIDs: 26 characters of Crockford's base 32, sorting as text in time order. They
    // page, address statuses and conversations, and come back as they went.
    let is_ulid = |id: &str| id.len() == 26 && id.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    let first = feed.home_timeline(&PageQuery::limit(10)).await.unwrap();
    assert!(first.items.iter().all(|s| is_ulid(&s.id) && is_ulid(&s.account.id)), "{:?}", first.items[0].id);
    let ids: Vec<&str> = first.items.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first, as text: {ids:?}");
    let next: Page<facets_wire::Status> = feed.follow(first.next.as_ref().expect("an older page")).await.unwrap();
    assert!(next.items.iter().all(|s| s.id.as_str() < ids[ids.len() - 1]), "the older page is older");
    assert_eq!(feed.status(ids[0]).await.unwrap().id, ids[0]);
    let conversations = feed.conversations(&PageQuery::limit(40)).await.unwrap();
    let conversation = &conversations.items[0];
    assert!(is_ulid(&conversation.id));
    assert_eq!(feed.mark_conversation_read(&conversation.id).await.unwrap().id, conversation.id);
}

/// Akkoma names itself, and has a visibility of its own: `local`, public on that server only.
/// Mastodon refuses it.
#[tokio::test]
async fn the_demo_playing_akkoma_says_so_and_keeps_local_posts() {
    let config = DemoConfig { feed_plays: Dialect::Akkoma, ..DemoConfig::default() };
    let server = DemoServer::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let (feed, _) = sign_in(&server).await;
    let software = feed.software().await.unwrap().expect("NodeInfo");
    assert_eq!(software.name.parse::<Dialect>(), Ok(Dialect::Akkoma));

    let local =
        NewStatus { status: "Only for this server".into(), visibility: Some("local".into()), ..Default::default() };
    let posted = feed.post_status(&local, "local-1").await.unwrap();
    assert_eq!(posted.visibility, "local");
    let home = feed.home_timeline(&PageQuery::limit(5)).await.unwrap();
    let read_back = home.items.iter().find(|s| s.id == posted.id).expect("in the home timeline");
    assert_eq!(read_back.visibility, "local", "read back as the server's own word");

    let mastodon = demo().await;
    let (feed, _) = sign_in(&mastodon).await;
    let refused = feed.post_status(&local, "local-2").await.unwrap_err();
    assert_eq!(refused.status().map(|s| s.as_u16()), Some(422), "Mastodon has no local posts: {refused}");
}
