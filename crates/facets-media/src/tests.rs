use std::io::Cursor;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::extract::{Path as UrlPath, State};
use axum::http::{header, StatusCode};
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

/// A thumbnail shows the picture where it was: the colours of each quarter stay in their
/// quarter, a picture of another kind (a grey PNG) comes out in colour JPEG, and a sliver
/// keeps at least one pixel across.
#[test]
fn thumbnails_keep_each_part_of_the_picture_in_its_place() {
    let quarters = RgbImage::from_fn(1200, 800, |x, y| match (x < 600, y < 400) {
        (true, true) => image::Rgb([220, 30, 30]),
        (false, true) => image::Rgb([30, 220, 30]),
        (true, false) => image::Rgb([30, 30, 220]),
        (false, false) => image::Rgb([240, 240, 240]),
    });
    let mut out = Cursor::new(Vec::new());
    quarters.write_to(&mut out, ImageFormat::Png).unwrap();
    let thumb = image::load_from_memory(&make_thumbnail(&out.into_inner(), 300).unwrap()).unwrap().into_rgb8();
    assert_eq!(thumb.dimensions(), (300, 200));
    for ((x, y), expected) in [
        ((75, 50), [220, 30, 30]),
        ((225, 50), [30, 220, 30]),
        ((75, 150), [30, 30, 220]),
        ((225, 150), [240, 240, 240]),
    ] {
        let got = thumb.get_pixel(x, y).0;
        let close = got.iter().zip(expected).all(|(g, e)| (i16::from(*g) - e).abs() <= 12);
        assert!(close, "({x}, {y}) is {got:?}, not about {expected:?}");
    }

    let mut grey = Cursor::new(Vec::new());
    image::GrayImage::from_pixel(900, 3, image::Luma([90])).write_to(&mut grey, ImageFormat::Png).unwrap();
    let sliver = image::load_from_memory(&make_thumbnail(&grey.into_inner(), 300).unwrap()).unwrap();
    assert_eq!((sliver.width(), sliver.height()), (300, 1));
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
        // A server that has lost its files.
        .route(
            "/gone/{name}",
            get(|State(s): State<Arc<Served>>| async move {
                s.hits.fetch_add(1, Ordering::SeqCst);
                StatusCode::NOT_FOUND
            }),
        )
        // Other bytes, for a file of its own.
        .route("/small/{name}", get(|| async { ([(header::CONTENT_TYPE, "image/jpeg")], jpeg(64, 48)) }))
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

/// A JPEG with an EXIF block that says "rotate 90° clockwise" and carries a fake GPS note.
fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 5) as u8, (y * 5) as u8, 120]));
    let mut plain = std::io::Cursor::new(Vec::new());
    image.write_to(&mut plain, image::ImageFormat::Jpeg).unwrap();
    let plain = plain.into_inner();
    let mut tiff = b"II\x2a\x00\x08\x00\x00\x00".to_vec();
    tiff.extend_from_slice(&[1, 0]); // one entry
    tiff.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]); // Orientation = 6
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(b"GPS 48.8584N 2.2945E");
    let mut app1 = b"Exif\x00\x00".to_vec();
    app1.extend_from_slice(&tiff);
    let length = (app1.len() + 2) as u16;
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

#[test]
fn uploads_lose_their_metadata_but_keep_their_orientation() {
    let original = jpeg_with_exif(40, 20);
    assert!(original.windows(4).any(|w| w == b"Exif"));
    let prepared = prepare_for_upload(&original, 0, PhotoMetadata::Strip).unwrap();
    assert_eq!((prepared.width, prepared.height), (20, 40), "turned upright");
    assert_eq!(prepared.mime_type, "image/jpeg");
    assert!(!prepared.bytes.windows(4).any(|w| w == b"Exif"), "no EXIF block");
    assert!(!prepared.bytes.windows(3).any(|w| w == b"GPS"), "no location");
    let decoded = image::load_from_memory(&prepared.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (20, 40));
}

#[test]
fn keeping_metadata_uploads_the_file_as_taken_unless_it_must_shrink() {
    let original = jpeg_with_exif(40, 20);
    let kept = prepare_for_upload(&original, 0, PhotoMetadata::KeepWhenPossible).unwrap();
    assert_eq!(kept.bytes, original, "the file as taken, location included");
    assert_eq!((kept.width, kept.height), (20, 40), "sized as it will show, upright");
    assert_eq!(kept.mime_type, "image/jpeg");

    let shrunk = prepare_for_upload(&original, 200, PhotoMetadata::KeepWhenPossible).unwrap();
    assert!(u64::from(shrunk.width) * u64::from(shrunk.height) <= 200);
    assert!(!shrunk.bytes.windows(3).any(|w| w == b"GPS"), "a re-encoded picture carries no location");
}

#[test]
fn uploads_fit_the_servers_pixel_budget() {
    let big = image::RgbaImage::from_pixel(300, 200, image::Rgba([10, 20, 30, 128]));
    let mut png = std::io::Cursor::new(Vec::new());
    big.write_to(&mut png, image::ImageFormat::Png).unwrap();
    let prepared = prepare_for_upload(&png.into_inner(), 15_000, PhotoMetadata::Strip).unwrap();
    assert!(u64::from(prepared.width) * u64::from(prepared.height) <= 15_000);
    assert_eq!(prepared.mime_type, "image/png", "transparency stays");
    let ratio = f64::from(prepared.width) / f64::from(prepared.height);
    assert!((ratio - 1.5).abs() < 0.05, "the aspect ratio is kept: {ratio}");
}

#[tokio::test]
async fn forgetting_urls_removes_their_files_and_thumbnails_and_nothing_else() {
    let (addr, served) = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = MediaCache::open(dir.path(), 100 * 1024 * 1024).unwrap();
    let gone = format!("http://{addr}/img/a");
    let kept = format!("http://{addr}/small/kept");
    let file = cache.fetch(&gone).await.unwrap();
    let thumb = cache.thumbnail(&gone, 320).await.unwrap();
    let other = cache.fetch(&kept).await.unwrap();
    assert_ne!(other.path, file.path, "different bytes, different files");

    assert_eq!(cache.forget([gone.as_str(), "http://never/cached"]).await.unwrap(), 1);
    assert!(!file.path.exists() && !thumb.path.exists());
    assert!(other.path.exists(), "another URL's file stays");
    let hits = served.hits.load(Ordering::SeqCst);
    cache.fetch(&gone).await.unwrap();
    assert_eq!(served.hits.load(Ordering::SeqCst), hits + 1, "asked again, it is downloaded again");
}

#[tokio::test]
async fn a_failed_url_is_not_asked_again_until_its_time_or_the_network_returns() {
    let (addr, served) = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = MediaCache::open(dir.path(), 100 * 1024 * 1024).unwrap();
    let gone = format!("http://{addr}/gone/a");
    assert!(matches!(cache.fetch(&gone).await, Err(MediaError::Status(_))));
    assert!(matches!(cache.fetch(&gone).await, Err(MediaError::FailedRecently)));
    assert!(matches!(cache.thumbnail(&gone, 96).await, Err(MediaError::FailedRecently)));
    assert_eq!(served.hits.load(Ordering::SeqCst), 1, "asked once");
    cache.fetch(&format!("http://{addr}/img/b")).await.expect("other URLs are still fetched");

    cache.forget_failures();
    assert!(matches!(cache.fetch(&gone).await, Err(MediaError::Status(_))));
    assert_eq!(served.hits.load(Ordering::SeqCst), 3, "asked again once the network returned (and b once)");

    let impatient = MediaCache::open(dir.path(), 100 * 1024 * 1024).unwrap().retrying_failures_after(Duration::ZERO);
    assert!(matches!(impatient.fetch(&gone).await, Err(MediaError::Status(_))));
    assert!(matches!(impatient.fetch(&gone).await, Err(MediaError::Status(_))), "its time has come");
    assert_eq!(served.hits.load(Ordering::SeqCst), 5);
}

#[tokio::test]
async fn an_inserted_file_is_served_without_the_network() {
    let dir = tempfile::tempdir().unwrap();
    let cache = MediaCache::open(dir.path(), 100 * 1024 * 1024).unwrap();
    // Nothing listens on port 9 of this machine: a download would fail.
    let url = "http://127.0.0.1:9/avatar.jpg";
    let inserted = cache.insert(url, &jpeg(64, 48), "text/html").await.unwrap();
    assert_eq!(inserted.content_type, "image/jpeg", "the bytes say what it is");
    assert_eq!(cache.fetch(url).await.unwrap(), inserted);
    let thumb = cache.thumbnail(url, 32).await.unwrap();
    let decoded = image::open(&thumb.path).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (32, 24));
}

/// Rows ask for the same thumbnail at once (a picture in two views, or two URLs with the same
/// bytes): every answer is the whole picture, none an error from another writer's half-file.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn simultaneous_requests_for_one_picture_all_get_it_whole() {
    let (addr, _served) = serve().await;
    let dir = tempfile::tempdir().unwrap();
    let cache = Arc::new(MediaCache::open(dir.path(), 100 * 1024 * 1024).unwrap());
    let tasks: Vec<_> = (0..24)
        .map(|i| {
            let cache = cache.clone();
            // Three URLs, one picture: the blob and its thumbnail are shared.
            let url = format!("http://{addr}/img/copy-{}", i % 3);
            tokio::spawn(async move {
                let thumb = cache.thumbnail(&url, 320).await?;
                let original = cache.fetch(&url).await?;
                Ok::<_, MediaError>((thumb, original))
            })
        })
        .collect();
    for task in tasks {
        let (thumb, original) = task.await.unwrap().expect("every request gets its picture");
        let decoded = image::open(&thumb.path).expect("a whole thumbnail");
        assert_eq!((decoded.width(), decoded.height()), (320, 240));
        let original = image::load_from_memory(&std::fs::read(&original.path).unwrap()).expect("a whole original");
        assert_eq!(original.width(), 1200);
    }
}

#[test]
fn part_files_left_by_a_killed_writer_go_at_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    drop(MediaCache::open(dir.path(), 1024).unwrap());
    let abandoned = dir.path().join("blobs").join("abc.123-0.part");
    let being_written = dir.path().join("thumbs").join("abc-320.jpg.456-1.part");
    let kept = dir.path().join("blobs").join("def");
    for path in [&abandoned, &being_written, &kept] {
        std::fs::write(path, b"x").unwrap();
    }
    let two_hours_ago = SystemTime::now() - Duration::from_secs(2 * 60 * 60);
    for path in [&abandoned, &kept] {
        std::fs::File::options().append(true).open(path).unwrap().set_modified(two_hours_ago).unwrap();
    }
    drop(MediaCache::open(dir.path(), 1024).unwrap());
    assert!(!abandoned.exists(), "an hour-old part file is abandoned");
    assert!(being_written.exists(), "a fresh part file may still be renamed by its writer");
    assert!(kept.exists(), "cached files stay, however old");
}
