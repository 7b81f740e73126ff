//! A core shut down (the app turning to another identity) lets go of everything it ran: its
//! background tasks end, the core itself is freed, and the outbox's sending rights pass on.

mod support;

use std::sync::Arc;
use std::time::Duration;

use facets_app::outbox::SendingRights;

/// Waits for a condition that background tasks make true, for at most ten seconds.
async fn eventually(what: &str, condition: impl Fn() -> bool) {
    let waited = tokio::time::timeout(Duration::from_secs(10), async {
        while !condition() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
    assert!(waited.is_ok(), "{what} did not happen");
}

#[tokio::test]
async fn shutting_down_ends_the_background_work_and_frees_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let core = support::demo_core(dir.path()).await;
    core.start_outbox();
    core.watch_inbox();
    let taken = || SendingRights::claim(dir.path()).unwrap().is_none();
    eventually("the outbox taking its sending rights", taken).await;

    let weak = Arc::downgrade(&core);
    core.shutdown().await;
    drop(core);
    eventually("the core being freed", || weak.upgrade().is_none()).await;
    assert!(SendingRights::claim(dir.path()).unwrap().is_some(), "another core may send this outbox now");
}
