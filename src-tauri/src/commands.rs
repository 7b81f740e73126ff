//! The commands the UI calls (through `ui/src/lib/api.ts` only). Each adapts arguments, calls
//! the core and turns its errors into `{kind, message}` with a human sentence.

use facets_app::accounts::{SignInStarted, SignedIn};
use facets_app::activity::SignalPage;
use facets_app::compose::{ComposeLimits, Draft, OutboxEntry};
use facets_app::edit::{EditSource, PostEdit};
use facets_app::explore::ExploreView;
use facets_app::inbox::{ConversationSummary, ConversationView, InboxSettings, InboxView, MessageSearchHit};
use facets_app::privacy::{
    AccountPrivacyChange, LocalPrivacyChange, PrivacyCenter, PrivacyLogPage, PrivacySettings, SurfacePrivacy,
};
use facets_app::profiles::Profile;
use facets_app::sign_ins::ConnectedApps;
use facets_app::views::{AppStatus, PersonView, PostView, SyncReport, ThreadView, TimelinePage};
use facets_app::{AppError, Core, ErrorKind};
use facets_model::{Surface, TimelineKind};
use serde::Serialize;
use tauri::ipc::{InvokeBody, Request};
use tauri::State;

use crate::shell::{CurrentCore, IdentitiesView, Shell};

#[derive(Debug, Serialize)]
pub struct CommandError {
    kind: ErrorKind,
    message: String,
}

impl From<AppError> for CommandError {
    fn from(error: AppError) -> Self {
        tracing::warn!(error = %error, "command failed");
        CommandError { kind: error.kind(), message: error.human_message() }
    }
}

type Result<T> = std::result::Result<T, CommandError>;

/// The largest page the UI may ask for.
const MAX_PAGE: usize = 100;

/// Moments of the window's startup, from the UI: when its document began (Unix ms), and each
/// moment in ms after that.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StartupMarks {
    time_origin: f64,
    script: Option<f64>,
    mounted: Option<f64>,
    page_requested: Option<f64>,
    page_answered: Option<f64>,
    posts_shown: Option<f64>,
    first_frame: Option<f64>,
    painted: f64,
}

/// The window painted its Feed from the cache: the network may start (`shell::launch`). The
/// first time, logged with the time since `main` began; and with `FACETS_STARTUP_REPORT` set,
/// written to that file as `moment unix-ms` lines for `cargo xtask bench`, which knows when
/// it started the process.
#[tauri::command]
pub fn first_paint(marks: StartupMarks) {
    crate::shell::feed_shown();
    static REPORTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if REPORTED.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let since_main = crate::STARTED.get().map(|started| started.elapsed().as_millis());
    tracing::info!(
        since_main_ms = since_main,
        ?marks,
        "the Feed painted from the cache (its first page, or that it has none)"
    );
    let Some(path) = std::env::var_os("FACETS_STARTUP_REPORT") else { return };
    let moments = [
        ("document", Some(0.0)),
        ("script", marks.script),
        ("mounted", marks.mounted),
        ("page_requested", marks.page_requested),
        ("page_answered", marks.page_answered),
        ("posts_shown", marks.posts_shown),
        ("first_frame", marks.first_frame),
        ("painted", Some(marks.painted)),
    ];
    let shell_ready = crate::SHELL_READY
        .get()
        .and_then(|at| at.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|at| format!("shell_ready {}\n", at.as_millis()));
    let report: String = shell_ready
        .into_iter()
        .chain(
            moments
                .iter()
                .filter_map(|(moment, at)| Some(format!("{moment} {}\n", (marks.time_origin + (*at)?).round() as u64))),
        )
        .collect();
    if let Err(error) = std::fs::write(&path, report) {
        tracing::warn!(%error, "the startup report could not be written");
    }
}

#[tauri::command]
pub async fn app_status(core: CurrentCore) -> Result<AppStatus> {
    Ok(core.status()?)
}

#[tauri::command]
pub async fn timeline_page(
    core: CurrentCore,
    surface: Surface,
    timeline: TimelineKind,
    cursor: Option<String>,
    limit: Option<usize>,
) -> Result<TimelinePage> {
    let limit = limit.unwrap_or(20).clamp(1, MAX_PAGE);
    Ok(core.timeline_page(surface, timeline, cursor.as_deref(), limit).await?)
}

#[tauri::command]
pub async fn refresh(core: CurrentCore, surface: Surface) -> Result<Vec<SyncReport>> {
    Ok(core.refresh(surface).await?)
}

#[tauri::command]
pub async fn open_thread(core: CurrentCore, key: String) -> Result<ThreadView> {
    Ok(core.open_thread(&key).await?)
}

#[tauri::command]
pub async fn delete_post(core: CurrentCore, key: String, everywhere: bool) -> Result<Vec<String>> {
    Ok(core.delete_post(&key, everywhere).await?)
}

#[tauri::command]
pub async fn set_favourite(core: CurrentCore, key: String, favourited: bool) -> Result<PostView> {
    Ok(core.set_favourite(&key, favourited).await?)
}

#[tauri::command]
pub async fn profile(core: CurrentCore, surface: Surface) -> Result<PersonView> {
    Ok(core.profile(surface)?)
}

// --- Compose, drafts and the outbox -----------------------------------------------------------

#[tauri::command]
pub async fn compose_limits(core: CurrentCore) -> Result<Vec<ComposeLimits>> {
    Ok(core.compose_limits()?)
}

#[tauri::command]
pub async fn draft_list(core: CurrentCore) -> Result<Vec<Draft>> {
    Ok(core.draft_list()?)
}

#[tauri::command]
pub async fn draft_new(core: CurrentCore) -> Result<Draft> {
    Ok(core.draft_new()?)
}

#[tauri::command]
pub async fn draft_save(core: CurrentCore, draft: Draft) -> Result<Draft> {
    Ok(core.draft_save(&draft)?)
}

#[tauri::command]
pub async fn draft_delete(core: CurrentCore, id: String) -> Result<()> {
    Ok(core.draft_delete(&id).await?)
}

/// The picture arrives as the raw body of the call (no JSON array of numbers), with the draft
/// and the file name in headers.
#[tauri::command]
pub async fn draft_attach_media(core: CurrentCore, request: Request<'_>) -> Result<Draft> {
    let InvokeBody::Raw(bytes) = request.body() else {
        return Err(AppError::Invalid("The picture did not arrive as a file.".into()).into());
    };
    let header = |name: &str| request.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let draft_id = header("x-draft-id").ok_or_else(|| AppError::Invalid("No draft was named.".into()))?;
    let file_name = header("x-file-name").map(|n| facets_app::percent_decode(&n)).unwrap_or_else(|| "picture".into());
    Ok(core.draft_attach_media(&draft_id, &file_name, bytes.clone()).await?)
}

#[tauri::command]
pub async fn draft_remove_media(core: CurrentCore, draft_id: String, media_id: String) -> Result<Draft> {
    Ok(core.draft_remove_media(&draft_id, &media_id).await?)
}

#[tauri::command]
pub async fn publish(core: CurrentCore, draft_id: String) -> Result<Vec<OutboxEntry>> {
    Ok(core.publish(&draft_id)?)
}

#[tauri::command]
pub async fn outbox_list(core: CurrentCore) -> Result<Vec<OutboxEntry>> {
    Ok(core.outbox_list()?)
}

#[tauri::command]
pub async fn outbox_retry(core: CurrentCore, id: String) -> Result<OutboxEntry> {
    Ok(core.outbox_retry(&id)?)
}

#[tauri::command]
pub async fn edit_source(core: CurrentCore, key: String) -> Result<EditSource> {
    Ok(core.edit_source(&key)?)
}

#[tauri::command]
pub async fn edit_post(core: CurrentCore, key: String, edit: PostEdit, everywhere: bool) -> Result<Vec<PostView>> {
    Ok(core.edit_post(&key, edit, everywhere).await?)
}

#[tauri::command]
pub async fn privacy_settings(core: CurrentCore) -> Result<PrivacySettings> {
    Ok(core.privacy_settings()?)
}

#[tauri::command]
pub async fn set_strip_photo_metadata(core: CurrentCore, strip: bool) -> Result<PrivacySettings> {
    Ok(core.set_strip_photo_metadata(strip)?)
}

#[tauri::command]
pub async fn set_local_privacy(core: CurrentCore, change: LocalPrivacyChange) -> Result<PrivacySettings> {
    Ok(core.set_local_privacy(change)?)
}

#[tauri::command]
pub async fn privacy_center(core: CurrentCore) -> Result<PrivacyCenter> {
    Ok(core.privacy_center()?)
}

#[tauri::command]
pub async fn connected_apps(core: CurrentCore) -> Result<ConnectedApps> {
    Ok(core.connected_apps()?)
}

#[tauri::command]
pub async fn revoke_sign_in(core: CurrentCore, id: String, forget_cached: bool) -> Result<ConnectedApps> {
    Ok(core.revoke_sign_in(&id, forget_cached).await?)
}

/// Signs a surface in again; the UI then syncs it as it syncs any surface.
#[tauri::command]
pub async fn sign_in_again(core: CurrentCore, surface: Surface) -> Result<ConnectedApps> {
    core.sign_in_again(surface).await?;
    Ok(core.connected_apps()?)
}

#[tauri::command]
pub async fn identities(shell: State<'_, Shell>) -> Result<IdentitiesView> {
    Ok(shell.identities()?)
}

/// Where sign-ins are kept on this computer, and what the user may choose.
#[tauri::command]
pub async fn secret_storage(shell: State<'_, Shell>) -> Result<facets_app::sign_ins::SecretStorage> {
    Ok(shell.secret_storage().await?)
}

/// Keeps sign-ins in memory or in the sealed file from now on (the passphrase opens or makes
/// it); the UI reloads on `identity-changed`.
#[tauri::command]
pub async fn choose_secret_store(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    choice: facets_app::sign_ins::SecretsChoice,
    passphrase: Option<String>,
) -> Result<facets_app::sign_ins::SecretStorage> {
    Ok(shell.choose_secret_store(&app, choice, passphrase.as_deref()).await?)
}

/// Turns the window to another identity; the UI reloads on `identity-changed`.
#[tauri::command]
pub async fn switch_identity(app: tauri::AppHandle, shell: State<'_, Shell>, profile: Profile) -> Result<()> {
    Ok(shell.switch_to(&app, &profile).await?)
}

/// Registers Facets on the server and opens the browser on its approval page.
#[tauri::command]
pub async fn add_account_begin(shell: State<'_, Shell>, server: String, new_identity: bool) -> Result<SignInStarted> {
    Ok(shell.add_account_begin(&server, new_identity).await?)
}

/// Waits for the browser to come back, or takes the code the user pasted.
#[tauri::command]
pub async fn add_account_finish(shell: State<'_, Shell>, attempt: String, code: Option<String>) -> Result<SignedIn> {
    Ok(shell.add_account_finish(&attempt, code.as_deref()).await?)
}

#[tauri::command]
pub async fn add_account_link(
    app: tauri::AppHandle,
    shell: State<'_, Shell>,
    attempt: String,
    id: String,
    surfaces: Vec<Surface>,
) -> Result<()> {
    Ok(shell.add_account_link(&app, &attempt, &id, &surfaces).await?)
}

/// Revokes an identity's sign-ins and removes its cache; the identities as they are then.
#[tauri::command]
pub async fn remove_identity(shell: State<'_, Shell>, profile: Profile) -> Result<IdentitiesView> {
    shell.remove_identity(&profile).await?;
    Ok(shell.identities()?)
}

#[tauri::command]
pub async fn add_account_cancel(shell: State<'_, Shell>, attempt: String) -> Result<()> {
    shell.add_account_cancel(&attempt).await;
    Ok(())
}

#[tauri::command]
pub async fn refresh_privacy(core: CurrentCore) -> Result<PrivacyCenter> {
    Ok(core.refresh_privacy().await?)
}

#[tauri::command]
pub async fn set_account_privacy(
    core: CurrentCore,
    surface: Surface,
    change: AccountPrivacyChange,
) -> Result<SurfacePrivacy> {
    Ok(core.set_account_privacy(surface, change).await?)
}

#[tauri::command]
pub async fn answer_follow_request(
    core: CurrentCore,
    surface: Surface,
    person_id: String,
    approve: bool,
) -> Result<SurfacePrivacy> {
    Ok(core.answer_follow_request(surface, &person_id, approve).await?)
}

#[tauri::command]
pub async fn unblock(core: CurrentCore, surface: Surface, person_id: String) -> Result<SurfacePrivacy> {
    Ok(core.set_blocked(surface, &person_id, false).await?)
}

#[tauri::command]
pub async fn unmute(core: CurrentCore, surface: Surface, person_id: String) -> Result<SurfacePrivacy> {
    Ok(core.set_muted(surface, &person_id, false).await?)
}

#[tauri::command]
pub async fn privacy_log(core: CurrentCore, before: Option<i64>) -> Result<PrivacyLogPage> {
    Ok(core.privacy_log(before)?)
}

#[tauri::command]
pub async fn export_privacy_log(app: tauri::AppHandle, core: CurrentCore) -> Result<String> {
    Ok(core.export_privacy_log(&export_folder(&app, &core))?.display().to_string())
}

/// Explore (Visual) or Suggested (Feed) from the cache: ranked from the user's activity when
/// they allow it, newest first otherwise.
#[tauri::command]
pub async fn explore(core: CurrentCore, surface: Surface) -> Result<ExploreView> {
    Ok(core.explore(surface)?)
}

#[tauri::command]
pub async fn activity_signals(core: CurrentCore, before: Option<i64>) -> Result<SignalPage> {
    Ok(core.activity_signals(before)?)
}

#[tauri::command]
pub async fn delete_signal(core: CurrentCore, id: i64) -> Result<bool> {
    Ok(core.delete_signal(id)?)
}

#[tauri::command]
pub async fn delete_all_signals(core: CurrentCore) -> Result<usize> {
    Ok(core.delete_all_signals()?)
}

#[tauri::command]
pub async fn export_signals(app: tauri::AppHandle, core: CurrentCore) -> Result<String> {
    Ok(core.export_signals(&export_folder(&app, &core))?.display().to_string())
}

/// The user's Downloads folder, or the data directory where there is none.
fn export_folder(app: &tauri::AppHandle, core: &Core) -> std::path::PathBuf {
    use tauri::Manager;
    app.path().download_dir().unwrap_or_else(|_| core.data_dir().to_owned())
}

#[tauri::command]
pub async fn inbox(core: CurrentCore, merged: bool, groups: usize) -> Result<InboxView> {
    Ok(core.inbox(merged, groups)?)
}

#[tauri::command]
pub async fn conversation(core: CurrentCore, key: String, before: Option<String>) -> Result<ConversationView> {
    Ok(core.conversation(&key, before.as_deref())?)
}

#[tauri::command]
pub async fn mark_conversation_read(core: CurrentCore, key: String) -> Result<ConversationSummary> {
    Ok(core.mark_conversation_read(&key).await?)
}

#[tauri::command]
pub async fn mark_conversation_unread(core: CurrentCore, key: String) -> Result<ConversationSummary> {
    Ok(core.mark_conversation_unread(&key)?)
}

/// Queues a public reply to a cached post (the thread panel's reply box).
#[tauri::command]
pub async fn reply_to_post(core: CurrentCore, key: String, text: String) -> Result<OutboxEntry> {
    Ok(core.reply_to_post(&key, &text)?)
}

#[tauri::command]
pub async fn reply_to_conversation(core: CurrentCore, key: String, text: String) -> Result<OutboxEntry> {
    Ok(core.reply_to_conversation(&key, &text)?)
}

#[tauri::command]
pub async fn search_messages(core: CurrentCore, query: String) -> Result<Vec<MessageSearchHit>> {
    Ok(core.search_messages(&query)?)
}

#[tauri::command]
pub async fn refresh_inbox(core: CurrentCore) -> Result<()> {
    Ok(core.refresh_inbox().await?)
}

#[tauri::command]
pub async fn start_conversation(
    core: CurrentCore,
    surface: Surface,
    recipient: String,
    text: String,
) -> Result<OutboxEntry> {
    Ok(core.start_conversation(surface, &recipient, &text)?)
}

#[tauri::command]
pub async fn known_people(core: CurrentCore, surface: Surface, prefix: String) -> Result<Vec<PersonView>> {
    Ok(core.known_people(surface, &prefix)?)
}

#[tauri::command]
pub async fn find_people(core: CurrentCore, surface: Surface, query: String) -> Result<Vec<PersonView>> {
    Ok(core.find_people(surface, &query).await?)
}

#[tauri::command]
pub async fn set_same_person(
    core: CurrentCore,
    feed_person_id: String,
    visual_person_id: String,
    same: Option<bool>,
) -> Result<()> {
    Ok(core.set_same_person(&feed_person_id, &visual_person_id, same)?)
}

#[tauri::command]
pub async fn inbox_settings(core: CurrentCore) -> Result<InboxSettings> {
    Ok(core.inbox_settings()?)
}

#[tauri::command]
pub async fn set_inbox_notify(core: CurrentCore, notify: bool) -> Result<InboxSettings> {
    Ok(core.set_inbox_notify(notify)?)
}

#[tauri::command]
pub async fn network_returned(core: CurrentCore) -> Result<usize> {
    Ok(core.network_returned()?)
}

#[tauri::command]
pub async fn outbox_cancel(core: CurrentCore, id: String) -> Result<OutboxEntry> {
    Ok(core.outbox_cancel(&id)?)
}
