//! `cargo xtask demo` runs the app in demo mode; `cargo xtask test` runs every test.
//! Both first install what a fresh Debian/Ubuntu machine lacks (saying what they install).

mod bundle;
mod deps;
mod e2e;
mod startup;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "usage: cargo xtask <command>

commands:
  demo        build and run Facets in demo mode
  test        run every test: Rust (unit, integration), UI (type check, Vitest), end to end
  e2e         run only the end-to-end tests (builds the app)
  deps        install what is missing (Debian packages, npm packages, tauri-driver)
  bundle      build the installers for this machine (Linux: .deb, .rpm, AppImage when online);
              --check also installs the .deb, opens the installed app under Xvfb and removes it
  icons       make every icon size and format from icons/icon.svg
  bench       measure the data and media paths (add --full for a 1M-post cache), then the
              app's startup and memory under Xvfb, and print the figures beside their goals;
              name sections (timeline, inbox, thumbnails, startup) to run only those";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo(),
        Some("test") => test_all(),
        Some("e2e") => deps::ensure_all().and_then(|_| build_ui()).and_then(|_| e2e::run(e2e::Build::Debug)),
        Some("deps") => deps::ensure_all(),
        Some("bench") => bench(&args[1..]),
        Some("bundle") => bundle::run(&args[1..]),
        Some("icons") => icons(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Builds the benchmarks optimised and runs them; they print their own table. `startup` (the
/// real app under Xvfb) runs after the others, or alone when it is the only section named.
fn bench(args: &[String]) -> Result {
    let sections: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let startup = sections.is_empty() || sections.iter().any(|s| *s == "startup");
    let others: Vec<&String> = args.iter().filter(|a| *a != "startup").collect();
    if sections.is_empty() || sections.iter().any(|s| *s != "startup") {
        let mut command = Command::new(cargo());
        command.args(["run", "--release", "-p", "facets-bench", "--"]).args(others).current_dir(root());
        run_with(&mut command, "benchmarks (crates/facets-bench)")?;
    }
    if startup {
        startup::run()?;
    }
    Ok(())
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_owned()
}

/// Runs a command in `dir`, failing with its description if it fails.
pub fn run(dir: &Path, program: &str, args: &[&str]) -> Result {
    run_with(Command::new(program).args(args).current_dir(dir), &format!("{program} {}", args.join(" ")))
}

pub fn run_with(command: &mut Command, what: &str) -> Result {
    println!("\n==> {what}");
    let status = command.status().map_err(|e| format!("could not start `{what}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{what}` failed ({status})"))
    }
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

pub fn build_ui() -> Result {
    let ui = root().join("ui");
    run(&ui, "npm", &["run", "build"])
}

/// Every icon the bundles need, from the one source image. The mobile and Windows Store sets
/// `tauri icon` also makes are not used by any bundle Facets builds, so they are not kept.
fn icons() -> Result {
    deps::ensure_npm(&root().join("ui"))?;
    let root = root();
    let tauri = bundle::tauri_cli();
    let icons = root.join("icons");
    let made = root.join("target").join("icons");
    let _ = std::fs::remove_dir_all(&made);
    let source = icons.join("icon.svg");
    run_with(Command::new(&tauri).arg("icon").arg(&source).arg("--output").arg(&made), "tauri icon icons/icon.svg")?;
    // The Linux packages install each PNG under its size; the default set has no 256 px one.
    run_with(
        Command::new(&tauri).arg("icon").arg(&source).args(["--png", "256", "--output"]).arg(&made),
        "tauri icon icons/icon.svg --png 256",
    )?;
    for name in ["32x32.png", "64x64.png", "128x128.png", "256x256.png", "icon.png", "icon.icns", "icon.ico"] {
        std::fs::copy(made.join(name), icons.join(name)).map_err(|e| format!("{name}: {e}"))?;
    }
    println!("xtask: icons/ holds every size and format, made from icons/icon.svg");
    Ok(())
}

fn demo() -> Result {
    deps::ensure_system()?;
    deps::ensure_npm(&root().join("ui"))?;
    build_ui()?;
    run(&root(), &cargo(), &["run", "--package", "facets"])
}

/// The keychain test needs a Secret Service: a private D-Bus session with gnome-keyring,
/// unlocked with a throwaway password, lives exactly as long as the test.
fn keychain_test() -> Result {
    let unlock = "printf facets-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null";
    let script = format!("{unlock} && {} test --package facets-secrets -- --ignored", cargo());
    run(&root(), "dbus-run-session", &["--", "sh", "-c", &script])
}

fn test_all() -> Result {
    deps::ensure_all()?;
    let root = root();
    let ui = root.join("ui");
    run(&root, &cargo(), &["fmt", "--all", "--check"])?;
    run(&ui, "npm", &["run", "check"])?;
    run(&ui, "npm", &["test"])?;
    run(&root.join("tests").join("e2e"), "npm", &["run", "check"])?;
    build_ui()?;
    run(&root, &cargo(), &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])?;
    // The shell (`facets`) has no tests of its own; the end-to-end tour tests it, on the release
    // build. Leaving it out saves a debug build of the whole WebKit stack.
    run(&root, &cargo(), &["test", "--workspace", "--exclude", "facets"])?;
    keychain_test()?;
    // The end-to-end tour runs on the release binary the installers hold, built once for both.
    let deb = bundle::build(false)?;
    e2e::run(e2e::Build::Release)?;
    match (deb, bundle::why_no_package_check()) {
        (Some(deb), None) => bundle::check_deb(&deb)?,
        (_, Some(reason)) => println!("\nxtask: skipped the package check: {reason}"),
        (None, None) => {}
    }
    println!("\nAll tests passed.");
    Ok(())
}
