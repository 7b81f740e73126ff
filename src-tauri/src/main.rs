//! The Facets desktop app: a thin Tauri shell. Commands adapt the UI's calls to
//! `facets_app::Core`; the core's cache changes become `cache-changed` events; the
//! `facets-media` URI scheme serves images from the media cache (no image bytes through
//! `invoke`, no remote URL in the webview).

// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod shell;

use std::path::PathBuf;
use std::sync::Arc;

use facets_app::Core;
use tauri::http::{header, Response, StatusCode};
use tauri::{Emitter, Manager};

/// How the webview addresses the media scheme: custom schemes are `scheme://localhost/` on
/// Linux and macOS, but `http://scheme.localhost/` on Windows.
pub(crate) const MEDIA_URL_BASE: &str =
    if cfg!(windows) { "http://facets-media.localhost/" } else { "facets-media://localhost/" };

/// When `main` began: how long the first cached timeline took to show is counted from here.
pub(crate) static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
/// When the identity's cache was open and the core ready, for the startup report.
pub(crate) static SHELL_READY: std::sync::OnceLock<std::time::SystemTime> = std::sync::OnceLock::new();

/// WebKitGTK keeps pictures as a browser does: up to 128 MB of them decoded, those no longer
/// shown for a minute more. Facets serves every picture from its own cache on disk, so WebKit
/// may let them go once they leave the screen. The setting is the process's: WebKit applies it
/// to every web process, and those started later read it at launch. Set before the event loop
/// runs, while the window's page has not begun to load.
#[cfg(target_os = "linux")]
fn keep_few_pictures() {
    use webkit2gtk::{CacheModel, WebContextExt};
    match webkit2gtk::WebContext::default() {
        Some(context) => context.set_cache_model(CacheModel::DocumentViewer),
        None => tracing::warn!("no WebKit context: pictures are kept as a browser keeps them"),
    }
}

#[cfg(not(target_os = "linux"))]
fn keep_few_pictures() {}

/// glibc gives threads that allocate at once arenas of their own, up to eight per core, and
/// each arena keeps what was freed in it for later. The app's threads (tokio's workers and
/// blocking pool, GTK's, WebKit's) allocate in bursts, a sync or a screen of thumbnails, so
/// freed memory stayed spread over many arenas: the app's share of memory grew by 7 to 27 MB
/// while the feed scrolled through 5,000 posts, and by 4 to 6 with two arenas. Two let two
/// threads allocate at once without waiting, and leave little to go to waste.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn few_malloc_arenas() {
    // SAFETY: `mallopt` sets a parameter of the allocator, which glibc reads under its own lock.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn few_malloc_arenas() {}

fn main() {
    STARTED.get_or_init(std::time::Instant::now);
    few_malloc_arenas();
    // `facets sync`, `facets post …`: the command line, without a window.
    if std::env::args_os().nth(1).is_some_and(|first| facets_cli::is_command(&first)) {
        std::process::exit(facets_cli::run(std::env::args_os()));
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("FACETS_LOG")
                .unwrap_or_else(|_| "info,tao=warn,wry=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();

    let app = tauri::Builder::default()
        .plugin(tauri_plugin_notification::init())
        .setup(|app| {
            let root = match std::env::var_os("FACETS_DATA_DIR") {
                Some(dir) => PathBuf::from(dir),
                None => app.path().app_data_dir()?,
            };
            // The demo's people write to the user every few minutes, unless told otherwise
            // (`FACETS_DEMO_MESSAGES_EVERY=0` turns it off, as the end-to-end tests do).
            let every =
                std::env::var("FACETS_DEMO_MESSAGES_EVERY").ok().and_then(|s| s.parse::<u64>().ok()).unwrap_or(180);
            let demo_messages_every = (every > 0).then(|| std::time::Duration::from_secs(every));
            // Each identity (the demo's included) has a cache of its own; the one in use opens.
            let shell = shell::Shell::open(root, demo_messages_every)?;
            SHELL_READY.get_or_init(std::time::SystemTime::now);
            let since_main = STARTED.get().map(|started| started.elapsed().as_millis());
            tracing::info!(since_main_ms = since_main, "cache open");
            let core = shell.core();
            app.manage(shell);
            shell::launch(app.handle(), core);
            Ok(())
        })
        .register_asynchronous_uri_scheme_protocol("facets-media", |ctx, request, responder| {
            let core = ctx.app_handle().state::<shell::Shell>().core();
            let path = request.uri().path().to_owned();
            tauri::async_runtime::spawn(async move {
                responder.respond(media_response(&core, &path).await);
            });
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::first_paint,
            commands::timeline_page,
            commands::refresh,
            commands::open_thread,
            commands::set_favourite,
            commands::delete_post,
            commands::profile,
            commands::compose_limits,
            commands::draft_list,
            commands::draft_new,
            commands::draft_save,
            commands::draft_delete,
            commands::draft_attach_media,
            commands::draft_remove_media,
            commands::publish,
            commands::outbox_list,
            commands::outbox_retry,
            commands::outbox_cancel,
            commands::network_returned,
            commands::edit_source,
            commands::edit_post,
            commands::privacy_settings,
            commands::set_strip_photo_metadata,
            commands::set_local_privacy,
            commands::privacy_center,
            commands::refresh_privacy,
            commands::set_account_privacy,
            commands::answer_follow_request,
            commands::unblock,
            commands::unmute,
            commands::privacy_log,
            commands::export_privacy_log,
            commands::connected_apps,
            commands::revoke_sign_in,
            commands::sign_in_again,
            commands::identities,
            commands::switch_identity,
            commands::secret_storage,
            commands::choose_secret_store,
            commands::add_account_begin,
            commands::add_account_finish,
            commands::add_account_link,
            commands::add_account_cancel,
            commands::remove_identity,
            commands::explore,
            commands::activity_signals,
            commands::delete_signal,
            commands::delete_all_signals,
            commands::export_signals,
            commands::inbox,
            commands::conversation,
            commands::mark_conversation_read,
            commands::mark_conversation_unread,
            commands::reply_to_conversation,
            commands::reply_to_post,
            commands::search_messages,
            commands::refresh_inbox,
            commands::start_conversation,
            commands::known_people,
            commands::find_people,
            commands::set_same_person,
            commands::inbox_settings,
            commands::set_inbox_notify,
        ])
        .build(tauri::generate_context!())
        .expect("the Tauri application failed to build");
    keep_few_pictures();
    app.run(|app, event| {
        if let tauri::RunEvent::Exit = event {
            tauri::async_runtime::block_on(app.state::<shell::Shell>().shutdown());
        }
    });
}

async fn media_response(core: &Core, path: &str) -> Response<Vec<u8>> {
    let file = match core.resolve_media(path).await {
        Ok(file) => file,
        Err(e) => {
            // A server without the file, or no network, is ordinary; the cache failing to keep
            // a file it has is not.
            if e.is_media_cache_fault() {
                tracing::warn!(path, error = %e, "the media cache could not serve a picture");
            } else {
                tracing::debug!(path, error = %e, "media not available");
            }
            return plain(StatusCode::NOT_FOUND);
        }
    };
    match tokio::fs::read(&file.path).await {
        Ok(bytes) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, file.content_type)
            .header(header::CACHE_CONTROL, "private, max-age=31536000, immutable")
            .header("X-Content-Type-Options", "nosniff")
            .body(bytes)
            .unwrap_or_else(|_| plain(StatusCode::INTERNAL_SERVER_ERROR)),
        Err(_) => plain(StatusCode::NOT_FOUND),
    }
}

fn plain(status: StatusCode) -> Response<Vec<u8>> {
    let mut response = Response::new(Vec::new());
    *response.status_mut() = status;
    response
}

/// Forwards a core channel to the UI as an event, until the core shuts down (the window turned
/// to another identity, or the app quits). A burst that overflows the channel skips to the
/// latest news rather than ending the forwarding.
pub(crate) fn forward<T: Clone + serde::Serialize + Send + 'static>(
    handle: tauri::AppHandle,
    mut changes: tokio::sync::broadcast::Receiver<T>,
    mut closing: tokio::sync::watch::Receiver<bool>,
    event: &'static str,
) {
    tauri::async_runtime::spawn(async move {
        loop {
            let received = tokio::select! {
                received = changes.recv() => received,
                _ = closing.wait_for(|closing| *closing) => break,
            };
            match received {
                Ok(change) => {
                    if let Err(e) = handle.emit(event, change) {
                        tracing::warn!(error = %e, event, "could not emit");
                    }
                }
                Err(tokio::sync::broadcast::error::RecvError::Lagged(skipped)) => {
                    tracing::debug!(skipped, event, "events skipped");
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            }
        }
    });
}

/// A desktop notification for each new message from someone else, while the Facets window is
/// not the one the user looks at, unless they turned notifications off in the Inbox.
pub(crate) fn notify_incoming(handle: tauri::AppHandle, core: Arc<Core>) {
    use tauri_plugin_notification::NotificationExt;
    let mut incoming = core.subscribe_incoming();
    tauri::async_runtime::spawn(async move {
        loop {
            let received = tokio::select! {
                received = incoming.recv() => received,
                // The identity was switched away from: let go of its core.
                () = core.closed() => break,
            };
            let message = match received {
                Ok(message) => message,
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
            };
            let focused = handle.get_webview_window("main").and_then(|w| w.is_focused().ok()).unwrap_or(false);
            let Some(notification) = core.notification_for(&message, focused) else { continue };
            let shown = handle.notification().builder().title(notification.title).body(notification.body).show();
            if let Err(e) = shown {
                tracing::info!(error = %e, "could not show a desktop notification");
            }
        }
    });
}
