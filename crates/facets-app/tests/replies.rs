//! Public replies against the demo servers: a reply goes through the outbox to the post it
//! answers, addressed to its author, never to a wider audience than the post or the user's
//! default, and shows in the thread once sent.

mod support;

use std::time::Duration;

use facets_app::privacy::AccountPrivacyChange;
use facets_app::Core;
use facets_model::{Surface, TimelineKind};
use support::demo_core;

async fn sent(core: &Core, id: &str) {
    let mut changes = core.subscribe_outbox();
    let done = async {
        loop {
            if core.outbox_list().unwrap().iter().any(|e| e.id == id && e.state == "sent") {
                return;
            }
            let _ = changes.recv().await;
        }
    };
    tokio::time::timeout(Duration::from_secs(20), done).await.expect("the reply is sent");
}

#[tokio::test]
async fn a_reply_answers_its_post_in_the_thread_and_keeps_to_the_narrower_audience() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core(dir.path()).await;
    core.refresh_all().await;
    core.start_outbox();
    let me = core.profile(Surface::Feed).unwrap();
    let home = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 40).await.unwrap();
    let post = home.posts.iter().find(|p| p.author.id != me.id && p.visibility == "public").unwrap();

    core.set_account_privacy(Surface::Feed, AccountPrivacyChange::DefaultAudience("unlisted".into())).await.unwrap();
    let queued = core.reply_to_post(&post.key, "Lovely light in this one").unwrap();
    sent(&core, &queued.id).await;
    let thread = core.open_thread(&post.key).await.unwrap();
    let reply = thread.descendants.iter().find(|p| p.content_html.contains("Lovely light")).expect("in the thread");
    assert!(reply.own);
    assert_eq!(reply.visibility, "unlisted", "the default audience was narrower than the post's");
    assert_eq!(reply.in_reply_to_id.as_deref(), Some(post.remote_id.as_str()));
    assert!(
        reply.content_html.contains(&post.author.handle.split('@').next().unwrap().to_string()),
        "addressed to the author"
    );

    // On Visual (Pixelfed) a reply is a comment: no picture needed.
    let photos = core.timeline_page(Surface::Visual, TimelineKind::Home, None, 40).await.unwrap();
    let photo = photos.posts.iter().find(|p| !p.own).unwrap();
    let comment = core.reply_to_post(&photo.key, "Where was this taken?").unwrap();
    sent(&core, &comment.id).await;
    let thread = core.open_thread(&photo.key).await.unwrap();
    assert!(thread.descendants.iter().any(|p| p.content_html.contains("Where was this taken?") && p.own));

    assert!(core.reply_to_post(&post.key, "   ").is_err(), "nothing to send");
}
