//! The inbox list read a page at a time: a longer read begins with the shorter one, a person's
//! conversations come together however far apart in the list they are, and no conversation
//! shows twice.

use std::collections::HashSet;
use std::sync::Arc;

use facets_app::inbox::InboxView;
use facets_app::privacy::LocalPrivacyChange;
use facets_app::{Core, CoreConfig, Mode};
use facets_model::Surface;
use facets_secrets::MemoryOnly;
use facets_store::{PersonVerdict, Store};
use facets_wire::{Account, Conversation, Status};

fn account(id: &str) -> Account {
    Account {
        id: id.into(),
        username: id.into(),
        acct: id.into(),
        display_name: format!("Person {id}"),
        ..Default::default()
    }
}

/// A 1:1 conversation whose one message was sent `minute` minutes into the day.
fn converse(store: &mut Store, surface: Surface, id: &str, with: &Account, minute: i64, unread: bool) {
    let message = Status {
        id: format!("m-{id}"),
        created_at: time::OffsetDateTime::from_unix_timestamp(1_700_000_000 + minute * 60)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap(),
        account: with.clone(),
        content: format!("<p>About {id}</p>"),
        visibility: "direct".into(),
        ..Default::default()
    };
    let listed =
        Conversation { id: id.into(), accounts: vec![with.clone()], unread, last_status: Some(message.clone()) };
    store.ingest_conversations(surface, &[listed], None, 0).unwrap();
    store.ingest_messages(surface, id, &[message]).unwrap();
}

/// Thirty people with a conversation each, and Ana: the newest conversation on Feed and the
/// oldest on Visual, the two accounts known as one person; and Bo twice on Feed, far apart.
fn cached_inbox(dir: &std::path::Path) -> Arc<Core> {
    let mut store = Store::open(&dir.join("cache.sqlite")).unwrap();
    for i in 0..30 {
        let surface = if i % 2 == 0 { Surface::Feed } else { Surface::Visual };
        converse(&mut store, surface, &format!("c{i:02}"), &account(&format!("p{i:02}")), 100 + i, i % 4 == 0);
    }
    converse(&mut store, Surface::Feed, "ana-feed", &account("ana"), 1_000, true);
    converse(&mut store, Surface::Visual, "ana-visual", &account("ana-v"), 1, true);
    store.set_person_verdict("ana", "ana-v", Some(PersonVerdict::Same), 0).unwrap();
    converse(&mut store, Surface::Feed, "bo-new", &account("bo"), 500, false);
    converse(&mut store, Surface::Feed, "bo-old", &account("bo"), 2, false);
    drop(store);
    Core::open(CoreConfig {
        data_dir: dir.to_owned(),
        media_url_base: "facets-media://localhost/".into(),
        demo_messages_every: None,
        secrets: Arc::new(MemoryOnly::new()),
        mode: Mode::Accounts,
    })
    .unwrap()
}

fn keys(view: &InboxView) -> Vec<Vec<String>> {
    view.groups.iter().map(|g| g.conversations.iter().map(|c| c.key.clone()).collect()).collect()
}

#[test]
fn a_longer_read_of_the_inbox_begins_with_the_shorter_one() {
    let dir = tempfile::tempdir().unwrap();
    let core = cached_inbox(dir.path());
    for merged in [true, false] {
        let whole = core.inbox(merged, 100).unwrap();
        assert!(!whole.more, "everything fits in 100 groups");
        let every: Vec<String> = keys(&whole).into_iter().flatten().collect();
        assert_eq!(every.len(), 34, "each conversation once: {every:?}");
        assert_eq!(every.iter().collect::<HashSet<_>>().len(), 34, "none twice: {every:?}");
        for groups in [1, 2, 5, 17] {
            let page = core.inbox(merged, groups).unwrap();
            assert!(page.more, "more than {groups} groups are cached");
            assert_eq!(keys(&page), keys(&whole)[..groups], "the first {groups} groups, merged: {merged}");
            assert_eq!(page.unread, whole.unread, "unread counts cover the whole inbox");
        }
    }
    let first = core.inbox(true, 1).unwrap();
    assert_eq!(keys(&first), [["feed:ana-feed", "visual:ana-visual"]], "Ana's oldest conversation joins her newest");
    assert_eq!(first.groups[0].unread_count, 2);
    assert_eq!(first.unread[&Surface::Feed], 1 + 8, "Ana's and every fourth person's");
    let with_bo = core.inbox(true, 2).unwrap();
    assert_eq!(keys(&with_bo)[1], ["feed:bo-new", "feed:bo-old"]);
    let apart = core.inbox(false, 1).unwrap();
    assert_eq!(keys(&apart), [["feed:ana-feed"]], "one conversation a group when not merged");
}

#[test]
fn kept_apart_the_inbox_pages_through_feed_then_visual() {
    let dir = tempfile::tempdir().unwrap();
    let core = cached_inbox(dir.path());
    core.set_local_privacy(LocalPrivacyChange::InboxAcrossSurfaces(false)).unwrap();
    let whole = core.inbox(true, 100).unwrap();
    assert!(whole.apart);
    let surfaces: Vec<Surface> = whole.groups.iter().map(|g| g.surfaces[0]).collect();
    assert_eq!(surfaces.iter().filter(|s| **s == Surface::Feed).count(), 18);
    assert!(surfaces.windows(2).all(|w| w[0] <= w[1]), "Feed's, then Visual's: {surfaces:?}");
    for groups in [3, 18, 19, 30] {
        let page = core.inbox(true, groups).unwrap();
        assert_eq!(keys(&page), keys(&whole)[..groups], "the first {groups} groups");
        assert!(page.more);
    }
}
