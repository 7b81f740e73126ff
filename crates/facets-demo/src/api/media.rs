//! `POST /api/v2/media`, `GET /api/v1/media/:id`, `PUT /api/v1/media/:id`.
//!
//! Small files are processed at once (200). Larger ones answer 202 with no URL yet, and polling
//! them answers 206 twice before 200, the way Mastodon's background processing looks to a client.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use facets_model::Surface;
use image::{GenericImageView, ImageFormat};
use serde::Deserialize;

use super::extract::{FormOrJson, UserSession};
use super::{now_ms, parse_id, ApiError, Ctx};
use crate::art::encode_jpeg;
use crate::ids::Id;
use crate::model::{MediaRecord, MediaSource, UploadedImage};
use crate::render::Renderer;
use crate::state::Data;

/// Files from this size on are "processed in the background".
pub(crate) const BACKGROUND_PROCESSING_BYTES: usize = 256 * 1024;
/// How many polls answer 206 before a background upload is ready.
const POLLS_WHILE_PROCESSING: u8 = 2;
const PREVIEW_LONG_SIDE: u32 = 480;
pub(crate) const MAX_UPLOAD_BYTES: usize = 16 * 1024 * 1024;

struct Processed {
    original: Vec<u8>,
    blurhash: String,
    upload: UploadedImage,
    preview: Vec<u8>,
}

/// Decodes the file (refusing what is not an image) and makes its preview.
fn process(original: Vec<u8>) -> Result<Processed, ApiError> {
    let invalid = || ApiError::Unprocessable("Validation failed: File content type is invalid".into());
    let format = image::guess_format(&original).map_err(|_| invalid())?;
    let (content_type, extension) = match format {
        ImageFormat::Jpeg => ("image/jpeg", "jpg"),
        ImageFormat::Png => ("image/png", "png"),
        ImageFormat::WebP => ("image/webp", "webp"),
        ImageFormat::Gif => ("image/gif", "gif"),
        _ => return Err(invalid()),
    };
    let decoded = image::load_from_memory_with_format(&original, format).map_err(|_| invalid())?;
    let (width, height) = decoded.dimensions();
    let preview = decoded.thumbnail(PREVIEW_LONG_SIDE, PREVIEW_LONG_SIDE).to_rgb8();
    let blurhash = crate::blurhash::encode(&image::imageops::thumbnail(&preview, 32, 32));
    let pending_polls = if original.len() >= BACKGROUND_PROCESSING_BYTES { POLLS_WHILE_PROCESSING } else { 0 };
    Ok(Processed {
        upload: UploadedImage {
            content_type: content_type.to_owned(),
            extension: extension.to_owned(),
            width,
            height,
            preview_width: preview.width(),
            preview_height: preview.height(),
            pending_polls,
        },
        preview: encode_jpeg(&preview),
        blurhash,
        original,
    })
}

fn status_code(record: &MediaRecord) -> StatusCode {
    match &record.source {
        MediaSource::Upload(upload) if upload.pending_polls > 0 => StatusCode::PARTIAL_CONTENT,
        _ => StatusCode::OK,
    }
}

pub(crate) async fn upload(
    State(ctx): State<Ctx>,
    _: UserSession,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let mut multipart = multipart.map_err(|e| ApiError::Unprocessable(e.body_text()))?;
    let (mut file, mut description) = (None, None);
    while let Some(field) = multipart.next_field().await.map_err(|e| ApiError::Unprocessable(e.body_text()))? {
        match field.name() {
            Some("file") => {
                file = Some(field.bytes().await.map_err(|e| ApiError::Unprocessable(e.body_text()))?.to_vec())
            }
            Some("description") => {
                description = Some(field.text().await.map_err(|e| ApiError::Unprocessable(e.body_text()))?)
            }
            _ => {}
        }
    }
    let file = file.ok_or_else(|| ApiError::Unprocessable("Validation failed: File can't be blank".into()))?;
    let mut processed =
        tokio::task::spawn_blocking(move || process(file)).await.map_err(|e| ApiError::Internal(e.to_string()))??;
    // Mastodon processes large files in the background (202, then polled); GoToSocial and
    // Akkoma answer once the file is ready (200).
    if matches!(ctx.dialect(), facets_model::Dialect::GoToSocial | facets_model::Dialect::Akkoma) {
        processed.upload.pending_polls = 0;
    }

    let (record, body) = {
        let mut data = ctx.shared.lock();
        let id = data.ids.issue(now_ms());
        let state = data.surface_mut(ctx.surface);
        let record = MediaRecord {
            id,
            owner: state.user_account().id,
            description: description.filter(|d| !d.trim().is_empty()),
            blurhash: Some(processed.blurhash.clone()),
            source: MediaSource::Upload(processed.upload.clone()),
            status: None,
        };
        state.media.insert(id, record.clone());
        state.uploads.insert(id, (processed.original.clone(), processed.preview.clone()));
        let body = Renderer::new(&ctx.shared.origin, ctx.surface, &data).media(&record);
        (record, body)
    };
    ctx.shared.save_upload(
        ctx.surface,
        record.id,
        &processed.upload.extension,
        &processed.original,
        &processed.preview,
    )?;
    ctx.shared.save()?;
    let code = if processed.upload.pending_polls > 0 { StatusCode::ACCEPTED } else { StatusCode::OK };
    Ok((code, Json(body)).into_response())
}

/// The user's own media not yet attached to a post, or "not found" as Mastodon says for anyone
/// else's and for attached ones.
fn own_media(data: &mut Data, surface: Surface, id: Id) -> Result<&mut MediaRecord, ApiError> {
    let state = data.surface_mut(surface);
    let user = state.user_account().id;
    state.media.get_mut(&id).filter(|m| m.owner == user && m.status.is_none()).ok_or(ApiError::NotFound)
}

pub(crate) async fn show(State(ctx): State<Ctx>, _: UserSession, Path(id): Path<String>) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let mut data = ctx.shared.lock();
    let record = own_media(&mut data, ctx.surface, id)?;
    // Answer with the state before this poll, then let processing move on.
    let code = status_code(record);
    let shown = record.clone();
    if let MediaSource::Upload(upload) = &mut record.source {
        upload.pending_polls = upload.pending_polls.saturating_sub(1);
    }
    let body = Renderer::new(&ctx.shared.origin, ctx.surface, &data).media(&shown);
    Ok((code, Json(body)).into_response())
}

#[derive(Deserialize)]
pub(crate) struct MediaUpdate {
    description: Option<String>,
}

pub(crate) async fn update(
    State(ctx): State<Ctx>,
    _: UserSession,
    Path(id): Path<String>,
    FormOrJson(update): FormOrJson<MediaUpdate>,
) -> Result<Response, ApiError> {
    let id = parse_id(&id)?;
    let (code, body) = {
        let mut data = ctx.shared.lock();
        let record = own_media(&mut data, ctx.surface, id)?;
        if let Some(description) = update.description {
            record.description = Some(description).filter(|d| !d.trim().is_empty());
        }
        let record = record.clone();
        (status_code(&record), Renderer::new(&ctx.shared.origin, ctx.surface, &data).media(&record))
    };
    ctx.shared.save()?;
    Ok((code, Json(body)).into_response())
}
