//! The media cache. Remote images are downloaded once into the app's cache directory and served
//! to the webview from there (through the app's URI scheme), so the webview never loads a remote
//! URL and no image bytes go through `invoke`.
//!
//! - Blobs are content-addressed (`blobs/<sha256 of the bytes>`); `urls/<sha256 of the URL>`
//!   names the blob of a URL, so two URLs with the same bytes share one file.
//! - The cache is bounded: past `max_bytes`, the least recently used blobs are evicted.
//! - Thumbnails are made on the blocking pool, never on the caller's thread, and decoding is
//!   limited: an image whose header claims a huge size (a decompression bomb) is rejected
//!   before anything is allocated.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use futures_util::StreamExt;
use image::{ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

/// The largest file the cache downloads.
pub const MAX_DOWNLOAD_BYTES: u64 = 40 * 1024 * 1024;
/// The largest image, in pixels per side, that is decoded.
pub const MAX_DECODE_SIDE: u32 = 16_384;
/// The most memory one decode may allocate.
pub const MAX_DECODE_ALLOC: u64 = 512 * 1024 * 1024;
/// How long a URL that could not be downloaded is not asked for again. Rows of a long list come
/// back into view again and again: offline, each would otherwise wait for the network (or a
/// name lookup) to fail once more.
pub const RETRY_FAILED_AFTER: Duration = Duration::from_secs(60);
/// The most failed URLs remembered; past it, the oldest are forgotten first.
const FAILURES_REMEMBERED: usize = 4_096;

#[derive(Debug, thiserror::Error)]
pub enum MediaError {
    #[error("only http(s) media can be cached, not {0:?}")]
    UnsupportedUrl(String),
    #[error("could not download the media: {0}")]
    Download(#[from] reqwest::Error),
    #[error("the media server answered {0}")]
    Status(reqwest::StatusCode),
    #[error("the file is larger than {MAX_DOWNLOAD_BYTES} bytes")]
    TooLarge,
    #[error("the image cannot be decoded: {0}")]
    Decode(#[from] image::ImageError),
    #[error("media cache I/O: {0}")]
    Io(#[from] std::io::Error),
    #[error("thumbnail worker failed: {0}")]
    Worker(String),
    #[error("the thumbnail cannot be made: {0}")]
    Thumbnail(String),
    #[error(
        "the media could not be downloaded a moment ago; it is tried again in a minute, or when the network returns"
    )]
    FailedRecently,
}

/// A file in the cache, ready to be served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedFile {
    pub path: PathBuf,
    pub content_type: String,
}

pub struct MediaCache {
    dir: PathBuf,
    http: reqwest::Client,
    max_bytes: u64,
    /// One download per URL at a time: concurrent requests for it wait for the first.
    in_flight: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// When each URL (by key) last failed to download.
    failures: Mutex<HashMap<String, Instant>>,
    retry_failed_after: Duration,
}

impl MediaCache {
    pub fn open(dir: &Path, max_bytes: u64) -> Result<MediaCache, MediaError> {
        for sub in ["blobs", "urls", "thumbs"] {
            std::fs::create_dir_all(dir.join(sub))?;
            remove_abandoned_parts(&dir.join(sub));
        }
        let http = reqwest::Client::builder()
            .user_agent(concat!("Facets/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()?;
        Ok(MediaCache {
            dir: dir.to_owned(),
            http,
            max_bytes,
            in_flight: Mutex::new(HashMap::new()),
            failures: Mutex::new(HashMap::new()),
            retry_failed_after: RETRY_FAILED_AFTER,
        })
    }

    /// The same cache, trying a failed URL again after `interval` instead of
    /// [`RETRY_FAILED_AFTER`].
    pub fn retrying_failures_after(mut self, interval: Duration) -> MediaCache {
        self.retry_failed_after = interval;
        self
    }

    /// The network is back: URLs that failed may be tried again at once.
    pub fn forget_failures(&self) {
        self.failures.lock().expect("failure map poisoned").clear();
    }

    fn failed_recently(&self, url_key: &str) -> bool {
        let failures = self.failures.lock().expect("failure map poisoned");
        failures.get(url_key).is_some_and(|at| at.elapsed() < self.retry_failed_after)
    }

    fn remember_failure(&self, url_key: &str) {
        let mut failures = self.failures.lock().expect("failure map poisoned");
        if failures.len() >= FAILURES_REMEMBERED {
            failures.retain(|_, at| at.elapsed() < self.retry_failed_after);
        }
        if failures.len() >= FAILURES_REMEMBERED {
            if let Some(oldest) = failures.iter().min_by_key(|(_, at)| **at).map(|(key, _)| key.clone()) {
                failures.remove(&oldest);
            }
        }
        failures.insert(url_key.to_owned(), Instant::now());
    }

    /// The cached file of `url`, downloading it on first use.
    pub async fn fetch(&self, url: &str) -> Result<CachedFile, MediaError> {
        let lower = url.to_ascii_lowercase();
        if !(lower.starts_with("https://") || lower.starts_with("http://")) {
            return Err(MediaError::UnsupportedUrl(url.to_owned()));
        }
        let url_key = hex::encode(Sha256::digest(url.as_bytes()));
        self.one_at_a_time(&url_key, || async {
            match self.lookup(&url_key).await? {
                Some(found) => Ok(found),
                None if self.failed_recently(&url_key) => Err(MediaError::FailedRecently),
                None => {
                    let downloaded = self.download(url, &url_key).await;
                    if downloaded.is_err() {
                        self.remember_failure(&url_key);
                    }
                    downloaded
                }
            }
        })
        .await
    }

    /// Runs `work` for `key` after any run for the same key has ended, so a second asker
    /// finds the first one's result on disk instead of doing the work again.
    async fn one_at_a_time<T, F: std::future::Future<Output = T>>(&self, key: &str, work: impl FnOnce() -> F) -> T {
        let gate = {
            let mut in_flight = self.in_flight.lock().expect("in-flight map poisoned");
            in_flight.entry(key.to_owned()).or_default().clone()
        };
        let result = {
            let _guard = gate.lock().await;
            work().await
        };
        // Left in place while others wait on it: one arriving now must queue behind them, not
        // start beside them on a gate of its own.
        let mut in_flight = self.in_flight.lock().expect("in-flight map poisoned");
        if Arc::strong_count(&gate) <= 2 {
            in_flight.remove(key);
        }
        result
    }

    async fn lookup(&self, url_key: &str) -> Result<Option<CachedFile>, MediaError> {
        let index = self.dir.join("urls").join(url_key);
        let Ok(entry) = tokio::fs::read_to_string(&index).await else {
            return Ok(None);
        };
        let Some((blob, content_type)) = entry.split_once('\n') else {
            return Ok(None);
        };
        let path = self.dir.join("blobs").join(blob);
        if tokio::fs::metadata(&path).await.is_err() {
            return Ok(None);
        }
        touch(&path);
        Ok(Some(CachedFile { path, content_type: content_type.trim().to_owned() }))
    }

    async fn download(&self, url: &str, url_key: &str) -> Result<CachedFile, MediaError> {
        let response = self.http.get(url).send().await?;
        if !response.status().is_success() {
            return Err(MediaError::Status(response.status()));
        }
        if response.content_length().is_some_and(|len| len > MAX_DOWNLOAD_BYTES) {
            return Err(MediaError::TooLarge);
        }
        let declared_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_owned();
        let mut bytes = Vec::new();
        let mut stream = response.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            if bytes.len() as u64 + chunk.len() as u64 > MAX_DOWNLOAD_BYTES {
                return Err(MediaError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        self.store(url_key, &bytes, &declared_type).await
    }

    /// Caches `bytes` as the file of `url`, as if downloaded from it (`declared_type` being
    /// what its server would have said): for a cache filled ahead of time, as the benchmarks'.
    pub async fn insert(&self, url: &str, bytes: &[u8], declared_type: &str) -> Result<CachedFile, MediaError> {
        self.store(&hex::encode(Sha256::digest(url.as_bytes())), bytes, declared_type).await
    }

    async fn store(&self, url_key: &str, bytes: &[u8], declared_type: &str) -> Result<CachedFile, MediaError> {
        // Trust the bytes over the header: a server must not make the webview treat a file as
        // HTML or script.
        let content_type = match image::guess_format(bytes) {
            Ok(format) => format.to_mime_type().to_owned(),
            Err(_) if declared_type.starts_with("video/") || declared_type.starts_with("audio/") => {
                declared_type.to_owned()
            }
            Err(_) => "application/octet-stream".to_owned(),
        };
        let blob = hex::encode(Sha256::digest(bytes));
        let path = self.dir.join("blobs").join(&blob);
        write_atomically(&path, bytes).await?;
        write_atomically(&self.dir.join("urls").join(url_key), format!("{blob}\n{content_type}").as_bytes()).await?;
        self.evict_if_needed().await?;
        Ok(CachedFile { path, content_type })
    }

    /// A JPEG thumbnail of the image at `url` that fits in `max_side`×`max_side`.
    pub async fn thumbnail(&self, url: &str, max_side: u32) -> Result<CachedFile, MediaError> {
        let original = self.fetch(url).await?;
        let blob = original.path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
        let name = format!("{blob}-{max_side}.jpg");
        let path = self.dir.join("thumbs").join(&name);
        self.one_at_a_time(&name, || async {
            if tokio::fs::metadata(&path).await.is_ok() {
                touch(&path);
                return Ok(CachedFile { path: path.clone(), content_type: "image/jpeg".into() });
            }
            let bytes = tokio::fs::read(&original.path).await?;
            let jpeg = tokio::task::spawn_blocking(move || make_thumbnail(&bytes, max_side))
                .await
                .map_err(|e| MediaError::Worker(e.to_string()))??;
            write_atomically(&path, &jpeg).await?;
            Ok(CachedFile { path: path.clone(), content_type: "image/jpeg".into() })
        })
        .await
    }

    /// Removes what was cached for `urls`: the files, their thumbnails and the index entries.
    /// Returns how many of the URLs had something cached. A file shared with another URL goes
    /// too; that URL simply downloads it again when next asked.
    pub async fn forget<'a>(&self, urls: impl IntoIterator<Item = &'a str>) -> Result<usize, MediaError> {
        let mut forgotten = 0;
        let mut blobs = Vec::new();
        for url in urls {
            let index = self.dir.join("urls").join(hex::encode(Sha256::digest(url.as_bytes())));
            let Ok(entry) = tokio::fs::read_to_string(&index).await else { continue };
            if let Some((blob, _)) = entry.split_once('\n') {
                blobs.push(blob.to_owned());
            }
            remove_if_present(&index).await?;
            forgotten += 1;
        }
        if blobs.is_empty() {
            return Ok(forgotten);
        }
        for blob in &blobs {
            remove_if_present(&self.dir.join("blobs").join(blob)).await?;
        }
        for entry in std::fs::read_dir(self.dir.join("thumbs"))? {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            if blobs.iter().any(|blob| name.starts_with(&format!("{blob}-"))) {
                remove_if_present(&path).await?;
            }
        }
        Ok(forgotten)
    }

    /// Total bytes of cached blobs and thumbnails.
    pub fn size_on_disk(&self) -> Result<u64, MediaError> {
        Ok(self.entries()?.iter().map(|e| e.1).sum())
    }

    fn entries(&self) -> Result<Vec<(PathBuf, u64, SystemTime)>, MediaError> {
        let mut entries = Vec::new();
        for sub in ["blobs", "thumbs"] {
            for entry in std::fs::read_dir(self.dir.join(sub))? {
                let entry = entry?;
                let meta = entry.metadata()?;
                if meta.is_file() && !entry.file_name().to_string_lossy().ends_with(".part") {
                    entries.push((entry.path(), meta.len(), meta.modified().unwrap_or(SystemTime::UNIX_EPOCH)));
                }
            }
        }
        Ok(entries)
    }

    async fn evict_if_needed(&self) -> Result<(), MediaError> {
        let mut entries = self.entries()?;
        let mut total: u64 = entries.iter().map(|e| e.1).sum();
        if total <= self.max_bytes {
            return Ok(());
        }
        entries.sort_by_key(|e| e.2);
        for (path, len, _) in entries {
            if total <= self.max_bytes * 9 / 10 {
                break;
            }
            // A URL index entry pointing at a removed blob is treated as a miss.
            if tokio::fs::remove_file(&path).await.is_ok() {
                total = total.saturating_sub(len);
            }
        }
        Ok(())
    }
}

async fn remove_if_present(path: &Path) -> std::io::Result<()> {
    match tokio::fs::remove_file(path).await {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => Err(error),
        _ => Ok(()),
    }
}

/// JPEG quality of grid thumbnails: no visible blocks at grid size, a third of the bytes of 95.
const THUMBNAIL_QUALITY: u8 = 80;

/// Decodes with limits and scales down to fit `max_side`; never scales up.
pub fn make_thumbnail(bytes: &[u8], max_side: u32) -> Result<Vec<u8>, MediaError> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let image = reader.decode()?.into_rgb8();
    let (width, height) = fitted(image.width(), image.height(), max_side);
    let image = if (width, height) == image.dimensions() {
        image
    } else {
        // SIMD convolution: a tenth of the time of `image`'s own resize, for the same filter.
        let mut resized = image::RgbImage::new(width, height);
        fast_image_resize::Resizer::new()
            .resize(
                &image,
                &mut resized,
                &fast_image_resize::ResizeOptions::new()
                    .resize_alg(fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::CatmullRom)),
            )
            .map_err(|e| MediaError::Thumbnail(e.to_string()))?;
        resized
    };
    let side =
        |length: u32| u16::try_from(length).map_err(|_| MediaError::Thumbnail(format!("{length} px is too long")));
    let mut out = Vec::new();
    jpeg_encoder::Encoder::new(&mut out, THUMBNAIL_QUALITY)
        .encode(image.as_raw(), side(width)?, side(height)?, jpeg_encoder::ColorType::Rgb)
        .map_err(|e| MediaError::Thumbnail(e.to_string()))?;
    Ok(out)
}

/// The size of a `width`×`height` picture scaled down to fit a `max_side` square, never up.
fn fitted(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    if width <= max_side && height <= max_side {
        return (width, height);
    }
    let scale = |length: u32, long: u32| {
        ((u64::from(length) * u64::from(max_side) + u64::from(long) / 2) / u64::from(long)).max(1) as u32
    };
    if width >= height {
        (max_side, scale(height, width))
    } else {
        (scale(width, height), max_side)
    }
}

/// A picture made ready to upload: upright, within the server's pixel budget, re-encoded so
/// that no metadata of the original (EXIF, GPS location, camera serials) survives.
#[derive(Debug, Clone)]
pub struct PreparedImage {
    pub bytes: Vec<u8>,
    pub mime_type: &'static str,
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

/// What happens to a photo's metadata (EXIF: location, camera, time) before upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoMetadata {
    /// Re-encode the pixels, so nothing but the picture leaves the machine.
    Strip,
    /// Upload the file as it was taken when the server accepts it as it is. A picture that
    /// must be made smaller is re-encoded, and loses its metadata all the same.
    KeepWhenPossible,
}

/// Prepares a picture for upload. `max_pixels` is the server's `image_matrix_limit` (0 for
/// none). Re-encoded pictures with transparency stay PNG; everything else becomes JPEG.
pub fn prepare_for_upload(bytes: &[u8], max_pixels: u64, metadata: PhotoMetadata) -> Result<PreparedImage, MediaError> {
    use image::{DynamicImage, ImageDecoder};

    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format()?;
    let format = reader.format();
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DECODE_SIDE);
    limits.max_image_height = Some(MAX_DECODE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut image = DynamicImage::from_decoder(decoder)?;
    // The EXIF orientation goes with the rest of the metadata, so apply it to the pixels.
    image.apply_orientation(orientation);
    let pixels = u64::from(image.width()) * u64::from(image.height());
    let fits = max_pixels == 0 || pixels <= max_pixels;
    let as_taken = match format {
        Some(ImageFormat::Jpeg) => Some(("image/jpeg", "jpg")),
        Some(ImageFormat::Png) => Some(("image/png", "png")),
        Some(ImageFormat::WebP) => Some(("image/webp", "webp")),
        _ => None,
    };
    if let (PhotoMetadata::KeepWhenPossible, true, Some((mime_type, extension))) = (metadata, fits, as_taken) {
        let (width, height) = (image.width(), image.height());
        return Ok(PreparedImage { bytes: bytes.to_vec(), mime_type, extension, width, height });
    }
    if !fits {
        let scale = (max_pixels as f64 / pixels as f64).sqrt();
        let width = ((f64::from(image.width()) * scale).floor() as u32).max(1);
        let height = ((f64::from(image.height()) * scale).floor() as u32).max(1);
        image = image.resize(width, height, image::imageops::FilterType::Lanczos3);
    }
    let (width, height) = (image.width(), image.height());
    let mut out = Cursor::new(Vec::new());
    let (mime_type, extension) = if image.color().has_alpha() {
        image.write_to(&mut out, ImageFormat::Png)?;
        ("image/png", "png")
    } else {
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
        image.into_rgb8().write_with_encoder(encoder)?;
        ("image/jpeg", "jpg")
    };
    Ok(PreparedImage { bytes: out.into_inner(), mime_type, extension, width, height })
}

/// Writes through a part file of this writer's own, then renames it into place, so a reader
/// never sees half a file. Two writers of one path (two URLs with the same bytes) each rename a
/// whole file; a shared part file would let one rename the other's half-written bytes.
async fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), MediaError> {
    static WRITES: AtomicU64 = AtomicU64::new(0);
    let mut part = path.as_os_str().to_owned();
    part.push(format!(".{}-{}.part", std::process::id(), WRITES.fetch_add(1, Ordering::Relaxed)));
    let part = PathBuf::from(part);
    tokio::fs::write(&part, bytes).await?;
    tokio::fs::rename(&part, path).await?;
    Ok(())
}

/// Part files are renamed within moments of being written; one an hour old was left by a
/// writer that died (the app killed mid-download). Best effort.
fn remove_abandoned_parts(dir: &Path) {
    const ABANDONED_AFTER: Duration = Duration::from_secs(60 * 60);
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    // Only part files are looked at further: the cache holds thousands of files, and this runs
    // as the app starts.
    for entry in entries.flatten().filter(|entry| entry.file_name().to_string_lossy().ends_with(".part")) {
        let age = entry.metadata().and_then(|m| m.modified()).ok().and_then(|at| at.elapsed().ok());
        if age.is_some_and(|age| age > ABANDONED_AFTER) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Marks a file as recently used, for eviction order. Best effort.
fn touch(path: &Path) {
    if let Ok(file) = std::fs::File::options().append(true).open(path) {
        let _ = file.set_modified(SystemTime::now());
    }
}

#[cfg(test)]
mod tests;
