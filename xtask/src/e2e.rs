//! End-to-end tests: the real app binary in a real window under Xvfb, driven through
//! tauri-driver and WebKitWebDriver by the WebdriverIO specs in `tests/e2e`.

use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{cargo, deps, root, run_with, Result};

/// Ends a helper process, and everything it started, when the run ends, whatever happened.
pub struct Guard(Child);

impl Guard {
    /// Starts `command` as the leader of a process group of its own, so that what it starts
    /// (WebKitWebDriver, the app) ends with it.
    pub fn spawn(command: &mut Command, what: &str) -> Result<Guard> {
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(command, 0);
        command.spawn().map(Guard).map_err(|e| format!("could not start {what}: {e}"))
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        // SIGTERM first, to the whole group: Xvfb then removes its lock file, and nothing is
        // left running. SIGKILL for whatever has not ended a few seconds later.
        #[cfg(unix)]
        {
            let group = format!("-{}", self.0.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline && matches!(self.0.try_wait(), Ok(None)) {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn wait_until(what: &str, timeout: Duration, mut ready: impl FnMut() -> bool) -> Result {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if ready() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!("{what} did not become ready within {timeout:?}"))
}

fn free_display() -> u32 {
    (90..200).find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists()).unwrap_or(199)
}

fn free_port() -> Result<u16> {
    let listener = TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)).map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

/// Which build of the app the tour drives.
pub enum Build {
    /// Built here, quickly: `cargo xtask e2e` while working.
    Debug,
    /// The optimised app the installers hold, already built by `bundle::build`.
    Release,
}

pub fn run(build: Build) -> Result {
    let root = root();
    let profile = match build {
        Build::Debug => {
            crate::run(&root, &cargo(), &["build", "--package", "facets", "--package", "facets-demo"])?;
            "debug"
        }
        Build::Release => {
            crate::run(&root, &cargo(), &["build", "--release", "--package", "facets-demo"])?;
            "release"
        }
    };
    let exe = |name: &str| root.join("target").join(profile).join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let binary = exe("facets");

    let work = root.join("target").join("e2e");
    let data_dir = work.join("data");
    let screenshots = work.join("screenshots");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&data_dir).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&screenshots).map_err(|e| e.to_string())?;

    let display = start_display()?;
    // A server of the user's own to add as an account: the demo backend run alone, as any
    // Mastodon server would be.
    let server_port = free_port()?;
    let server_log = std::fs::File::create(work.join("own-server.log")).map_err(|e| e.to_string())?;
    let _server = Guard::spawn(
        Command::new(exe("facets-demo"))
            .args(["--port", &server_port.to_string(), "--state-dir"])
            .arg(work.join("own-server"))
            .stdout(server_log.try_clone().map_err(|e| e.to_string())?)
            .stderr(server_log),
        "the demo server",
    )?;
    wait_until("the demo server", Duration::from_secs(60), || {
        TcpStream::connect(SocketAddrV4::new(Ipv4Addr::LOCALHOST, server_port)).is_ok()
    })?;

    let (_driver, port) = start_driver(&display, &work.join("tauri-driver.log"), |driver| {
        driver
            .env("FACETS_DATA_DIR", &data_dir)
            // The app inherits this: no message from the demo's people lands mid-test.
            .env("FACETS_DEMO_MESSAGES_EVERY", "0")
            // No session bus, so no keychain answers, as on a headless Linux without a Secret
            // Service: a developer's own keychain is left alone, sign-ins start in memory, and the
            // tour chooses where to keep them as a user of such a computer would.
            .env_remove("FACETS_SECRETS")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/facets-e2e-no-session-bus")
            // The approval page is opened by the test, not by a browser (`true` opens nothing).
            .env("BROWSER", "true");
    })?;

    let e2e = root.join("tests").join("e2e");
    let result = run_with(
        Command::new("npm")
            .args(["test", "--", "facets-tour"])
            .current_dir(&e2e)
            .env("DISPLAY", &display.name)
            .env("TAURI_DRIVER_PORT", port.to_string())
            .env("FACETS_APP_BINARY", &binary)
            .env("FACETS_DATA_DIR", &data_dir)
            .env("FACETS_SCREENSHOT_DIR", &screenshots)
            .env("FACETS_E2E_SERVER", format!("http://127.0.0.1:{server_port}/feed")),
        "end-to-end tests (tests/e2e)",
    );
    println!("screenshots: {}", screenshots.display());
    if result.is_err() {
        print_log_tail(&work.join("tauri-driver.log"));
    }
    result
}

/// An X server of its own for a run, gone when dropped.
pub struct Display {
    _xvfb: Guard,
    pub name: String,
}

pub fn start_display() -> Result<Display> {
    let number = free_display();
    let name = format!(":{number}");
    println!("\n==> Xvfb {name}");
    let xvfb = Guard::spawn(
        Command::new("Xvfb")
            .args([&name, "-screen", "0", "1440x960x24", "-nolisten", "tcp"])
            .stdout(Stdio::null())
            .stderr(Stdio::null()),
        "Xvfb",
    )?;
    let socket = PathBuf::from(format!("/tmp/.X11-unix/X{number}"));
    wait_until("Xvfb", Duration::from_secs(20), || socket.exists())?;
    Ok(Display { _xvfb: xvfb, name })
}

/// Starts tauri-driver on the display, its output and the app's in `log`; `configure` sets the
/// environment the app will inherit. Returns the driver and its port.
pub fn start_driver(display: &Display, log: &Path, configure: impl FnOnce(&mut Command)) -> Result<(Guard, u16)> {
    let driver = deps::tauri_driver_path().ok_or("tauri-driver is not installed")?;
    let port = free_port()?;
    let native_port = free_port()?;
    println!("==> tauri-driver on 127.0.0.1:{port}");
    let log = std::fs::File::create(log).map_err(|e| e.to_string())?;
    let mut command = Command::new(driver);
    command
        .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
        .env("DISPLAY", &display.name)
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log);
    configure(&mut command);
    let driver = Guard::spawn(&mut command, "tauri-driver")?;
    wait_until("tauri-driver", Duration::from_secs(20), || {
        TcpStream::connect(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port)).is_ok()
    })?;
    Ok((driver, port))
}

pub fn print_log_tail(log: &Path) {
    if let Ok(log) = std::fs::read_to_string(log) {
        let tail: Vec<&str> = log.lines().rev().take(60).collect();
        eprintln!("--- last lines of tauri-driver and app log ---");
        for line in tail.into_iter().rev() {
            eprintln!("{line}");
        }
    }
}
