//! The floor under Facets' startup figure: a Tauri window with one line of text in it, timed
//! from process start to its first paint as the app is (`cargo xtask bench`). With
//! `FACETS_STARTUP_REPORT` set, the wall-clock time of that paint (Unix milliseconds) is
//! written to that file as a `painted` line, as the app reports it.

use tauri::http::Response;
use tauri::{WebviewUrl, WebviewWindowBuilder};

/// Reports after the frame that shows the text, as the app does after its first posts.
const PAGE: &str = r#"<!doctype html>
<meta charset="utf-8">
<title>Floor</title>
<p>A window and nothing else.</p>
<script>
  requestAnimationFrame(() => requestAnimationFrame(() => fetch("painted", { method: "POST" })));
</script>
"#;

fn main() {
    let mut context = tauri::generate_context!();
    // Only the window made below: the app's own would load the app.
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .register_uri_scheme_protocol("floor", |_ctx, request| {
            if request.uri().path() == "/painted" {
                report();
                return Response::builder().status(204).body(Vec::new()).expect("an empty response");
            }
            Response::builder()
                .header("Content-Type", "text/html; charset=utf-8")
                .body(PAGE.as_bytes().to_vec())
                .expect("the page")
        })
        .setup(|app| {
            let url = if cfg!(windows) { "http://floor.localhost/" } else { "floor://localhost/" };
            WebviewWindowBuilder::new(app, "floor", WebviewUrl::CustomProtocol(url.parse()?))
                .title("Floor")
                .inner_size(1240.0, 860.0)
                .build()?;
            Ok(())
        })
        .run(context)
        .expect("the floor window runs");
}

fn report() {
    let Some(path) = std::env::var_os("FACETS_STARTUP_REPORT") else { return };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    if let Err(error) = std::fs::write(path, format!("painted {}\n", now.as_millis())) {
        eprintln!("the startup report could not be written: {error}");
    }
}
