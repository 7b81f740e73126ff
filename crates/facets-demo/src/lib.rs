//! The Facets demo backend: two servers for one identity in one process, generated from a seed.
//!
//! `http://127.0.0.1:PORT/feed` plays a **Mastodon** server (text-first), and
//! `http://127.0.0.1:PORT/visual` a **Pixelfed** server (photos). Both speak the subset of the
//! Mastodon client API that the Facets client uses — OAuth, timelines with `Link` pagination,
//! statuses and threads, favourites, media upload with background processing, conversations,
//! rate-limit headers — over real HTTP, so the client code that talks to real servers is the
//! code that talks to the demo. A token from either server is accepted by both.
//!
//! The world (people, a month of posts, comment threads, albums, direct messages) is a pure
//! function of the seed, placed relative to the start time. Its pictures are painted on demand.
//! What the user adds is kept in memory, or in `state_dir` when one is given.
//!
//! ```no_run
//! # async fn demo() -> Result<(), facets_demo::DemoError> {
//! use facets_demo::{DemoConfig, DemoServer};
//! let server = DemoServer::start(DemoConfig::default(), "127.0.0.1:0".parse().unwrap()).await?;
//! println!("{}", server.base_url(facets_model::Surface::Feed));
//! server.shutdown().await;
//! # Ok(()) }
//! ```

mod api;
mod art;
mod blurhash;
mod faults;
mod ids;
mod images;
mod model;
mod oauth;
mod pagination;
mod pen_pals;
mod persist;
mod render;
mod rng;
mod server;
mod state;
mod text;
mod world;

pub use faults::{FaultPlan, LedgerEntry};
pub use server::{DemoConfig, DemoError, DemoServer};

/// The domain the demo servers name their accounts with (`@mara@facets.example`). `.example`
/// is reserved (RFC 2606), so it can never point at someone else's server.
pub const LOCAL_DOMAIN: &str = "facets.example";
