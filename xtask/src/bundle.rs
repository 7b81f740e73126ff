//! Installers. `cargo xtask bundle` builds the ones this machine can make (on Linux a .deb and
//! an .rpm, and an AppImage when its tools can be downloaded); `--check` then installs the .deb
//! as a user would, opens the installed app under Xvfb on a fresh home directory, checks that
//! its window shows the demo feed, removes the package and checks that nothing is left behind.

use std::collections::BTreeSet;
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::{deps, e2e, root, run_with, Result};

/// The .deb must stay smaller than this.
const DEB_SIZE_LIMIT: u64 = 15 * 1024 * 1024;

/// The package's name, as `dpkg` knows it.
const PACKAGE: &str = "facets";

/// Where a package may leave files; what `--check` compares before installing and after
/// removing.
const SYSTEM_DIRS: &[&str] = &["/usr", "/etc", "/opt"];

/// Files that package triggers (not the package) rewrite on every install and removal.
const TRIGGER_CACHES: &[&str] = &["icon-theme.cache", "mimeinfo.cache"];

pub fn run(args: &[String]) -> Result {
    let check = args.iter().any(|a| a == "--check");
    if check {
        deps::ensure_all()?;
        if let Some(reason) = why_no_package_check() {
            return Err(format!("cannot check the package here: {reason}"));
        }
    } else {
        deps::ensure_system()?;
        deps::ensure_npm(&root().join("ui"))?;
    }
    crate::build_ui()?;
    // An AppImage needs linuxdeploy, downloaded by the bundler: tried only when that can work,
    // and never by the check (tests do not touch the internet).
    let deb = build(cfg!(target_os = "linux") && !check)?;
    match deb {
        Some(deb) if check => check_deb(&deb),
        _ => Ok(()),
    }
}

/// Builds the release binary and this machine's installers, prints their sizes and holds the
/// .deb to its size limit. Returns the .deb, on Linux.
pub fn build(with_appimage: bool) -> Result<Option<PathBuf>> {
    let root = root();
    let tauri = tauri_cli();
    let tauri = tauri.to_str().ok_or("the checkout's path is not UTF-8")?;
    let mut bundles = native_bundles().to_owned();
    if with_appimage {
        if online() {
            bundles.push_str(",appimage");
        } else {
            println!("xtask: no connection to github.com, so no AppImage (its tools are downloaded)");
        }
    }
    let bundle_dir = root.join("target").join("release").join("bundle");
    // Installers of an earlier version must not pass for this one.
    let _ = std::fs::remove_dir_all(&bundle_dir);
    crate::run(&root, tauri, &["build", "--ci", "--bundles", &bundles])?;

    let made = artefacts(&bundle_dir)?;
    println!("\n==> packages");
    for path in &made {
        let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
        println!("  {:>8.1} MB  {}", size as f64 / 1_048_576.0, path.strip_prefix(&root).unwrap_or(path).display());
    }
    let Some(deb) = made.into_iter().find(|p| p.extension().is_some_and(|e| e == "deb")) else {
        return if cfg!(target_os = "linux") { Err("the build made no .deb".into()) } else { Ok(None) };
    };
    let size = std::fs::metadata(&deb).map_err(|e| e.to_string())?.len();
    if size > DEB_SIZE_LIMIT {
        return Err(format!(
            "the .deb is {:.1} MB, over the {} MB limit",
            size as f64 / 1_048_576.0,
            DEB_SIZE_LIMIT / 1_048_576
        ));
    }
    Ok(Some(deb))
}

/// The Tauri CLI that ui/package-lock.json pins (npm's shim is a .cmd file on Windows).
pub fn tauri_cli() -> PathBuf {
    let name = if cfg!(windows) { "tauri.cmd" } else { "tauri" };
    root().join("ui").join("node_modules").join(".bin").join(name)
}

/// Why installing the .deb to check it cannot be done on this machine, if it cannot.
pub fn why_no_package_check() -> Option<String> {
    if !cfg!(target_os = "linux") || Command::new("dpkg").arg("--version").output().is_err() {
        return Some("the check installs a .deb, and this is not a Debian or Ubuntu system".into());
    }
    if !deps::can_act_as_root() {
        return Some("it installs a package, which needs root or sudo without a password".into());
    }
    if deps::installed(PACKAGE) {
        return Some(format!("{PACKAGE} is installed on this machine, and the check would remove it"));
    }
    None
}

fn native_bundles() -> &'static str {
    if cfg!(target_os = "linux") {
        "deb,rpm"
    } else if cfg!(target_os = "windows") {
        "msi,nsis"
    } else {
        "app,dmg"
    }
}

fn online() -> bool {
    ("github.com", 443)
        .to_socket_addrs()
        .ok()
        .and_then(|mut addresses| addresses.next())
        .is_some_and(|address| TcpStream::connect_timeout(&address, Duration::from_secs(3)).is_ok())
}

/// The installers in the bundle folder, one folder per format.
fn artefacts(bundle_dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let formats = std::fs::read_dir(bundle_dir).map_err(|e| format!("{}: {e}", bundle_dir.display()))?;
    for format in formats.flatten() {
        for entry in std::fs::read_dir(format.path()).into_iter().flatten().flatten() {
            let path = entry.path();
            let installer = ["deb", "rpm", "AppImage", "msi", "exe", "dmg"]
                .iter()
                .any(|ext| path.extension().is_some_and(|e| e == *ext));
            if installer && path.is_file() {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// Installs the .deb, opens the app it installed, removes it, and checks what it leaves.
pub fn check_deb(deb: &Path) -> Result {
    let deb = deb.canonicalize().map_err(|e| e.to_string())?;
    let deb = path_str(&deb)?;
    let control = output("dpkg-deb", &["--field", deb, "Depends"])?;
    println!("\n==> the package depends on: {}", control.trim());
    for needed in ["libwebkit2gtk-4.1-0", "libgtk-3-0"] {
        if !control.contains(needed) {
            return Err(format!("the .deb does not depend on {needed}"));
        }
    }
    // Removing the package leaves its dependencies, whose files would then look left behind.
    let plan = output("apt-get", &["--simulate", "install", deb])?;
    let others: Vec<&str> = plan
        .lines()
        .filter_map(|line| line.strip_prefix("Inst ")?.split_whitespace().next())
        .filter(|name| *name != PACKAGE)
        .collect();
    if !others.is_empty() {
        return Err(format!("installing the .deb would also install {}: install them first", others.join(", ")));
    }

    let before = system_files()?;
    // Whatever happens after the install starts, the package is purged again.
    let installed = deps::apt_get(&["install", "-y", "-qq", deb]);
    let launched = installed.and_then(|_| check_installed());
    let removed = deps::apt_get(&["purge", "-y", "-qq", PACKAGE]);
    launched?;
    removed?;
    let after = system_files()?;
    let left: Vec<&String> = after.difference(&before).collect();
    if !left.is_empty() {
        return Err(format!("removing the package left files behind: {left:?}"));
    }
    println!("==> removed: nothing is left in {}", SYSTEM_DIRS.join(", "));
    Ok(())
}

/// What the installed package provides, and the app it installed opening on a fresh home.
fn check_installed() -> Result {
    let files = output("dpkg", &["--listfiles", PACKAGE])?;
    let desktop = files
        .lines()
        .find(|f| f.starts_with("/usr/share/applications/") && f.ends_with(".desktop"))
        .ok_or("the package installs no .desktop entry")?;
    let metainfo = files
        .lines()
        .find(|f| f.starts_with("/usr/share/metainfo/") && f.ends_with(".metainfo.xml"))
        .ok_or("the package installs no AppStream metadata")?;
    crate::run(Path::new("/"), "desktop-file-validate", &[desktop])?;
    crate::run(Path::new("/"), "appstreamcli", &["validate", "--no-net", metainfo])?;
    let entry = std::fs::read_to_string(desktop).map_err(|e| e.to_string())?;
    if !entry.lines().any(|l| l == "Exec=facets") {
        return Err(format!("{desktop} does not start `facets`:\n{entry}"));
    }
    // What the shell finds on the PATH, as a user typing `facets` would.
    let binary = output("sh", &["-c", "command -v facets"])?.trim().to_owned();
    println!("==> installed: {binary}, {desktop}, {metainfo}");

    let work = root().join("target").join("package-check");
    let home = work.join("home");
    let screenshots = work.join("screenshots");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&home).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&screenshots).map_err(|e| e.to_string())?;
    let display = e2e::start_display()?;
    let log = work.join("tauri-driver.log");
    let (_driver, port) = e2e::start_driver(&display, &log, |driver| {
        // A fresh home and nothing of the developer's: the app finds its data folder itself.
        driver.env("HOME", &home);
        for variable in ["FACETS_DATA_DIR", "FACETS_SECRETS", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"] {
            driver.env_remove(variable);
        }
        driver.env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/facets-package-check");
    })?;
    let result = run_with(
        Command::new("npm")
            .args(["test", "--", "installed"])
            .current_dir(root().join("tests").join("e2e"))
            .env("TAURI_DRIVER_PORT", port.to_string())
            .env("FACETS_APP_BINARY", &binary)
            .env("FACETS_SCREENSHOT_DIR", &screenshots),
        "the installed app shows the demo feed (tests/e2e/installed.test.ts)",
    );
    println!("screenshot: {}", screenshots.join("installed-feed.png").display());
    if result.is_err() {
        e2e::print_log_tail(&log);
    }
    result
}

/// Every path under the system folders, but the caches package triggers rewrite.
fn system_files() -> Result<BTreeSet<String>> {
    // As root: some system folders are closed to other users.
    let out = deps::as_root("find").args(SYSTEM_DIRS).arg("-xdev").output().map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("listing {} failed: {}", SYSTEM_DIRS.join(", "), String::from_utf8_lossy(&out.stderr)));
    }
    let listing = String::from_utf8(out.stdout).map_err(|e| e.to_string())?;
    Ok(listing
        .lines()
        .filter(|path| !TRIGGER_CACHES.iter().any(|cache| path.ends_with(cache)))
        .map(str::to_owned)
        .collect())
}

fn output(program: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(program).args(args).output().map_err(|e| format!("could not run {program}: {e}"))?;
    if !out.status.success() {
        return Err(format!("`{program} {}` failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr).trim()));
    }
    String::from_utf8(out.stdout).map_err(|e| e.to_string())
}

fn path_str(path: &Path) -> Result<&str> {
    path.to_str().ok_or_else(|| format!("{} is not UTF-8", path.display()))
}
