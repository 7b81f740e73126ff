use facets_model::Surface;
use facets_wire::{Account, AccountField, Conversation, Status};

use crate::{fts_query, MessageCursor, PersonVerdict, Store};

fn person(id: &str, surface: Surface, links_to: Option<&str>, verified: bool) -> Account {
    Account {
        id: id.into(),
        username: id.into(),
        acct: id.into(),
        display_name: format!("Person {id}"),
        url: format!("https://{surface}.example/@{id}"),
        fields: links_to
            .map(|url| AccountField {
                name: "Elsewhere".into(),
                value: format!(r#"<a href="{url}" rel="me">{url}</a>"#),
                verified_at: verified.then(|| "2024-01-01T00:00:00Z".into()),
            })
            .into_iter()
            .collect(),
        ..Default::default()
    }
}

fn message(id: u32, from: &Account, text: &str) -> Status {
    Status {
        id: format!("{id:06}"),
        created_at: time::OffsetDateTime::from_unix_timestamp(1_700_000_000 + i64::from(id) * 60)
            .unwrap()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap(),
        account: from.clone(),
        content: format!("<p>{text}</p>"),
        visibility: "direct".into(),
        ..Default::default()
    }
}

/// A conversation with `count` messages from `with`, ids starting at `first`.
fn conversation(store: &mut Store, surface: Surface, id: &str, with: &Account, first: u32, texts: &[&str]) {
    let messages: Vec<Status> =
        texts.iter().enumerate().map(|(i, text)| message(first + i as u32, with, text)).collect();
    let listed = Conversation {
        id: id.into(),
        accounts: vec![with.clone()],
        unread: true,
        last_status: messages.last().cloned(),
    };
    store.ingest_conversations(surface, &[listed], None, 0).unwrap();
    store.ingest_messages(surface, id, &messages).unwrap();
}

#[test]
fn conversations_list_newest_first_with_their_people_and_last_message() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = person("ana", Surface::Feed, None, false);
    let bo = person("bo", Surface::Visual, None, false);
    conversation(&mut store, Surface::Feed, "c1", &ana, 1, &["hello", "are you there"]);
    conversation(&mut store, Surface::Visual, "c2", &bo, 10, &["nice photo"]);
    let list = store.conversations_page(None, None, 100).unwrap();
    assert_eq!(list.iter().map(|c| c.remote_id.as_str()).collect::<Vec<_>>(), ["c2", "c1"]);
    assert_eq!(list[1].participants[0].remote_id, "ana");
    let last = list[1].last_message.as_ref().unwrap();
    assert_eq!((last.text.as_str(), last.author_id.as_str()), ("are you there", "ana"));
    assert!(list.iter().all(|c| c.unread));

    assert!(store.mark_conversation_read(Surface::Feed, "c1").unwrap());
    assert!(!store.conversation(Surface::Feed, "c1").unwrap().unwrap().unread);
    assert!(store.mark_conversation_unread(Surface::Feed, "c1").unwrap());
    assert!(store.conversation(Surface::Feed, "c1").unwrap().unwrap().unread, "marked unread here");
    // A later sync saying "read" does not undo the user's mark.
    let again = Conversation { id: "c1".into(), accounts: vec![ana], unread: false, last_status: None };
    store.ingest_conversations(Surface::Feed, &[again], None, 0).unwrap();
    assert!(store.conversation(Surface::Feed, "c1").unwrap().unwrap().unread);
}

#[test]
fn messages_page_back_by_keyset_oldest_first_on_screen() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = person("ana", Surface::Feed, None, false);
    let texts: Vec<String> = (0..7).map(|i| format!("message {i}")).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    conversation(&mut store, Surface::Feed, "c1", &ana, 1, &texts);
    let (newest, older) = store.conversation_messages(Surface::Feed, "c1", None, 3).unwrap();
    let words = |posts: &[facets_model::Post]| posts.iter().map(|p| p.content_html.clone()).collect::<Vec<_>>();
    assert_eq!(words(&newest), ["<p>message 4</p>", "<p>message 5</p>", "<p>message 6</p>"]);
    let cursor = MessageCursor::decode(&older.unwrap().encode()).unwrap();
    let (middle, older) = store.conversation_messages(Surface::Feed, "c1", Some(&cursor), 3).unwrap();
    assert_eq!(words(&middle), ["<p>message 1</p>", "<p>message 2</p>", "<p>message 3</p>"]);
    let (first, older) = store.conversation_messages(Surface::Feed, "c1", older.as_ref(), 3).unwrap();
    assert_eq!(words(&first), ["<p>message 0</p>"]);
    assert!(older.is_none(), "the beginning of the conversation");
}

#[test]
fn search_finds_words_and_prefixes_and_follows_edits_and_deletions() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = person("ana", Surface::Feed, None, false);
    conversation(&mut store, Surface::Feed, "c1", &ana, 1, &["Meet at the harbour café", "Bring the tripod"]);
    conversation(&mut store, Surface::Visual, "c2", &ana, 10, &["The harbour at dawn"]);
    let found = |store: &Store, query: &str| {
        store.search_messages(query, 20).unwrap().into_iter().map(|h| h.post.remote_id).collect::<Vec<_>>()
    };
    assert_eq!(found(&store, "harbour"), ["000010", "000001"], "newest first");
    assert_eq!(found(&store, "harb"), ["000010", "000001"], "the last word may be a prefix");
    assert_eq!(found(&store, "harbour dawn"), ["000010"], "every word must match");
    assert_eq!(found(&store, "cafe"), ["000001"], "accents do not matter");
    assert!(found(&store, "tide").is_empty());
    let hit = &store.search_messages("tripod", 5).unwrap()[0];
    assert_eq!(hit.conversation_id, "c1");

    let mut edited = message(2, &ana, "Bring the big lens");
    edited.edited_at = Some("2024-01-02T00:00:00Z".into());
    store.ingest_messages(Surface::Feed, "c1", &[edited]).unwrap();
    assert!(found(&store, "tripod").is_empty(), "an edit replaces the indexed words");
    assert_eq!(found(&store, "lens"), ["000002"]);
    assert!(store.remove_post(Surface::Feed, "000002").unwrap());
    assert!(found(&store, "lens").is_empty(), "a deleted message is not found");
}

#[test]
fn any_typed_text_is_a_safe_query() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = person("ana", Surface::Feed, None, false);
    conversation(&mut store, Surface::Feed, "c1", &ana, 1, &["He said \"NEAR the pier\" - twice*"]);
    for typed in
        ["\"", "*", "-", "NEAR", "NEAR(", "AND OR NOT", "a\"b", "(pier", "pier)", "col:pier", "^", "'", "-pier"]
    {
        store.search_messages(typed, 10).unwrap_or_else(|e| panic!("{typed:?} must not be an error: {e}"));
    }
    assert_eq!(store.search_messages("NEAR", 10).unwrap().len(), 1, "keywords are words");
    assert_eq!(store.search_messages("\"near the", 10).unwrap().len(), 1);
    assert_eq!(store.search_messages("-pier", 10).unwrap().len(), 1, "a minus is not an exclusion");
    assert!(fts_query("  - * \" ").is_none(), "nothing searchable");
    assert_eq!(fts_query("a\"b c").unwrap(), "\"a\"\"b\" \"c\"*");
}

#[test]
fn one_person_on_two_surfaces_is_recognised_by_verified_links_or_the_users_word() {
    let mut store = Store::open_in_memory().unwrap();
    let ana_feed = person("ana-f", Surface::Feed, Some("https://visual.example/@ana-v"), true);
    let ana_visual = person("ana-v", Surface::Visual, None, false);
    let bo_feed = person("bo-f", Surface::Feed, Some("https://visual.example/@bo-v"), false);
    let bo_visual = person("bo-v", Surface::Visual, None, false);
    for (surface, account) in [
        (Surface::Feed, &ana_feed),
        (Surface::Visual, &ana_visual),
        (Surface::Feed, &bo_feed),
        (Surface::Visual, &bo_visual),
    ] {
        store.ingest_account(surface, account).unwrap();
    }
    let ana = ("ana-f".to_owned(), "ana-v".to_owned());
    let bo = ("bo-f".to_owned(), "bo-v".to_owned());
    assert_eq!(store.same_person_pairs().unwrap(), vec![ana.clone()], "an unverified link is only a claim");

    store.set_person_verdict("bo-f", "bo-v", Some(PersonVerdict::Same), 1).unwrap();
    assert_eq!(store.same_person_pairs().unwrap(), vec![ana.clone(), bo.clone()]);
    store.set_person_verdict("ana-f", "ana-v", Some(PersonVerdict::Apart), 2).unwrap();
    assert_eq!(store.same_person_pairs().unwrap(), vec![bo.clone()], "the user's word beats the profiles");
    store.set_person_verdict("ana-f", "ana-v", None, 3).unwrap();
    assert_eq!(store.same_person_pairs().unwrap(), vec![ana, bo], "undone");
}

/// Migration 8: a Pixelfed surface's conversations cached under the server's ids go (their
/// messages with them), to come back keyed by person; other surfaces' stay.
#[test]
fn conversations_of_a_pixelfed_surface_go_once_when_their_key_changes() {
    use facets_model::{Dialect, SurfaceLink, TokenRef};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    {
        let mut store = Store::open(&path).unwrap();
        for (surface, dialect) in [(Surface::Feed, Dialect::Mastodon), (Surface::Visual, Dialect::Pixelfed)] {
            let link = SurfaceLink {
                surface,
                base_url: format!("https://{surface}.example"),
                dialect,
                remote_account_id: "1".into(),
                handle: format!("me@{surface}.example"),
                token: TokenRef("t".into()),
            };
            store.save_link(&link, 0).unwrap();
            let ana = person("7", surface, None, false);
            conversation(&mut store, surface, "4242", &ana, 1, &["hello", "hi"]);
        }
        assert_eq!(store.conversations_page(None, None, 100).unwrap().len(), 2);
        crate::migrations::rerun(&store.conn, 8).unwrap();
    }
    let store = Store::open(&path).unwrap();
    let left = store.conversations_page(None, None, 100).unwrap();
    assert_eq!(left.iter().map(|c| c.surface).collect::<Vec<_>>(), [Surface::Feed], "only Pixelfed's went");
    let (messages, _) = store.conversation_messages(Surface::Visual, "4242", None, 10).unwrap();
    assert!(messages.is_empty(), "its messages went with it");
    assert!(store.search_messages("hello", 10).unwrap().iter().all(|hit| hit.post.surface == Surface::Feed));
}

/// The index numbers messages by date, not by when they were cached: a conversation's history
/// fetched after newer messages still sorts below them, and a short limit keeps the newest.
#[test]
fn search_gives_the_newest_matches_whatever_order_they_were_cached_in() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = person("ana", Surface::Feed, None, false);
    let bo = person("bo", Surface::Feed, None, false);
    conversation(&mut store, Surface::Feed, "recent", &ana, 100, &["harbour one", "harbour two"]);
    conversation(&mut store, Surface::Feed, "older", &bo, 1, &["harbour three", "harbour four"]);
    let found = |limit| {
        store.search_messages("harbour", limit).unwrap().into_iter().map(|h| h.post.remote_id).collect::<Vec<_>>()
    };
    assert_eq!(found(10), ["000101", "000100", "000002", "000001"]);
    assert_eq!(found(2), ["000101", "000100"]);
}

/// Many messages in one second each get their own place in the index.
#[test]
fn messages_of_the_same_second_are_all_found() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = person("ana", Surface::Feed, None, false);
    let same_second: Vec<Status> = (1..=5)
        .map(|i| Status { created_at: "2024-05-01T10:00:00Z".into(), ..message(i, &ana, "tide tables") })
        .collect();
    let listed = Conversation { id: "c".into(), accounts: vec![ana.clone()], unread: false, last_status: None };
    store.ingest_conversations(Surface::Feed, &[listed], None, 0).unwrap();
    store.ingest_messages(Surface::Feed, "c", &same_second).unwrap();
    let mut found: Vec<String> =
        store.search_messages("tide", 10).unwrap().into_iter().map(|h| h.post.remote_id).collect();
    found.sort();
    assert_eq!(found, ["000001", "000002", "000003", "000004", "000005"]);
}

/// Migration 10 renumbers a search index numbered in the order messages were cached.
#[test]
fn an_index_numbered_by_caching_order_is_renumbered_by_date() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    {
        let mut store = Store::open(&path).unwrap();
        let ana = person("ana", Surface::Feed, None, false);
        conversation(&mut store, Surface::Feed, "recent", &ana, 100, &["harbour one"]);
        conversation(&mut store, Surface::Feed, "older", &ana, 1, &["harbour two", "harbour three"]);
        // As migration 4 numbered them: in the order the messages came.
        store
            .conn
            .execute_batch(
                "INSERT INTO message_search (message_search) VALUES ('delete-all');
                 DELETE FROM message_index;
                 INSERT INTO message_index (id, surface, post_id)
                    VALUES (1, 'feed', '000100'), (2, 'feed', '000001'), (3, 'feed', '000002');
                 INSERT INTO message_search (rowid, body)
                    SELECT i.id, p.content_text FROM message_index i
                    JOIN posts p ON p.surface = i.surface AND p.remote_id = i.post_id;",
            )
            .unwrap();
        let ids: Vec<String> =
            store.search_messages("harbour", 1).unwrap().into_iter().map(|h| h.post.remote_id).collect();
        assert_eq!(ids, ["000002"], "numbered by caching order, the last cached comes first");
        crate::migrations::rerun(&store.conn, 10).unwrap();
    }
    let store = Store::open(&path).unwrap();
    let ids: Vec<String> =
        store.search_messages("harbour", 10).unwrap().into_iter().map(|h| h.post.remote_id).collect();
    assert_eq!(ids, ["000100", "000002", "000001"]);
}

/// The inbox list reads everyone in every conversation in one query: each gets its own, and
/// its own last message with how many pictures that carries.
#[test]
fn each_conversation_lists_its_own_people_and_last_message() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = person("ana", Surface::Feed, None, false);
    let bo = person("bo", Surface::Feed, None, false);
    let cy = person("cy", Surface::Visual, None, false);
    let mut photo = message(3, &cy, "look");
    photo.media_attachments = vec![facets_wire::MediaAttachment {
        id: "pic".into(),
        kind: "image".into(),
        url: Some("https://visual.example/pic.jpg".into()),
        ..Default::default()
    }];
    let group = Conversation {
        id: "group".into(),
        accounts: vec![ana.clone(), bo.clone()],
        unread: false,
        last_status: Some(message(1, &bo, "hi all")),
    };
    let solo = Conversation { id: "solo".into(), accounts: vec![cy.clone()], unread: true, last_status: Some(photo) };
    store.ingest_conversations(Surface::Feed, &[group], None, 0).unwrap();
    store.ingest_conversations(Surface::Visual, &[solo], None, 0).unwrap();
    let list = store.conversations_page(None, None, 100).unwrap();
    let people = |i: usize| list[i].participants.iter().map(|p| (p.surface, p.remote_id.clone())).collect::<Vec<_>>();
    assert_eq!(list.iter().map(|c| c.remote_id.as_str()).collect::<Vec<_>>(), ["solo", "group"]);
    assert_eq!(people(0), [(Surface::Visual, "cy".to_owned())]);
    assert_eq!(people(1), [(Surface::Feed, "ana".to_owned()), (Surface::Feed, "bo".to_owned())]);
    let last = |i: usize| list[i].last_message.clone().unwrap();
    assert_eq!((last(0).text.as_str(), last(0).attachments), ("look", 1));
    assert_eq!((last(1).text.as_str(), last(1).attachments, last(1).author_id.as_str()), ("hi all", 0, "bo"));
    assert_eq!(last(1).author_name, "Person bo");
    assert_eq!(store.conversation(Surface::Feed, "group").unwrap().unwrap(), list[1]);
}

fn plan_of(store: &Store, sql: &str) -> Vec<String> {
    store
        .conn
        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
        .unwrap()
        .query_map([], |row| row.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The inbox's last messages are looked up from the conversations, never by scanning every
/// cached post for one that is some conversation's last.
#[test]
fn last_messages_are_sought_by_key() {
    let store = Store::open_in_memory().unwrap();
    let plan = plan_of(&store, &crate::inbox::last_messages_sql(""));
    eprintln!("{plan:#?}");
    assert!(plan.iter().any(|step| step.starts_with("SCAN c")), "{plan:?}");
    assert!(!plan.iter().any(|step| step.starts_with("SCAN p") || step.starts_with("SCAN m")), "{plan:?}");
}

/// Messages of a conversation that goes leave the index with it, so they never take the
/// place of a match a search should show.
#[test]
fn messages_of_a_dropped_conversation_leave_the_search() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = person("ana", Surface::Feed, None, false);
    conversation(&mut store, Surface::Feed, "kept", &ana, 1, &["harbour at noon"]);
    conversation(&mut store, Surface::Feed, "dropped", &ana, 100, &["harbour at dusk"]);
    store.conn.execute("DELETE FROM conversations WHERE remote_id = 'dropped'", []).unwrap();
    let found: Vec<String> =
        store.search_messages("harbour", 1).unwrap().into_iter().map(|h| h.post.remote_id).collect();
    assert_eq!(found, ["000001"]);
}

/// One status the last message of two conversations: both show it, pictures and all.
#[test]
fn a_message_last_in_two_conversations_shows_in_both() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = person("ana", Surface::Feed, None, false);
    let mut photo = message(7, &ana, "look");
    photo.media_attachments = vec![facets_wire::MediaAttachment {
        id: "pic".into(),
        kind: "image".into(),
        url: Some("https://feed.example/pic.jpg".into()),
        ..Default::default()
    }];
    let listed: Vec<Conversation> = ["one", "two"]
        .into_iter()
        .map(|id| Conversation {
            id: id.into(),
            accounts: vec![ana.clone()],
            unread: false,
            last_status: Some(photo.clone()),
        })
        .collect();
    store.ingest_conversations(Surface::Feed, &listed, None, 0).unwrap();
    let list = store.conversations_page(None, None, 100).unwrap();
    assert_eq!(list.len(), 2);
    for row in &list {
        let last = row.last_message.as_ref().unwrap_or_else(|| panic!("{} lost its last message", row.remote_id));
        assert_eq!(last.attachments, 1, "{}", row.remote_id);
    }
}

/// A second whose index numbers are all taken still indexes its next message.
#[test]
fn a_full_second_still_indexes_its_next_message() {
    let mut store = Store::open_in_memory().unwrap();
    let ana = person("ana", Surface::Feed, None, false);
    let at = 1_700_000_000_i64 + 60;
    store
        .conn
        .execute(
            "INSERT INTO message_index (id, surface, post_id) VALUES (?1, 'feed', 'filler')",
            [at * 1_048_576 + 1_048_575],
        )
        .unwrap();
    conversation(&mut store, Surface::Feed, "c", &ana, 1, &["tide tables"]);
    let found: Vec<String> = store.search_messages("tide", 5).unwrap().into_iter().map(|h| h.post.remote_id).collect();
    assert_eq!(found, ["000001"]);
}

/// Twelve conversations over both surfaces, four sharing one time: read three at a time, the
/// pages join into the whole list in order, each conversation once.
#[test]
fn the_inbox_list_pages_through_every_conversation_once_in_order() {
    let mut store = Store::open_in_memory().unwrap();
    for i in 0..12u32 {
        let surface = if i % 3 == 0 { Surface::Visual } else { Surface::Feed };
        let with = person(&format!("p{i}"), surface, None, false);
        conversation(&mut store, surface, &format!("c{i:02}"), &with, 10 * i + 1, &["hello"]);
    }
    store
        .conn
        .execute("UPDATE conversations SET updated_at = 5 WHERE remote_id IN ('c02', 'c03', 'c04', 'c05')", [])
        .unwrap();
    store.conn.execute("UPDATE conversations SET unread = 0 WHERE remote_id IN ('c00', 'c01', 'c02')", []).unwrap();

    let whole = store.conversations_page(None, None, 100).unwrap();
    let key = |c: &crate::ConversationRow| (std::cmp::Reverse(c.updated_at), c.surface, c.remote_id.clone());
    let mut sorted = whole.clone();
    sorted.sort_by_key(key);
    assert_eq!(whole, sorted, "latest first, ties by surface and id");
    assert_eq!(whole.len(), 12);

    for surface in [None, Some(Surface::Feed), Some(Surface::Visual)] {
        let expected: Vec<_> = whole.iter().filter(|c| surface.is_none_or(|s| c.surface == s)).cloned().collect();
        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let page = store.conversations_page(surface, after.as_ref(), 3).unwrap();
            assert!(page.len() <= 3);
            after = page.last().map(|c| c.cursor());
            let last = page.len() < 3;
            paged.extend(page);
            if last {
                break;
            }
        }
        assert_eq!(paged, expected, "pages of {surface:?}");
    }
    let unread = store.unread_conversations().unwrap();
    assert_eq!((unread[&Surface::Feed], unread[&Surface::Visual]), (6, 3));
}

/// A page of the inbox reads its index from the cursor on: never a sort of every conversation.
#[test]
fn an_inbox_page_seeks_its_index() {
    let store = Store::open_in_memory().unwrap();
    for one_surface in [false, true] {
        let sql = format!("EXPLAIN QUERY PLAN {}", crate::inbox::conversations_page_sql(one_surface));
        let mut stmt = store.conn.prepare(&sql).unwrap();
        for (index, value) in ["9", "feed", "c1", "40", "feed"].iter().enumerate().take(stmt.parameter_count()) {
            stmt.raw_bind_parameter(index + 1, value).unwrap();
        }
        let mut rows = stmt.raw_query();
        let mut plan: Vec<String> = Vec::new();
        while let Some(row) = rows.next().unwrap() {
            plan.push(row.get(3).unwrap());
        }
        assert!(plan.iter().any(|step| step.contains("USING INDEX conversations")), "{plan:?}");
        assert!(!plan.iter().any(|step| step.contains("TEMP B-TREE")), "{plan:?}");
    }
}

/// The conversations of some people, whichever page of the list they would be on.
#[test]
fn conversations_with_some_people_are_found_on_both_surfaces() {
    let mut store = Store::open_in_memory().unwrap();
    let ana_feed = person("ana", Surface::Feed, None, false);
    let ana_visual = person("ana-v", Surface::Visual, None, false);
    let bo = person("bo", Surface::Feed, None, false);
    conversation(&mut store, Surface::Feed, "with-ana", &ana_feed, 1, &["hi"]);
    conversation(&mut store, Surface::Visual, "with-ana-v", &ana_visual, 5, &["hello"]);
    conversation(&mut store, Surface::Feed, "with-bo", &bo, 9, &["hey"]);
    let found = store.conversations_with(&[(Surface::Feed, "ana".into()), (Surface::Visual, "ana-v".into())]).unwrap();
    assert_eq!(found.iter().map(|c| c.remote_id.as_str()).collect::<Vec<_>>(), ["with-ana-v", "with-ana"]);
    assert_eq!(found[0].participants[0].remote_id, "ana-v");
    assert_eq!(found[0].last_message.as_ref().unwrap().text, "hello");
}
