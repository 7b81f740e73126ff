use facets_model::{PostKey, Surface, TimelineKind};
use facets_wire::{Account, Status};

use crate::{AccountList, Store};

fn account(id: &str) -> Account {
    Account {
        id: id.into(),
        username: id.into(),
        acct: id.into(),
        display_name: format!("Person {id}"),
        ..Default::default()
    }
}

fn post(id: u32, by: &Account) -> Status {
    Status {
        id: format!("{id:06}"),
        created_at: format!("2025-01-01T00:{:02}:00Z", id % 60),
        account: by.clone(),
        content: format!("<p>post {id}</p>"),
        visibility: "public".into(),
        ..Default::default()
    }
}

#[test]
fn a_list_is_replaced_in_the_servers_order_and_loses_people_one_by_one() {
    let mut store = Store::open_in_memory().unwrap();
    let (a, b, c) = (account("a"), account("b"), account("c"));
    store.replace_account_list(Surface::Feed, AccountList::Blocked, &[b.clone(), a.clone()]).unwrap();
    store.replace_account_list(Surface::Feed, AccountList::Muted, std::slice::from_ref(&c)).unwrap();
    let ids = |store: &Store, list| -> Vec<String> {
        store.account_list(Surface::Feed, list).unwrap().into_iter().map(|p| p.remote_id).collect()
    };
    assert_eq!(ids(&store, AccountList::Blocked), ["b", "a"]);
    assert_eq!(ids(&store, AccountList::Muted), ["c"], "lists are apart");
    assert!(store.account_list(Surface::Visual, AccountList::Blocked).unwrap().is_empty(), "and surfaces too");

    assert!(store.remove_from_account_list(Surface::Feed, AccountList::Blocked, "b").unwrap());
    assert!(!store.remove_from_account_list(Surface::Feed, AccountList::Blocked, "b").unwrap());
    assert_eq!(ids(&store, AccountList::Blocked), ["a"]);
    store.replace_account_list(Surface::Feed, AccountList::Blocked, &[c]).unwrap();
    assert_eq!(ids(&store, AccountList::Blocked), ["c"], "replaced, not added to");
    store.clear_all().expect("leaving clears the lists with the people");
}

#[test]
fn timelines_leave_out_the_blocked_and_the_muted_while_they_are() {
    let mut store = Store::open_in_memory().unwrap();
    let (kept, blocked, muted) = (account("kept"), account("blocked"), account("muted"));
    let posts = [post(1, &kept), post(2, &blocked), post(3, &muted)];
    for timeline in [TimelineKind::Home, TimelineKind::Explore, TimelineKind::Profile] {
        store.ingest_statuses(Surface::Feed, Some(timeline), &posts, None, 0).unwrap();
    }
    let shown = |store: &Store, timeline| -> Vec<String> {
        let (page, _) = store.timeline_page(Surface::Feed, timeline, None, 40).unwrap();
        page.into_iter().map(|p| p.remote_id).collect()
    };
    assert!(store.replace_account_list(Surface::Feed, AccountList::Blocked, std::slice::from_ref(&blocked)).unwrap());
    assert!(store.replace_account_list(Surface::Feed, AccountList::Muted, std::slice::from_ref(&muted)).unwrap());
    assert!(
        !store.replace_account_list(Surface::Feed, AccountList::Muted, std::slice::from_ref(&muted)).unwrap(),
        "the same list again changes nothing"
    );
    assert_eq!(shown(&store, TimelineKind::Home), ["000001"]);
    assert_eq!(shown(&store, TimelineKind::Explore), ["000001"]);
    assert_eq!(shown(&store, TimelineKind::Profile).len(), 3, "a list of one's own posts is not filtered");
    let hidden = PostKey { surface: Surface::Feed, remote_id: "000002".into() };
    assert!(store.post(&hidden).unwrap().is_some(), "still cached, for a thread that holds it");
    assert!(store.replace_account_list(Surface::Feed, AccountList::Blocked, &[]).unwrap());
    assert_eq!(shown(&store, TimelineKind::Home), ["000002", "000001"], "unblocked, back in place; muted, still out");
}

#[test]
fn the_log_reads_newest_first_page_by_page() {
    let store = Store::open_in_memory().unwrap();
    for n in 0..5 {
        let accepted = n != 3;
        let reason = (!accepted).then_some("Validation failed");
        store.log_privacy_change(100 + n, Some(Surface::Visual), "locked", "false", "true", accepted, reason).unwrap();
    }
    store.log_privacy_change(200, None, "strip_photo_metadata", "true", "false", true, None).unwrap();
    let first = store.privacy_log(None, 4).unwrap();
    assert_eq!(first.iter().map(|e| e.at).collect::<Vec<_>>(), [200, 104, 103, 102]);
    assert_eq!(first[0].surface, None, "Facets' own setting");
    assert_eq!((first[2].accepted, first[2].reason.as_deref()), (false, Some("Validation failed")));
    let older = store.privacy_log(Some(first.last().unwrap().id), 4).unwrap();
    assert_eq!(older.iter().map(|e| e.at).collect::<Vec<_>>(), [101, 100]);
}

#[test]
fn signals_are_listed_weighed_marked_and_really_deleted() {
    use crate::SignalKind;
    let store = Store::open_in_memory().unwrap();
    let ana_fav = store.record_signal(10, Surface::Feed, SignalKind::Favourite, "ana", Some("p1")).unwrap();
    store.record_signal(11, Surface::Feed, SignalKind::Reply, "ana", Some("p2")).unwrap();
    store.record_signal(12, Surface::Visual, SignalKind::Message, "bo", None).unwrap();

    let listed = store.signals(None, 10).unwrap();
    assert_eq!(listed.iter().map(|s| s.at).collect::<Vec<_>>(), [12, 11, 10], "newest first");
    assert_eq!(store.signals(Some(listed[1].id), 10).unwrap().len(), 1, "keyset paging");
    let weights: Vec<(Surface, String, SignalKind, i64)> =
        store.signal_weights().unwrap().into_iter().map(|w| (w.surface, w.person_id, w.kind, w.count)).collect();
    assert_eq!(weights.len(), 3, "one per person and kind: {weights:?}");
    assert!(weights.contains(&(Surface::Feed, "ana".to_owned(), SignalKind::Reply, 1)));

    let ana = [(Surface::Feed, "ana".to_owned())];
    store.mark_signals_used(&ana, 50).unwrap();
    store.mark_signals_used(&ana, 80).unwrap();
    let used: Vec<(i64, Option<i64>)> =
        store.signals(None, 10).unwrap().iter().map(|s| (s.used_count, s.last_used_at)).collect();
    assert_eq!(used, [(0, None), (1, Some(50)), (1, Some(50))], "shown again within a minute: one use");
    store.mark_signals_used(&ana, 111).unwrap();
    assert_eq!(store.signals(None, 10).unwrap()[1].used_count, 2);

    let rows = |store: &Store| -> i64 {
        store.conn.query_row("SELECT count(*) FROM activity_signals", [], |row| row.get(0)).unwrap()
    };
    assert!(store.delete_signal(ana_fav).unwrap());
    assert!(!store.delete_signal(ana_fav).unwrap());
    assert_eq!(rows(&store), 2, "gone from the table, not hidden");
    assert_eq!(store.delete_all_signals().unwrap(), 2);
    assert_eq!(rows(&store), 0);
}
