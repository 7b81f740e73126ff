use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::header;
use axum::routing::get;
use axum::Router;
use image::{ImageFormat, RgbImage};

use super::*;

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 128]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A valid PNG whose header claims `width`×`height` (with a correct CRC, so only the size is
/// wrong): a decompression bomb in miniature.
fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    RgbImage::new(1, 1).write_to(&mut out, ImageFormat::Png).unwrap();
    let mut png = out.into_inner();
    // Signature (8) + length (4) + "IHDR" (4), then width and height.
    png[16..20].copy_from_slice(&width.to_be_bytes());
    png[20..24].copy_from_slice(&height.to_be_bytes());
    let crc = crc32fast::hash(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

#[test]
fn thumbnails_fit_the_box_and_keep_the_aspect_ratio() {
    let thumb = make_thumbnail(&jpeg(2000, 1000), 640).unwrap();
    let decoded = image::load_from_memory(&thumb).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (640, 320));
    let small = image::load_from_memory(&make_thumbnail(&jpeg(300, 200), 640).unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (300, 200), "small images are not scaled up");
}

#[test]
fn a_decompression_bomb_is_rejected_before_allocation() {
    let bomb = png_claiming(100_000, 100_000);
    match make_thumbnail(&bomb, 640) {
        Err(MediaError::Decode(image::ImageError::Limits(_))) => {}
        other => panic!("expected a limits error, got {other:?}"),
    }
    // The same trick at a sane size fails only as a truncated image, proving the bomb was
    // stopped by the limit and not by the crafted file being broken.
    assert!(!matches!(
        make_thumbnail(&png_claiming(64, 64), 640),
        Err(MediaError::Decode(image::ImageError::Limits(_)))
    ));
}

#[test]
fn garbage_is_a_decode_error_not_a_panic() {
    assert!(matches!(make_thumbnail(b"definitely not an image", 64), Err(MediaError::Decode(_))));
}

struct Served {
    hits: AtomicUsize,
    image: Vec<u8>,
}

async fn serve() -> (SocketAddr, Arc<Served>) {
    let served = Arc::new(Served { hits: AtomicUsize::new(0), image: jpeg(1200, 900) });
    let app = Router::new()
        .route(
            "/img/{name}",
            get(|State(s): State<Arc<Served>>, UrlPath(_name): UrlPath<String>| async move {
                s.hits.fetch_add(1, Ordering::SeqCst);
                // A lying content type: the cache must sniff the bytes.
                ([(header::CONTENT_TYPE, "text/html")], s.image.clone())
            }),
        )
        .with_state(served.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, served)
}

#[tokio::test]
async fn downloads_once_shares_identical_bytes_and_sniffs_the_type() {
    let (addr, served) = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = MediaCache::open(dir.path(), 100 * 1024 * 1024).unwrap();
    let a = format!("http://{addr}/img/a");
    let first = cache.fetch(&a).await.unwrap();
    let again = cache.fetch(&a).await.unwrap();
    assert_eq!(first, again);
    assert_eq!(served.hits.load(Ordering::SeqCst), 1, "a cached URL must not be downloaded again");
    assert_eq!(first.content_type, "image/jpeg");

    let b = cache.fetch(&format!("http://{addr}/img/b")).await.unwrap();
    assert_eq!(b.path, first.path, "the same bytes are stored once");

    let thumb = cache.thumbnail(&a, 320).await.unwrap();
    let decoded = image::open(&thumb.path).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (320, 240));
}

#[tokio::test]
async fn concurrent_requests_for_one_url_download_it_once() {
    let (addr, served) = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = Arc::new(MediaCache::open(dir.path(), 100 * 1024 * 1024).unwrap());
    let url = format!("http://{addr}/img/same");
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let cache = cache.clone();
            let url = url.clone();
            tokio::spawn(async move { cache.fetch(&url).await.unwrap() })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(served.hits.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_cache_stays_within_its_bound() {
    let (addr, _served) = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let one = jpeg(1200, 900).len() as u64;
    let cache = MediaCache::open(dir.path(), one * 3).unwrap();
    for i in 0..6 {
        let url = format!("http://{addr}/img/{i}");
        cache.fetch(&url).await.unwrap();
        // Each URL has the same bytes, so make thumbnails of several sizes to add real weight.
        cache.thumbnail(&url, 100 + i * 50).await.unwrap();
    }
    assert!(cache.size_on_disk().unwrap() <= one * 3, "cache grew past its bound: {}", cache.size_on_disk().unwrap());
}

#[tokio::test]
async fn refuses_non_web_urls() {
    let dir = tempfile::tempdir().unwrap();
    let cache = MediaCache::open(dir.path(), 1024).unwrap();
    for url in ["file:///etc/passwd", "javascript:alert(1)", "data:image/png;base64,AAAA"] {
        assert!(matches!(cache.fetch(url).await, Err(MediaError::UnsupportedUrl(_))), "{url}");
    }
}
