//! The outbox sender as a separate process, killed with SIGKILL at random moments while it
//! sends. After it finally runs to the end, the server holds exactly one copy of every queued
//! post per target, and the SQLite file is sound.
//!
//! The child is this same test binary, re-run with `FACETS_OUTBOX_CHILD` set, executing only
//! `child_sender` (which does nothing in a normal run).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use facets_app::outbox::{system_clock, Backoff, Clients, Outbox, OutgoingMedia, OutgoingPost, Step};
use facets_client::MastodonClient;
use facets_demo::{DemoConfig, DemoServer, FaultPlan};
use facets_model::Surface;
use facets_store::{NewOutboxRow, OutboxState, Store};
use rand::{Rng, SeedableRng};

const CHILD: &str = "FACETS_OUTBOX_CHILD";
const POSTS: usize = 6;

struct EnvClients(HashMap<Surface, MastodonClient>);

impl Clients for EnvClients {
    fn client(&self, surface: Surface) -> Option<MastodonClient> {
        self.0.get(&surface).cloned()
    }
}

/// Runs only as the child: sends until the queue is empty, then exits.
#[test]
fn child_sender() {
    let Ok(spec) = std::env::var(CHILD) else { return };
    let [db, data_dir, feed, visual, token]: [&str; 5] = spec.split('\n').collect::<Vec<_>>().try_into().unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let store = Arc::new(Mutex::new(Store::open(Path::new(db)).unwrap()));
        let clients = EnvClients(
            [(Surface::Feed, feed), (Surface::Visual, visual)]
                .into_iter()
                .map(|(s, url)| (s, MastodonClient::new(url).unwrap().with_token(token.to_owned())))
                .collect(),
        );
        let backoff = Backoff { base: Duration::from_millis(5), cap: Duration::from_millis(40) };
        let outbox =
            Outbox::with_settings(store, PathBuf::from(data_dir), backoff, Duration::from_secs(3000), system_clock());
        loop {
            match outbox.send_next(&clients).await.unwrap() {
                Step::Progressed { .. } => {}
                Step::Idle { next_wake: None } => break,
                Step::Idle { next_wake: Some(_) } => tokio::time::sleep(Duration::from_millis(10)).await,
            }
        }
    });
}

fn spawn_child(spec: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_sender", "--test-threads=1", "--nocapture"])
        .env(CHILD, spec)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_killed_at_random_points_never_loses_or_doubles_a_post() {
    if std::env::var(CHILD).is_ok() {
        return;
    }
    let config = DemoConfig { rate_limit_per_window: u32::MAX, ..DemoConfig::default() };
    let server = DemoServer::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
    let token = facets_app::demo_access_token(&server).await.unwrap();
    // Slow answers widen the windows in which a kill lands mid-request.
    for surface in Surface::ALL {
        server.set_faults(surface, FaultPlan { latency_ms: 40, ..FaultPlan::default() });
    }

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cache.sqlite");
    std::fs::create_dir_all(dir.path().join("drafts")).unwrap();
    let picture = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([(x * 3) as u8, (y * 5) as u8, 60]));
    picture.save(dir.path().join("drafts/picture.png")).unwrap();
    {
        let mut store = Store::open(&db).unwrap();
        for index in 0..POSTS {
            let draft = format!("draft-{index}");
            let post = OutgoingPost {
                text: format!("crash test post {index}"),
                spoiler_text: String::new(),
                sensitive: false,
                visibility: "public".into(),
                media: vec![OutgoingMedia {
                    draft_media_id: format!("{draft}-picture"),
                    path: "drafts/picture.png".into(),
                    file_name: "picture.png".into(),
                    mime_type: "image/png".into(),
                    description: "Test pattern".into(),
                }],
                ..OutgoingPost::default()
            };
            let rows: Vec<NewOutboxRow> = Surface::ALL
                .into_iter()
                .map(|surface| NewOutboxRow {
                    id: format!("{draft}-{surface}"),
                    surface,
                    idempotency_key: uuid::Uuid::new_v4().to_string(),
                    payload: serde_json::to_string(&post).unwrap(),
                })
                .collect();
            store.save_draft(&draft, "{}", 0).unwrap();
            assert!(store.enqueue(&draft, &rows, 0).unwrap());
        }
    }

    let spec = [
        db.to_str().unwrap(),
        dir.path().to_str().unwrap(),
        &server.base_url(Surface::Feed),
        &server.base_url(Surface::Visual),
        &token,
    ]
    .join("\n");
    let mut rng = rand::rngs::StdRng::seed_from_u64(std::process::id().into());
    let mut kills = 0;
    for _ in 0..12 {
        let mut child = spawn_child(&spec);
        tokio::time::sleep(Duration::from_millis(rng.gen_range(30..250))).await;
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL on Unix: no destructor, no flush, no goodbye.
            kills += 1;
        }
        child.wait().unwrap();
    }
    let status = tokio::task::spawn_blocking(move || spawn_child(&spec).wait().unwrap()).await.unwrap();
    assert!(status.success(), "the last sender drains the queue");
    assert!(kills > 0, "at least one sender was killed mid-run");

    let store = Store::open(&db).unwrap();
    assert_eq!(store.quick_check().unwrap(), "ok");
    assert!(store.outbox().unwrap().iter().all(|row| row.state == OutboxState::Sent));
    let ledger = server.ledger();
    for index in 0..POSTS {
        for surface in Surface::ALL {
            let copies =
                ledger.iter().filter(|e| e.surface == surface && e.text == format!("crash test post {index}")).count();
            assert_eq!(copies, 1, "post {index} on {surface}");
        }
    }
}
