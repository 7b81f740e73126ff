//! The privacy center against the demo servers over loopback: each server-side setting
//! round-trips and changes what the server does, refusals are never shown as saved, every
//! change is logged, and blocked accounts leave the timeline.

use std::sync::Arc;

use facets_app::privacy::{AccountPrivacyChange, LockedMeans};
use facets_app::{Core, CoreConfig, ErrorKind};
use facets_model::{Surface, TimelineKind};

async fn demo_core(dir: &std::path::Path) -> Arc<Core> {
    let config = CoreConfig {
        data_dir: dir.to_owned(),
        media_url_base: "facets-media://localhost/".into(),
        demo_messages_every: None,
    };
    let core = Core::open(config).unwrap();
    core.start_demo().await.expect("demo mode starts and signs in");
    core
}

/// The demo's admin origin (`http://127.0.0.1:PORT`), read from the linked Feed server.
fn demo_origin(core: &Core) -> String {
    let status = core.status().unwrap();
    let feed = status.surfaces.iter().find(|s| s.surface == Surface::Feed).unwrap();
    feed.server.trim_end_matches('/').trim_end_matches("/feed").to_owned()
}

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

    let private = core.set_account_privacy(Surface::Visual, AccountPrivacyChange::Locked(true)).await.unwrap();
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
    let seeded_mute = unblocked.muted[0].id.clone();
    assert!(core.set_muted(Surface::Feed, &seeded_mute, false).await.unwrap().muted.is_empty());
    let log = core.privacy_log(None).unwrap();
    let changes: Vec<(&str, bool)> =
        log.entries.iter().map(|e| (e.label.as_str(), e.new_value.ends_with("Off"))).collect();
    assert_eq!(changes, [("Muted account", true), ("Blocked account", true), ("Blocked account", false)]);
    core.shutdown().await;
}
