//! The demo servers over real loopback HTTP, as the Facets client sees them.

mod common;

use std::collections::HashSet;
use std::io::Cursor;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::{link, Demo, REDIRECT};
use facets_demo::DemoConfig;
use facets_model::Surface;
use facets_wire as wire;
use reqwest::multipart::{Form, Part};
use reqwest::StatusCode;
use sha2::{Digest, Sha256};

const HOME: &str = "/api/v1/timelines/home";

// ---- OAuth -------------------------------------------------------------------------------

#[tokio::test]
async fn sign_in_on_one_server_works_on_both() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let feed: wire::Account =
        demo.get_json(&token, &demo.url(Surface::Feed, "/api/v1/accounts/verify_credentials")).await;
    let visual: wire::Account =
        demo.get_json(&token, &demo.url(Surface::Visual, "/api/v1/accounts/verify_credentials")).await;
    assert_eq!(feed.display_name, visual.display_name, "one person behind both accounts");
    assert_ne!(feed.id, visual.id, "each server has its own account");
    assert!(feed.url.contains("/feed/@") && visual.url.contains("/visual/@"));
    let source = feed.source.expect("verify_credentials carries the account's source");
    assert_eq!(source.privacy.as_deref(), Some("public"));
    assert!(!source.note.is_empty());
}

#[tokio::test]
async fn a_code_works_once_and_only_with_its_pkce_verifier() {
    let demo = Demo::default().await;
    let app = demo.register_app(Surface::Visual).await;

    let code = demo.authorize(Surface::Visual, &app, None).await;
    assert_eq!(demo.exchange(Surface::Visual, &app, &code, None).await.status(), StatusCode::OK);
    let reused = demo.exchange(Surface::Visual, &app, &code, None).await;
    assert_eq!(reused.status(), StatusCode::BAD_REQUEST, "a code is single-use");
    assert_eq!(reused.json::<wire::ApiError>().await.unwrap().error, "invalid_grant");

    let verifier = "a-verifier-that-is-long-enough-to-be-a-real-pkce-verifier-0123";
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let code = demo.authorize(Surface::Visual, &app, Some(&challenge)).await;
    let mismatch = demo.exchange(Surface::Visual, &app, &code, Some("not-the-verifier")).await;
    assert_eq!(mismatch.status(), StatusCode::BAD_REQUEST, "a wrong verifier is refused");
    let code = demo.authorize(Surface::Visual, &app, Some(&challenge)).await;
    assert_eq!(demo.exchange(Surface::Visual, &app, &code, Some(verifier)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn authorize_refuses_unknown_clients_and_redirects_and_shows_out_of_band_codes() {
    let demo = Demo::default().await;
    let app = demo.register_app(Surface::Feed).await;
    let authorize = |client_id: String, redirect: &'static str| {
        demo.http
            .get(demo.url(Surface::Feed, "/oauth/authorize"))
            .query(&[
                ("response_type", "code"),
                ("client_id", client_id.as_str()),
                ("redirect_uri", redirect),
                ("scope", "read"),
            ])
            .send()
    };
    let unknown = authorize("nobody".into(), REDIRECT).await.unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(!unknown.json::<wire::ApiError>().await.unwrap().error.is_empty());
    let elsewhere = authorize(app.client_id.clone(), "http://127.0.0.1:9/elsewhere").await.unwrap();
    assert_eq!(elsewhere.status(), StatusCode::BAD_REQUEST, "only registered redirect URIs");

    let form = [("client_name", "CLI"), ("redirect_uris", "urn:ietf:wg:oauth:2.0:oob")];
    let oob: wire::Application =
        demo.http.post(demo.url(Surface::Feed, "/api/v1/apps")).form(&form).send().await.unwrap().json().await.unwrap();
    let page = authorize(oob.client_id, "urn:ietf:wg:oauth:2.0:oob").await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("<code id=\"authorization-code\">"), "{html}");
}

#[tokio::test]
async fn the_api_needs_a_valid_token_and_unknown_routes_are_not_found() {
    let demo = Demo::default().await;
    let anonymous = demo.http.get(demo.url(Surface::Feed, HOME)).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.json::<wire::ApiError>().await.unwrap().error, "The access token is invalid");
    let forged = demo.get("forged", &demo.url(Surface::Visual, HOME)).await;
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);

    let token = demo.sign_in().await;
    let missing = demo.get(&token, &demo.url(Surface::Feed, "/api/v1/no/such/thing")).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.json::<wire::ApiError>().await.unwrap().error, "Record not found");
}

#[tokio::test]
async fn a_revoked_token_stops_working() {
    let demo = Demo::default().await;
    let app = demo.register_app(Surface::Feed).await;
    let code = demo.authorize(Surface::Feed, &app, None).await;
    let token = demo.exchange(Surface::Feed, &app, &code, None).await.json::<wire::Token>().await.unwrap().access_token;
    let form = [
        ("token", token.as_str()),
        ("client_id", app.client_id.as_str()),
        ("client_secret", app.client_secret.as_str()),
    ];
    let revoked = demo.http.post(demo.url(Surface::Feed, "/oauth/revoke")).form(&form).send().await.unwrap();
    assert_eq!(revoked.status(), StatusCode::OK);
    let refused = demo.get(&token, &demo.url(Surface::Visual, HOME)).await;
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(refused.json::<wire::ApiError>().await.unwrap().error, "The access token was revoked");
    let unknown = demo.get("never-issued", &demo.url(Surface::Visual, HOME)).await;
    assert_eq!(unknown.json::<wire::ApiError>().await.unwrap().error, "The access token is invalid");
}

// ---- Rate limits -------------------------------------------------------------------------

#[tokio::test]
async fn every_response_reports_the_rate_limit_and_the_limit_is_enforced() {
    // Windows are aligned to the clock; if one ends mid-test, the counts restart, so try again
    // on a fresh server rather than assert on a split window.
    for _attempt in 0..2 {
        let demo = Demo::start(DemoConfig { rate_limit_per_window: 5, ..DemoConfig::default() }).await;
        let token = demo.sign_in().await;
        let url = demo.url(Surface::Feed, "/api/v2/instance");
        let mut answers = Vec::new();
        for _ in 0..6 {
            let response = demo.get(&token, &url).await;
            let header = |name: &str| response.headers()[name].to_str().unwrap().to_owned();
            let reset = header("x-ratelimit-reset");
            time::OffsetDateTime::parse(&reset, &time::format_description::well_known::Rfc3339)
                .expect("the reset time is ISO 8601");
            assert_eq!(header("x-ratelimit-limit"), "5");
            let remaining: u32 = header("x-ratelimit-remaining").parse().unwrap();
            answers.push((response.status(), remaining, reset, response.text().await.unwrap()));
        }
        if answers.iter().any(|(.., reset, _)| *reset != answers[0].2) {
            continue;
        }
        let statuses: Vec<(StatusCode, u32)> = answers.iter().map(|(s, r, ..)| (*s, *r)).collect();
        let ok = StatusCode::OK;
        assert_eq!(statuses, vec![(ok, 4), (ok, 3), (ok, 2), (ok, 1), (ok, 0), (StatusCode::TOO_MANY_REQUESTS, 0)]);
        let body: wire::ApiError = serde_json::from_str(&answers[5].3).unwrap();
        assert_eq!(body.error, "Too many requests");
        let other_server = demo.get(&token, &demo.url(Surface::Visual, "/api/v2/instance")).await;
        assert_eq!(other_server.status(), StatusCode::OK, "each server counts on its own");
        return;
    }
    panic!("two rate-limit windows ended during the test");
}

// ---- The world ---------------------------------------------------------------------------

/// What identifies a status apart from its id and the server's port, which depend on when and
/// where the server started.
fn fingerprint(status: &wire::Status) -> (String, String, Vec<String>) {
    let media = status
        .media_attachments
        .iter()
        .filter_map(|m| m.url.clone())
        .map(|u| u.rsplit("/media/").next().unwrap().to_owned())
        .collect();
    (status.account.acct.clone(), without_origin(status), media)
}

fn without_origin(status: &wire::Status) -> String {
    let url = url::Url::parse(status.url.as_deref().unwrap()).unwrap();
    status.content.replace(&format!("{}:{}", url.host_str().unwrap(), url.port().unwrap()), "")
}

#[tokio::test]
async fn the_world_is_the_same_for_the_same_seed() {
    let mut fingerprints = Vec::new();
    for seed in [42, 42, 7] {
        let demo = Demo::start(DemoConfig { seed, ..DemoConfig::default() }).await;
        let token = demo.sign_in().await;
        let page: Vec<wire::Status> =
            demo.get_json(&token, &format!("{}?limit=40", demo.url(Surface::Feed, HOME))).await;
        fingerprints.push(page.iter().map(fingerprint).collect::<Vec<_>>());
        demo.server.shutdown().await;
    }
    assert_eq!(fingerprints[0], fingerprints[1], "the same seed must give the same timeline");
    assert_ne!(fingerprints[0], fingerprints[2], "another seed must give another timeline");
}

#[tokio::test]
async fn the_world_has_people_posts_albums_threads_and_conversations() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let me: wire::Account =
        demo.get_json(&token, &demo.url(Surface::Feed, "/api/v1/accounts/verify_credentials")).await;
    let feed: Vec<wire::Status> = demo.all_pages(&token, &format!("{}?limit=40", demo.url(Surface::Feed, HOME))).await;
    let top_level = |statuses: &[wire::Status], own: bool, me: &str| {
        statuses.iter().filter(|s| s.in_reply_to_id.is_none() && (s.account.id == me) == own).count()
    };
    assert!(top_level(&feed, false, &me.id) >= 300, "{} feed posts by others", top_level(&feed, false, &me.id));
    assert!(top_level(&feed, true, &me.id) >= 20);
    let people: HashSet<&str> = feed.iter().map(|s| s.account.acct.as_str()).collect();
    assert!(people.len() >= 25, "{} people in the home feed", people.len());
    assert!(feed.iter().any(|s| !s.spoiler_text.is_empty()), "some posts carry content warnings");
    assert!(feed.iter().any(|s| s.language.as_deref() != Some("en")), "a few posts are in other languages");
    assert!(
        feed.iter().any(|s| s.content.contains("class=\"mention hashtag\""))
            && feed.iter().any(|s| s.content.contains("class=\"u-url mention\""))
    );

    let visual_me: wire::Account =
        demo.get_json(&token, &demo.url(Surface::Visual, "/api/v1/accounts/verify_credentials")).await;
    let visual: Vec<wire::Status> =
        demo.all_pages(&token, &format!("{}?limit=40&only_media=true", demo.url(Surface::Visual, HOME))).await;
    assert!(top_level(&visual, false, &visual_me.id) >= 150);
    let unfiltered: Vec<wire::Status> =
        demo.get_json(&token, &format!("{}?limit=40", demo.url(Surface::Visual, HOME))).await;
    assert!(
        unfiltered.iter().all(|s| s.in_reply_to_id.is_none() && !s.media_attachments.is_empty()),
        "Pixelfed's home shows photo posts, never comments"
    );
    assert!(visual
        .iter()
        .flat_map(|s| &s.media_attachments)
        .all(|m| m.blurhash.as_ref().is_some_and(|b| b.len() == 28)));
    assert!(visual.iter().any(|s| s.media_attachments.len() > 1), "albums exist");
    let described = visual.iter().flat_map(|s| &s.media_attachments).filter(|m| m.description.is_some()).count();
    let all_media = visual.iter().map(|s| s.media_attachments.len()).sum::<usize>();
    assert!(described * 10 > all_media * 6 && described < all_media, "most images, not all, have alt text");
    let profile_url =
        demo.url(Surface::Visual, &format!("/api/v1/accounts/{}/statuses?only_media=true&limit=40", visual_me.id));
    let grid: Vec<wire::Status> = demo.all_pages(&token, &profile_url).await;
    assert!(
        grid.len() >= 24 && grid.iter().filter(|s| s.media_attachments.len() > 1).count() >= 3,
        "the user's own grid"
    );

    let threaded =
        feed.iter().find(|s| s.in_reply_to_id.is_none() && s.replies_count > 0).expect("some posts have comments");
    let context: wire::Context =
        demo.get_json(&token, &demo.url(Surface::Feed, &format!("/api/v1/statuses/{}/context", threaded.id))).await;
    assert!(context.ancestors.is_empty());
    let mut thread: HashSet<String> = HashSet::from([threaded.id.clone()]);
    for reply in &context.descendants {
        assert!(thread.contains(reply.in_reply_to_id.as_ref().unwrap()), "descendants come after what they answer");
        thread.insert(reply.id.clone());
    }
    let last = context.descendants.last().unwrap();
    let up: wire::Context =
        demo.get_json(&token, &demo.url(Surface::Feed, &format!("/api/v1/statuses/{}/context", last.id))).await;
    assert_eq!(up.ancestors.first().map(|s| s.id.as_str()), Some(threaded.id.as_str()), "ancestors start at the root");

    let conversations: Vec<wire::Conversation> =
        demo.all_pages(&token, &demo.url(Surface::Feed, "/api/v1/conversations?limit=40")).await;
    assert!(conversations.len() >= 6, "Feed: {} conversations", conversations.len());
    assert!(conversations.iter().any(|c| c.unread) && conversations.iter().any(|c| !c.unread));
    assert!(conversations.iter().any(|c| c.accounts.len() > 1), "Feed has a group conversation");

    // Pixelfed: conversations between two, never "unread" in the list; the messages say it.
    let conversations: Vec<wire::Conversation> =
        demo.get_json(&token, &demo.url(Surface::Visual, "/api/v1/conversations?page=1&limit=40")).await;
    assert!(conversations.len() >= 4, "Visual: {} conversations", conversations.len());
    assert!(conversations.iter().all(|c| !c.unread && c.accounts.len() == 1));
    let mut unseen = Vec::new();
    for conversation in &conversations {
        let pid = &conversation.accounts[0].id;
        let thread: wire::DirectThread =
            demo.get_json(&token, &demo.url(Surface::Visual, &format!("/api/v1.1/direct/thread?pid={pid}"))).await;
        assert_eq!(&thread.id, pid);
        let newest = thread.messages.first().expect("a conversation has messages");
        assert_eq!(Some(&newest.report_id), conversation.last_status.as_ref().map(|s| &s.id));
        assert_ne!(newest.id, newest.report_id, "a message has a number of its own");
        unseen.push(thread.messages.iter().any(|m| !m.is_author && !m.seen));
    }
    assert!(unseen.contains(&true) && unseen.contains(&false), "some conversations have unread messages: {unseen:?}");
}

#[tokio::test]
async fn some_people_are_on_both_servers_with_the_same_face() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let accounts = |surface| {
        let url = format!("{}?limit=40", demo.url(surface, HOME));
        let (demo, token) = (&demo, &token);
        async move {
            demo.all_pages::<wire::Status>(token, &url)
                .await
                .into_iter()
                .map(|s| (s.account.acct.clone(), s.account))
                .collect::<std::collections::HashMap<_, _>>()
        }
    };
    let (feed, visual) = (accounts(Surface::Feed).await, accounts(Surface::Visual).await);
    let both: Vec<&String> = feed.keys().filter(|acct| visual.contains_key(*acct)).collect();
    assert!(both.len() >= 5, "{} people on both servers", both.len());
    for acct in both {
        assert_eq!(feed[acct].avatar, visual[acct].avatar.replace("/visual/", "/feed/"));
        assert_eq!(feed[acct].display_name, visual[acct].display_name);
    }
}

// ---- Pagination --------------------------------------------------------------------------

fn ids(statuses: &[wire::Status]) -> Vec<String> {
    statuses.iter().map(|s| s.id.clone()).collect()
}

#[tokio::test]
async fn timeline_pages_link_to_each_other_without_gaps_or_duplicates() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let base = demo.url(Surface::Feed, HOME);
    let by_forty = ids(&demo.all_pages(&token, &format!("{base}?limit=40")).await);
    let by_seven = ids(&demo.all_pages(&token, &format!("{base}?limit=7")).await);
    assert!(
        by_forty == by_seven,
        "page size must not change what the timeline holds ({} vs {})",
        by_forty.len(),
        by_seven.len()
    );
    assert!(by_forty.windows(2).all(|pair| pair[0] > pair[1]), "newest first, no duplicates");
    assert!(by_forty.iter().all(|id| id.len() == by_forty[0].len()), "ids have equal width");

    let first = demo.get(&token, &format!("{base}?limit=20")).await;
    let link_header = first.headers()["link"].to_str().unwrap().to_owned();
    let first_page: Vec<wire::Status> = first.json().await.unwrap();
    assert_eq!(
        link_header,
        format!(
            "<{base}?limit=20&max_id={}>; rel=\"next\", <{base}?limit=20&min_id={}>; rel=\"prev\"",
            first_page.last().unwrap().id,
            first_page[0].id
        )
    );

    // Walking back with rel="prev" from the oldest page covers the same statuses.
    let mut url = format!("{base}?limit=40&max_id={}", by_forty[by_forty.len() - 30]);
    let mut walked_back: Vec<String> = Vec::new();
    loop {
        let response = demo.get(&token, &url).await;
        let prev = link(&response, "prev");
        let page: Vec<wire::Status> = response.json().await.unwrap();
        if page.is_empty() {
            break;
        }
        walked_back.splice(0..0, ids(&page));
        url = prev.expect("a non-empty page links to the newer one");
    }
    assert!(walked_back == by_forty, "walking back gave {} statuses of {}", walked_back.len(), by_forty.len());

    let since = &by_forty[100];
    let newer: Vec<wire::Status> = demo.get_json(&token, &format!("{base}?limit=5&min_id={since}")).await;
    assert_eq!(ids(&newer), by_forty[95..100].to_vec(), "min_id gives the page right above it, newest first");
    let newest: Vec<wire::Status> = demo.get_json(&token, &format!("{base}?limit=5&since_id={since}")).await;
    assert_eq!(ids(&newest), by_forty[..5].to_vec(), "since_id gives the newest page");
}

#[tokio::test]
async fn only_media_keeps_the_filter_in_its_links() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let base = demo.url(Surface::Feed, HOME);
    let first = demo.get(&token, &format!("{base}?only_media=true&limit=10")).await;
    let next = link(&first, "next").expect("a full page links onwards");
    assert!(next.contains("only_media=true"), "{next}");
    let with_media = demo.all_pages::<wire::Status>(&token, &format!("{base}?only_media=true&limit=40")).await;
    let everything = demo.all_pages::<wire::Status>(&token, &format!("{base}?limit=40")).await;
    assert!(with_media.iter().all(|s| !s.media_attachments.is_empty()));
    assert_eq!(
        ids(&with_media),
        ids(&everything.into_iter().filter(|s| !s.media_attachments.is_empty()).collect::<Vec<_>>())
    );
}

#[tokio::test]
async fn conversations_page_by_their_last_status() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let base = demo.url(Surface::Feed, "/api/v1/conversations");
    let by_two: Vec<wire::Conversation> = demo.all_pages(&token, &format!("{base}?limit=2")).await;
    let at_once: Vec<wire::Conversation> = demo.get_json(&token, &format!("{base}?limit=40")).await;
    let conversation_ids = |list: &[wire::Conversation]| list.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
    assert_eq!(conversation_ids(&by_two), conversation_ids(&at_once));
    let last_ids: Vec<String> = at_once.iter().map(|c| c.last_status.as_ref().unwrap().id.clone()).collect();
    assert!(last_ids.windows(2).all(|pair| pair[0] > pair[1]), "most recent conversation first");
    assert!(at_once.iter().all(|c| c.last_status.as_ref().unwrap().visibility == "direct" && !c.accounts.is_empty()));

    let unread = at_once.iter().find(|c| c.unread).unwrap();
    let read: wire::Conversation = demo
        .http
        .post(format!("{base}/{}/read", unread.id))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(!read.unread);
}

// ---- Posting -----------------------------------------------------------------------------

#[tokio::test]
async fn a_repeated_idempotency_key_returns_the_first_status() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let post = || {
        demo.http
            .post(demo.url(Surface::Feed, "/api/v1/statuses"))
            .bearer_auth(&token)
            .header("Idempotency-Key", "compose-1")
            .form(&[("status", "Hello from the tests, @kenji! #testing"), ("visibility", "public")])
            .send()
    };
    let first: wire::Status = post().await.unwrap().json().await.unwrap();
    let second: wire::Status = post().await.unwrap().json().await.unwrap();
    assert_eq!(first.id, second.id);
    assert_eq!(first.mentions.iter().map(|m| m.acct.as_str()).collect::<Vec<_>>(), vec!["kenji"]);
    assert_eq!(first.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), vec!["testing"]);
    let home: Vec<wire::Status> = demo.get_json(&token, &format!("{}?limit=40", demo.url(Surface::Feed, HOME))).await;
    assert_eq!(home.iter().filter(|s| s.content.contains("Hello from the tests")).count(), 1, "one status was created");
    assert_eq!(home[0].id, first.id, "the new status is the newest");

    let json: wire::Status = demo
        .http
        .post(demo.url(Surface::Feed, "/api/v1/statuses"))
        .bearer_auth(&token)
        .json(&wire::NewStatus {
            status: "A reply".into(),
            in_reply_to_id: Some(first.id.clone()),
            ..Default::default()
        })
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(json.in_reply_to_id.as_deref(), Some(first.id.as_str()), "JSON bodies work too");
}

#[tokio::test]
async fn the_visual_server_refuses_posts_without_photos_like_pixelfed() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let refused = demo
        .http
        .post(demo.url(Surface::Visual, "/api/v1/statuses"))
        .bearer_auth(&token)
        .form(&[("status", "Just words")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(refused.json::<wire::ApiError>().await.unwrap().error, "Empty statuses are not allowed");

    let photo: Vec<wire::Status> =
        demo.get_json(&token, &format!("{}?only_media=true&limit=1", demo.url(Surface::Visual, HOME))).await;
    let comment = demo
        .http
        .post(demo.url(Surface::Visual, "/api/v1/statuses"))
        .bearer_auth(&token)
        .form(&[("status", "Lovely light!"), ("in_reply_to_id", photo[0].id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(comment.status(), StatusCode::OK, "comments need no photo");
}

#[tokio::test]
async fn favourites_count_and_toggle() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let page: Vec<wire::Status> = demo.get_json(&token, &format!("{}?limit=40", demo.url(Surface::Feed, HOME))).await;
    let status = page.iter().find(|s| !s.favourited).unwrap();
    let post = |action: &str| {
        demo.http
            .post(demo.url(Surface::Feed, &format!("/api/v1/statuses/{}/{action}", status.id)))
            .bearer_auth(&token)
            .send()
    };
    let liked: wire::Status = post("favourite").await.unwrap().json().await.unwrap();
    assert!(liked.favourited);
    assert_eq!(liked.favourites_count, status.favourites_count + 1);
    let unliked: wire::Status = post("unfavourite").await.unwrap().json().await.unwrap();
    assert!(!unliked.favourited);
    assert_eq!(unliked.favourites_count, status.favourites_count);
}

// ---- Media -------------------------------------------------------------------------------

fn png(width: u32, height: u32, noisy: bool) -> Vec<u8> {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let noise = if noisy { (state >> 56) as u8 } else { 0 };
        image::Rgb([(x % 256) as u8 ^ noise, (y % 256) as u8, noise])
    });
    let mut bytes = Vec::new();
    image.write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png).unwrap();
    bytes
}

async fn upload(demo: &Demo, token: &str, surface: Surface, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new()
        .part("file", Part::bytes(bytes).file_name("photo.png").mime_str("image/png").unwrap())
        .text("description", "A test pattern");
    demo.http.post(demo.url(surface, "/api/v2/media")).bearer_auth(token).multipart(form).send().await.unwrap()
}

#[tokio::test]
async fn a_small_upload_is_ready_at_once_and_can_be_posted() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let response = upload(&demo, &token, Surface::Visual, png(64, 48, false)).await;
    assert_eq!(response.status(), StatusCode::OK);
    let media: wire::MediaAttachment = response.json().await.unwrap();
    let original = media.meta.as_ref().and_then(|m| m.original.clone()).unwrap();
    assert_eq!((original.width, original.height), (Some(64), Some(48)), "dimensions come from decoding");
    assert_eq!(media.description.as_deref(), Some("A test pattern"));
    let served = demo.http.get(media.url.clone().unwrap()).send().await.unwrap();
    assert_eq!(served.headers()["content-type"], "image/png");
    image::load_from_memory(&served.bytes().await.unwrap()).expect("the original is served back");

    let described = demo
        .http
        .put(demo.url(Surface::Visual, &format!("/api/v1/media/{}", media.id)))
        .bearer_auth(&token)
        .form(&[("description", "Stripes of red and green")])
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.json::<wire::MediaAttachment>().await.unwrap().description.as_deref(),
        Some("Stripes of red and green")
    );

    let post = |ids: Vec<(&'static str, String)>| {
        demo.http.post(demo.url(Surface::Visual, "/api/v1/statuses")).bearer_auth(&token).form(&ids).send()
    };
    let posted: wire::Status = post(vec![("status", "Test pattern #test".into()), ("media_ids[]", media.id.clone())])
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(posted.media_attachments[0].id, media.id);
    let again = post(vec![("status", "Again".into()), ("media_ids[]", media.id.clone())]).await.unwrap();
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "media attach to one status only");
    let foreign =
        post(vec![("status", "Not mine".into()), ("media_ids[]", demo_media_of_someone_else(&demo, &token).await)])
            .await
            .unwrap();
    assert_eq!(foreign.status(), StatusCode::UNPROCESSABLE_ENTITY, "only the user's own media");
}

async fn demo_media_of_someone_else(demo: &Demo, token: &str) -> String {
    let page: Vec<wire::Status> =
        demo.get_json(token, &format!("{}?only_media=true&limit=1", demo.url(Surface::Visual, HOME))).await;
    page[0].media_attachments[0].id.clone()
}

#[tokio::test]
async fn a_large_upload_is_processed_in_the_background() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let response = upload(&demo, &token, Surface::Feed, png(600, 400, true)).await;
    assert_eq!(response.status(), StatusCode::ACCEPTED);
    let media: wire::MediaAttachment = response.json().await.unwrap();
    assert_eq!(media.url, None, "no URL while processing");

    let early = demo
        .http
        .post(demo.url(Surface::Feed, "/api/v1/statuses"))
        .bearer_auth(&token)
        .form(&[("status", "Too soon"), ("media_ids[]", media.id.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY, "unprocessed media cannot be posted");

    let poll_url = demo.url(Surface::Feed, &format!("/api/v1/media/{}", media.id));
    let mut polls = Vec::new();
    for _ in 0..3 {
        let response = demo.get(&token, &poll_url).await;
        let status = response.status();
        polls.push((status, response.json::<wire::MediaAttachment>().await.unwrap().url.is_some()));
    }
    assert_eq!(
        polls,
        vec![(StatusCode::PARTIAL_CONTENT, false), (StatusCode::PARTIAL_CONTENT, false), (StatusCode::OK, true)]
    );
}

#[tokio::test]
async fn uploads_that_are_not_images_are_refused() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let response = upload(&demo, &token, Surface::Feed, b"definitely not a picture".to_vec()).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!response.json::<wire::ApiError>().await.unwrap().error.is_empty());
}

/// Pictures must look like photographs: the right size, and far from a flat block of colour.
#[tokio::test]
async fn pictures_are_jpegs_of_the_promised_size_with_real_variation() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let me: wire::Account =
        demo.get_json(&token, &demo.url(Surface::Visual, "/api/v1/accounts/verify_credentials")).await;
    let page: Vec<wire::Status> =
        demo.get_json(&token, &format!("{}?only_media=true&limit=3", demo.url(Surface::Visual, HOME))).await;
    let mut pictures = vec![(me.avatar.clone(), (256, 256))];
    for media in page.iter().flat_map(|s| &s.media_attachments) {
        let meta = media.meta.clone().unwrap();
        let size = |d: Option<wire::MediaDimensions>| d.map(|d| (d.width.unwrap(), d.height.unwrap())).unwrap();
        let original = size(meta.original);
        assert_eq!(original.0.max(original.1), 1080, "originals are 1080 px on the long side");
        pictures.push((media.url.clone().unwrap(), original));
        pictures.push((media.preview_url.clone().unwrap(), size(meta.small)));
    }
    for (url, (width, height)) in pictures {
        let response = demo.http.get(&url).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{url}");
        assert_eq!(response.headers()["content-type"], "image/jpeg");
        let bytes = response.bytes().await.unwrap();
        let picture = image::load_from_memory_with_format(&bytes, image::ImageFormat::Jpeg).expect("a JPEG").to_luma8();
        assert_eq!(picture.dimensions(), (width, height), "{url}");
        let values: Vec<f64> = picture.pixels().map(|p| f64::from(p[0])).collect();
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        let deviation = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / values.len() as f64).sqrt();
        assert!(deviation > 12.0, "{url} is too flat: standard deviation {deviation:.1}");
    }
}

// ---- Persistence -------------------------------------------------------------------------

#[tokio::test]
async fn what_the_user_made_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let config = DemoConfig { state_dir: Some(dir.path().to_owned()), ..DemoConfig::default() };
    let demo = Demo::start(config.clone()).await;
    let token = demo.sign_in().await;
    let media: wire::MediaAttachment =
        upload(&demo, &token, Surface::Visual, png(32, 32, false)).await.json().await.unwrap();
    let posted: wire::Status = demo
        .http
        .post(demo.url(Surface::Visual, "/api/v1/statuses"))
        .bearer_auth(&token)
        .form(&[("status", "Kept across restarts"), ("media_ids[]", media.id.as_str())])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let world_post = demo
        .get_json::<Vec<wire::Status>>(&token, &format!("{}?limit=5", demo.url(Surface::Feed, HOME)))
        .await
        .into_iter()
        .find(|s| !s.favourited)
        .unwrap();
    let liked = demo
        .http
        .post(demo.url(Surface::Feed, &format!("/api/v1/statuses/{}/favourite", world_post.id)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(liked.status(), StatusCode::OK);
    demo.server.shutdown().await;

    let again = Demo::start(config).await;
    let kept: wire::Status =
        again.get_json(&token, &again.url(Surface::Visual, &format!("/api/v1/statuses/{}", posted.id))).await;
    assert_eq!(kept.content, posted.content, "the token and the status survive");
    let picture = again.http.get(kept.media_attachments[0].url.clone().unwrap()).send().await.unwrap();
    assert_eq!(picture.status(), StatusCode::OK, "uploaded files survive");
    let home: Vec<wire::Status> = again.get_json(&token, &format!("{}?limit=5", again.url(Surface::Feed, HOME))).await;
    let same =
        home.iter().find(|s| without_origin(s) == without_origin(&world_post)).expect("the world is regenerated alike");
    assert!(same.favourited, "favourites of world posts survive");
    assert_eq!(same.id, world_post.id, "a restarted server keeps the ids clients have cached");
}

#[tokio::test]
async fn a_restart_serves_the_same_world_even_when_nothing_was_done() {
    let dir = tempfile::tempdir().unwrap();
    let config = DemoConfig { state_dir: Some(dir.path().to_owned()), ..DemoConfig::default() };
    let demo = Demo::start(config.clone()).await;
    let token = demo.sign_in().await;
    let ids = |statuses: Vec<wire::Status>| statuses.into_iter().map(|s| s.id).collect::<Vec<_>>();
    let before = ids(demo.get_json(&token, &format!("{}?limit=20", demo.url(Surface::Feed, HOME))).await);
    demo.server.shutdown().await;

    let again = Demo::start(config).await;
    let after = ids(again.get_json(&token, &format!("{}?limit=20", again.url(Surface::Feed, HOME))).await);
    assert_eq!(before.len(), 20);
    assert_eq!(after, before);
}

#[tokio::test]
async fn only_ones_own_statuses_can_be_deleted() {
    let demo = Demo::default().await;
    let token = demo.sign_in().await;
    let home: Vec<wire::Status> = demo.get_json(&token, &format!("{}?limit=40", demo.url(Surface::Feed, HOME))).await;
    let me: wire::Account =
        demo.get_json(&token, &demo.url(Surface::Feed, "/api/v1/accounts/verify_credentials")).await;
    let delete = |id: String| {
        demo.http.delete(demo.url(Surface::Feed, &format!("/api/v1/statuses/{id}"))).bearer_auth(&token).send()
    };
    let someone_elses = home.iter().find(|s| s.account.id != me.id).unwrap();
    assert_eq!(delete(someone_elses.id.clone()).await.unwrap().status(), StatusCode::NOT_FOUND);

    let mine: Vec<wire::Status> =
        demo.get_json(&token, &demo.url(Surface::Feed, &format!("/api/v1/accounts/{}/statuses", me.id))).await;
    let target = &mine[0];
    let answer = delete(target.id.clone()).await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    assert_eq!(answer.json::<wire::Status>().await.unwrap().id, target.id, "answers with what it deleted");
    let gone = demo.get(&token, &demo.url(Surface::Feed, &format!("/api/v1/statuses/{}", target.id))).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(delete(target.id.clone()).await.unwrap().status(), StatusCode::NOT_FOUND, "once");
}
