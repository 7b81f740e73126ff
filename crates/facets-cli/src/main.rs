//! The `facets` command line for machines without the desktop app (no WebKit needed). The app's
//! own `facets` binary answers the same commands.

fn main() {
    std::process::exit(facets_cli::run(std::env::args_os()));
}
