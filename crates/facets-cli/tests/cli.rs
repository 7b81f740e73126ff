//! The `facets` command line end to end: the real binary, run as a user runs it, against the
//! demo backend serving as an ordinary server on loopback. Each command is its own process, so
//! what one leaves (the identity, the sealed secrets, the cache) is what the next one finds.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use facets_demo::{DemoConfig, DemoServer};
use facets_model::Surface;

const PASSPHRASE: &str = "a passphrase for the tests";

struct Facets {
    root: tempfile::TempDir,
}

impl Facets {
    fn new() -> Facets {
        Facets { root: tempfile::tempdir().unwrap() }
    }

    fn root(&self) -> &Path {
        self.root.path()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_facets-cli"));
        command
            .args(args)
            .env("FACETS_DATA_DIR", self.root())
            // The sealed file, so the sign-ins outlive each process without the test touching
            // a keychain.
            .env("FACETS_SECRETS", "file")
            .env("FACETS_PASSPHRASE", PASSPHRASE)
            .env_remove("FACETS_LOG");
        command
    }

    async fn run(&self, args: &[&str]) -> Output {
        let mut command = self.command(args);
        tokio::task::spawn_blocking(move || command.output().unwrap()).await.unwrap()
    }

    async fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args).await;
        assert!(output.status.success(), "facets {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    async fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut with_json = args.to_vec();
        with_json.push("--json");
        serde_json::from_str(&self.ok(&with_json).await).unwrap()
    }

    async fn fails(&self, args: &[&str]) -> String {
        let output = self.run(args).await;
        assert!(!output.status.success(), "facets {args:?} should have failed");
        assert!(output.stdout.is_empty(), "nothing on stdout when failing");
        String::from_utf8(output.stderr).unwrap()
    }

    /// `facets login`, with the test as the user's browser: it opens the page the command
    /// prints, and for a server that shows a code, types the code into the command.
    async fn login(&self, args: &[&str]) -> Output {
        let mut child =
            self.command(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (found, page_address) = tokio::sync::oneshot::channel();
        let reader = std::thread::spawn(move || {
            let mut found = Some(found);
            let mut all = String::new();
            for line in BufReader::new(stderr).lines() {
                let line = line.unwrap();
                if line.trim_start().starts_with("http") && line.contains("/oauth/authorize") {
                    if let Some(found) = found.take() {
                        let _ = found.send(line.trim().to_owned());
                    }
                }
                all.push_str(&line);
                all.push('\n');
            }
            all
        });
        let address = page_address.await.expect("facets login prints the page to approve it on");
        let page = reqwest::get(&address).await.unwrap().text().await.unwrap();
        let mut stdin = child.stdin.take().unwrap();
        if let Some(code) =
            page.split("<code id=\"authorization-code\">").nth(1).and_then(|r| r.split("</code>").next())
        {
            writeln!(stdin, "{code}").unwrap();
        }
        drop(stdin);
        let mut output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap()).await.unwrap();
        output.stderr = reader.join().unwrap().into_bytes();
        output
    }
}

async fn server(config: DemoConfig) -> DemoServer {
    let state = tempfile::tempdir().unwrap().keep();
    let config = DemoConfig { state_dir: Some(state), messages_every: None, ..config };
    DemoServer::start(config, SocketAddr::from(([127, 0, 0, 1], 0))).await.unwrap()
}

fn jpeg(path: &Path) {
    let picture = image::RgbImage::from_fn(640, 480, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    picture.save(path).unwrap();
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(files(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_in_sync_read_post_and_set_privacy_from_the_command_line() {
    let server = server(DemoConfig::default()).await;
    let facets = Facets::new();
    let feed_url = server.base_url(Surface::Feed);

    // A fresh computer: only the demo, and the demo's servers live in the app.
    let listed = facets.json(&["accounts"]).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["profile"]["kind"], "demo");
    let refused = facets.fails(&["sync"]).await;
    assert!(refused.contains("facets login"), "{refused}");

    let login = facets.login(&["login", &feed_url, "--no-browser"]).await;
    let said = String::from_utf8_lossy(&login.stderr);
    assert!(login.status.success(), "login failed: {said}");
    let stdout = String::from_utf8(login.stdout).unwrap();
    assert!(stdout.starts_with("Signed in as ") && stdout.contains("Feed shows it"), "{stdout}");
    assert!(said.contains("Waiting for the browser"), "the loopback flow, not a pasted code: {said}");

    let listed = facets.json(&["accounts"]).await;
    let identity = &listed[1];
    assert_eq!(identity["active"], true, "the new identity is the one in use: {listed}");
    assert_eq!(listed[0]["active"], false);
    assert_eq!(identity["surfaces"][0]["surface"], "feed");
    assert_eq!(identity["surfaces"][0]["dialect"], "mastodon");
    assert_eq!(identity["surfaces"][0]["signIn"], "active");

    let synced = facets.ok(&["sync"]).await;
    assert!(synced.contains("Feed home:"), "{synced}");
    let timeline = facets.json(&["timeline", "feed"]).await;
    assert!(!timeline.as_array().unwrap().is_empty(), "the home timeline was cached by sync");
    let readable = facets.ok(&["timeline", "feed", "--limit", "3"]).await;
    assert!(readable.contains(" · @") && !readable.contains("<p>"), "text, not HTML:\n{readable}");
    let inbox = facets.json(&["inbox"]).await;
    assert!(!inbox["groups"].as_array().unwrap().is_empty(), "conversations were synced: {inbox}");

    // A second account, on the photo server, for Visual.
    let login = facets.login(&["login", &server.base_url(Surface::Visual), "--no-browser"]).await;
    assert!(login.status.success(), "{}", String::from_utf8_lossy(&login.stderr));
    assert!(String::from_utf8_lossy(&login.stdout).contains("Visual shows it"));
    let listed = facets.json(&["accounts"]).await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "added to the identity in use, not a new one: {listed}");

    // Posting: once each, through the outbox.
    let posted = facets.json(&["post", "Hello from a terminal", "--to", "feed"]).await;
    assert_eq!(posted[0]["state"], "sent", "{posted}");
    assert!(posted[0]["url"].as_str().is_some_and(|u| u.starts_with("http")), "{posted}");
    let picture = facets.root().join("square.jpg");
    jpeg(&picture);
    let posted = facets
        .json(&[
            "post",
            "A picture",
            "--to",
            "visual",
            "--media",
            picture.to_str().unwrap(),
            "--alt",
            "Bands of colour",
        ])
        .await;
    assert_eq!(posted[0]["state"], "sent", "{posted}");
    let ledger = server.ledger();
    let mine: Vec<_> = ledger.iter().filter(|e| e.text.contains("Hello from a terminal")).collect();
    assert_eq!((mine.len(), mine[0].surface), (1, Surface::Feed), "sent once, to Feed: {ledger:?}");
    assert!(mine[0].idempotency_key.is_some());
    assert!(ledger.iter().any(|e| e.surface == Surface::Visual && e.media_count == 1 && e.text.contains("A picture")));
    let no_picture = facets.fails(&["post", "Words only", "--to", "visual"]).await;
    assert!(no_picture.to_lowercase().contains("picture") || no_picture.contains("photo"), "{no_picture}");

    // Privacy, through the server and back.
    facets.ok(&["privacy", "set", "locked", "true", "--surface", "feed"]).await;
    let center = facets.json(&["privacy", "show"]).await;
    let feed = center["surfaces"].as_array().unwrap().iter().find(|s| s["surface"] == "feed").unwrap();
    assert_eq!(feed["locked"], true, "{center}");
    let unknown = facets.fails(&["privacy", "set", "glowing", "true"]).await;
    assert!(unknown.contains("not a setting"), "{unknown}");

    // The tokens are only in the sealed file.
    let secrets = facets_app::sign_ins::open_secret_store(
        facets.root(),
        facets_app::sign_ins::SecretsChoice::EncryptedFile,
        &mut |_| Some(PASSPHRASE.to_owned()),
    )
    .unwrap();
    let tokens: Vec<String> = files(facets.root())
        .iter()
        .filter(|p| p.file_name().is_some_and(|n| n == "cache.sqlite"))
        .flat_map(|db| sign_in_ids(db.parent().unwrap()))
        .filter_map(|id| secrets.get(&format!("{id}/access-token")).unwrap())
        .map(|s| s.expose().to_owned())
        .collect();
    assert_eq!(tokens.len(), 2, "both sign-ins are kept");
    for file in files(facets.root()).into_iter().filter(|p| !p.ends_with("secrets.enc")) {
        let bytes = std::fs::read(&file).unwrap();
        for token in &tokens {
            assert!(!bytes.windows(token.len()).any(|w| w == token.as_bytes()), "a token is in {}", file.display());
        }
    }

    // Back to the demo, then removing the identity revokes its sign-ins on the server.
    facets.ok(&["accounts", "switch", "demo"]).await;
    assert_eq!(facets.json(&["accounts"]).await[0]["active"], true);
    let id = listed[1]["profile"]["id"].as_str().unwrap().to_owned();
    facets.ok(&["accounts", "remove", &id[..8]]).await;
    assert_eq!(facets.json(&["accounts"]).await.as_array().unwrap().len(), 1);
    let client = reqwest::Client::new();
    let refused = client
        .get(format!("{feed_url}/api/v1/accounts/verify_credentials"))
        .bearer_auth(&tokens[0])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401, "the removed identity's token no longer works");
}

/// The sign-ins an identity's cache names, as its connected-apps list gives them.
fn sign_in_ids(dir: &Path) -> Vec<String> {
    let core = facets_app::Core::open(facets_app::CoreConfig {
        data_dir: dir.to_owned(),
        media_url_base: "facets-media://localhost/".into(),
        demo_messages_every: None,
        secrets: std::sync::Arc::new(facets_app::sign_ins::MemoryOnly::new()),
        mode: facets_app::Mode::Accounts,
    })
    .unwrap();
    core.connected_apps().unwrap().apps.into_iter().map(|a| a.id).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_refusing_loopback_redirects_takes_the_pasted_code_and_failures_say_why() {
    let server = server(DemoConfig { https_redirects_only: true, ..DemoConfig::default() }).await;
    let facets = Facets::new();
    let login = facets.login(&["login", &server.base_url(Surface::Feed), "--no-browser", "--json"]).await;
    let said = String::from_utf8_lossy(&login.stderr);
    assert!(login.status.success(), "{said}");
    assert!(said.contains("Paste it here"), "{said}");
    let answer: serde_json::Value = serde_json::from_slice(&login.stdout).unwrap();
    assert_eq!(answer["surfaces"], serde_json::json!(["feed"]));
    assert!(answer["account"]["handle"].as_str().unwrap().contains('@'));

    let insecure = facets.fails(&["login", "http://mastodon.example"]).await;
    assert!(insecure.contains("only over HTTPS"), "{insecure}");
    // A new identity started for a login that fails is not left behind.
    let nobody = facets.fails(&["login", "http://127.0.0.1:9/", "--new-identity"]).await;
    assert!(nobody.contains("can't reach the server"), "{nobody}");
    assert_eq!(facets.json(&["accounts"]).await.as_array().unwrap().len(), 2, "failed logins leave no identity");
    assert_eq!(std::fs::read_dir(facets.root().join("identities")).unwrap().count(), 1, "nor its folder");

    let usage = facets.run(&["timeline", "elsewhere"]).await;
    assert_eq!(usage.status.code(), Some(2), "a usage error");
    let wrong = facets.command(&["sync"]).env("FACETS_PASSPHRASE", "not the passphrase").output().unwrap();
    assert!(!wrong.status.success());
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("passphrase"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
}
