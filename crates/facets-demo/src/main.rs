//! `facets-demo`: runs the demo servers until Ctrl-C.
//!
//! ```text
//! facets-demo [--port N] [--state-dir DIR] [--seed N] [--feed-plays mastodon|gotosocial|akkoma]
//! ```
//! Prints one line per server, `feed http://127.0.0.1:PORT/feed` and
//! `visual http://127.0.0.1:PORT/visual`. `--feed-plays` has the Feed server speak another
//! software's dialect (Visual is always Pixelfed).

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;

use facets_demo::{DemoConfig, DemoServer};
use facets_model::{Dialect, Surface};

const USAGE: &str =
    "usage: facets-demo [--port N] [--state-dir DIR] [--seed N] [--feed-plays mastodon|gotosocial|akkoma]";

struct Arguments {
    port: u16,
    config: DemoConfig,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Arguments, String> {
    let mut parsed = Arguments { port: 0, config: DemoConfig::default() };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => parsed.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--seed" => parsed.config.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--state-dir" => parsed.config.state_dir = Some(PathBuf::from(value()?)),
            "--feed-plays" => {
                parsed.config.feed_plays = match value()?.parse() {
                    Ok(Dialect::Pixelfed) => {
                        return Err(
                            "--feed-plays: Visual plays Pixelfed; Feed plays mastodon, gotosocial or akkoma".into()
                        )
                    }
                    Ok(dialect) => dialect,
                    Err(e) => return Err(format!("--feed-plays: {e}")),
                }
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(parsed)
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let arguments = match parse(std::env::args().skip(1)) {
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, arguments.port));
    let server = match DemoServer::start(arguments.config, addr).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!("facets-demo: {error}");
            return ExitCode::FAILURE;
        }
    };
    for surface in Surface::ALL {
        println!("{surface} {}", server.base_url(surface));
    }
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("facets-demo: cannot wait for Ctrl-C: {error}");
    }
    server.shutdown().await;
    ExitCode::SUCCESS
}
