//! Installing what a fresh machine lacks. Each step says what it installs before doing it.

use std::path::Path;
use std::process::Command;

use crate::{root, run, run_with, Result};

/// Debian/Ubuntu packages for building Tauri 2 apps and running them under Xvfb with WebDriver.
const DEBIAN_PACKAGES: &[&str] = &[
    "build-essential",
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
    "libssl-dev",
    "libxdo-dev",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "fonts-dejavu-core",
    // Fonts a desktop has for what the demo's and the bench's posts carry (emoji, Japanese):
    // without them the screenshots show boxes, and WebKit looks for each missing glyph again
    // and again, which alone made the first paint a fifth slower.
    "fonts-noto-color-emoji",
    "fonts-ipafont-gothic",
    // A real Secret Service for the keychain test, in a private D-Bus session.
    "dbus-daemon",
    "gnome-keyring",
    // Checks of the packaged desktop entry and AppStream metadata.
    "desktop-file-utils",
    "appstream",
];

const TAURI_DRIVER_VERSION: &str = "2.1.0";

pub fn ensure_all() -> Result {
    ensure_system()?;
    ensure_tauri_driver()?;
    ensure_npm(&root().join("ui"))?;
    ensure_npm(&root().join("tests").join("e2e"))
}

pub fn installed(package: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", package])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

pub fn ensure_system() -> Result {
    if Command::new("dpkg-query").arg("--version").output().is_err() {
        println!("xtask: not a Debian/Ubuntu system; install the equivalents of: {}", DEBIAN_PACKAGES.join(" "));
        return Ok(());
    }
    let missing: Vec<&str> = DEBIAN_PACKAGES.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("xtask: installing Debian packages: {}", missing.join(" "));
    apt_get(&["update", "-qq"])?;
    let mut install_args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    install_args.extend(missing.iter().copied());
    apt_get(&install_args)
}

/// `apt-get`, through `sudo` unless this is root.
pub fn apt_get(args: &[&str]) -> Result {
    let mut command = as_root("apt-get");
    command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    run_with(&mut command, &format!("apt-get {}", args.join(" ")))
}

pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

/// `program` run as root: itself when this is root, else through `sudo`.
pub fn as_root(program: &str) -> Command {
    if is_root() {
        Command::new(program)
    } else {
        let mut command = Command::new("sudo");
        command.arg(program);
        command
    }
}

/// Root, or `sudo` without a password: what installing a package for a test may use.
pub fn can_act_as_root() -> bool {
    is_root() || Command::new("sudo").args(["-n", "true"]).output().is_ok_and(|o| o.status.success())
}

pub fn tauri_driver_path() -> Option<std::path::PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
    let path = home.join("bin").join("tauri-driver");
    path.exists().then_some(path)
}

fn ensure_tauri_driver() -> Result {
    if tauri_driver_path().is_some() {
        return Ok(());
    }
    println!("xtask: installing tauri-driver {TAURI_DRIVER_VERSION} (cargo install)");
    let version = format!("tauri-driver@{TAURI_DRIVER_VERSION}");
    run(&root(), "cargo", &["install", "--locked", &version])
}

/// `npm ci` when the packages are missing or older than the lock file.
pub fn ensure_npm(dir: &Path) -> Result {
    if Command::new("npm").arg("--version").output().is_err() {
        return Err("Node.js and npm are needed (Node 20 or newer): install them first".into());
    }
    let modules = dir.join("node_modules").join(".package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (modules.metadata().and_then(|m| m.modified()), lock.metadata().and_then(|m| m.modified())) {
        (Ok(installed), Ok(locked)) => installed >= locked,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    println!("xtask: installing npm packages in {}", dir.strip_prefix(root()).unwrap_or(dir).display());
    run(dir, "npm", &["ci", "--no-audit", "--no-fund"])
}
