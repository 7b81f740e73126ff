//! The merged inbox against the demo servers over loopback: conversations of both surfaces in
//! one list, one person's gathered, history through the servers' threads, read marks on the
//! server, replies through the outbox and the right surface, and search over what is cached.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use facets_app::{Core, CoreConfig};
use facets_model::Surface;

async fn demo_core(dir: &std::path::Path) -> Arc<Core> {
    let config = CoreConfig { data_dir: dir.to_owned(), media_url_base: "facets-media://localhost/".into() };
    let core = Core::open(config).unwrap();
    core.start_demo().await.expect("demo mode starts and signs in");
    core
}

#[tokio::test]
async fn both_surfaces_meet_in_one_inbox_and_a_reply_goes_out_through_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    assert!(core.inbox(true).unwrap().groups.is_empty(), "nothing cached before the first refresh");
    core.refresh_inbox().await.unwrap();

    let inbox = core.inbox(true).unwrap();
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
    let apart = core.inbox(false).unwrap();
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
    let again = core.inbox(false).unwrap();
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
        mine[0].content_html.contains(&person.handle.split('@').next().unwrap().to_string()),
        "it mentions the other person"
    );
    core.refresh_inbox().await.unwrap();
    let refreshed = core.conversation(&on_visual.key, None).unwrap();
    assert_eq!(refreshed.messages.iter().filter(|m| m.content_html.contains("Low tide at six")).count(), 1);
    let inbox = core.inbox(true).unwrap();
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
