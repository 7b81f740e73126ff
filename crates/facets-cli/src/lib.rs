//! `facets`, the command line: the same core, data directory and secrets as the app, for
//! people who live in a terminal, for scripts (`--json`) and for tests.
//!
//! Reading commands (`timeline`, `inbox`, `accounts`) answer from the cache, without the network
//! or the secrets. Commands that reach a server (`login`, `sync`, `post`, `privacy`) open the
//! secrets as the app does. Every failure ends with a sentence on stderr and a non-zero exit.

mod output;

use std::ffi::OsString;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};
use facets_app::compose::{Audience, OutboxEntry};
use facets_app::privacy::{AccountPrivacyChange, LocalPrivacyChange};
use facets_app::profiles::{Profile, Profiles};
use facets_app::sign_ins::{open_secret_store, MemoryOnly, SecretStore};
use facets_app::{AppError, Core, CoreConfig, Mode};
use facets_model::{Surface, TimelineKind};
use output::Output;

/// The folder of the app's data, as Tauri names it: the platform's data folder and the app's
/// identifier (`~/.local/share/app.facets.desktop` on Linux).
const APP_IDENTIFIER: &str = "app.facets.desktop";
/// How long `post` waits by default for its posts to be sent.
const POST_WAIT_SECONDS: u64 = 120;

#[derive(Parser)]
#[command(
    name = "facets",
    version,
    about = "Facets from the command line: one identity, its Feed and Visual accounts."
)]
struct Cli {
    /// Print JSON instead of text, for scripts.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign in to a server (mastodon.social, a Pixelfed or GoToSocial host) and link the
    /// account to Feed, Visual or both.
    Login {
        /// The server, as an address or a handle: mastodon.social, @me@pixelfed.social.
        server: String,
        /// Which surfaces show the account (default: Visual for a photo server, else Feed).
        #[arg(long, value_delimiter = ',')]
        to: Vec<SurfaceArg>,
        /// Print the approval page's address instead of opening the browser.
        #[arg(long)]
        no_browser: bool,
        /// Start a new identity even if one is in use.
        #[arg(long)]
        new_identity: bool,
    },
    /// The identities on this computer; `switch` and `remove` them.
    Accounts {
        #[command(subcommand)]
        action: Option<AccountsAction>,
    },
    /// Fetch what is new on every linked account into the cache.
    Sync,
    /// Posts of a timeline, newest first, from the cache.
    Timeline {
        #[arg(value_enum, default_value = "feed")]
        surface: SurfaceArg,
        #[arg(long, value_enum, default_value = "home")]
        kind: TimelineArg,
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Conversations, grouped by person across surfaces, from the cache.
    Inbox {
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Publish a post to one or both surfaces, through the outbox (never twice).
    Post {
        /// The text; empty for a picture alone.
        #[arg(default_value = "")]
        text: String,
        /// Where to publish (default: every linked surface that takes the post).
        #[arg(long, value_delimiter = ',')]
        to: Vec<SurfaceArg>,
        /// A picture to attach (repeat for more).
        #[arg(long = "media")]
        media: Vec<PathBuf>,
        /// Alt text for the pictures, in the same order (repeat for each).
        #[arg(long = "alt")]
        alt: Vec<String>,
        /// Who sees it (default: the account's default audience).
        #[arg(long, value_enum)]
        audience: Option<AudienceArg>,
        /// A content warning shown before the post.
        #[arg(long = "cw")]
        content_warning: Option<String>,
        /// Seconds to wait for the servers before leaving the post queued.
        #[arg(long, default_value_t = POST_WAIT_SECONDS)]
        wait: u64,
    },
    /// The privacy center: account settings on each server and Facets' own.
    Privacy {
        #[command(subcommand)]
        action: PrivacyAction,
    },
}

#[derive(Subcommand)]
enum AccountsAction {
    /// Use another identity (`demo`, an id or one of its handles); the app opens it next.
    Switch { name: String },
    /// Revoke an identity's sign-ins and remove its cache from this computer.
    Remove { name: String },
}

#[derive(Subcommand)]
enum PrivacyAction {
    /// Every setting, as the servers last answered.
    Show,
    /// Change one: `locked true`, `defaultAudience unlisted`, `stripPhotoMetadata false`…
    Set {
        setting: String,
        value: String,
        /// The account to change (default: every linked account). Facets' own settings have none.
        #[arg(long, value_enum)]
        surface: Option<SurfaceArg>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum SurfaceArg {
    Feed,
    Visual,
}

impl From<SurfaceArg> for Surface {
    fn from(arg: SurfaceArg) -> Surface {
        match arg {
            SurfaceArg::Feed => Surface::Feed,
            SurfaceArg::Visual => Surface::Visual,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum TimelineArg {
    Home,
    Profile,
}

#[derive(Clone, Copy, ValueEnum)]
enum AudienceArg {
    Public,
    Unlisted,
    Private,
    Direct,
}

impl From<AudienceArg> for Audience {
    fn from(arg: AudienceArg) -> Audience {
        match arg {
            AudienceArg::Public => Audience::Public,
            AudienceArg::Unlisted => Audience::Unlisted,
            AudienceArg::Private => Audience::Private,
            AudienceArg::Direct => Audience::Direct,
        }
    }
}

/// Whether a program's first argument asks for the command line rather than the window, so
/// the app's own `facets` binary can answer `facets sync` as `facets-cli` does.
pub fn is_command(first_argument: &std::ffi::OsStr) -> bool {
    use clap::CommandFactory;
    let Some(argument) = first_argument.to_str() else { return false };
    matches!(argument, "help" | "--help" | "-h" | "--version" | "-V")
        || Cli::command().get_subcommands().any(|c| c.get_name() == argument)
}

/// Runs the command line with these arguments (the first is the program's name) and returns
/// the exit status: 0 done, 1 failed (the reason on stderr), 2 not understood.
pub fn run(args: impl IntoIterator<Item = OsString>) -> i32 {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() { 2 } else { 0 };
        }
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("FACETS_LOG").unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .try_init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("facets: could not start: {error}");
            return 1;
        }
    };
    let out = Output::new(cli.json);
    match runtime.block_on(execute(cli.command, &out)) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("facets: {}", error.human_message());
            1
        }
    }
}

/// Where the app keeps its data: `FACETS_DATA_DIR`, else the platform's data folder.
pub fn data_root() -> Result<PathBuf, AppError> {
    match std::env::var_os("FACETS_DATA_DIR") {
        Some(dir) => Ok(PathBuf::from(dir)),
        None => dirs::data_dir()
            .map(|dir| dir.join(APP_IDENTIFIER))
            .ok_or_else(|| AppError::Invalid("This system has no data folder; set FACETS_DATA_DIR.".into())),
    }
}

async fn execute(command: Command, out: &Output) -> Result<(), AppError> {
    let mut profiles = Profiles::open(&data_root()?)?;
    match command {
        Command::Login { server, to, no_browser, new_identity } => {
            login(&mut profiles, out, &server, &to, no_browser, new_identity).await
        }
        Command::Accounts { action: None } => accounts(&profiles, out),
        Command::Accounts { action: Some(AccountsAction::Switch { name }) } => {
            let profile = profiles.find(&name)?;
            profiles.set_active(&profile)?;
            out.done(
                &serde_json::json!({ "active": profile }),
                &format!("Facets now uses {}.", describe(&profiles, &profile)),
            )
        }
        Command::Accounts { action: Some(AccountsAction::Remove { name }) } => {
            remove_identity(&mut profiles, out, &name).await
        }
        Command::Sync => sync(&profiles, out).await,
        Command::Timeline { surface, kind, limit } => {
            let core = reading_core(&profiles)?;
            let kind = match kind {
                TimelineArg::Home => TimelineKind::Home,
                TimelineArg::Profile => TimelineKind::Profile,
            };
            let page = core.timeline_page(surface.into(), kind, None, limit.clamp(1, 200)).await?;
            out.timeline(&page.posts)
        }
        Command::Inbox { limit } => {
            let core = reading_core(&profiles)?;
            out.inbox(&core.inbox(true, limit)?)
        }
        Command::Post { text, to, media, alt, audience, content_warning, wait } => {
            let request = PostRequest { text, to, media, alt, audience, content_warning, wait };
            post(&profiles, out, request).await
        }
        Command::Privacy { action: PrivacyAction::Show } => {
            let core = network_core(&profiles).await?;
            let center = match core.refresh_privacy().await {
                Ok(center) => center,
                Err(error) => {
                    eprintln!("facets: showing what was last checked: {}", error.human_message());
                    core.privacy_center()?
                }
            };
            out.privacy(&center)
        }
        Command::Privacy { action: PrivacyAction::Set { setting, value, surface } } => {
            set_privacy(&profiles, out, &setting, &value, surface).await
        }
    }
}

fn describe(profiles: &Profiles, profile: &Profile) -> String {
    match profile {
        Profile::Demo => "the demo".into(),
        Profile::Identity(id) => {
            let handles = profiles.identities().iter().find(|i| &i.id == id).map(|i| i.handles.join(", "));
            match handles.filter(|h| !h.is_empty()) {
                Some(handles) => format!("{handles} ({})", short(id)),
                None => format!("identity {}", short(id)),
            }
        }
    }
}

pub(crate) fn short(id: &str) -> &str {
    &id[..id.len().min(8)]
}

fn core_config(dir: &Path, mode: Mode, secrets: Arc<dyn SecretStore>) -> CoreConfig {
    CoreConfig {
        data_dir: dir.to_owned(),
        media_url_base: "facets-media://localhost/".into(),
        demo_messages_every: None,
        secrets,
        mode,
    }
}

/// A core on the identity in use, for reading its cache: no network, no secrets asked for.
fn reading_core(profiles: &Profiles) -> Result<Arc<Core>, AppError> {
    let active = profiles.active();
    Core::open(core_config(&profiles.dir(&active), active.mode(), Arc::new(MemoryOnly::new())))
}

/// The secrets as the user keeps them, asking for the passphrase on the terminal if needed.
fn secrets(profiles: &Profiles) -> Result<Arc<dyn SecretStore>, AppError> {
    let choice = profiles.secrets_choice();
    open_secret_store(profiles.root(), choice, &mut |exists| {
        if !std::io::stdin().is_terminal() {
            return None;
        }
        let first = rpassword::prompt_password("Passphrase for Facets' secrets: ").ok()?;
        if exists {
            return Some(first);
        }
        let again = rpassword::prompt_password("Once more, to be sure: ").ok()?;
        (again == first).then_some(first)
    })
}

/// A core on the identity in use with its sign-ins started, for commands that reach servers.
async fn network_core(profiles: &Profiles) -> Result<Arc<Core>, AppError> {
    let active = profiles.active();
    if active == Profile::Demo {
        return Err(AppError::Invalid(
            "The demo's servers run inside the Facets app. Open Facets to use the demo, or sign in to your own server with `facets login SERVER`."
                .into(),
        ));
    }
    let core = Core::open(core_config(&profiles.dir(&active), Mode::Accounts, secrets(profiles)?))?;
    core.start().await?;
    Ok(core)
}

async fn login(
    profiles: &mut Profiles,
    out: &Output,
    server: &str,
    to: &[SurfaceArg],
    no_browser: bool,
    new_identity: bool,
) -> Result<(), AppError> {
    let store = secrets(profiles)?;
    let (profile, created) = match profiles.active() {
        Profile::Identity(id) if !new_identity => (Profile::Identity(id), false),
        _ => (profiles.add_identity()?, true),
    };
    let outcome = sign_in_and_link(profiles, &profile, store, server, to, no_browser).await;
    match outcome {
        Ok((signed_in, surfaces, handles)) => {
            profiles.set_handles(&profile, handles)?;
            profiles.set_active(&profile)?;
            let names: Vec<&str> = surfaces.iter().map(|s| s.title()).collect();
            out.done(
                &serde_json::json!({ "identity": profile, "account": signed_in, "surfaces": surfaces }),
                &format!("Signed in as {}. {} shows it.", signed_in.handle, names.join(" and ")),
            )
        }
        Err(error) => {
            if created {
                if let Err(cleanup) = profiles.remove_identity(&profile) {
                    tracing::warn!(error = %cleanup, "could not remove the identity of a failed sign-in");
                }
            }
            Err(error)
        }
    }
}

async fn sign_in_and_link(
    profiles: &Profiles,
    profile: &Profile,
    store: Arc<dyn SecretStore>,
    server: &str,
    to: &[SurfaceArg],
    no_browser: bool,
) -> Result<(facets_app::accounts::SignedIn, Vec<Surface>, Vec<String>), AppError> {
    let core = Core::open(core_config(&profiles.dir(profile), Mode::Accounts, store))?;
    core.start().await?;
    let started = core.begin_sign_in(server).await?;
    eprintln!("Open this page to let Facets use your account on {}:\n\n  {}\n", started.server, started.authorize_url);
    if !no_browser && webbrowser::open(&started.authorize_url).is_err() {
        eprintln!("(Facets could not open a browser; copy the address into one.)");
    }
    let code = if started.paste_code {
        eprint!("Once you approve Facets, the server shows a code. Paste it here: ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| AppError::Invalid(format!("Could not read the code: {e}")))?;
        Some(line)
    } else {
        eprintln!("Waiting for the browser to come back…");
        None
    };
    let signed_in = core.finish_sign_in(&started.attempt, code.as_deref()).await?;
    let surfaces: Vec<Surface> =
        if to.is_empty() { signed_in.suggested_surfaces.clone() } else { to.iter().map(|s| (*s).into()).collect() };
    if let Err(error) = core.link_account(&signed_in.id, &surfaces).await {
        // Linked nowhere, the sign-in would be a token alive on the server that nothing uses.
        let used = core.connected_apps()?.apps.iter().any(|app| app.id == signed_in.id && !app.surfaces.is_empty());
        if !used {
            if let Err(revoke) = core.revoke_sign_in(&signed_in.id, false).await {
                eprintln!(
                    "facets: {} could not be asked to revoke this sign-in ({}). Remove “Facets” from the apps in your account's settings there.",
                    signed_in.server,
                    revoke.human_message()
                );
            }
        }
        return Err(error);
    }
    let handles = core.status()?.surfaces.into_iter().map(|s| s.handle).collect::<std::collections::BTreeSet<_>>();
    core.shutdown().await;
    Ok((signed_in, surfaces, handles.into_iter().collect()))
}

fn accounts(profiles: &Profiles, out: &Output) -> Result<(), AppError> {
    let active = profiles.active();
    let mut listed = vec![output::IdentityLine {
        profile: Profile::Demo,
        active: active == Profile::Demo,
        handles: vec![],
        surfaces: vec![],
    }];
    for identity in profiles.identities() {
        let profile = Profile::Identity(identity.id.clone());
        let core = Core::open(core_config(&profiles.dir(&profile), Mode::Accounts, Arc::new(MemoryOnly::new())))?;
        listed.push(output::IdentityLine {
            active: profile == active,
            handles: identity.handles.clone(),
            surfaces: core.status()?.surfaces,
            profile,
        });
    }
    out.accounts(&listed)
}

async fn remove_identity(profiles: &mut Profiles, out: &Output, name: &str) -> Result<(), AppError> {
    let profile = profiles.find(name)?;
    let description = describe(profiles, &profile);
    let store = secrets(profiles)?;
    facets_app::accounts::remove_identity(profiles, &profile, store).await?;
    out.done(
        &serde_json::json!({ "removed": profile }),
        &format!("Removed {description} and its cache from this computer."),
    )
}

async fn sync(profiles: &Profiles, out: &Output) -> Result<(), AppError> {
    let core = network_core(profiles).await?;
    let results = core.refresh_all().await;
    if results.is_empty() {
        return Err(AppError::Invalid("No account is signed in. Sign in with `facets login SERVER`.".into()));
    }
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(mut surface_reports) => reports.append(&mut surface_reports),
            Err(error) => failures.push(error),
        }
    }
    out.sync(&reports)?;
    core.shutdown().await;
    // Each failure said once: all but the last here, the last as the command's own error.
    let last = failures.pop();
    for error in failures {
        eprintln!("facets: {}", error.human_message());
    }
    last.map_or(Ok(()), Err)
}

struct PostRequest {
    text: String,
    to: Vec<SurfaceArg>,
    media: Vec<PathBuf>,
    alt: Vec<String>,
    audience: Option<AudienceArg>,
    content_warning: Option<String>,
    wait: u64,
}

async fn post(profiles: &Profiles, out: &Output, request: PostRequest) -> Result<(), AppError> {
    if request.alt.len() > request.media.len() {
        return Err(AppError::Invalid("There is more alt text than pictures.".into()));
    }
    let core = network_core(profiles).await?;
    let linked: Vec<Surface> = core.status()?.surfaces.iter().map(|s| s.surface).collect();
    let targets: Vec<Surface> = if request.to.is_empty() {
        // Visual takes pictures only; a text post goes where text goes.
        linked.iter().copied().filter(|s| *s != Surface::Visual || !request.media.is_empty()).collect()
    } else {
        request.to.iter().map(|s| (*s).into()).collect()
    };
    if let Some(missing) = targets.iter().find(|s| !linked.contains(s)) {
        return Err(AppError::NotLinked(*missing));
    }
    let mut draft = core.draft_new()?;
    for path in &request.media {
        let bytes =
            std::fs::read(path).map_err(|e| AppError::Invalid(format!("Could not read {}: {e}", path.display())))?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "picture".into());
        draft = core.draft_attach_media(&draft.id, &name, bytes).await?;
    }
    for (media, alt) in draft.media.iter_mut().zip(&request.alt) {
        media.description = alt.clone();
    }
    let defaults = core.privacy_center()?;
    draft.text = request.text;
    draft.spoiler_text = request.content_warning.unwrap_or_default();
    for variant in &mut draft.variants {
        variant.enabled = targets.contains(&variant.surface);
        let default =
            defaults.surfaces.iter().find(|s| s.surface == variant.surface).map(|s| s.default_audience.as_str());
        variant.audience = match (request.audience, default) {
            (Some(chosen), _) => chosen.into(),
            (None, Some("unlisted")) => Audience::Unlisted,
            (None, Some("private")) => Audience::Private,
            (None, Some("direct")) => Audience::Direct,
            (None, _) => Audience::Public,
        };
    }
    let draft = core.draft_save(&draft)?;
    let queued = core.publish(&draft.id)?;
    let mut progress = core.subscribe_outbox();
    core.start_outbox();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(request.wait);
    let entries = loop {
        let now: Vec<OutboxEntry> =
            core.outbox_list()?.into_iter().filter(|e| queued.iter().any(|q| q.id == e.id)).collect();
        let settled = now.iter().all(|e| matches!(e.state, "sent" | "failed" | "cancelled"));
        if settled || tokio::time::Instant::now() >= deadline {
            break now;
        }
        // Progress of this process's sender, or a look at the queue now and then, as the app
        // may be the one sending (one sender per data directory).
        let _ = tokio::time::timeout_at(
            deadline.min(tokio::time::Instant::now() + Duration::from_secs(1)),
            progress.recv(),
        )
        .await;
    };
    let posts: Vec<(OutboxEntry, Option<String>)> = entries
        .into_iter()
        .map(|entry| {
            let url =
                entry.post_key.as_deref().and_then(|key| core.cached_post(key).ok().flatten()).and_then(|p| p.url);
            (entry, url)
        })
        .collect();
    out.posted(&posts)?;
    core.shutdown().await;
    if let Some((entry, _)) = posts.iter().find(|(e, _)| e.state == "failed") {
        return Err(AppError::Invalid(format!(
            "{} refused the post: {}",
            entry.surface.title(),
            entry.last_error.clone().unwrap_or_default()
        )));
    }
    if let Some((entry, _)) = posts.iter().find(|(e, _)| e.state != "sent") {
        // Durable and sent once later; a script still learns it has not gone yet.
        return Err(AppError::Invalid(format!(
            "The post for {} is still queued after {} s; Facets sends it the next time it runs.",
            entry.surface.title(),
            request.wait
        )));
    }
    Ok(())
}

async fn set_privacy(
    profiles: &Profiles,
    out: &Output,
    setting: &str,
    value: &str,
    surface: Option<SurfaceArg>,
) -> Result<(), AppError> {
    let name = camel_case(setting);
    let parsed: serde_json::Value = match value {
        "true" | "on" | "yes" => true.into(),
        "false" | "off" | "no" => false.into(),
        other => other.into(),
    };
    let change = serde_json::json!({ "setting": name, "value": parsed });
    let core = network_core(profiles).await?;
    if let Ok(local) = serde_json::from_value::<LocalPrivacyChange>(change.clone()) {
        let settings = core.set_local_privacy(local)?;
        return out.done(&serde_json::to_value(&settings).unwrap_or_default(), &format!("{setting} is now {value}."));
    }
    let account: AccountPrivacyChange = serde_json::from_value(change).map_err(|_| {
        AppError::Invalid(format!(
            "“{setting} {value}” is not a setting Facets knows. `facets privacy show` lists them."
        ))
    })?;
    let surfaces: Vec<Surface> = match surface {
        Some(surface) => vec![surface.into()],
        None => core.status()?.surfaces.iter().map(|s| s.surface).collect(),
    };
    let mut answers = Vec::new();
    for surface in surfaces {
        answers.push(core.set_account_privacy(surface, account.clone()).await?);
    }
    let names: Vec<&str> = answers.iter().map(|a| a.surface.title()).collect();
    out.done(
        &serde_json::to_value(&answers).unwrap_or_default(),
        &format!("{setting} is now {value} on {}, as the server answered.", names.join(" and ")),
    )
}

/// `default-audience` and `default_audience` as the settings spell them: `defaultAudience`.
fn camel_case(name: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in name.chars() {
        if c == '-' || c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_named_as_a_shell_user_types_them() {
        assert_eq!(camel_case("default-audience"), "defaultAudience");
        assert_eq!(camel_case("strip_photo_metadata"), "stripPhotoMetadata");
        assert_eq!(camel_case("locked"), "locked");
    }

    #[test]
    fn only_the_commands_take_the_app_binary_away_from_its_window() {
        for command in ["login", "sync", "timeline", "post", "--help", "--version"] {
            assert!(is_command(std::ffi::OsStr::new(command)), "{command}");
        }
        // What an OS may pass to an app it launches (macOS's old process serial number).
        for other in ["-psn_0_12345", "", "facets-media://x"] {
            assert!(!is_command(std::ffi::OsStr::new(other)), "{other}");
        }
    }

    #[test]
    fn the_arguments_parse_as_the_help_says() {
        let cli = Cli::try_parse_from([
            "facets",
            "post",
            "hello",
            "--to",
            "feed,visual",
            "--media",
            "a.jpg",
            "--alt",
            "A cat",
            "--json",
        ])
        .unwrap();
        assert!(cli.json);
        let Command::Post { text, to, media, alt, .. } = cli.command else { panic!("a post") };
        assert_eq!(text, "hello");
        assert_eq!(to.len(), 2);
        assert_eq!((media.len(), alt.as_slice()), (1, &["A cat".to_owned()][..]));
        assert!(Cli::try_parse_from(["facets", "timeline", "elsewhere"]).is_err());
    }
}
