//! The whole core in demo mode: the demo backend on loopback, sign-in, sync into a temp
//! SQLite cache, and reads from the cache only — as the app runs it, without a window.

use std::sync::Arc;

use facets_app::edit::PostEdit;
use facets_app::{Core, CoreConfig, ErrorKind};
use facets_model::{Surface, TimelineKind};

const MEDIA_BASE: &str = "facets-media://localhost/";

async fn core_in(dir: &std::path::Path) -> Arc<Core> {
    let core = Core::open(CoreConfig {
        data_dir: dir.to_owned(),
        media_url_base: MEDIA_BASE.into(),
        demo_messages_every: None,
        secrets: std::sync::Arc::new(facets_secrets::MemoryOnly::new()),
        mode: facets_app::Mode::Demo,
    })
    .unwrap();
    core.start_demo().await.expect("demo mode starts and signs in");
    core
}

#[tokio::test]
async fn demo_mode_syncs_both_surfaces_into_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    let mut changes = core.subscribe();
    for result in core.refresh_all().await {
        let reports = result.expect("sync succeeds");
        assert!(reports.iter().any(|r| r.new_posts > 0), "a first sync brings posts: {reports:?}");
    }
    assert!(changes.try_recv().is_ok(), "sync announces what changed");

    let status = core.status().unwrap();
    assert_eq!(status.surfaces.len(), 2);
    assert!(status.identity.is_some() && status.last_sync_at.is_some());

    let feed = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 20).await.unwrap();
    assert_eq!(feed.posts.len(), 20);
    assert!(feed.next_cursor.is_some());
    assert!(feed.posts.iter().all(|p| !p.content_html.contains("<script")));
    let media_urls: Vec<_> = feed.posts.iter().flat_map(|p| &p.media).map(|m| m.thumb_url.clone()).collect();
    assert!(media_urls.iter().all(|u| u.starts_with(MEDIA_BASE)), "the webview never gets a remote URL");

    let grid = core.timeline_page(Surface::Visual, TimelineKind::Profile, None, 30).await.unwrap();
    assert!(grid.posts.len() >= 24 && grid.posts.iter().all(|p| !p.media.is_empty()));
    let me = core.profile(Surface::Visual).unwrap();
    // Handles carry the server's own domain, not the loopback host and port it is served from.
    let domain = format!("@{}", facets_demo::LOCAL_DOMAIN);
    assert!(me.handle.ends_with(&domain), "{}", me.handle);
    assert!(feed.posts.iter().all(|p| p.author.handle.contains('@') && !p.author.handle.contains("127.0.0.1")));
    assert!(me.avatar_url.as_deref().is_some_and(|u| u.starts_with(MEDIA_BASE)));

    // The media scheme resolves to real image files from the cache.
    let thumb = &grid.posts[0].media[0].thumb_url;
    let file = core.resolve_media(thumb.strip_prefix(MEDIA_BASE).unwrap()).await.unwrap();
    assert_eq!(file.content_type, "image/jpeg");
    let decoded = image_size(&std::fs::read(&file.path).unwrap());
    assert!(decoded.0 <= facets_app::THUMBNAIL_SIDE && decoded.1 <= facets_app::THUMBNAIL_SIDE);
    // Avatars come small for lists and large for a profile's header.
    let side_of = |url: &str| {
        let path = url.strip_prefix(MEDIA_BASE).unwrap().to_owned();
        let core = &core;
        async move { image_size(&std::fs::read(core.resolve_media(&path).await.unwrap().path).unwrap()) }
    };
    let small = side_of(me.avatar_url.as_deref().unwrap()).await;
    let large = side_of(me.avatar_large_url.as_deref().unwrap()).await;
    assert!(small.0.max(small.1) <= facets_app::AVATAR_SIDE, "{small:?}");
    assert!(large.0 > facets_app::AVATAR_SIDE, "{large:?}");
    assert!(core.resolve_media("media/feed/../../etc/passwd").await.is_err());
    assert!(core.resolve_media("media/feed/1/first/thumb").await.is_err(), "a place is a number");
    assert!(core.resolve_media("person/visual/nobody/avatar").await.is_err());
    core.shutdown().await;
}

/// Mastodon answers 206 while it rebuilds a returning user's home feed. Facets asks again a
/// little later, and a feed still not ready moves no cursor, so the next refresh reads it whole.
#[tokio::test]
async fn a_home_feed_the_server_is_still_building_is_read_once_ready() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    let origin = {
        let status = core.status().unwrap();
        let feed = status.surfaces.iter().find(|s| s.surface == Surface::Feed).unwrap().server.clone();
        feed.trim_end_matches('/').trim_end_matches("/feed").to_owned()
    };
    let regenerate = |requests: u32| {
        let url = format!("{origin}/_demo/home-regeneration");
        async move {
            let answer = reqwest::Client::new()
                .put(url)
                .json(&serde_json::json!({ "requests": requests }))
                .send()
                .await
                .unwrap();
            assert!(answer.status().is_success(), "{}", answer.status());
        }
    };
    let home_report = |results: Vec<Result<Vec<facets_app::views::SyncReport>, facets_app::AppError>>| {
        results
            .into_iter()
            .flat_map(|r| r.expect("sync succeeds"))
            .find(|r| r.surface == Surface::Feed && r.timeline == TimelineKind::Home)
            .expect("Feed's home was synced")
    };

    // Longer than Facets waits: the home feed stays empty for now.
    regenerate(10).await;
    home_report(core.refresh_all().await);
    assert!(core.timeline_page(Surface::Feed, TimelineKind::Home, None, 20).await.unwrap().posts.is_empty());

    // Built after two more answers: the same refresh waits for it.
    regenerate(2).await;
    home_report(core.refresh_all().await);
    let feed = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 20).await.unwrap();
    assert_eq!(feed.posts.len(), 20);
    assert!(feed.next_cursor.is_some(), "the whole feed, with older pages to scroll to");
    core.shutdown().await;
}

#[tokio::test]
async fn scrolling_past_the_cache_fetches_older_posts() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.refresh(Surface::Feed).await.unwrap();
    let mut cursor = None;
    let mut seen = 0;
    loop {
        let page = core.timeline_page(Surface::Feed, TimelineKind::Home, cursor.as_deref(), 50).await.unwrap();
        seen += page.posts.len();
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert!(seen >= 300, "scrolling reaches the whole demo feed through the cache, saw {seen}");
    core.shutdown().await;
}

#[tokio::test]
async fn threads_and_favourites_go_through_the_server_into_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.refresh(Surface::Feed).await.unwrap();
    let page = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 40).await.unwrap();
    let commented = page.posts.iter().find(|p| p.replies_count > 0).expect("a post with comments");
    let thread = core.open_thread(&commented.key).await.unwrap();
    assert!(!thread.descendants.is_empty());
    assert_eq!(thread.post.key, commented.key);

    let target = page.posts.iter().find(|p| !p.favourited).unwrap();
    let liked = core.set_favourite(&target.key, true).await.unwrap();
    assert!(liked.favourited && liked.favourites_count == target.favourites_count + 1);
    let again = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 40).await.unwrap();
    assert!(
        again.posts.iter().find(|p| p.key == target.key).unwrap().favourited,
        "the cache holds the server's answer"
    );
    core.shutdown().await;
}

#[tokio::test]
async fn the_cache_answers_offline_and_errors_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.refresh(Surface::Feed).await.unwrap();
    core.shutdown().await;

    let cached = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 20).await.unwrap();
    assert_eq!(cached.posts.len(), 20, "the cache works without the server");
    let error = core.refresh(Surface::Feed).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Offline, "{error}");
    assert!(error.human_message().contains("try again"));

    // Reopening the same data directory shows the cache at once, before any sign-in.
    drop(core);
    let reopened = Core::open(CoreConfig {
        data_dir: dir.path().to_owned(),
        media_url_base: MEDIA_BASE.into(),
        demo_messages_every: None,
        secrets: std::sync::Arc::new(facets_secrets::MemoryOnly::new()),
        mode: facets_app::Mode::Demo,
    })
    .unwrap();
    let page = reopened.timeline_page(Surface::Feed, TimelineKind::Home, None, 20).await.unwrap();
    assert_eq!(page.posts.len(), 20);
}

#[tokio::test]
async fn restarting_the_app_refreshes_the_cache_without_duplicating_it() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.refresh(Surface::Feed).await.unwrap();
    let before = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 100).await.unwrap();
    core.shutdown().await;
    drop(core);

    let core = core_in(dir.path()).await;
    let reports = core.refresh(Surface::Feed).await.unwrap();
    assert!(reports.iter().all(|r| r.new_posts == 0), "the restarted demo serves what is cached: {reports:?}");
    let after = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 100).await.unwrap();
    let keys = |page: &facets_app::views::TimelinePage| page.posts.iter().map(|p| p.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&after), keys(&before));
    core.shutdown().await;
}

fn image_size(bytes: &[u8]) -> (u32, u32) {
    let image = image::load_from_memory(bytes).expect("a cached thumbnail decodes");
    (image.width(), image.height())
}

fn png_bytes(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

#[tokio::test]
async fn a_draft_survives_a_restart_and_publishes_once_to_both_surfaces() {
    let dir = tempfile::tempdir().unwrap();
    let core = core_in(dir.path()).await;
    core.refresh_all().await;
    let limits = core.compose_limits().unwrap();
    assert!(limits.iter().any(|l| l.surface == Surface::Visual && l.requires_media));

    let mut draft = core.draft_new().unwrap();
    draft.text = "Harbour at dawn, cross-posted".into();
    for variant in &mut draft.variants {
        variant.enabled = true;
    }
    let saved = core.draft_save(&draft).unwrap();
    let problems = facets_app::compose::problems(&saved, &limits);
    assert!(problems.iter().any(|p| p.contains("picture")), "Visual needs a picture: {problems:?}");
    assert!(core.publish(&saved.id).is_err(), "refused before any server sees it");
    core.shutdown().await;
    drop(core);

    // The app is gone; the draft is not.
    let core = core_in(dir.path()).await;
    let mut draft = core.draft_list().unwrap().into_iter().next().expect("the draft is offered back");
    assert_eq!(draft.text, "Harbour at dawn, cross-posted");
    draft = core.draft_attach_media(&draft.id, "harbour.png", png_bytes(64, 48)).await.unwrap();
    assert_eq!(draft.media.len(), 1);
    assert!(draft.media[0].preview_url.starts_with(MEDIA_BASE));
    let preview = core.resolve_media(draft.media[0].preview_url.strip_prefix(MEDIA_BASE).unwrap()).await.unwrap();
    assert!(preview.path.exists());
    draft.media[0].description = "Boats at low tide".into();
    let draft = core.draft_save(&draft).unwrap();

    let mut progress = core.subscribe_outbox();
    core.start_outbox();
    let entries = core.publish(&draft.id).unwrap();
    assert_eq!(entries.len(), 2);
    assert!(core.draft_list().unwrap().is_empty(), "a published draft leaves the drafts list");
    let mut sent = std::collections::HashSet::new();
    while sent.len() < 2 {
        let entry = tokio::time::timeout(std::time::Duration::from_secs(30), progress.recv())
            .await
            .expect("the outbox makes progress")
            .unwrap();
        assert_ne!(entry.state, "failed", "{entry:?}");
        if entry.state == "sent" {
            sent.insert(entry.surface);
        }
    }
    for surface in Surface::ALL {
        let page = core.timeline_page(surface, TimelineKind::Profile, None, 5).await.unwrap();
        let post = page.posts.iter().find(|p| p.content_html.contains("Harbour at dawn")).expect("in the cache");
        assert_eq!(post.media.len(), 1);
        assert_eq!(post.media[0].description.as_deref(), Some("Boats at low tide"));
        let other = if surface == Surface::Feed { Surface::Visual } else { Surface::Feed };
        assert_eq!(post.also_on, vec![other], "marked as cross-posted");
    }
    assert!(core.outbox_list().unwrap().iter().all(|e| e.state == "sent"));

    // Editing the Feed copy everywhere changes both copies on their servers and in the cache,
    // and keeps the picture.
    let page = core.timeline_page(Surface::Feed, TimelineKind::Profile, None, 5).await.unwrap();
    let post = page.posts.iter().find(|p| p.content_html.contains("Harbour at dawn")).unwrap();
    let source = core.edit_source(&post.key).unwrap();
    assert_eq!(source.text, "Harbour at dawn, cross-posted", "the words as they were sent");
    assert_eq!(source.copies_on, vec![Surface::Visual]);
    let too_long = PostEdit { text: "x".repeat(600), spoiler_text: String::new(), sensitive: false };
    let error = core.edit_post(&post.key, too_long, true).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Invalid, "checked before any server sees it: {error}");
    let edit =
        PostEdit { text: "Harbour at dawn, boats resting".into(), spoiler_text: "tide".into(), sensitive: false };
    let edited = core.edit_post(&post.key, edit, true).await.unwrap();
    assert_eq!(edited.len(), 2, "{edited:?}");
    for surface in Surface::ALL {
        let page = core.timeline_page(surface, TimelineKind::Profile, None, 5).await.unwrap();
        let post = page.posts.iter().find(|p| p.content_html.contains("Harbour at dawn")).expect("in the cache");
        assert!(post.content_html.contains("boats resting"), "edited on {surface}: {}", post.content_html);
        assert_eq!(post.spoiler_text, "tide");
        assert!(post.edited_at.is_some(), "marked as edited on {surface}");
        assert_eq!(post.media.len(), 1, "the picture stays on {surface}");
        let thread = core.open_thread(&post.key).await.unwrap();
        assert!(thread.post.content_html.contains("boats resting"), "the server has the edit on {surface}");
    }
    let stranger = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 40).await.unwrap();
    let stranger = stranger.posts.iter().find(|p| !p.own).expect("others post too");
    assert_eq!(core.edit_source(&stranger.key).unwrap_err().kind(), ErrorKind::Invalid);

    // Deleting one copy "everywhere" removes both, from the servers and from the cache.
    let page = core.timeline_page(Surface::Visual, TimelineKind::Profile, None, 5).await.unwrap();
    let post = page.posts.iter().find(|p| p.content_html.contains("Harbour at dawn")).unwrap();
    assert!(post.own, "the identity's own post");
    let deleted = core.delete_post(&post.key, true).await.unwrap();
    assert_eq!(deleted.len(), 2, "{deleted:?}");
    for surface in Surface::ALL {
        let page = core.timeline_page(surface, TimelineKind::Profile, None, 5).await.unwrap();
        assert!(page.posts.iter().all(|p| !p.content_html.contains("Harbour at dawn")), "gone from {surface}");
    }
    let error = core.open_thread(&deleted[0]).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound, "and gone from the server: {error}");
    let others = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 5).await.unwrap();
    assert!(others.posts.iter().all(|p| !p.own || p.author.handle.starts_with("mara@")));
    core.shutdown().await;
}

/// A JPEG whose EXIF block carries a (fake) location note.
fn jpeg_with_location() -> Vec<u8> {
    let image = image::RgbImage::from_pixel(32, 24, image::Rgb([90, 120, 150]));
    let mut plain = std::io::Cursor::new(Vec::new());
    image.write_to(&mut plain, image::ImageFormat::Jpeg).unwrap();
    let plain = plain.into_inner();
    let mut app1 = b"Exif\x00\x00II\x2a\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00".to_vec();
    app1.extend_from_slice(b"GPS 48.8584N 2.2945E");
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&((app1.len() + 2) as u16).to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

#[tokio::test]
async fn photos_lose_their_location_unless_the_user_keeps_it() {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(CoreConfig {
        data_dir: dir.path().to_owned(),
        media_url_base: MEDIA_BASE.into(),
        demo_messages_every: None,
        secrets: std::sync::Arc::new(facets_secrets::MemoryOnly::new()),
        mode: facets_app::Mode::Demo,
    })
    .unwrap();
    assert!(core.privacy_settings().unwrap().strip_photo_metadata, "on by default");
    let has_location = async |draft: &facets_app::compose::Draft| {
        let url = &draft.media.last().expect("attached").preview_url;
        let stored = core.resolve_media(url.strip_prefix(MEDIA_BASE).unwrap()).await.unwrap();
        std::fs::read(&stored.path).unwrap().windows(3).any(|w| w == b"GPS")
    };
    let draft = core.draft_new().unwrap();
    let stripped = core.draft_attach_media(&draft.id, "harbour.jpg", jpeg_with_location()).await.unwrap();
    assert!(!has_location(&stripped).await, "the location is gone before the file is even stored");

    assert!(!core.set_strip_photo_metadata(false).unwrap().strip_photo_metadata);
    let kept = core.draft_attach_media(&draft.id, "harbour.jpg", jpeg_with_location()).await.unwrap();
    assert!(has_location(&kept).await, "the user chose to keep it");
    core.shutdown().await;
}
