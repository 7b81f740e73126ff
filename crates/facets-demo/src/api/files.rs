//! `GET /media/…`: the picture files, outside the API and without authentication, like a
//! server's media storage. Generated pictures are painted on first request and cached.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use facets_model::Surface;

use super::{parse_id, ApiError};
use crate::art::{ArtSpec, Size};
use crate::model::MediaSource;
use crate::server::Shared;

/// `/media/art/{code}/{size}.jpg`: a URL names its picture forever, so it may be cached forever.
pub(crate) async fn art(
    State(shared): State<Arc<Shared>>,
    Path((code, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let size = file.strip_suffix(".jpg").and_then(Size::from_name).ok_or(ApiError::NotFound)?;
    let spec = ArtSpec::from_code(&code).ok_or(ApiError::NotFound)?;
    let key = format!("{code}/{}", size.name());
    let bytes = match shared.images.get(&key) {
        Some(bytes) => bytes,
        None => {
            let bytes = Bytes::from(
                tokio::task::spawn_blocking(move || spec.render_jpeg(size))
                    .await
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            );
            shared.images.put(key, bytes.clone());
            bytes
        }
    };
    Ok(([(CONTENT_TYPE, "image/jpeg"), (CACHE_CONTROL, "public, max-age=31536000, immutable")], bytes).into_response())
}

/// `/media/uploads/{surface}/{id}/original.{ext}` and `…/small.jpg`.
pub(crate) async fn upload(
    State(shared): State<Arc<Shared>>,
    Path((surface, id, file)): Path<(String, String, String)>,
) -> Result<Response, ApiError> {
    let surface: Surface = surface.parse().map_err(|_| ApiError::NotFound)?;
    let id = parse_id(&id)?;
    let data = shared.lock();
    let state = data.surface(surface);
    let (Some(record), Some((original, preview))) = (state.media.get(&id), state.uploads.get(&id)) else {
        return Err(ApiError::NotFound);
    };
    let MediaSource::Upload(upload) = &record.source else {
        return Err(ApiError::NotFound);
    };
    let (content_type, bytes) = if file == "small.jpg" {
        ("image/jpeg".to_owned(), preview.clone())
    } else if file == format!("original.{}", upload.extension) {
        (upload.content_type.clone(), original.clone())
    } else {
        return Err(ApiError::NotFound);
    };
    Ok(([(CONTENT_TYPE, content_type)], bytes).into_response())
}
