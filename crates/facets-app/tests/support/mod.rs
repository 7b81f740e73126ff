//! What the integration tests against the demo share: a core signed in to the demo servers, and
//! the address of the demo's own controls.

use std::sync::Arc;

use facets_app::{Core, CoreConfig};
use facets_model::Surface;
use facets_secrets::MemoryOnly;

/// A core on `dir`, in demo mode and signed in; the demo's people write only when asked.
#[allow(dead_code)] // Each test file uses what it needs of this module.
pub async fn demo_core(dir: &std::path::Path) -> Arc<Core> {
    demo_core_keeping_secrets_in(dir, Arc::new(MemoryOnly::new())).await
}

/// [`demo_core`] with its tokens kept in `secrets`, for tests that look at what is kept.
pub async fn demo_core_keeping_secrets_in(dir: &std::path::Path, secrets: Arc<MemoryOnly>) -> Arc<Core> {
    let config = CoreConfig {
        data_dir: dir.to_owned(),
        media_url_base: "facets-media://localhost/".into(),
        demo_messages_every: None,
        secrets,
        mode: facets_app::Mode::Demo,
    };
    let core = Core::open(config).unwrap();
    core.start_demo().await.expect("demo mode starts and signs in");
    core
}

#[allow(dead_code)] // Each test file uses what it needs of this module.
/// The demo's admin origin (`http://127.0.0.1:PORT`), read from the linked Feed server.
pub fn demo_origin(core: &Core) -> String {
    let status = core.status().unwrap();
    let feed = status.surfaces.iter().find(|s| s.surface == Surface::Feed).unwrap();
    feed.server.trim_end_matches('/').trim_end_matches("/feed").to_owned()
}

#[allow(dead_code)] // Each test file uses what it needs of this module.
/// Every file under `dir`, at any depth.
pub fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}
