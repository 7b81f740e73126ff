//! `GET /api/v2/instance`: what each server says about itself and its limits.

use axum::extract::State;
use axum::Json;
use facets_model::{Dialect, Surface};
use facets_wire as wire;

use super::Ctx;

pub(crate) async fn show(State(ctx): State<Ctx>) -> Json<wire::Instance> {
    // Like a Mastodon server whose LOCAL_DOMAIN differs from the host it is served from: handles
    // read `@mara@facets.example` while the API lives on a loopback port that changes per run.
    let domain = crate::LOCAL_DOMAIN.to_owned();
    let instance = match ctx.surface {
        Surface::Feed => wire::Instance {
            domain,
            title: "Facets Demo: Feed".into(),
            version: "4.3.0".into(),
            description: "A Mastodon server in a bottle: the demo world of Facets.".into(),
            configuration: wire::InstanceConfiguration {
                // Mastodon names its streaming server with a WebSocket URL; the demo's is
                // served beside the API, as on most Mastodon installations.
                urls: wire::InstanceUrls {
                    streaming: Some(format!("ws{}/feed", ctx.shared.origin.trim_start_matches("http"))),
                },
                statuses: wire::StatusLimits {
                    max_characters: 500,
                    max_media_attachments: 4,
                    characters_reserved_per_url: 23,
                },
                media_attachments: wire::MediaLimits::default(),
            },
            api_versions: [("mastodon".to_owned(), 2)].into_iter().collect(),
        },
        // Pixelfed's defaults: captions of 500 characters, albums of 4 photos, 15 000 KB files,
        // JPEG and PNG, no `api_versions`, and no streaming API.
        Surface::Visual => wire::Instance {
            domain,
            title: "Facets Demo: Visual".into(),
            version: "3.5.3 (compatible; Pixelfed 0.12.4)".into(),
            description: "A Pixelfed server in a bottle: the demo world of Facets.".into(),
            configuration: wire::InstanceConfiguration {
                urls: wire::InstanceUrls::default(),
                statuses: wire::StatusLimits {
                    max_characters: 500,
                    max_media_attachments: 4,
                    characters_reserved_per_url: 23,
                },
                media_attachments: wire::MediaLimits {
                    supported_mime_types: vec!["image/jpeg".into(), "image/png".into()],
                    image_size_limit: 15_000 * 1024,
                    image_matrix_limit: 2_073_600,
                    video_size_limit: 15_000 * 1024,
                },
            },
            api_versions: Default::default(),
        },
    };
    Json(instance)
}

/// `GET /.well-known/nodeinfo`: where this server's NodeInfo is, as every fediverse server says.
pub(crate) async fn nodeinfo_links(State(ctx): State<Ctx>) -> Json<wire::NodeInfoLinks> {
    let href = format!("{}/{}/nodeinfo/2.0", ctx.shared.origin, ctx.surface.as_str());
    Json(wire::NodeInfoLinks {
        links: vec![wire::NodeInfoLink { rel: "http://nodeinfo.diaspora.software/ns/schema/2.0".into(), href }],
    })
}

/// `GET /nodeinfo/2.0`: which software this server plays.
pub(crate) async fn nodeinfo(State(ctx): State<Ctx>) -> Json<wire::NodeInfo> {
    let (name, version) = match ctx.dialect() {
        Dialect::Mastodon => ("mastodon", "4.3.0"),
        Dialect::Pixelfed => ("pixelfed", "0.12.4"),
        Dialect::GoToSocial => ("gotosocial", "0.17.3"),
        Dialect::Akkoma => ("akkoma", "3.13.2"),
    };
    Json(wire::NodeInfo {
        version: "2.0".into(),
        software: wire::NodeInfoSoftware { name: name.into(), version: version.into() },
    })
}
