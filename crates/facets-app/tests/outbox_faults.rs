//! The outbox against the real demo servers over loopback, under random faults, interrupted
//! sends (a future dropped mid-request is what a crash looks like from the inside) and client
//! restarts. Whatever happens, every committed post reaches each of its targets exactly once.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use facets_app::outbox::{system_clock, Backoff, Clients, Outbox, OutgoingMedia, OutgoingPost, Step};
use facets_client::MastodonClient;
use facets_demo::{DemoConfig, DemoServer, FaultPlan};
use facets_model::Surface;
use facets_store::{NewOutboxRow, OutboxState, Store};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};

struct World {
    runtime: tokio::runtime::Runtime,
    server: DemoServer,
    clients: FixedClients,
    data_dir: PathBuf,
}

#[derive(Clone)]
struct FixedClients(HashMap<Surface, MastodonClient>);

impl Clients for FixedClients {
    fn client(&self, surface: Surface) -> Option<MastodonClient> {
        self.0.get(&surface).cloned()
    }
}

const PICTURE: &str = "drafts/picture.png";
/// Large enough that the demo processes it in the background (202, then polls).
const LARGE_PICTURE: &str = "drafts/large-picture.png";

/// The tests of this file share one server and its fault plans: one test at a time.
static SERVER_IN_USE: Mutex<()> = Mutex::new(());

/// One demo server for every case: starting a world per case would dominate the run.
fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let (server, clients) = runtime.block_on(async {
            // No rate limit: thousands of cases would otherwise meet the real one.
            let config = DemoConfig { rate_limit_per_window: u32::MAX, ..DemoConfig::default() };
            let server = DemoServer::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap();
            let token = facets_app::demo_access_token(&server).await.unwrap();
            let clients = Surface::ALL
                .into_iter()
                .map(|s| (s, MastodonClient::new(&server.base_url(s)).unwrap().with_token(token.clone())))
                .collect();
            (server, FixedClients(clients))
        });
        let data_dir = std::env::temp_dir().join(format!("facets-outbox-faults-{}", std::process::id()));
        std::fs::create_dir_all(data_dir.join("drafts")).unwrap();
        let picture = image::RgbImage::from_fn(24, 24, |x, y| image::Rgb([(x * 10) as u8, (y * 10) as u8, 90]));
        picture.save(data_dir.join(PICTURE)).unwrap();
        // Noise does not compress, so the file stays above the demo's background threshold.
        let mut noise = 0x2545_f491_4f6c_dd1du64;
        let large = image::RgbImage::from_fn(320, 320, |_, _| {
            noise ^= noise << 13;
            noise ^= noise >> 7;
            noise ^= noise << 17;
            image::Rgb([noise as u8, (noise >> 8) as u8, (noise >> 16) as u8])
        });
        large.save(data_dir.join(LARGE_PICTURE)).unwrap();
        let size = std::fs::metadata(data_dir.join(LARGE_PICTURE)).unwrap().len();
        assert!(size > 256 * 1024, "the large picture must take the 202 path: {size} bytes");
        World { runtime, server, clients, data_dir }
    })
}

#[derive(Debug, Clone)]
enum Fault {
    Healthy,
    Fail { status: u16, times: u32 },
    CutAfterCommit { times: u32 },
    GarbleAfterCommit { times: u32 },
    Outage,
    Latency { ms: u64 },
}

impl Fault {
    fn plan(&self) -> FaultPlan {
        match *self {
            Fault::Healthy => FaultPlan::default(),
            Fault::Fail { status, times } => {
                FaultPlan { fail_next: times, fail_status: Some(status), ..FaultPlan::default() }
            }
            Fault::CutAfterCommit { times } => FaultPlan { cut_after_commit_next: times, ..FaultPlan::default() },
            Fault::GarbleAfterCommit { times } => FaultPlan { garble_after_commit_next: times, ..FaultPlan::default() },
            Fault::Outage => FaultPlan { outage: true, ..FaultPlan::default() },
            Fault::Latency { ms } => FaultPlan { latency_ms: ms, ..FaultPlan::default() },
        }
    }
}

#[derive(Debug, Clone)]
enum Action {
    SetFault(Surface, Fault),
    /// Let the sender take one step.
    Step,
    /// Start a step and abandon it after this many microseconds: a crash mid-send.
    Interrupt(u64),
    /// A new sender over the same store: the app restarted.
    Restart,
    /// The server forgets uploads no post uses yet, as real ones do after a while.
    PurgeMedia(Surface),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Picture {
    None,
    Small,
    Large,
}

#[derive(Debug, Clone)]
struct PostPlan {
    targets: Vec<Surface>,
    picture: Picture,
}

fn surface() -> impl Strategy<Value = Surface> {
    prop_oneof![Just(Surface::Feed), Just(Surface::Visual)]
}

fn fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        2 => Just(Fault::Healthy),
        3 => (prop_oneof![Just(500u16), Just(502), Just(503), Just(429)], 1..3u32)
            .prop_map(|(status, times)| Fault::Fail { status, times }),
        3 => (1..3u32).prop_map(|times| Fault::CutAfterCommit { times }),
        1 => (1..3u32).prop_map(|times| Fault::GarbleAfterCommit { times }),
        1 => Just(Fault::Outage),
        1 => (1..4u64).prop_map(|ms| Fault::Latency { ms }),
    ]
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (surface(), fault()).prop_map(|(s, f)| Action::SetFault(s, f)),
        4 => Just(Action::Step),
        2 => (0..4000u64).prop_map(Action::Interrupt),
        1 => Just(Action::Restart),
        1 => surface().prop_map(Action::PurgeMedia),
    ]
}

fn post_plan() -> impl Strategy<Value = PostPlan> {
    (
        prop_oneof![Just(vec![Surface::Feed]), Just(vec![Surface::Visual]), Just(vec![Surface::Feed, Surface::Visual])],
        prop_oneof![3 => Just(Picture::None), 2 => Just(Picture::Small), 1 => Just(Picture::Large)],
    )
        .prop_map(|(targets, picture)| PostPlan {
            // Visual posts need a picture; the composer never queues one without.
            picture: if picture == Picture::None && targets.contains(&Surface::Visual) {
                Picture::Small
            } else {
                picture
            },
            targets,
        })
}

static CASE: AtomicU64 = AtomicU64::new(0);

fn sender(store: &Arc<Mutex<Store>>, data_dir: &std::path::Path, reconcile_every_time: bool) -> Outbox {
    let key_lifetime = if reconcile_every_time { Duration::ZERO } else { Duration::from_secs(3000) };
    let backoff = Backoff { base: Duration::from_millis(1), cap: Duration::from_millis(8) };
    // One quick poll per step: a large picture is still processing after it, so the sender must
    // come back to it, across interruptions and restarts, without uploading it again.
    Outbox::with_settings(store.clone(), data_dir.to_owned(), backoff, key_lifetime, system_clock())
        .with_media_polls(vec![Duration::ZERO])
}

fn run_case(posts: Vec<PostPlan>, actions: Vec<Action>, reconcile_every_time: bool) -> Result<(), TestCaseError> {
    let world = world();
    let case = CASE.fetch_add(1, Ordering::Relaxed);
    let marker = format!("case-{}-{case}", std::process::id());
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));

    // The user commits every post: from here on, none may be lost or doubled.
    for (index, plan) in posts.iter().enumerate() {
        let draft = format!("{marker}-draft-{index}");
        let payload = OutgoingPost {
            text: format!("{marker} post {index}"),
            spoiler_text: String::new(),
            sensitive: false,
            visibility: "public".into(),
            media: match plan.picture {
                Picture::None => vec![],
                Picture::Small | Picture::Large => vec![OutgoingMedia {
                    draft_media_id: format!("{draft}-picture"),
                    path: if plan.picture == Picture::Large { LARGE_PICTURE } else { PICTURE }.into(),
                    file_name: "picture.png".into(),
                    mime_type: "image/png".into(),
                    description: "A test pattern".into(),
                }],
            },
            ..OutgoingPost::default()
        };
        let rows: Vec<NewOutboxRow> = plan
            .targets
            .iter()
            .map(|surface| NewOutboxRow {
                id: format!("{draft}-{surface}"),
                surface: *surface,
                idempotency_key: uuid::Uuid::new_v4().to_string(),
                payload: serde_json::to_string(&payload).unwrap(),
            })
            .collect();
        let mut locked = store.lock().unwrap();
        locked.save_draft(&draft, "{}", 0).unwrap();
        assert!(locked.enqueue(&draft, &rows, 0).unwrap());
    }

    world.runtime.block_on(async {
        let mut outbox = sender(&store, &world.data_dir, reconcile_every_time);
        for action in actions {
            match action {
                Action::SetFault(surface, fault) => world.server.set_faults(surface, fault.plan()),
                Action::Step => {
                    outbox.send_next(&world.clients).await.unwrap();
                }
                Action::Interrupt(micros) => {
                    let _ = tokio::time::timeout(Duration::from_micros(micros), outbox.send_next(&world.clients)).await;
                }
                Action::Restart => outbox = sender(&store, &world.data_dir, reconcile_every_time),
                Action::PurgeMedia(surface) => {
                    world.server.purge_unattached_media(surface);
                }
            }
        }
        // The network recovers; the sender drains the queue.
        for surface in Surface::ALL {
            world.server.set_faults(surface, FaultPlan::default());
        }
        drain(&outbox, world, 500).await;
    });

    let rows = store.lock().unwrap().outbox().unwrap();
    for row in &rows {
        prop_assert_eq!(row.state, OutboxState::Sent, "{:?}", row);
    }
    let ledger: Vec<_> =
        world.server.ledger().into_iter().filter(|entry| entry.text.starts_with(&format!("{marker} "))).collect();
    for (index, plan) in posts.iter().enumerate() {
        let text = format!("{marker} post {index}");
        for surface in Surface::ALL {
            let copies = ledger.iter().filter(|e| e.text == text && e.surface == surface).count();
            let expected = usize::from(plan.targets.contains(&surface));
            prop_assert_eq!(copies, expected, "post {} on {}: ledger {:?}", index, surface, ledger);
            if expected == 1 {
                let entry = ledger.iter().find(|e| e.text == text && e.surface == surface).unwrap();
                prop_assert_eq!(entry.media_count, usize::from(plan.picture != Picture::None));
            }
        }
    }
    Ok(())
}

/// Sends until the queue is empty, following each retry's time (shortened), within `steps`.
async fn drain(outbox: &Outbox, world: &World, steps: usize) {
    for _ in 0..steps {
        match outbox.send_next(&world.clients).await.unwrap() {
            Step::Progressed { .. } => {}
            Step::Idle { next_wake: None } => return,
            Step::Idle { next_wake: Some(at) } => {
                let wait = (at - facets_app_now_ms()).clamp(0, 50) as u64;
                tokio::time::sleep(Duration::from_millis(wait)).await;
            }
        }
    }
    panic!("the outbox never drained in {steps} steps");
}

fn facets_app_now_ms() -> i64 {
    (time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

#[test]
fn every_committed_post_arrives_exactly_once_whatever_fails() {
    let _server = SERVER_IN_USE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let cases = std::env::var("FACETS_OUTBOX_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let mut runner = TestRunner::new(Config { cases, failure_persistence: None, ..Config::default() });
    let strategy = (
        proptest::collection::vec(post_plan(), 1..4),
        proptest::collection::vec(action(), 0..14),
        proptest::bool::weighted(0.25),
    );
    runner
        .run(&strategy, |(posts, actions, reconcile_every_time)| run_case(posts, actions, reconcile_every_time))
        .unwrap();
}

/// Two posts with the same words, the second one's first send lost to a server error: once its
/// key may be forgotten, reconciliation must not take the first post for the second.
#[test]
fn reconciliation_never_claims_another_rows_post() {
    let _server = SERVER_IN_USE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let world = world();
    let marker = format!("twins-{}", std::process::id());
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    let text = format!("{marker} the same words twice");
    for (draft, at) in [("second", 0), ("first", 1)] {
        let post = OutgoingPost {
            text: text.clone(),
            spoiler_text: String::new(),
            sensitive: false,
            visibility: "public".into(),
            media: vec![],
            ..OutgoingPost::default()
        };
        let row = NewOutboxRow {
            id: draft.into(),
            surface: Surface::Feed,
            idempotency_key: uuid::Uuid::new_v4().to_string(),
            payload: serde_json::to_string(&post).unwrap(),
        };
        let mut locked = store.lock().unwrap();
        locked.save_draft(draft, "{}", at).unwrap();
        assert!(locked.enqueue(draft, &[row], at).unwrap());
    }
    world.runtime.block_on(async {
        // Every send reconciles first, as if the keys had long expired.
        let outbox = sender(&store, &world.data_dir, true);
        world.server.set_faults(Surface::Feed, FaultPlan { fail_next: 1, ..FaultPlan::default() });
        let Step::Progressed { row, .. } = outbox.send_next(&world.clients).await.unwrap() else { panic!("idle") };
        assert_eq!((row.id.as_str(), row.state), ("second", OutboxState::Waiting));
        let Step::Progressed { row, .. } = outbox.send_next(&world.clients).await.unwrap() else { panic!("idle") };
        assert_eq!((row.id.as_str(), row.state), ("first", OutboxState::Sent));
        loop {
            match outbox.send_next(&world.clients).await.unwrap() {
                Step::Idle { next_wake: None } => break,
                Step::Idle { next_wake: Some(_) } => tokio::time::sleep(Duration::from_millis(5)).await,
                Step::Progressed { .. } => {}
            }
        }
    });
    let rows = store.lock().unwrap().outbox().unwrap();
    let ids: Vec<_> = rows.iter().map(|r| r.remote_status_id.clone().expect("sent")).collect();
    assert_ne!(ids[0], ids[1], "each row has its own post");
    let copies = world.server.ledger().iter().filter(|e| e.text == text).count();
    assert_eq!(copies, 2, "both posts reached the server");
}

/// A row that uploaded its picture, then waited (offline, say) long enough for the server to
/// purge the unattached file: the post is refused, the sender finds the file gone, uploads it
/// again and publishes once.
#[test]
fn a_file_the_server_purged_is_uploaded_again() {
    let _server = SERVER_IN_USE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let world = world();
    let marker = format!("purged-{}", std::process::id());
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    let post = queue_visual_picture_post(&store, &marker, "a picture the server forgot");
    world.runtime.block_on(async {
        let outbox = sender(&store, &world.data_dir, false);
        world.server.set_faults(Surface::Visual, FaultPlan::default());
        upload_the_picture_first(world, &store, &marker).await;
        assert_eq!(world.server.purge_unattached_media(Surface::Visual), 1, "the file was unattached");

        let Step::Progressed { row, .. } = outbox.send_next(&world.clients).await.unwrap() else { panic!("idle") };
        assert_eq!(row.state, OutboxState::Waiting, "a refusal over a purged file is not final: {row:?}");
        assert!(row.uploaded_media.is_empty(), "the forgotten file is dropped: {row:?}");
        loop {
            match outbox.send_next(&world.clients).await.unwrap() {
                Step::Idle { next_wake: None } => break,
                Step::Idle { next_wake: Some(_) } => tokio::time::sleep(Duration::from_millis(5)).await,
                Step::Progressed { .. } => {}
            }
        }
    });
    let row = store.lock().unwrap().outbox_row(&marker).unwrap().unwrap();
    assert_eq!(row.state, OutboxState::Sent, "{row:?}");
    let copies: Vec<_> = world.server.ledger().into_iter().filter(|e| e.text == post.text).collect();
    assert_eq!(copies.len(), 1, "published once: {copies:?}");
    assert_eq!(copies[0].media_count, 1, "with its picture");
}

/// Visual plays Pixelfed, which answers a repeated idempotency key with 400 instead of the post:
/// a post whose answer was lost after the server made it is found on the account, not failed
/// and not sent twice.
#[test]
fn a_lost_answer_from_a_server_that_refuses_repeated_keys_is_found_not_failed() {
    let _server = SERVER_IN_USE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let world = world();
    let marker = format!("pixelfed-key-{}", std::process::id());
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    let post = queue_visual_picture_post(&store, &marker, "made once, its answer lost");
    world.runtime.block_on(async {
        let outbox = sender(&store, &world.data_dir, false);
        world.server.set_faults(Surface::Visual, FaultPlan::default());
        // The picture is up already, so the answer lost is the post's own.
        upload_the_picture_first(world, &store, &marker).await;
        world.server.set_faults(Surface::Visual, FaultPlan { cut_after_commit_next: 1, ..FaultPlan::default() });
        drain(&outbox, world, 50).await;
        world.server.set_faults(Surface::Visual, FaultPlan::default());
    });
    let row = store.lock().unwrap().outbox_row(&marker).unwrap().unwrap();
    assert_eq!(row.state, OutboxState::Sent, "{row:?}");
    assert!(row.attempts >= 2, "the first answer was lost, so it was sent again: {row:?}");
    let copies: Vec<_> = world.server.ledger().into_iter().filter(|e| e.text == post.text).collect();
    assert_eq!(copies.len(), 1, "made once: {copies:?}");
    assert_eq!(row.remote_status_id.as_deref(), Some(copies[0].status_id.as_str()), "the row names that post");
}

/// Pixelfed's messages take no idempotency key: one made by the server whose answer was lost is
/// found in the thread before anything is sent again, so it arrives once.
#[test]
fn a_pixelfed_message_whose_answer_was_lost_is_found_in_its_thread_not_sent_again() {
    let _server = SERVER_IN_USE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let world = world();
    let marker = format!("pixelfed-message-{}", std::process::id());
    let store = Arc::new(Mutex::new(Store::open_in_memory().unwrap()));
    world.runtime.block_on(async {
        world.server.set_faults(Surface::Visual, FaultPlan::default());
        let client = world.clients.client(Surface::Visual).unwrap();
        let person = client.conversations_numbered(1, 1).await.unwrap()[0].accounts[0].id.clone();
        let post = OutgoingPost {
            text: format!("{marker} sent once, its answer lost"),
            visibility: "direct".into(),
            conversation_id: Some(person.clone()),
            direct_to: Some(person),
            ..OutgoingPost::default()
        };
        let row = NewOutboxRow {
            id: marker.clone(),
            surface: Surface::Visual,
            idempotency_key: uuid::Uuid::new_v4().to_string(),
            payload: serde_json::to_string(&post).unwrap(),
        };
        store.lock().unwrap().enqueue_written(&marker, "{}", &[row], 0).unwrap();
        let outbox = sender(&store, &world.data_dir, false);
        world.server.set_faults(Surface::Visual, FaultPlan { cut_after_commit_next: 1, ..FaultPlan::default() });
        drain(&outbox, world, 50).await;
        world.server.set_faults(Surface::Visual, FaultPlan::default());
        let row = store.lock().unwrap().outbox_row(&marker).unwrap().unwrap();
        assert_eq!(row.state, OutboxState::Sent, "{row:?}");
        assert!(row.attempts >= 2, "the first answer was lost, so it was tried again: {row:?}");
        let copies: Vec<_> = world.server.ledger().into_iter().filter(|e| e.text == post.text).collect();
        assert_eq!(copies.len(), 1, "sent once: {copies:?}");
        assert_eq!(row.remote_status_id.as_deref(), Some(copies[0].status_id.as_str()), "the row names that message");
    });
}

/// Queues a Visual post of the test picture (with alt text) as row and draft `marker`.
fn queue_visual_picture_post(store: &Arc<Mutex<Store>>, marker: &str, words: &str) -> OutgoingPost {
    let post = OutgoingPost {
        text: format!("{marker} {words}"),
        spoiler_text: String::new(),
        sensitive: false,
        visibility: "public".into(),
        media: vec![OutgoingMedia {
            draft_media_id: "picture".into(),
            path: PICTURE.into(),
            file_name: "picture.png".into(),
            mime_type: "image/png".into(),
            description: "A test pattern".into(),
        }],
        ..OutgoingPost::default()
    };
    let row = NewOutboxRow {
        id: marker.to_owned(),
        surface: Surface::Visual,
        idempotency_key: uuid::Uuid::new_v4().to_string(),
        payload: serde_json::to_string(&post).unwrap(),
    };
    let mut locked = store.lock().unwrap();
    locked.save_draft(marker, "{}", 0).unwrap();
    assert!(locked.enqueue(marker, &[row], 0).unwrap());
    post
}

/// Uploads the row's picture (with its alt text, as the sender does) and records it on the row,
/// as a sender interrupted after its upload leaves it.
async fn upload_the_picture_first(world: &World, store: &Arc<Mutex<Store>>, marker: &str) {
    let client = world.clients.client(Surface::Visual).unwrap();
    let bytes = std::fs::read(world.data_dir.join(PICTURE)).unwrap();
    let uploaded = client.upload_media(bytes, "p.png", "image/png", Some("A test pattern")).await.unwrap();
    let locked = store.lock().unwrap();
    let mut row = locked.outbox_row(marker).unwrap().unwrap();
    row.uploaded_media
        .insert("picture".into(), facets_store::UploadedMedia { id: uploaded.id().to_owned(), ready: true });
    assert!(locked.update_outbox(&row, OutboxState::Queued, 1).unwrap());
}
