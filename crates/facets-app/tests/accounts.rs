//! Adding accounts as a user does with a real server: the demo backend runs here as an ordinary
//! server on loopback (not in demo mode), Facets registers on it, the test plays the browser,
//! and the account is linked to a surface.

mod support;

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use facets_app::{accounts::SignInStarted, AppError, Core, CoreConfig, Mode};
use facets_demo::{DemoConfig, DemoServer};
use facets_model::{Dialect, Surface, TimelineKind};
use facets_secrets::{MemoryOnly, SecretStore};

async fn server(config: DemoConfig) -> DemoServer {
    let state = tempfile::tempdir().unwrap().keep();
    let config = DemoConfig { state_dir: Some(state), messages_every: None, ..config };
    DemoServer::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap()
}

fn accounts_core(dir: &Path, secrets: Arc<MemoryOnly>) -> Arc<Core> {
    Core::open(CoreConfig {
        data_dir: dir.to_owned(),
        media_url_base: "facets-media://localhost/".into(),
        demo_messages_every: None,
        secrets,
        mode: Mode::Accounts,
    })
    .unwrap()
}

/// The user's browser: opens the page where they approve Facets and follows where the server
/// sends it (back to Facets' loopback listener). Returns the page it ends on.
async fn approve_in_browser(started: &SignInStarted) -> String {
    reqwest::get(&started.authorize_url).await.unwrap().text().await.unwrap()
}

/// Waits for the browser to come back while the test plays it: the whole loopback round trip.
async fn finish_in_browser(core: &Arc<Core>, started: &SignInStarted) -> facets_app::accounts::SignedIn {
    let finishing = {
        let core = core.clone();
        let attempt = started.attempt.clone();
        tokio::spawn(async move { core.finish_sign_in(&attempt, None).await })
    };
    let page = approve_in_browser(started).await;
    assert!(page.contains("You can close this window"), "the browser came back to Facets: {page}");
    finishing.await.unwrap().unwrap()
}

fn query_of(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url).unwrap().query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn signing_in_through_the_browser_links_the_account_and_syncs_it() {
    let server = server(DemoConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryOnly::new());
    let core = accounts_core(dir.path(), secrets.clone());
    core.start().await.unwrap();
    assert!(core.status().unwrap().surfaces.is_empty(), "nothing is linked before the user signs in");

    let started = core.begin_sign_in(&server.base_url(Surface::Feed)).await.unwrap();
    assert_eq!(started.software, Dialect::Mastodon);
    assert!(!started.paste_code);
    let redirect = query_of(&started.authorize_url, "redirect_uri").unwrap();
    assert!(redirect.starts_with("http://127.0.0.1:"), "a loopback redirect: {redirect}");
    assert_eq!(query_of(&started.authorize_url, "code_challenge_method").as_deref(), Some("S256"));

    let signed_in = finish_in_browser(&core, &started).await;
    assert_eq!(signed_in.suggested_surfaces, [Surface::Feed]);
    assert!(signed_in.handle.contains('@'), "{}", signed_in.handle);
    assert!(core.status().unwrap().surfaces.is_empty(), "signed in, not yet linked");

    core.link_account(&signed_in.id, &[Surface::Feed]).await.unwrap();
    let status = core.status().unwrap();
    assert_eq!(status.mode, Mode::Accounts);
    let feed = &status.surfaces[0];
    assert_eq!((feed.surface, feed.dialect, feed.handle.as_str()), (Surface::Feed, "mastodon", &*signed_in.handle));
    core.refresh(Surface::Feed).await.unwrap();
    let home = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 20).await.unwrap();
    assert!(!home.posts.is_empty(), "the linked account's home timeline is cached");
    assert!(matches!(core.refresh(Surface::Visual).await, Err(AppError::NotLinked(Surface::Visual))));
    let log = core.privacy_log(None).unwrap();
    assert!(log.entries.iter().any(|e| e.label == "Sign-in" && e.new_value == "Signed in"), "{:?}", log.entries);

    // Kept for the next start, with nothing of the token in the data directory.
    let token = {
        let name = secrets.names().into_iter().find(|n| n.ends_with("access-token")).unwrap();
        secrets.get(&name).unwrap().unwrap().expose().to_owned()
    };
    core.shutdown().await;
    drop(core);
    let reopened = accounts_core(dir.path(), secrets.clone());
    reopened.start().await.unwrap();
    reopened.refresh(Surface::Feed).await.expect("the kept sign-in works after a restart");
    drop(reopened);
    for file in support::files_under(dir.path()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()), "the token is in {}", file.display());
    }

    // A token that cannot be read this run (memory that ended with the last run, a locked
    // keychain) is not a refusal: nothing is marked, and the error says what to do.
    let forgetful = accounts_core(dir.path(), Arc::new(MemoryOnly::new()));
    forgetful.start().await.unwrap();
    let error = forgetful.refresh(Surface::Feed).await.unwrap_err();
    assert!(matches!(error, AppError::SecretsUnreadable(Surface::Feed)), "{error:?}");
    assert!(error.human_message().contains("sign in again"), "{}", error.human_message());
    let app = forgetful.connected_apps().unwrap().apps.pop().unwrap();
    assert_eq!(app.refused, None, "the server never refused it");
    drop(forgetful);
    let unlocked = accounts_core(dir.path(), secrets.clone());
    unlocked.start().await.unwrap();
    unlocked.refresh(Surface::Feed).await.expect("the same sign-in works once its store can be read again");
}

#[tokio::test]
async fn a_server_refusing_loopback_redirects_gets_a_pasted_code_and_a_second_account_links_the_other_surface() {
    let server = server(DemoConfig { https_redirects_only: true, ..DemoConfig::default() }).await;
    let dir = tempfile::tempdir().unwrap();
    let core = accounts_core(dir.path(), Arc::new(MemoryOnly::new()));
    core.start().await.unwrap();

    let feed = sign_in_pasting_the_code(&core, &server.base_url(Surface::Feed)).await;
    core.link_account(&feed.id, &[Surface::Feed]).await.unwrap();

    let visual = sign_in_pasting_the_code(&core, &server.base_url(Surface::Visual)).await;
    assert_eq!(visual.software, Dialect::Pixelfed);
    assert_eq!(visual.suggested_surfaces, [Surface::Visual]);
    let taken = core.link_account(&visual.id, &[Surface::Feed]).await.unwrap_err();
    assert!(taken.to_string().contains("Feed shows"), "a working account is not replaced: {taken}");
    core.link_account(&visual.id, &[Surface::Visual]).await.unwrap();

    let status = core.status().unwrap();
    let dialects: Vec<(Surface, &str)> = status.surfaces.iter().map(|s| (s.surface, s.dialect)).collect();
    assert!(dialects.contains(&(Surface::Feed, "mastodon")) && dialects.contains(&(Surface::Visual, "pixelfed")));
    for surface in [Surface::Feed, Surface::Visual] {
        core.refresh(surface).await.unwrap_or_else(|e| panic!("{surface} syncs: {e}"));
    }
    assert_eq!(core.connected_apps().unwrap().apps.len(), 2);
}

async fn sign_in_pasting_the_code(core: &Core, server: &str) -> facets_app::accounts::SignedIn {
    let started = core.begin_sign_in(server).await.unwrap();
    assert!(started.paste_code, "the server refuses http: redirect URIs");
    let missing = core.finish_sign_in(&started.attempt, None).await.unwrap_err();
    assert!(missing.to_string().contains("Paste the code"), "{missing}");
    let wrong = core.finish_sign_in(&started.attempt, Some("not-the-code")).await;
    assert!(wrong.is_err(), "a wrong code is refused by the server");
    let page = approve_in_browser(&started).await;
    let shown = page.split("<code id=\"authorization-code\">").nth(1).and_then(|rest| rest.split("</code>").next());
    let code = shown.unwrap_or_else(|| panic!("the page shows a code: {page}"));
    // Pasted with the stray spaces a copy often brings; the attempt survived the wrong code.
    core.finish_sign_in(&started.attempt, Some(&format!(" {code}\n"))).await.unwrap()
}

#[tokio::test]
async fn an_account_on_gotosocial_is_linked_with_its_dialect_and_syncs() {
    let server = server(DemoConfig { feed_plays: Dialect::GoToSocial, ..DemoConfig::default() }).await;
    let dir = tempfile::tempdir().unwrap();
    let core = accounts_core(dir.path(), Arc::new(MemoryOnly::new()));
    core.start().await.unwrap();
    let started = core.begin_sign_in(&server.base_url(Surface::Feed)).await.unwrap();
    assert_eq!(started.software, Dialect::GoToSocial);
    assert_eq!(query_of(&started.authorize_url, "code_challenge"), None, "no PKCE where it is not offered");
    let signed_in = finish_in_browser(&core, &started).await;
    assert_eq!(signed_in.suggested_surfaces, [Surface::Feed]);
    core.link_account(&signed_in.id, &[Surface::Feed]).await.unwrap();
    assert_eq!(core.status().unwrap().surfaces[0].dialect, "gotosocial");
    core.refresh(Surface::Feed).await.expect("a GoToSocial account syncs");
    // GoToSocial's ids are ULIDs; scrolling follows its `Link` pages past the first sync.
    let (mut cursor, mut keys) = (None, Vec::new());
    loop {
        let page = core.timeline_page(Surface::Feed, TimelineKind::Home, cursor.as_deref(), 50).await.unwrap();
        keys.extend(page.posts.into_iter().map(|p| p.key));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert!(keys.len() >= 300, "the whole feed, page after page: {}", keys.len());
    assert!(keys.iter().all(|k| k.strip_prefix("feed:").is_some_and(|id| id.len() == 26)), "{:?}", &keys[..3]);
    assert_eq!(keys.iter().collect::<std::collections::HashSet<_>>().len(), keys.len(), "each post once");
}

/// A real account whose server stopped accepting Facets' sign-in is signed in again the way it
/// was added (the app's "Sign in again" opens Add account on that server): the new sign-in
/// replaces the refused one, which is forgotten, and the surface syncs again.
#[tokio::test]
async fn a_refused_real_account_is_signed_in_again_through_the_browser_and_replaces_the_old_sign_in() {
    use facets_app::sign_ins::SignInState;
    let server = server(DemoConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryOnly::new());
    let core = accounts_core(dir.path(), secrets.clone());
    core.start().await.unwrap();
    let started = core.begin_sign_in(&server.base_url(Surface::Feed)).await.unwrap();
    let first = finish_in_browser(&core, &started).await;
    core.link_account(&first.id, &[Surface::Feed]).await.unwrap();
    core.refresh(Surface::Feed).await.unwrap();
    let cached = core.timeline_page(Surface::Feed, TimelineKind::Home, None, 5).await.unwrap().posts.len();

    // The user revokes Facets from the server's own settings page.
    assert_eq!(server.sign_out_everywhere(Surface::Feed), 1);
    let mut news = core.subscribe_sign_ins();
    let refused = core.refresh(Surface::Feed).await.unwrap_err();
    assert_eq!(refused.kind(), facets_app::ErrorKind::Unauthorized, "{refused}");
    tokio::time::timeout(std::time::Duration::from_secs(5), news.recv()).await.expect("the app is told").unwrap();
    let state = || core.status().unwrap().surfaces[0].sign_in;
    assert_eq!(state(), SignInState::Refused);
    let old_names = secrets.names();

    let started = core.begin_sign_in(&server.base_url(Surface::Feed)).await.unwrap();
    let again = finish_in_browser(&core, &started).await;
    assert_eq!(again.handle, first.handle, "the same account");
    core.link_account(&again.id, &[Surface::Feed]).await.unwrap();
    assert_eq!(state(), SignInState::Active);
    let apps = core.connected_apps().unwrap().apps;
    assert_eq!(apps.len(), 1, "the refused sign-in was replaced, not kept beside: {apps:?}");
    assert_eq!(apps[0].refused, None);
    assert!(secrets.names().iter().all(|n| !old_names.contains(n)), "the old sign-in's secrets went");
    core.refresh(Surface::Feed).await.expect("syncing again");
    assert_eq!(
        core.timeline_page(Surface::Feed, TimelineKind::Home, None, 5).await.unwrap().posts.len(),
        cached,
        "the same account's cache stays"
    );
}

#[tokio::test]
async fn removing_an_identity_revokes_its_sign_ins_first_and_never_one_in_use() {
    use facets_app::accounts::remove_identity;
    use facets_app::outbox::SendingRights;
    use facets_app::profiles::{Profile, Profiles};

    let server = server(DemoConfig::default()).await;
    let root = tempfile::tempdir().unwrap();
    let mut profiles = Profiles::open(root.path()).unwrap();
    let identity = profiles.add_identity().unwrap();
    let secrets = Arc::new(MemoryOnly::new());
    let token = {
        let core = accounts_core(&profiles.dir(&identity), secrets.clone());
        core.start().await.unwrap();
        let started = core.begin_sign_in(&server.base_url(Surface::Feed)).await.unwrap();
        let signed_in = finish_in_browser(&core, &started).await;
        core.link_account(&signed_in.id, &[Surface::Feed]).await.unwrap();
        core.shutdown().await;
        let name = secrets.names().into_iter().find(|n| n.ends_with("access-token")).unwrap();
        secrets.get(&name).unwrap().unwrap().expose().to_owned()
    };

    let held = SendingRights::claim(&profiles.dir(&identity)).unwrap().expect("free");
    let refused = remove_identity(&mut profiles, &identity, secrets.clone()).await.unwrap_err();
    assert!(refused.to_string().contains("has this identity open"), "{refused}");
    assert!(profiles.dir(&identity).exists());
    drop(held);
    assert!(remove_identity(&mut profiles, &Profile::Demo, secrets.clone()).await.is_err(), "never the demo");

    remove_identity(&mut profiles, &identity, secrets.clone()).await.unwrap();
    assert!(!profiles.dir(&identity).exists() && profiles.identities().is_empty());
    assert!(secrets.names().is_empty(), "its secrets went with it: {:?}", secrets.names());
    let after = reqwest::Client::new()
        .get(format!("{}/api/v1/accounts/verify_credentials", server.base_url(Surface::Feed)))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(after.status(), 401, "revoked on the server before the cache went");
}

#[tokio::test]
async fn a_cancelled_sign_in_stops_waiting_for_the_browser() {
    let server = server(DemoConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let core = accounts_core(dir.path(), Arc::new(MemoryOnly::new()));
    let started = core.begin_sign_in(&server.base_url(Surface::Feed)).await.unwrap();
    let waiting = {
        let core = core.clone();
        let attempt = started.attempt.clone();
        tokio::spawn(async move { core.finish_sign_in(&attempt, None).await })
    };
    // The wait has taken the listener once the attempt no longer holds it; cancel after that
    // or before, the waiting call ends either way.
    core.cancel_sign_in(&started.attempt);
    let ended = waiting.await.unwrap().unwrap_err();
    assert!(ended.to_string().contains("has ended"), "{ended}");
    assert!(core.connected_apps().unwrap().apps.is_empty());
}

#[tokio::test]
async fn the_demo_cache_never_takes_a_real_account() {
    let server = server(DemoConfig::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let demo = Core::open(CoreConfig {
        data_dir: dir.path().to_owned(),
        media_url_base: "facets-media://localhost/".into(),
        demo_messages_every: None,
        secrets: Arc::new(MemoryOnly::new()),
        mode: Mode::Demo,
    })
    .unwrap();
    let refused = demo.begin_sign_in(&server.base_url(Surface::Feed)).await.unwrap_err();
    assert!(refused.to_string().contains("new identity"), "{refused}");
    let other_dir = tempfile::tempdir().unwrap();
    let accounts = accounts_core(other_dir.path(), Arc::new(MemoryOnly::new()));
    assert!(accounts.start_demo().await.is_err(), "an accounts cache never runs the demo");
}
