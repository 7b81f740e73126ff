//! Connected apps and sessions against the demo servers over loopback: sign-ins kept with
//! their secrets in the secret store only, restored at the next start, revoked on the server
//! and forgotten here, and a token the server stops accepting said out loud, once.

mod support;

use facets_app::inbox::INBOX_PAGE;
use std::sync::Arc;
use std::time::Duration;

use facets_app::sign_ins::{ConnectedApp, SignInState};
use facets_app::{AppError, Core, ErrorKind};
use facets_client::MastodonClient;
use facets_model::{Surface, TimelineKind};
use facets_secrets::{MemoryOnly, SecretStore};
use support::{demo_core_keeping_secrets_in, demo_origin};

fn app_of(core: &Core, surface: Surface) -> ConnectedApp {
    let apps = core.connected_apps().unwrap().apps;
    apps.into_iter().find(|app| app.surfaces == [surface]).unwrap_or_else(|| panic!("a sign-in serves {surface}"))
}

fn state_of(core: &Core, surface: Surface) -> SignInState {
    core.status().unwrap().surfaces.iter().find(|s| s.surface == surface).unwrap().sign_in
}

/// The token a sign-in keeps in the secret store.
fn token_of(secrets: &MemoryOnly, app: &ConnectedApp) -> String {
    let name = secrets.names().into_iter().find(|n| n.starts_with(&app.id) && n.ends_with("access-token")).unwrap();
    secrets.get(&name).unwrap().unwrap().expose().to_owned()
}

fn base_url_of(core: &Core, surface: Surface) -> String {
    core.status().unwrap().surfaces.iter().find(|s| s.surface == surface).unwrap().server.clone()
}

#[tokio::test]
async fn revoking_a_sign_in_makes_the_server_refuse_it_and_forgets_its_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryOnly::new());
    let core = demo_core_keeping_secrets_in(dir.path(), secrets.clone()).await;
    core.refresh(Surface::Visual).await.unwrap();

    let apps = core.connected_apps().unwrap();
    assert_eq!(apps.kept_in, "memoryOnly");
    assert_eq!(apps.apps.len(), 2, "one sign-in per surface: {:?}", apps.apps);
    let visual = app_of(&core, Surface::Visual);
    assert!(visual.scopes.contains(&"read".to_owned()) && visual.scopes.contains(&"write".to_owned()));
    assert!(visual.handle.contains('@') && visual.last_used_at.is_some() && visual.refused.is_none());
    let token = token_of(&secrets, &visual);
    let old_client = MastodonClient::new(&base_url_of(&core, Surface::Visual)).unwrap().with_token(token.clone());
    old_client.verify_credentials().await.expect("the token works before it is revoked");

    let after = core.revoke_sign_in(&visual.id, false).await.unwrap();
    assert_eq!(after.apps.len(), 1);
    assert_eq!(after.signed_out, [Surface::Visual]);
    assert!(!secrets.names().iter().any(|n| n.starts_with(&visual.id)), "its secrets are gone: {:?}", secrets.names());
    for name in secrets.names() {
        assert_ne!(secrets.get(&name).unwrap().unwrap().expose(), token, "no copy of the token is kept");
    }
    let refused = old_client.verify_credentials().await.unwrap_err();
    assert!(refused.is_unauthorized(), "the server refuses the revoked token: {refused}");

    assert_eq!(state_of(&core, Surface::Visual), SignInState::SignedOut);
    let error = core.refresh(Surface::Visual).await.unwrap_err();
    assert!(matches!(error, AppError::SignedOut(Surface::Visual)), "{error:?}");
    assert_eq!(error.kind(), ErrorKind::Unauthorized);
    let cached = core.timeline_page(Surface::Visual, TimelineKind::Home, None, 10).await.unwrap();
    assert!(!cached.posts.is_empty(), "without being asked, the cache stays readable");
    core.refresh(Surface::Feed).await.expect("Feed's own sign-in goes on");

    let log = core.privacy_log(None).unwrap();
    let entry = &log.entries[0];
    assert_eq!((entry.label.as_str(), entry.new_value.as_str(), entry.accepted), ("Sign-in", "Revoked", true));
    assert_eq!(entry.surface, Some(Surface::Visual));

    core.sign_in_again(Surface::Visual).await.unwrap();
    assert_eq!(state_of(&core, Surface::Visual), SignInState::Active);
    assert_ne!(app_of(&core, Surface::Visual).id, visual.id, "a new sign-in");
    core.refresh(Surface::Visual).await.expect("signed in again, Visual syncs");
}

#[tokio::test]
async fn revoking_with_its_data_clears_that_surfaces_cache_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core_keeping_secrets_in(dir.path(), Arc::new(MemoryOnly::new())).await;
    core.refresh(Surface::Feed).await.unwrap();
    core.refresh(Surface::Visual).await.unwrap();
    let draft = core.draft_new().unwrap();
    let feed_conversations = |core: &Core| {
        let inbox = core.inbox(false, INBOX_PAGE).unwrap();
        inbox.groups.iter().flat_map(|g| &g.conversations).filter(|c| c.surface == Surface::Feed).count()
    };
    assert!(feed_conversations(&core) > 0);

    // Pictures Facets showed from each surface: their files are cached data too.
    let me_on_feed = core.profile(Surface::Feed).unwrap();
    let feed_avatar = core.resolve_media(&format!("person/feed/{}/avatar", me_on_feed.id)).await.unwrap();

    let feed = app_of(&core, Surface::Feed);
    core.revoke_sign_in(&feed.id, true).await.unwrap();
    assert!(!feed_avatar.path.exists(), "Feed's cached pictures are gone from the disk");
    let cached = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 10).await.unwrap();
    assert!(cached.posts.is_empty(), "Feed's cached posts are gone");
    assert_eq!(feed_conversations(&core), 0, "Feed's conversations are gone");
    let visual = core.timeline_page(Surface::Visual, TimelineKind::Home, None, 10).await.unwrap();
    assert!(!visual.posts.is_empty(), "Visual's cache is not touched");
    assert!(core.draft_list().unwrap().iter().any(|d| d.id == draft.id), "the user's drafts stay");
    let log = core.privacy_log(None).unwrap();
    assert_eq!(log.entries[0].new_value, "Revoked, cached data removed");
}

#[tokio::test]
async fn a_sign_in_the_server_stops_accepting_is_said_once_and_left_alone_until_renewed() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core_keeping_secrets_in(dir.path(), Arc::new(MemoryOnly::new())).await;
    let mut news = core.subscribe_sign_ins();

    // The user revokes Facets from the Visual server's own settings page.
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/_demo/sign-outs/visual", demo_origin(&core)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(answer["revoked"], 1);

    let error = core.refresh(Surface::Visual).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Unauthorized, "{error}");
    tokio::time::timeout(Duration::from_secs(5), news.recv()).await.expect("the app is told").unwrap();
    assert_eq!(state_of(&core, Surface::Visual), SignInState::Refused);
    assert_eq!(app_of(&core, Surface::Visual).refused.as_deref(), Some("The access token was revoked"));
    let again = core.refresh(Surface::Visual).await.unwrap_err();
    assert!(matches!(again, AppError::SignInRefused(Surface::Visual)), "not sent again: {again:?}");
    let refusals =
        core.privacy_log(None).unwrap().entries.iter().filter(|e| e.new_value == "Refused by the server").count();
    assert_eq!(refusals, 1, "said once");
    assert_eq!(state_of(&core, Surface::Feed), SignInState::Active, "Feed's sign-in is another app's");

    core.sign_in_again(Surface::Visual).await.unwrap();
    assert_eq!(state_of(&core, Surface::Visual), SignInState::Active);
    assert_eq!(core.connected_apps().unwrap().apps.len(), 2, "the refused sign-in was replaced, not kept beside");
    core.refresh(Surface::Visual).await.unwrap();
}

#[tokio::test]
async fn kept_sign_ins_come_back_at_the_next_start_and_no_token_reaches_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryOnly::new());
    let core = demo_core_keeping_secrets_in(dir.path(), secrets.clone()).await;
    core.refresh_all().await.into_iter().collect::<Result<Vec<_>, _>>().unwrap();
    let before: Vec<String> = core.connected_apps().unwrap().apps.into_iter().map(|a| a.id).collect();
    let tokens: Vec<String> =
        secrets.names().iter().map(|n| secrets.get(n).unwrap().unwrap().expose().to_owned()).collect();
    assert_eq!(tokens.len(), 4, "a token and a client secret per sign-in: {:?}", secrets.names());
    core.shutdown().await;
    drop(core);

    let reopened = demo_core_keeping_secrets_in(dir.path(), secrets.clone()).await;
    let after: Vec<String> = reopened.connected_apps().unwrap().apps.into_iter().map(|a| a.id).collect();
    assert_eq!(after, before, "the kept sign-ins are used again, not replaced");
    reopened.refresh(Surface::Feed).await.expect("the restored sign-in works");
    reopened.shutdown().await;
    drop(reopened);

    // The demo's servers keep their own database under `demo-server/`, as any server keeps
    // the tokens it issued; everything else in the data directory is Facets' own.
    let facets_files: Vec<_> = support::files_under(dir.path())
        .into_iter()
        .filter(|p| !p.starts_with(dir.path().join("demo-server")))
        .collect();
    assert!(facets_files.iter().any(|p| p.ends_with("cache.sqlite-wal") || p.ends_with("cache.sqlite")));
    for entry in facets_files {
        let bytes = std::fs::read(&entry).unwrap();
        for token in &tokens {
            let found = bytes.windows(token.len()).any(|w| w == token.as_bytes());
            assert!(!found, "a secret was written to {}", entry.display());
        }
    }

    // A memory-only store forgets at exit: the demo signs in anew and the old rows go.
    let forgetful = demo_core_keeping_secrets_in(dir.path(), Arc::new(MemoryOnly::new())).await;
    let fresh: Vec<String> = forgetful.connected_apps().unwrap().apps.into_iter().map(|a| a.id).collect();
    assert_eq!(fresh.len(), 2);
    assert!(fresh.iter().all(|id| !before.contains(id)), "{fresh:?} vs {before:?}");
    forgetful.shutdown().await;
}

/// Waits for the outbox to report `id` in `state`.
async fn outbox_reaches(
    changes: &mut tokio::sync::broadcast::Receiver<facets_app::compose::OutboxEntry>,
    id: &str,
    state: &str,
) -> facets_app::compose::OutboxEntry {
    let wait = async {
        loop {
            let entry = changes.recv().await.expect("the outbox reports its progress");
            if entry.id == id && entry.state == state {
                return entry;
            }
        }
    };
    tokio::time::timeout(Duration::from_secs(20), wait).await.unwrap_or_else(|_| panic!("{id} never became {state}"))
}

#[tokio::test]
async fn a_message_written_while_the_sign_in_is_refused_goes_once_the_user_signs_in_again() {
    let dir = tempfile::tempdir().unwrap();
    let core = demo_core_keeping_secrets_in(dir.path(), Arc::new(MemoryOnly::new())).await;
    core.refresh(Surface::Feed).await.unwrap();
    let inbox = core.inbox(false, INBOX_PAGE).unwrap();
    let conversation = inbox.groups.iter().flat_map(|g| &g.conversations).find(|c| c.surface == Surface::Feed).unwrap();
    let http = reqwest::Client::new();
    http.post(format!("{}/_demo/sign-outs/feed", demo_origin(&core))).send().await.unwrap();
    core.start_outbox();

    let mut changes = core.subscribe_outbox();
    let mut news = core.subscribe_sign_ins();
    let text = "Still on for the market on Saturday?";
    let queued = core.reply_to_conversation(&conversation.key, text).unwrap();
    let waiting = outbox_reaches(&mut changes, &queued.id, "waiting").await;
    assert_eq!(waiting.waiting_for, Some("session"), "{waiting:?}");
    assert!(waiting.last_error.as_deref().is_some_and(|e| e.contains("sign in again")), "{waiting:?}");
    tokio::time::timeout(Duration::from_secs(5), news.recv()).await.expect("the refusal is noticed").unwrap();
    assert_eq!(state_of(&core, Surface::Feed), SignInState::Refused);

    core.sign_in_again(Surface::Feed).await.unwrap();
    outbox_reaches(&mut changes, &queued.id, "sent").await;
    let ledger: Vec<serde_json::Value> =
        http.get(format!("{}/_demo/ledger", demo_origin(&core))).send().await.unwrap().json().await.unwrap();
    let arrived = ledger.iter().filter(|entry| entry["text"].as_str().is_some_and(|t| t.contains(text))).count();
    assert_eq!(arrived, 1, "sent exactly once: {ledger:?}");
}

#[tokio::test]
async fn a_refused_sign_in_stays_refused_across_a_restart_until_the_user_signs_in_again() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryOnly::new());
    let core = demo_core_keeping_secrets_in(dir.path(), secrets.clone()).await;
    let mut news = core.subscribe_sign_ins();
    reqwest::Client::new().post(format!("{}/_demo/sign-outs/visual", demo_origin(&core))).send().await.unwrap();
    assert!(core.refresh(Surface::Visual).await.is_err());
    tokio::time::timeout(Duration::from_secs(5), news.recv()).await.expect("the refusal is noticed").unwrap();
    assert_eq!(state_of(&core, Surface::Visual), SignInState::Refused);
    let error = core.sign_in_again(Surface::Feed).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Invalid, "Feed is signed in already: {error}");
    core.shutdown().await;
    drop(core);

    let reopened = demo_core_keeping_secrets_in(dir.path(), secrets).await;
    assert_eq!(state_of(&reopened, Surface::Visual), SignInState::Refused, "not silently used again");
    let again = reopened.refresh(Surface::Visual).await.unwrap_err();
    assert!(matches!(again, AppError::SignInRefused(Surface::Visual)), "{again:?}");
    reopened.sign_in_again(Surface::Visual).await.unwrap();
    reopened.refresh(Surface::Visual).await.unwrap();
    reopened.shutdown().await;
}

/// A keychain that is locked: each call waits until the test unlocks it, as a real one waits
/// for the user to type their password into the system's prompt.
struct LockedKeychain {
    kept: Arc<MemoryOnly>,
    unlocked: std::sync::Mutex<bool>,
    unlocking: std::sync::Condvar,
    asked: tokio::sync::Notify,
    gave_up: std::sync::atomic::AtomicBool,
}

impl LockedKeychain {
    fn new(kept: Arc<MemoryOnly>) -> LockedKeychain {
        LockedKeychain {
            kept,
            unlocked: std::sync::Mutex::new(false),
            unlocking: std::sync::Condvar::new(),
            asked: tokio::sync::Notify::new(),
            gave_up: std::sync::atomic::AtomicBool::new(false),
        }
    }

    fn unlock(&self) {
        *self.unlocked.lock().unwrap() = true;
        self.unlocking.notify_all();
    }

    /// Waits to be unlocked; gives up after long enough that a test whose unlocking never
    /// comes fails rather than hangs.
    fn wait_until_unlocked(&self) -> Result<(), facets_secrets::SecretError> {
        self.asked.notify_one();
        let unlocked = self.unlocked.lock().unwrap();
        let (unlocked, waited) =
            self.unlocking.wait_timeout_while(unlocked, Duration::from_secs(10), |unlocked| !*unlocked).unwrap();
        drop(unlocked);
        if waited.timed_out() {
            self.gave_up.store(true, std::sync::atomic::Ordering::SeqCst);
            return Err(facets_secrets::SecretError::Unavailable("nobody unlocked the keychain".into()));
        }
        Ok(())
    }
}

impl SecretStore for LockedKeychain {
    fn kind(&self) -> facets_secrets::StoreKind {
        self.kept.kind()
    }

    fn get(&self, name: &str) -> Result<Option<facets_secrets::Secret>, facets_secrets::SecretError> {
        self.wait_until_unlocked()?;
        self.kept.get(name)
    }

    fn set(&self, name: &str, secret: &facets_secrets::Secret) -> Result<(), facets_secrets::SecretError> {
        self.wait_until_unlocked()?;
        self.kept.set(name, secret)
    }

    fn delete(&self, name: &str) -> Result<(), facets_secrets::SecretError> {
        self.wait_until_unlocked()?;
        self.kept.delete(name)
    }

    fn names_kept(&self) -> Result<Option<Vec<String>>, facets_secrets::SecretError> {
        self.kept.names_kept()
    }
}

/// A keychain waiting for its user holds up only what needs a secret. The runtime here has
/// one thread, as a busy machine's runtime may as good as have: had the call waited on it, the
/// test could not go on to unlock the keychain, and the call would give up.
#[tokio::test(flavor = "current_thread")]
async fn a_keychain_waiting_for_its_user_holds_up_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let kept = Arc::new(MemoryOnly::new());
    let core = demo_core_keeping_secrets_in(dir.path(), kept.clone()).await;
    let before: Vec<String> = core.connected_apps().unwrap().apps.into_iter().map(|a| a.id).collect();
    core.shutdown().await;
    drop(core);

    let keychain = Arc::new(LockedKeychain::new(kept));
    let core = Core::open(facets_app::CoreConfig {
        data_dir: dir.path().to_owned(),
        media_url_base: "facets-media://localhost/".into(),
        demo_messages_every: None,
        secrets: keychain.clone(),
        mode: facets_app::Mode::Demo,
    })
    .unwrap();
    let starting = tokio::spawn({
        let core = core.clone();
        async move { core.start_demo().await }
    });
    keychain.asked.notified().await;
    keychain.unlock();
    starting.await.unwrap().expect("the demo starts once the keychain is unlocked");
    assert!(!keychain.gave_up.load(std::sync::atomic::Ordering::SeqCst), "a keychain call held the runtime's thread");
    let after: Vec<String> = core.connected_apps().unwrap().apps.into_iter().map(|a| a.id).collect();
    assert_eq!(after, before, "the kept sign-ins were read from the keychain, not replaced");
    core.refresh(Surface::Feed).await.expect("the restored sign-in works");
    core.shutdown().await;
}
