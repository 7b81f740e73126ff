//! The merged inbox against the demo servers over loopback: conversations of both surfaces in
//! one list, one person's gathered, history through the servers' threads, read marks on the
//! server, replies through the outbox and the right surface, and search over what is cached.

mod support;

use facets_app::inbox::INBOX_PAGE;
use std::collections::HashSet;
use std::time::Duration;

use facets_model::Surface;
use support::{demo_core, demo_origin};

#[tokio::test]
async fn both_surfaces_meet_in_one_inbox_and_a_reply_goes_out_through_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    assert!(core.inbox(true, INBOX_PAGE).unwrap().groups.is_empty(), "nothing cached before the first refresh");
    core.refresh_inbox().await.unwrap();

    let inbox = core.inbox(true, INBOX_PAGE).unwrap();
    let conversations: Vec<_> = inbox.groups.iter().flat_map(|g| g.conversations.iter()).collect();
    let surfaces: HashSet<Surface> = conversations.iter().map(|c| c.surface).collect();
    assert_eq!(surfaces.len(), 2, "conversations of both surfaces: {surfaces:?}");
    let times: Vec<&str> = inbox.groups.iter().map(|g| g.updated_at.as_str()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "latest activity first: {times:?}");
    for surface in Surface::ALL {
        let unread = conversations.iter().filter(|c| c.surface == surface && c.unread).count();
        assert_eq!(inbox.unread[&surface], unread, "unread count of {surface}");
    }
    assert!(inbox.unread.values().sum::<usize>() > 0, "the demo has unread messages");
    let apart = core.inbox(false, INBOX_PAGE).unwrap();
    assert_eq!(apart.groups.len(), conversations.len(), "seen apart, one row a conversation");

    // Someone on both surfaces, recognised by the verified links between their profiles.
    let pen_pal = inbox.groups.iter().find(|g| g.surfaces.len() == 2).expect("one person gathered across surfaces");
    let person = pen_pal.person.as_ref().expect("a person names the group");
    assert!(pen_pal.conversations.iter().all(|c| c.participants.len() == 1), "1:1 conversations only");
    assert!(pen_pal.conversations.iter().all(|c| c.participants[0].display_name == person.display_name));

    // A conversation opens with its history, fetched through the server's thread.
    let on_visual = pen_pal.conversations.iter().find(|c| c.surface == Surface::Visual).unwrap().clone();
    let view = core.conversation(&on_visual.key, None).unwrap();
    assert!(view.messages.len() >= 2, "the whole thread, not just the last message: {}", view.messages.len());
    assert!(view.messages.windows(2).all(|w| w[0].created_at <= w[1].created_at), "oldest first");
    assert!(view.messages.iter().any(|m| m.from_me) && view.messages.iter().any(|m| !m.from_me));

    // Read and unread.
    let unread = conversations.iter().find(|c| c.unread).unwrap();
    assert!(!core.mark_conversation_read(&unread.key).await.unwrap().unread);
    core.refresh_inbox().await.unwrap();
    let again = core.inbox(false, INBOX_PAGE).unwrap();
    let after = again.groups.iter().flat_map(|g| &g.conversations).find(|c| c.key == unread.key).unwrap();
    assert!(!after.unread, "the server heard it was read: a refresh does not bring it back");
    assert!(core.mark_conversation_unread(&unread.key).unwrap().unread, "unread again, here");

    // A reply: queued at once, sent through Visual by the outbox, in the conversation once.
    let mut progress = core.subscribe_outbox();
    core.start_outbox();
    let queued = core.reply_to_conversation(&on_visual.key, "Low tide at six, bring boots").unwrap();
    assert_eq!(queued.surface, Surface::Visual, "the conversation's own surface");
    let pending = core.conversation(&on_visual.key, None).unwrap().pending;
    assert!(pending.iter().any(|p| p.id == queued.id), "shown as pending in its conversation");
    loop {
        let entry = tokio::time::timeout(Duration::from_secs(30), progress.recv()).await.expect("progress").unwrap();
        assert_ne!(entry.state, "failed", "{entry:?}");
        if entry.id == queued.id && entry.state == "sent" {
            break;
        }
    }
    let view = core.conversation(&on_visual.key, None).unwrap();
    assert!(view.pending.is_empty(), "nothing left pending");
    let mine: Vec<_> = view.messages.iter().filter(|m| m.content_html.contains("Low tide at six")).collect();
    assert_eq!(mine.len(), 1, "the reply is in the conversation once");
    assert!(mine[0].from_me && mine[0].key.starts_with("visual:"));
    assert!(
        !mine[0].content_html.contains('@'),
        "Pixelfed's thread addresses the message; its words go alone: {}",
        mine[0].content_html
    );
    core.refresh_inbox().await.unwrap();
    let refreshed = core.conversation(&on_visual.key, None).unwrap();
    assert_eq!(refreshed.messages.iter().filter(|m| m.content_html.contains("Low tide at six")).count(), 1);
    let inbox = core.inbox(true, INBOX_PAGE).unwrap();
    assert_eq!(inbox.groups[0].key, pen_pal.key, "the conversation just answered comes first");

    // Search finds it, and any typed text is a safe query.
    let hits = core.search_messages("tide boots").unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0].conversation_key, on_visual.key);
    assert!(hits[0].snippet.contains("Low tide at six"));
    for typed in ["\"", "NEAR(", "-tide", "tide*", "a:b", "(("] {
        core.search_messages(typed).unwrap_or_else(|e| panic!("{typed:?}: {e}"));
    }
    core.shutdown().await;
}

#[tokio::test]
async fn a_message_written_to_the_user_arrives_while_the_app_runs() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    core.refresh_inbox().await.unwrap();
    let mut incoming = core.subscribe_incoming();
    core.watch_inbox_polling_every(Duration::from_millis(200));

    // Someone on Visual writes, on the server only.
    let answer =
        reqwest::Client::new().post(format!("{}/_demo/messages/visual", demo_origin(&core))).send().await.unwrap();
    assert!(answer.status().is_success(), "{}", answer.status());

    let news = tokio::time::timeout(Duration::from_secs(15), incoming.recv())
        .await
        .expect("the poller finds the new message without a restart")
        .unwrap();
    assert_eq!(news.surface, Surface::Visual);
    assert!(!news.text.starts_with('@'), "the notification text skips the addressing: {}", news.text);
    let view = core.conversation(&news.conversation_key, None).unwrap();
    let last = view.messages.last().unwrap();
    assert!(!last.from_me);
    assert!(view.conversation.unread, "a new message makes the conversation unread");
    assert!(facets_sanitize::html_to_text(&last.content_html).contains(&news.text));
    core.shutdown().await;
}

#[tokio::test]
async fn a_streaming_server_delivers_a_message_at_once_and_the_other_is_polled() {
    use facets_app::inbox_watch::Delivery;
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    core.refresh_inbox().await.unwrap();
    let mut incoming = core.subscribe_incoming();
    // Polling so rare that only the stream can bring the message within the test.
    core.watch_inbox_polling_every(Duration::from_secs(3600));
    let settled = |d: &std::collections::BTreeMap<Surface, Delivery>| {
        d.get(&Surface::Feed) == Some(&Delivery::Streaming) && d.get(&Surface::Visual) == Some(&Delivery::Polling)
    };
    tokio::time::timeout(Duration::from_secs(15), core.subscribe_delivery().wait_for(settled))
        .await
        .expect("Feed (Mastodon) streams, Visual (Pixelfed, no streaming API) is polled")
        .unwrap();
    assert_eq!(core.inbox(true, INBOX_PAGE).unwrap().delivery, core.delivery(), "the inbox says how messages arrive");

    let answer =
        reqwest::Client::new().post(format!("{}/_demo/messages/feed", demo_origin(&core))).send().await.unwrap();
    assert!(answer.status().is_success(), "{}", answer.status());
    let news = tokio::time::timeout(Duration::from_secs(10), incoming.recv())
        .await
        .expect("the stream brings the new message")
        .unwrap();
    assert_eq!(news.surface, Surface::Feed);
    // The desktop notification it deserves: none while the user looks, none once turned off.
    let shown = core.notification_for(&news, false).expect("a message from someone else, window in the background");
    assert!(shown.title.ends_with(" on Feed") && shown.title.starts_with(&news.author_name), "{shown:?}");
    assert!(core.notification_for(&news, true).is_none(), "never while the window is focused");
    core.set_inbox_notify(false).unwrap();
    assert!(core.notification_for(&news, false).is_none(), "the user turned them off");
    let view = core.conversation(&news.conversation_key, None).unwrap();
    assert!(facets_sanitize::html_to_text(&view.messages.last().unwrap().content_html).contains(&news.text));
    assert!(view.conversation.unread);
    core.shutdown().await;
}

#[tokio::test]
async fn a_new_conversation_starts_and_people_can_be_gathered_or_kept_apart() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    core.refresh_all().await;
    core.refresh_inbox().await.unwrap();
    let before = core.inbox(false, INBOX_PAGE).unwrap().groups.len();

    // Someone from the Feed timeline with no conversation yet.
    let talked_to: HashSet<String> = core
        .inbox(false, INBOX_PAGE)
        .unwrap()
        .groups
        .iter()
        .flat_map(|g| &g.conversations)
        .flat_map(|c| c.participants.iter().map(|p| p.handle.clone()))
        .collect();
    let suggestions = core.known_people(Surface::Feed, "").unwrap();
    let stranger = suggestions.iter().find(|p| !talked_to.contains(&p.handle)).expect("someone new").clone();
    let prefix: String = stranger.display_name.chars().take(3).collect();
    assert!(core.known_people(Surface::Feed, &prefix).unwrap().iter().any(|p| p.handle == stranger.handle));
    let me = core.status().unwrap().identity.unwrap();
    assert!(core.known_people(Surface::Feed, "").unwrap().iter().all(|p| p.id != me.id), "never the user");

    let unknown = core.start_conversation(Surface::Feed, "nobody@nowhere.example", "hi").unwrap_err();
    assert_eq!(unknown.kind(), facets_app::ErrorKind::Invalid, "{unknown}");

    let mut progress = core.subscribe_outbox();
    let mut changes = core.subscribe_inbox();
    core.start_outbox();
    core.watch_inbox_polling_every(Duration::from_secs(3600));
    let queued = core.start_conversation(Surface::Feed, &format!("@{}", stranger.handle), "Coffee soon?").unwrap();
    loop {
        let entry = tokio::time::timeout(Duration::from_secs(30), progress.recv()).await.expect("progress").unwrap();
        assert_ne!(entry.state, "failed", "{entry:?}");
        if entry.id == queued.id && entry.state == "sent" {
            break;
        }
    }
    // Sending pokes the poller, which learns the new conversation from the server.
    let started = async {
        loop {
            changes.recv().await.unwrap();
            let inbox = core.inbox(false, INBOX_PAGE).unwrap();
            if inbox.groups.len() > before {
                return inbox;
            }
        }
    };
    let inbox = tokio::time::timeout(Duration::from_secs(15), started).await.expect("the new conversation shows");
    let newest = &inbox.groups[0].conversations[0];
    assert_eq!(newest.participants[0].handle, stranger.handle);
    assert!(newest.last_message.as_ref().unwrap().from_me);
    assert_eq!(newest.last_message.as_ref().unwrap().text, "Coffee soon?");

    // The person on both surfaces: kept apart on the user's word, gathered again when undone.
    let merged = core.inbox(true, INBOX_PAGE).unwrap();
    let pen_pal = merged.groups.iter().find(|g| g.surfaces.len() == 2).unwrap();
    let id_on = |surface: Surface| {
        pen_pal.conversations.iter().find(|c| c.surface == surface).unwrap().participants[0].id.clone()
    };
    let (feed_id, visual_id) = (id_on(Surface::Feed), id_on(Surface::Visual));
    core.set_same_person(&feed_id, &visual_id, Some(false)).unwrap();
    assert!(core.inbox(true, INBOX_PAGE).unwrap().groups.iter().all(|g| g.surfaces.len() == 1), "kept apart");
    core.set_same_person(&feed_id, &visual_id, None).unwrap();
    assert!(core.inbox(true, INBOX_PAGE).unwrap().groups.iter().any(|g| g.surfaces.len() == 2), "gathered again");
    core.shutdown().await;
}

#[tokio::test]
async fn someone_the_cache_never_saw_is_found_on_the_server_and_can_be_written_to() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    // Noor is on Feed only, and the user neither follows nor has talked with her.
    assert!(core.known_people(Surface::Feed, "noo").unwrap().is_empty(), "not cached yet");
    assert!(core.find_people(Surface::Feed, "n").await.unwrap().is_empty(), "one letter asks no server");
    let found = core.find_people(Surface::Feed, "noo").await.unwrap();
    let noor = found.iter().find(|p| p.display_name == "Noor Rahman").expect("the server knows her");
    assert!(core.find_people(Surface::Visual, "noo").await.unwrap().is_empty(), "she has no Visual account");

    let queued = core.start_conversation(Surface::Feed, &format!("@{}", noor.handle), "Loved your poem.").unwrap();
    assert_eq!(queued.state, "queued");
    assert!(core.known_people(Surface::Feed, "noo").unwrap().iter().any(|p| p.id == noor.id), "cached from then on");
    core.shutdown().await;
}

/// A Pixelfed message may be a picture: it reaches the conversation with its picture, described
/// and sized, served from the media cache like any post's.
#[tokio::test]
async fn a_pixelfed_message_with_a_picture_shows_it() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    core.refresh_inbox().await.unwrap();
    let inbox = core.inbox(false, INBOX_PAGE).unwrap();
    let on_visual: Vec<_> =
        inbox.groups.iter().flat_map(|g| &g.conversations).filter(|c| c.surface == Surface::Visual).collect();
    let mut pictured = Vec::new();
    for conversation in on_visual {
        let view = core.conversation(&conversation.key, None).unwrap();
        pictured.extend(view.messages.into_iter().filter(|m| !m.media.is_empty()));
    }
    assert_eq!(pictured.len(), 1, "the demo's one picture message: {pictured:?}");
    let message = &pictured[0];
    assert!(!message.from_me);
    assert!(message.content_html.contains("film stock"), "its words come with it: {}", message.content_html);
    let picture = &message.media[0];
    assert_eq!(picture.kind, "image");
    assert!(picture.description.as_deref().is_some_and(|d| !d.is_empty()), "{picture:?}");
    assert!(picture.width.is_some() && picture.height.is_some() && picture.blurhash.is_some(), "{picture:?}");
    let base = "facets-media://localhost/";
    assert!(picture.thumb_url.starts_with(base), "the webview never gets a remote URL: {}", picture.thumb_url);
    let file = core.resolve_media(picture.thumb_url.strip_prefix(base).unwrap()).await.unwrap();
    assert_eq!(file.content_type, "image/jpeg");
    assert!(std::fs::metadata(&file.path).unwrap().len() > 0);
    core.shutdown().await;
}
