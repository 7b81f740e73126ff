use facets_model::{PostKey, Surface, TimelineKind};
use facets_wire::{Account, MediaAttachment, Status};

use crate::ingest::CursorUpdate;
use crate::{Store, TimelineCursor, SCHEMA_VERSION};

fn account(id: &str) -> Account {
    Account {
        id: id.into(),
        username: format!("user{id}"),
        acct: format!("user{id}"),
        display_name: format!("User {id}"),
        url: format!("https://example.social/@user{id}"),
        note: "<p>bio<script>x</script></p>".into(),
        avatar: "https://example.social/a.jpg".into(),
        ..Default::default()
    }
}

/// Statuses with ids `first..first+n`, one minute apart, newest id = newest time.
fn statuses(first: u64, n: u64) -> Vec<Status> {
    (first..first + n)
        .map(|i| Status {
            id: format!("{i:018}"),
            created_at: time::OffsetDateTime::from_unix_timestamp(1_700_000_000 + i as i64 * 60)
                .unwrap()
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap(),
            account: account(&(i % 3).to_string()),
            content: format!("<p onclick=x>post {i}</p>"),
            visibility: "public".into(),
            media_attachments: vec![MediaAttachment {
                id: format!("m{i}"),
                kind: "image".into(),
                url: Some(format!("https://example.social/m{i}.jpg")),
                ..Default::default()
            }],
            ..Default::default()
        })
        .collect()
}

#[test]
fn migrates_from_empty_to_latest_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    {
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert_eq!(store.journal_mode().unwrap(), "wal");
    }
    let again = Store::open(&path).unwrap();
    assert_eq!(again.schema_version().unwrap(), SCHEMA_VERSION, "reopening must not re-run migrations");
}

#[test]
fn only_server_pages_commit_without_waiting_for_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("cache.sqlite")).unwrap();
    let synchronous = |store: &Store| -> i64 { store.conn.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap() };
    const FULL: i64 = 2;
    assert_eq!(synchronous(&store), FULL, "drafts and the outbox wait for the disk");

    let level_inside = std::cell::Cell::new(None);
    store
        .refetchable(|tx| {
            level_inside.set(Some(tx.query_row("PRAGMA synchronous", [], |r| r.get::<_, i64>(0))?));
            Ok(())
        })
        .unwrap();
    assert_eq!(level_inside.get(), Some(1), "NORMAL while a server page is written");
    assert_eq!(synchronous(&store), FULL, "and FULL again after it");

    let failed =
        store.refetchable(|_| -> Result<(), crate::StoreError> { Err(crate::StoreError::BadCursor("x".into())) });
    assert!(failed.is_err());
    assert_eq!(synchronous(&store), FULL, "a failed page puts FULL back too");
    store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &statuses(1, 3), None, 0).unwrap();
    assert_eq!(synchronous(&store), FULL);
}

#[test]
fn refuses_a_cache_from_a_newer_build() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1).unwrap();
    drop(conn);
    assert!(matches!(Store::open(&path), Err(crate::StoreError::FromTheFuture { .. })));
}

#[test]
fn ingest_sanitises_before_storing() {
    let mut store = Store::open_in_memory().unwrap();
    store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &statuses(1, 1), None, 0).unwrap();
    let post = store.post(&PostKey { surface: Surface::Feed, remote_id: format!("{:018}", 1) }).unwrap().unwrap();
    assert_eq!(post.content_html, "<p>post 1</p>");
    assert_eq!(post.author.note_html, "<p>bio</p>");
    assert_eq!(post.author.handle, "user1@example.social");
    assert_eq!(post.media.len(), 1);
}

#[test]
fn local_handles_take_the_instance_domain_over_the_web_host() {
    let mut store = Store::open_in_memory().unwrap();
    store.set_instance_domain(Surface::Feed, "example.org").unwrap();
    let mut remote = statuses(2, 1);
    remote[0].account.acct = "ada@elsewhere.net".into();
    store.ingest_statuses(Surface::Feed, None, &statuses(1, 1), None, 0).unwrap();
    store.ingest_statuses(Surface::Feed, None, &remote, None, 0).unwrap();
    store.ingest_statuses(Surface::Visual, None, &statuses(3, 1), None, 0).unwrap();
    let handle = |surface, n: u64| {
        store.post(&PostKey { surface, remote_id: format!("{n:018}") }).unwrap().unwrap().author.handle
    };
    assert_eq!(handle(Surface::Feed, 1), "user1@example.org");
    assert_eq!(handle(Surface::Feed, 2), "ada@elsewhere.net");
    assert_eq!(handle(Surface::Visual, 3), "user0@example.social", "the other surface has no domain yet");
}

#[test]
fn upserts_are_idempotent_and_report_changes() {
    let mut store = Store::open_in_memory().unwrap();
    let page = statuses(1, 10);
    let first = store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &page, None, 0).unwrap();
    assert_eq!((first.new_posts, first.updated_posts), (10, 0));
    let again = store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &page, None, 0).unwrap();
    assert_eq!((again.new_posts, again.updated_posts, again.unchanged_posts), (0, 0, 10));
    assert_eq!(store.count_timeline(Surface::Feed, TimelineKind::Home).unwrap(), 10);

    let mut changed = page.clone();
    changed[3].favourites_count = 5;
    let report = store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &changed, None, 0).unwrap();
    assert_eq!((report.new_posts, report.updated_posts), (0, 1));
    let media_rows: i64 = store.conn.query_row("SELECT count(*) FROM media", [], |r| r.get(0)).unwrap();
    assert_eq!(media_rows, 10, "re-ingesting must not duplicate media");
}

/// A page's posts are sanitised on the store's sanitiser while the writer stores them, also the posts
/// it has unchanged: each post still gets its own text, in a page of new posts and in a page
/// where only some changed.
#[test]
fn each_post_of_a_page_keeps_its_own_text() {
    let mut store = Store::open_in_memory().unwrap();
    let texts = |store: &Store| -> Vec<(String, String)> {
        let mut statement =
            store.conn.prepare("SELECT content_html, content_text FROM posts ORDER BY remote_id").unwrap();
        statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let mut page = statuses(1, 24);
    assert!(page.len() >= crate::ingest::TEXTS_BESIDE_FROM && store.sanitiser().is_some(), "the sanitiser is in use");
    store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &page, None, 0).unwrap();
    let expected: Vec<(String, String)> = (1..=24).map(|i| (format!("<p>post {i}</p>"), format!("post {i}"))).collect();
    assert_eq!(texts(&store), expected);

    for i in [2, 11, 23] {
        page[i].content = format!("<p>edited <b>{i}</b></p>");
    }
    let report = store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &page, None, 0).unwrap();
    assert_eq!((report.updated_posts, report.unchanged_posts), (3, 21), "{report:?}");
    let mut expected = expected;
    for i in [2, 11, 23] {
        expected[i] = (format!("<p>edited {i}</p>"), format!("edited {i}"));
    }
    assert_eq!(texts(&store), expected);
}

/// A page whose write fails part way leaves nothing of its texts behind for the next page:
/// the sanitiser outlives pages, and what it made for the failed one must not be taken for
/// the next one's posts.
#[test]
fn a_failed_page_leaves_no_texts_to_the_next() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .conn
        .execute_batch(
            "CREATE TRIGGER refuse_post_5 BEFORE INSERT ON posts WHEN NEW.remote_id = '000000000000000005'
             BEGIN SELECT RAISE(ABORT, 'refused'); END;",
        )
        .unwrap();
    let mut failing = statuses(1, 24);
    assert!(
        failing.len() >= crate::ingest::TEXTS_BESIDE_FROM && store.sanitiser().is_some(),
        "the sanitiser is in use"
    );
    for (i, status) in failing.iter_mut().enumerate() {
        status.content = format!("<p>failed page {i}</p>");
    }
    assert!(store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &failing, None, 0).is_err());
    let mut statement = store.conn.prepare("SELECT count(*) FROM posts").unwrap();
    assert_eq!(statement.query_row([], |r| r.get::<_, i64>(0)).unwrap(), 0, "the failed page is not kept");
    drop(statement);

    let mut page = statuses(30, 24);
    for status in &mut page {
        status.content = format!("<p>kept <b>{}</b></p>", status.id);
    }
    store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &page, None, 0).unwrap();
    let mut statement = store.conn.prepare("SELECT remote_id, content_text FROM posts ORDER BY remote_id").unwrap();
    let stored: Vec<(String, String)> =
        statement.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap();
    let expected: Vec<(String, String)> = page.iter().map(|s| (s.id.clone(), format!("kept {}", s.id))).collect();
    assert_eq!(stored, expected);
}

/// The fingerprint covers the whole of what the server said: a change deep inside a post (its
/// author's name, a picture's description) writes the post, and its author, again.
#[test]
fn a_change_anywhere_in_a_post_is_written() {
    let mut store = Store::open_in_memory().unwrap();
    let page = statuses(1, 2);
    store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &page, None, 0).unwrap();

    let mut renamed = page.clone();
    renamed[0].account.display_name = "Ada, renamed".into();
    let report = store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &renamed, None, 0).unwrap();
    assert_eq!((report.updated_posts, report.unchanged_posts), (1, 1), "{report:?}");
    let author = store.person(Surface::Feed, &renamed[0].account.id).unwrap().unwrap();
    assert_eq!(author.display_name, "Ada, renamed");

    let mut described = renamed.clone();
    described[1].media_attachments[0].description = Some("A heron at dawn".into());
    let report = store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &described, None, 0).unwrap();
    assert_eq!((report.updated_posts, report.unchanged_posts), (1, 1), "{report:?}");
    let description: Option<String> = store
        .conn
        .query_row("SELECT description FROM media WHERE remote_id = ?1", [&described[1].media_attachments[0].id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(description.as_deref(), Some("A heron at dawn"));
}

#[test]
fn keyset_pages_cover_the_timeline_without_gaps_or_duplicates() {
    let mut store = Store::open_in_memory().unwrap();
    store.ingest_statuses(Surface::Visual, Some(TimelineKind::Home), &statuses(1, 95), None, 0).unwrap();
    // Same timestamps on other surfaces and timelines must not leak in.
    store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &statuses(1, 30), None, 0).unwrap();
    store.ingest_statuses(Surface::Visual, Some(TimelineKind::Profile), &statuses(500, 5), None, 0).unwrap();

    let mut seen = Vec::new();
    let mut cursor: Option<TimelineCursor> = None;
    loop {
        let (page, next) = store.timeline_page(Surface::Visual, TimelineKind::Home, cursor.as_ref(), 20).unwrap();
        seen.extend(page.iter().map(|p| p.remote_id.clone()));
        match next {
            // The cursor survives the trip through the UI as a string.
            Some(c) => cursor = Some(TimelineCursor::decode(&c.encode()).unwrap()),
            None => break,
        }
    }
    let expected: Vec<String> = (1..=95).rev().map(|i| format!("{i:018}")).collect();
    assert_eq!(seen, expected);
}

#[test]
fn equal_timestamps_are_ordered_by_id_across_page_boundaries() {
    let mut store = Store::open_in_memory().unwrap();
    let mut page = statuses(1, 7);
    for status in &mut page {
        status.created_at = "2026-11-01T00:00:00Z".into();
    }
    store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &page, None, 0).unwrap();
    let (first, next) = store.timeline_page(Surface::Feed, TimelineKind::Home, None, 3).unwrap();
    let (second, _) = store.timeline_page(Surface::Feed, TimelineKind::Home, next.as_ref(), 3).unwrap();
    let ids: Vec<_> = first.iter().chain(&second).map(|p| p.remote_id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "000000000000000007",
            "000000000000000006",
            "000000000000000005",
            "000000000000000004",
            "000000000000000003",
            "000000000000000002"
        ]
    );
}

#[test]
fn cursor_moves_in_the_same_transaction_as_the_page() {
    let mut store = Store::open_in_memory().unwrap();
    let update = CursorUpdate { newest_id: Some("9".into()), older_link: Some(Some("https://x/older".into())) };
    store
        .ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &statuses(1, 2), Some(("home", &update)), 1)
        .unwrap();
    assert_eq!(store.newest_synced_id(Surface::Feed, "home").unwrap().as_deref(), Some("9"));
    assert_eq!(store.older_link(Surface::Feed, "home").unwrap().as_deref(), Some("https://x/older"));
    // A later page that does not know the older link leaves it alone; the end clears it.
    let newer = CursorUpdate { newest_id: Some("12".into()), older_link: None };
    store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &[], Some(("home", &newer)), 2).unwrap();
    assert_eq!(store.older_link(Surface::Feed, "home").unwrap().as_deref(), Some("https://x/older"));
    let end = CursorUpdate { newest_id: None, older_link: Some(None) };
    store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &[], Some(("home", &end)), 3).unwrap();
    assert_eq!(store.older_link(Surface::Feed, "home").unwrap(), None);
    assert_eq!(store.newest_synced_id(Surface::Feed, "home").unwrap().as_deref(), Some("12"));
}

#[test]
fn garbage_cursors_are_errors() {
    for bad in ["", "abc", "12", "x:1"] {
        assert!(TimelineCursor::decode(bad).is_err(), "{bad:?}");
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        /// Whatever the page size and however often pages are re-ingested, paging returns every
        /// post exactly once, newest first.
        #[test]
        fn paging_is_complete_for_any_page_size(n in 0u64..120, page_size in 1usize..50, repeats in 1usize..3) {
            let mut store = Store::open_in_memory().unwrap();
            for _ in 0..repeats {
                store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &statuses(1, n), None, 0).unwrap();
            }
            let mut seen = Vec::new();
            let mut cursor = None;
            loop {
                let (page, next) = store.timeline_page(Surface::Feed, TimelineKind::Home, cursor.as_ref(), page_size).unwrap();
                prop_assert!(page.len() <= page_size);
                seen.extend(page.into_iter().map(|p| p.remote_id));
                match next { Some(c) => cursor = Some(c), None => break }
            }
            let expected: Vec<String> = (1..=n).rev().map(|i| format!("{i:018}")).collect();
            prop_assert_eq!(seen, expected);
        }
    }
}

#[test]
fn threads_follow_replies_both_ways() {
    let mut store = Store::open_in_memory().unwrap();
    let mut page = statuses(1, 6);
    // 1 <- 2 <- 3, and 4 and 5 reply to 2; 6 stands alone.
    page[1].in_reply_to_id = Some(page[0].id.clone());
    page[2].in_reply_to_id = Some(page[1].id.clone());
    page[3].in_reply_to_id = Some(page[1].id.clone());
    page[4].in_reply_to_id = Some(page[1].id.clone());
    store.ingest_statuses(Surface::Feed, None, &page, None, 0).unwrap();
    let key = PostKey { surface: Surface::Feed, remote_id: page[1].id.clone() };
    let crate::Thread { ancestors, post, descendants } = store.thread(&key).unwrap().unwrap();
    assert_eq!(post.remote_id, page[1].id);
    assert_eq!(ancestors.iter().map(|p| p.remote_id.clone()).collect::<Vec<_>>(), [page[0].id.clone()]);
    let ids: Vec<_> = descendants.iter().map(|p| p.remote_id.clone()).collect();
    assert_eq!(ids, [page[2].id.clone(), page[3].id.clone(), page[4].id.clone()]);
}

/// A page anywhere in a timeline is a seek in its index, not a scan from the top: the cost of
/// scrolling back stays flat however long the history.
#[test]
fn a_timeline_page_seeks_its_index_whatever_the_position() {
    let mut store = Store::open_in_memory().unwrap();
    store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &statuses(1, 50), None, 0).unwrap();
    store.conn.execute_batch("ANALYZE").unwrap();
    let plan: Vec<String> = store
        .conn
        .prepare(&format!("EXPLAIN QUERY PLAN {}", crate::read::timeline_page_sql()))
        .unwrap()
        .query_map(rusqlite::params!["feed", "home", 1_700_000_000i64, "000000000000000025", 40], |row| {
            row.get::<_, String>(3)
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let timeline = plan.iter().find(|step| step.contains(" t ")).unwrap_or_else(|| panic!("{plan:?}"));
    assert!(
        timeline.contains("SEARCH") && timeline.contains("timeline_order") && timeline.contains("sort_at<"),
        "{plan:?}"
    );
    assert!(!plan.iter().any(|step| step.contains("TEMP B-TREE")), "no sorting: the index is in page order: {plan:?}");
}

/// Every foreign key's child columns lead some index: otherwise an upsert of a parent row scans
/// the whole child table, and ingest slows as the cache grows.
#[test]
fn every_foreign_key_is_indexed_on_its_child_side() {
    let store = Store::open_in_memory().unwrap();
    let tables: Vec<String> = store
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%REFERENCES%'")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.len() >= 5, "{tables:?}");
    for table in tables {
        let mut keys: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
        for (id, column) in store
            .conn
            .prepare(&format!("SELECT id, \"from\" FROM pragma_foreign_key_list('{table}') ORDER BY id, seq"))
            .unwrap()
            .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))
            .unwrap()
            .map(Result::unwrap)
        {
            keys.entry(id).or_default().push(column);
        }
        let indexes: Vec<Vec<String>> = store
            .conn
            .prepare(&format!("SELECT name FROM pragma_index_list('{table}')"))
            .unwrap()
            .query_map([], |row| row.get::<_, String>(0))
            .unwrap()
            .map(|name| {
                let name = name.unwrap();
                store
                    .conn
                    .prepare(&format!("SELECT name FROM pragma_index_info('{name}') ORDER BY seqno"))
                    .unwrap()
                    .query_map([], |row| row.get::<_, String>(0))
                    .unwrap()
                    .map(Result::unwrap)
                    .collect()
            })
            .collect();
        for columns in keys.values() {
            assert!(
                indexes.iter().any(|index| index.len() >= columns.len() && index[..columns.len()] == columns[..]),
                "{table} ({columns:?}) has no index leading with its foreign key: {indexes:?}"
            );
        }
    }
}

/// A page's pictures are read in one query: each post must still get its own, in order, and a
/// post without any gets none.
#[test]
fn a_timeline_page_gives_each_post_its_own_pictures_in_order() {
    let mut store = Store::open_in_memory().unwrap();
    let mut page = statuses(1, 6);
    for (i, status) in page.iter_mut().enumerate() {
        status.media_attachments = (0..i % 3)
            .map(|n| MediaAttachment {
                id: format!("{}-{n}", status.id),
                kind: "image".into(),
                url: Some(format!("https://example.social/{}-{n}.jpg", status.id)),
                ..Default::default()
            })
            .rev()
            .collect();
    }
    store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &page, None, 0).unwrap();
    store.ingest_statuses(Surface::Visual, Some(TimelineKind::Home), &page, None, 0).unwrap();
    for surface in Surface::ALL {
        let (posts, _) = store.timeline_page(surface, TimelineKind::Home, None, 40).unwrap();
        assert_eq!(posts.len(), 6);
        for post in &posts {
            let sent = &page.iter().find(|s| s.id == post.remote_id).unwrap().media_attachments;
            let got: Vec<&str> = post.media.iter().map(|m| m.remote_id.as_str()).collect();
            let want: Vec<&str> = sent.iter().map(|m| m.id.as_str()).collect();
            assert_eq!(got, want, "post {} on {surface}", post.remote_id);
            assert!(post.media.iter().all(|m| m.surface == surface));
        }
    }
}

/// Migration 11 drops the server's JSON from cached rows: what was cached stays readable, and
/// the next sync writes each row once more (it has no fingerprint yet), then never again.
#[test]
fn rows_cached_with_their_json_keep_working_after_it_goes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        crate::migrations::migrate_to(&mut conn, 10).unwrap();
        conn.execute_batch(
            "INSERT INTO people (surface, remote_id, handle, display_name, note_html, raw_json)
                VALUES ('feed', '1', 'user1@example.social', 'User 1', '', '{}');
             INSERT INTO posts (surface, remote_id, created_at, author_id, content_html, content_text, spoiler_text,
                                sensitive, visibility, replies_count, reblogs_count, favourites_count, favourited,
                                raw_json)
                VALUES ('feed', '000000000000000001', 1700000060, '1', '<p>post 1</p>', 'post 1', '', 0, 'public',
                        0, 0, 0, 0, '{\"a very\": \"long document\"}');
             INSERT INTO timeline_entries (surface, timeline, sort_at, post_id)
                VALUES ('feed', 'home', 1700000060, '000000000000000001');",
        )
        .unwrap();
    }
    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let (posts, _) = store.timeline_page(Surface::Feed, TimelineKind::Home, None, 10).unwrap();
    assert_eq!(posts.iter().map(|p| p.content_html.as_str()).collect::<Vec<_>>(), ["<p>post 1</p>"]);
    let page = statuses(1, 1);
    let first = store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &page, None, 0).unwrap();
    let second = store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &page, None, 0).unwrap();
    assert_eq!(
        (first.updated_posts, second.updated_posts, second.unchanged_posts),
        (1, 0, 1),
        "{first:?} then {second:?}"
    );
}

/// Migration 13 rebuilds the posts table: what was cached stays readable and searchable, its
/// media and timeline places stay attached, and deleting a post still takes them along.
#[test]
fn posts_rebuilt_with_a_rowid_keep_their_media_places_and_search() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        crate::migrations::migrate_to(&mut conn, 12).unwrap();
        conn.execute_batch(
            "INSERT INTO people (surface, remote_id, handle, display_name, note_html)
                VALUES ('feed', '1', 'user1@example.social', 'User 1', '');
             INSERT INTO posts (surface, remote_id, created_at, author_id, content_html, content_text, spoiler_text,
                                sensitive, visibility, replies_count, reblogs_count, favourites_count, favourited)
                VALUES ('feed', '000000000000000001', 1700000060, '1', '<p>lanterns</p>', 'lanterns', '', 0,
                        'public', 0, 0, 0, 0),
                       ('feed', '000000000000000002', 1700000120, '1', '<p>quincunx</p>', 'quincunx', '', 0,
                        'direct', 0, 0, 0, 0);
             INSERT INTO media (surface, remote_id, post_id, position, kind, remote_url)
                VALUES ('feed', 'm1', '000000000000000001', 0, 'image', 'https://example.social/m1.jpg');
             INSERT INTO timeline_entries (surface, timeline, sort_at, post_id)
                VALUES ('feed', 'home', 1700000060, '000000000000000001');
             INSERT INTO conversations (surface, remote_id, unread, last_status_id, updated_at)
                VALUES ('feed', 'c1', 0, '000000000000000002', 1700000120);
             INSERT INTO messages (surface, conversation_id, post_id) VALUES ('feed', 'c1', '000000000000000002');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let schema: String =
        store.conn.query_row("SELECT sql FROM sqlite_master WHERE name = 'posts'", [], |row| row.get(0)).unwrap();
    assert!(!schema.contains("WITHOUT ROWID"), "{schema}");
    let enforced: bool = store.conn.query_row("PRAGMA foreign_keys", [], |row| row.get(0)).unwrap();
    assert!(enforced, "foreign keys are enforced again after the rebuild");

    let (posts, _) = store.timeline_page(Surface::Feed, TimelineKind::Home, None, 10).unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].media.iter().map(|m| m.remote_id.as_str()).collect::<Vec<_>>(), ["m1"]);
    let found = |store: &Store, word| store.search_messages(word, 10).unwrap().len();
    assert_eq!(found(&store, "quincunx"), 1, "the message is still found");

    store
        .conn
        .execute("UPDATE posts SET content_text = 'lighthouse' WHERE remote_id = '000000000000000002'", [])
        .unwrap();
    assert_eq!((found(&store, "quincunx"), found(&store, "lighthouse")), (0, 1), "and found by its edit");
    assert!(store.remove_post(Surface::Feed, "000000000000000002").unwrap());
    assert_eq!(found(&store, "lighthouse"), 0, "a deleted message leaves the index");
    assert!(store.remove_post(Surface::Feed, "000000000000000001").unwrap());
    let left: i64 = store
        .conn
        .query_row("SELECT (SELECT count(*) FROM media) + (SELECT count(*) FROM timeline_entries)", [], |row| {
            row.get(0)
        })
        .unwrap();
    assert_eq!(left, 0, "a deleted post takes its media and timeline places along");
}

/// A page may hold a post and a boost of it: the post is cached once, placed at the boost.
#[test]
fn a_page_with_a_post_and_its_boost_caches_the_post_once() {
    let mut store = Store::open_in_memory().unwrap();
    let original = statuses(1, 1).remove(0);
    let mut boost = statuses(2, 1).remove(0);
    boost.reblog = Some(Box::new(original.clone()));
    let report =
        store.ingest_statuses(Surface::Feed, Some(TimelineKind::Home), &[boost.clone(), original], None, 0).unwrap();
    assert_eq!((report.new_posts, report.unchanged_posts), (1, 1), "{report:?}");
    let (posts, _) = store.timeline_page(Surface::Feed, TimelineKind::Home, None, 10).unwrap();
    assert_eq!(posts.iter().map(|p| p.remote_id.as_str()).collect::<Vec<_>>(), ["000000000000000001"]);
    let sort_at: i64 = store.conn.query_row("SELECT sort_at FROM timeline_entries", [], |row| row.get(0)).unwrap();
    assert_eq!(sort_at, crate::ingest::parse_time(&boost.created_at), "placed when it was boosted");
}

/// Migration 14 keys pictures and timeline entries by their post: each post keeps its
/// pictures in order and its places in every timeline, the indexes the new keys replace are
/// gone, and deleting a post still takes its rows along.
#[test]
fn pictures_and_timeline_places_keyed_by_post_keep_their_rows() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        crate::migrations::migrate_to(&mut conn, 13).unwrap();
        conn.execute_batch(
            "INSERT INTO people (surface, remote_id, handle, display_name, note_html)
                VALUES ('visual', '1', 'user1@example.social', 'User 1', '');
             INSERT INTO posts (surface, remote_id, created_at, author_id, content_html, content_text, spoiler_text,
                                sensitive, visibility, replies_count, reblogs_count, favourites_count, favourited)
                VALUES ('visual', '000000000000000001', 1700000060, '1', '<p>a</p>', 'a', '', 0, 'public', 0, 0, 0, 0),
                       ('visual', '000000000000000002', 1700000120, '1', '<p>b</p>', 'b', '', 0, 'public', 0, 0, 0, 0);
             INSERT INTO media (surface, remote_id, post_id, position, kind, remote_url, description)
                VALUES ('visual', 'z9', '000000000000000001', 0, 'image', 'https://example.social/z9.jpg', 'first'),
                       ('visual', 'a1', '000000000000000001', 1, 'image', 'https://example.social/a1.jpg', 'second'),
                       ('visual', 'b2', '000000000000000002', 0, 'image', 'https://example.social/b2.jpg', NULL);
             INSERT INTO timeline_entries (surface, timeline, sort_at, post_id)
                VALUES ('visual', 'home', 1700000060, '000000000000000001'),
                       ('visual', 'profile', 1700000060, '000000000000000001'),
                       ('visual', 'home', 1700000500, '000000000000000002');",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let indexes: Vec<String> = store
        .conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('media', 'timeline_entries')")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(indexes, ["sqlite_autoindex_media_1", "timeline_order"], "the keys replace the indexes by post");

    let (home, _) = store.timeline_page(Surface::Visual, TimelineKind::Home, None, 10).unwrap();
    let ids: Vec<&str> = home.iter().map(|p| p.remote_id.as_str()).collect();
    assert_eq!(ids, ["000000000000000002", "000000000000000001"], "newest place first");
    let pictures: Vec<(&str, u32, Option<&str>)> =
        home[1].media.iter().map(|m| (m.remote_id.as_str(), m.position, m.description.as_deref())).collect();
    assert_eq!(pictures, [("z9", 0, Some("first")), ("a1", 1, Some("second"))], "in their places, not by id");
    assert_eq!(
        store.media_remote_url(Surface::Visual, "000000000000000001", 1, false).unwrap().as_deref(),
        Some("https://example.social/a1.jpg")
    );
    assert_eq!(store.count_timeline(Surface::Visual, TimelineKind::Profile).unwrap(), 1);

    assert!(store.remove_post(Surface::Visual, "000000000000000001").unwrap());
    let left: (i64, i64) = store
        .conn
        .query_row("SELECT (SELECT count(*) FROM media), (SELECT count(*) FROM timeline_entries)", [], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .unwrap();
    assert_eq!(left, (1, 1), "the deleted post's pictures and places go, the other's stay");
}
