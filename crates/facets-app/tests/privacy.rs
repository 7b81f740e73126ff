//! The privacy center against the demo servers over loopback: each server-side setting
//! round-trips and changes what the server does, refusals are never shown as saved, every
//! change is logged, and blocked accounts leave the timeline.

mod support;

use facets_app::inbox::INBOX_PAGE;
use facets_app::privacy::{AccountPrivacyChange, LockedMeans};
use facets_app::{Core, ErrorKind};
use facets_model::{Surface, TimelineKind};
use support::{demo_core, demo_origin};

#[tokio::test]
async fn a_private_visual_account_turns_follows_into_requests_to_answer() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    let center = core.refresh_privacy().await.unwrap();
    let surfaces: Vec<Surface> = center.surfaces.iter().map(|s| s.surface).collect();
    assert_eq!(surfaces, [Surface::Feed, Surface::Visual]);
    let (feed, visual) = (&center.surfaces[0], &center.surfaces[1]);
    assert_eq!((feed.discoverable, feed.indexable), (Some(true), Some(true)), "Mastodon has them");
    assert_eq!((visual.discoverable, visual.hide_collections, visual.indexable), (None, None, None), "Pixelfed not");
    assert!(!visual.locked && visual.checked_at.is_some());
    assert_eq!(visual.locked_means, LockedMeans::FollowersOnly);
    assert_eq!(feed.locked_means, LockedMeans::ApprovesFollowers);

    let mut changes = core.subscribe();
    let private = core.set_account_privacy(Surface::Visual, AccountPrivacyChange::Locked(true)).await.unwrap();
    let change = changes.try_recv().expect("the profile is told it changed");
    assert_eq!((change.surface, change.timeline), (Surface::Visual, TimelineKind::Profile));
    assert!(private.locked && private.account.locked);
    assert!(core.profile(Surface::Visual).unwrap().locked, "the profile says so");
    assert!(!core.profile(Surface::Feed).unwrap().locked, "the other surface is its own");
    let limits = core.compose_limits().unwrap();
    let visual_limits = limits.iter().find(|l| l.surface == Surface::Visual).unwrap();
    assert_eq!(visual_limits.private_account, Some(LockedMeans::FollowersOnly), "the composer is told");

    // Someone follows: on a private account, that is a request.
    let asked: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/_demo/follows/visual", demo_origin(&core)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(asked["requested"], true);
    let center = core.refresh_privacy().await.unwrap();
    let requests = &center.surfaces[1].follow_requests;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].id, asked["account_id"].as_str().unwrap());
    let followers_before = center.surfaces[1].account.followers_count;
    let answered = core.answer_follow_request(Surface::Visual, &requests[0].id, true).await.unwrap();
    assert!(answered.follow_requests.is_empty());
    assert_eq!(answered.account.followers_count, followers_before + 1, "one follower more");

    let log = core.privacy_log(None).unwrap();
    let labels: Vec<(&str, &str, bool)> =
        log.entries.iter().map(|e| (e.label.as_str(), e.new_value.as_str(), e.accepted)).collect();
    assert_eq!(labels, [("Follow request", "Approved", true), ("Private account", "On", true)]);
    assert_eq!(log.entries[1].surface, Some(Surface::Visual));
    core.shutdown().await;
}

#[tokio::test]
async fn a_refused_or_impossible_change_is_not_shown_as_saved_and_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    core.refresh_privacy().await.unwrap();

    let refused = core
        .set_account_privacy(Surface::Feed, AccountPrivacyChange::DefaultAudience("direct".into()))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("Privacy is not included"), "{refused}");
    let feed = core.privacy_center().unwrap().surfaces.remove(0);
    assert_eq!(feed.default_audience, "public", "unchanged");

    let impossible =
        core.set_account_privacy(Surface::Visual, AccountPrivacyChange::Discoverable(false)).await.unwrap_err();
    assert_eq!(impossible.kind(), ErrorKind::Invalid, "Pixelfed has no directory setting: {impossible}");

    let accepted =
        core.set_account_privacy(Surface::Feed, AccountPrivacyChange::DefaultAudience("private".into())).await.unwrap();
    assert_eq!(accepted.default_audience, "private");
    core.set_strip_photo_metadata(false).unwrap();

    let log = core.privacy_log(None).unwrap();
    let newest = &log.entries[0];
    assert_eq!((newest.surface, newest.old_value.as_str(), newest.new_value.as_str()), (None, "On", "Off"));
    assert_eq!(
        (log.entries[1].old_value.as_str(), log.entries[1].new_value.as_str(), log.entries[1].accepted),
        ("Public", "Followers only", true)
    );
    let refusal = &log.entries[2];
    assert!(!refusal.accepted);
    assert!(refusal.reason.as_deref().unwrap().contains("Privacy is not included"));
    assert_eq!(log.entries.len(), 3, "the impossible change never reached a server: {log:?}");

    // Exported whole, never over an earlier export.
    let exports = tempfile::tempdir().unwrap();
    let first = core.export_privacy_log(exports.path()).unwrap();
    let second = core.export_privacy_log(exports.path()).unwrap();
    assert_ne!(first, second);
    let exported: Vec<serde_json::Value> = serde_json::from_slice(&std::fs::read(&first).unwrap()).unwrap();
    assert_eq!(exported.len(), 3);
    assert_eq!(exported[2]["accepted"], false);
    core.shutdown().await;
}

#[tokio::test]
async fn a_blocked_account_leaves_the_timeline_and_unblocking_is_logged() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    core.refresh_all().await;
    let center = core.refresh_privacy().await.unwrap();
    assert_eq!((center.surfaces[0].blocked.len(), center.surfaces[0].muted.len()), (1, 1), "the demo's seeds");

    let me = core.profile(Surface::Feed).unwrap().id;
    let home = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 40).await.unwrap();
    let author = home.posts.iter().map(|p| p.author.id.clone()).find(|id| id != &me).expect("someone followed");
    let blocked = core.set_blocked(Surface::Feed, &author, true).await.unwrap();
    assert!(blocked.blocked.iter().any(|p| p.id == author));
    let without = |page: &facets_app::views::TimelinePage| page.posts.iter().all(|p| p.author.id != author);
    assert!(without(&core.timeline_page(Surface::Feed, TimelineKind::Home, None, 40).await.unwrap()));
    core.refresh_all().await;
    assert!(
        without(&core.timeline_page(Surface::Feed, TimelineKind::Home, None, 40).await.unwrap()),
        "and stays gone after sync"
    );

    let unblocked = core.set_blocked(Surface::Feed, &author, false).await.unwrap();
    assert!(unblocked.blocked.iter().all(|p| p.id != author));
    assert!(
        !without(&core.timeline_page(Surface::Feed, TimelineKind::Home, None, 40).await.unwrap()),
        "their cached posts come back"
    );
    let seeded_mute = unblocked.muted[0].id.clone();
    assert!(core.set_muted(Surface::Feed, &seeded_mute, false).await.unwrap().muted.is_empty());
    let log = core.privacy_log(None).unwrap();
    let changes: Vec<(&str, bool)> =
        log.entries.iter().map(|e| (e.label.as_str(), e.new_value.ends_with("Off"))).collect();
    assert_eq!(changes, [("Muted account", true), ("Blocked account", true), ("Blocked account", false)]);
    core.shutdown().await;
}

fn png_bytes(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A saved draft for Visual alone, with one picture, to `audience`.
async fn visual_draft(core: &Core, audience: facets_app::compose::Audience) -> String {
    let mut draft = core.draft_new().unwrap();
    draft.text = "Kelp at low tide".into();
    for variant in &mut draft.variants {
        variant.enabled = variant.surface == Surface::Visual;
        variant.audience = audience;
    }
    let draft = core.draft_save(&draft).unwrap();
    core.draft_attach_media(&draft.id, "kelp.png", png_bytes(48, 32)).await.unwrap().id
}

#[tokio::test]
async fn sharing_visual_posts_to_feed_is_off_until_turned_on_and_never_widens_an_audience() {
    use facets_app::compose::Audience;
    use facets_app::privacy::LocalPrivacyChange;
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    let targets = |entries: &[facets_app::compose::OutboxEntry]| {
        let mut surfaces: Vec<Surface> = entries.iter().map(|e| e.surface).collect();
        surfaces.sort();
        surfaces
    };
    assert!(!core.privacy_settings().unwrap().share_visual_to_feed, "off by default");
    let alone = visual_draft(&core, Audience::Public).await;
    assert_eq!(targets(&core.publish(&alone).unwrap()), [Surface::Visual]);

    let settings = core.set_local_privacy(LocalPrivacyChange::ShareVisualToFeed(true)).unwrap();
    assert!(settings.share_visual_to_feed);
    let shared = visual_draft(&core, Audience::Public).await;
    assert_eq!(targets(&core.publish(&shared).unwrap()), [Surface::Feed, Surface::Visual]);
    let followers_only = visual_draft(&core, Audience::Private).await;
    assert_eq!(targets(&core.publish(&followers_only).unwrap()), [Surface::Visual], "not to a wider audience");
    let next = core.draft_new().unwrap();
    let chosen: Vec<Surface> = next.variants.iter().filter(|v| v.enabled).map(|v| v.surface).collect();
    assert_eq!(chosen, [Surface::Visual], "the composer remembers the user's choice, not the share");

    let log = core.privacy_log(None).unwrap();
    assert_eq!(
        (log.entries[0].label.as_str(), log.entries[0].old_value.as_str(), log.entries[0].new_value.as_str()),
        ("Share new Visual posts to Feed", "Off", "On")
    );
    core.shutdown().await;
}

#[tokio::test]
async fn an_inbox_kept_apart_gathers_no_one_across_surfaces() {
    use facets_app::privacy::LocalPrivacyChange;
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    core.refresh_inbox().await.unwrap();
    let together = core.inbox(true, INBOX_PAGE).unwrap();
    assert!(!together.apart);
    assert!(together.groups.iter().any(|g| g.surfaces.len() == 2), "someone is on both surfaces");

    core.set_local_privacy(LocalPrivacyChange::InboxAcrossSurfaces(false)).unwrap();
    let apart = core.inbox(true, INBOX_PAGE).unwrap();
    assert!(apart.apart && !apart.merged);
    assert!(apart.groups.iter().all(|g| g.surfaces.len() == 1), "no group spans surfaces");
    let order: Vec<Surface> = apart.groups.iter().map(|g| g.surfaces[0]).collect();
    let first_visual = order.iter().position(|s| *s == Surface::Visual).unwrap();
    assert!(order[..first_visual].iter().all(|s| *s == Surface::Feed), "Feed's, then Visual's: {order:?}");
    assert!(order[first_visual..].iter().all(|s| *s == Surface::Visual));
    core.shutdown().await;
}

#[tokio::test]
async fn activity_is_recorded_only_while_allowed_and_deleting_it_removes_it() {
    use facets_app::privacy::LocalPrivacyChange;
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    core.refresh_all().await;
    let me = core.profile(Surface::Feed).unwrap().id;
    let home = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 40).await.unwrap();
    let others: Vec<_> = home.posts.iter().filter(|p| p.author.id != me && !p.favourited).take(3).collect();
    assert_eq!(others.len(), 3);

    assert!(!core.privacy_settings().unwrap().activity_shapes_other, "off until the user turns it on");
    core.set_favourite(&others[0].key, true).await.unwrap();
    assert!(core.activity_signals(None).unwrap().entries.is_empty(), "off: nothing recorded");

    core.set_local_privacy(LocalPrivacyChange::ActivityShapesOther(true)).unwrap();
    core.set_favourite(&others[1].key, true).await.unwrap();
    let recorded = core.activity_signals(None).unwrap().entries;
    assert_eq!(recorded.len(), 1);
    assert_eq!((recorded[0].kind, recorded[0].surface), ("favourite", Surface::Feed));
    assert_eq!(recorded[0].person.as_ref().map(|p| p.id.as_str()), Some(others[1].author.id.as_str()));
    assert!(recorded[0].description.starts_with("You favourited a post by"), "{}", recorded[0].description);

    core.set_local_privacy(LocalPrivacyChange::ActivityPaused(true)).unwrap();
    core.set_favourite(&others[2].key, true).await.unwrap();
    assert_eq!(core.activity_signals(None).unwrap().entries.len(), 1, "paused: nothing new");
    core.set_local_privacy(LocalPrivacyChange::ActivityPaused(false)).unwrap();
    core.refresh_inbox().await.unwrap();
    let conversation = core.inbox(false, INBOX_PAGE).unwrap().groups[0].conversations[0].key.clone();
    core.reply_to_conversation(&conversation, "Talk soon").unwrap();
    core.reply_to_post(&others[0].key, "What a morning").unwrap();
    let signals = core.activity_signals(None).unwrap().entries;
    let kinds: Vec<&str> = signals.iter().map(|s| s.kind).collect();
    assert_eq!(kinds, ["reply", "message", "favourite"], "the people messaged and replied to count too");
    assert_eq!(signals[0].person.as_ref().map(|p| p.id.as_str()), Some(others[0].author.id.as_str()));

    let exports = tempfile::tempdir().unwrap();
    let exported: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(core.export_signals(exports.path()).unwrap()).unwrap()).unwrap();
    assert_eq!(exported.len(), 3);
    let first = core.activity_signals(None).unwrap().entries[0].id;
    assert!(core.delete_signal(first).unwrap());
    assert_eq!(core.delete_all_signals().unwrap(), 2);
    assert!(core.activity_signals(None).unwrap().entries.is_empty());
    core.shutdown().await;
    drop(core);
    // Gone from SQLite itself, not only from the view.
    let cache = rusqlite::Connection::open(dir.path().join("cache.sqlite")).unwrap();
    let left: i64 = cache.query_row("SELECT count(*) FROM activity_signals", [], |row| row.get(0)).unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn messaging_someone_on_feed_raises_them_in_visual_explore_only_while_allowed() {
    use facets_app::privacy::LocalPrivacyChange;
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    for result in core.refresh_all().await {
        result.unwrap();
    }
    core.refresh_inbox().await.unwrap();

    let chronological = core.explore(Surface::Visual).unwrap();
    assert!(!chronological.ranked);
    assert!(chronological.posts.len() > 10, "the public timeline is cached");
    let times: Vec<&str> = chronological.posts.iter().map(|p| p.post.created_at.as_str()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
    assert!(chronological.posts.iter().all(|p| p.reason.is_none() && !p.post.media.is_empty()));
    let me = core.profile(Surface::Visual).unwrap().id;
    assert!(chronological.posts.iter().all(|p| p.post.author.id != me), "never the user's own");
    let suggested = core.explore(Surface::Feed).unwrap();
    assert!(!suggested.posts.is_empty());
    assert!(suggested.posts.iter().all(|p| p.post.in_reply_to_id.is_none()), "no replies out of context");

    // One person on both surfaces: message them on Feed.
    let inbox = core.inbox(true, INBOX_PAGE).unwrap();
    let both = inbox.groups.iter().find(|g| g.surfaces.len() == 2).expect("someone on both surfaces");
    let on_feed = both.conversations.iter().find(|c| c.surface == Surface::Feed).unwrap();
    let on_visual = both.conversations.iter().find(|c| c.surface == Surface::Visual).unwrap();
    let visual_account = on_visual.participants[0].id.clone();
    core.set_local_privacy(LocalPrivacyChange::ActivityShapesOther(true)).unwrap();
    core.reply_to_conversation(&on_feed.key, "See you there").unwrap();

    let ranked = core.explore(Surface::Visual).unwrap();
    assert!(ranked.ranked);
    let first = &ranked.posts[0];
    assert_eq!(first.post.author.id, visual_account, "their Visual posts come first");
    let reason = first.reason.as_deref().unwrap();
    assert!(reason.starts_with("You messaged") && reason.ends_with("on Feed"), "{reason}");
    let signal = &core.activity_signals(None).unwrap().entries[0];
    assert_eq!(signal.used_count, 1, "the signal shows it was used");

    core.set_local_privacy(LocalPrivacyChange::ActivityShapesOther(false)).unwrap();
    let again = core.explore(Surface::Visual).unwrap();
    assert!(!again.ranked);
    assert_eq!(
        again.posts.iter().map(|p| &p.post.key).collect::<Vec<_>>(),
        chronological.posts.iter().map(|p| &p.post.key).collect::<Vec<_>>(),
        "off: chronological again"
    );
    core.shutdown().await;
}
