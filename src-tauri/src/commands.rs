//! The commands the UI calls (through `ui/src/lib/api.ts` only). Each adapts arguments, calls
//! the core and turns its errors into `{kind, message}` with a human sentence.

use std::sync::Arc;

use facets_app::views::{AppStatus, PersonView, PostView, SyncReport, ThreadView, TimelinePage};
use facets_app::{AppError, Core, ErrorKind};
use facets_model::{Surface, TimelineKind};
use serde::Serialize;
use tauri::State;

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

#[tauri::command]
pub async fn app_status(core: State<'_, Arc<Core>>) -> Result<AppStatus> {
    Ok(core.status()?)
}

#[tauri::command]
pub async fn timeline_page(
    core: State<'_, Arc<Core>>,
    surface: Surface,
    timeline: TimelineKind,
    cursor: Option<String>,
    limit: Option<usize>,
) -> Result<TimelinePage> {
    let limit = limit.unwrap_or(20).clamp(1, MAX_PAGE);
    Ok(core.timeline_page(surface, timeline, cursor.as_deref(), limit).await?)
}

#[tauri::command]
pub async fn refresh(core: State<'_, Arc<Core>>, surface: Surface) -> Result<Vec<SyncReport>> {
    Ok(core.refresh(surface).await?)
}

#[tauri::command]
pub async fn open_thread(core: State<'_, Arc<Core>>, key: String) -> Result<ThreadView> {
    Ok(core.open_thread(&key).await?)
}

#[tauri::command]
pub async fn set_favourite(core: State<'_, Arc<Core>>, key: String, favourited: bool) -> Result<PostView> {
    Ok(core.set_favourite(&key, favourited).await?)
}

#[tauri::command]
pub async fn profile(core: State<'_, Arc<Core>>, surface: Surface) -> Result<PersonView> {
    Ok(core.profile(surface)?)
}
