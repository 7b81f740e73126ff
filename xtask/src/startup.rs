//! `cargo xtask bench startup`: the real app under Xvfb in demo mode with 10,000 cached posts.
//! Time from process start to the first cached timeline painted (the app reports the moment,
//! this measures from just before it started the process), beside the same for a window with
//! nothing in it (`src-tauri/examples/floor.rs`); then memory, through tauri-driver
//! (`tests/e2e/memory.test.ts`): PSS of the app and its WebKit processes once the feed shows and
//! after scrolling through 5,000 posts.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::e2e::{start_display, start_driver, wait_until, Display, Guard};
use crate::{cargo, root, run_with, Result};

const CACHED_POSTS: &str = "10000";
const RUNS: usize = 7;
const FIRST_PAINT_GOAL_MS: u64 = 1_000;
const MEMORY_GOAL_MB: f64 = 300.0;
/// Growth while scrolling through 5,000 posts that still counts as flat: the posts' own data
/// (5,000 post views of about a kilobyte, twice over in the core's answers) and noise.
const GROWTH_ALLOWED_MB: f64 = 30.0;

pub fn run() -> Result {
    let root = root();
    if Command::new("Xvfb").arg("-help").stderr(Stdio::null()).status().is_err() {
        println!("startup and memory: skipped, Xvfb is not installed (cargo xtask test installs it)");
        return Ok(());
    }
    crate::build_ui()?;
    crate::run(
        &root,
        &cargo(),
        &["build", "--release", "--package", "facets", "--bin", "facets", "--example", "floor"],
    )?;
    crate::run(&root, &cargo(), &["build", "--release", "--package", "facets-bench"])?;
    let release = root.join("target").join("release");
    let app = release.join("facets");
    let floor = release.join("examples").join("floor");

    let work = root.join("target").join("bench-startup");
    let _ = std::fs::remove_dir_all(&work);
    let seeded = work.join("seeded");
    run_with(
        Command::new(release.join("facets-bench")).arg("seed").arg(&seeded).arg(CACHED_POSTS),
        "seeding a cache of 10,000 posts",
    )?;

    let display = start_display()?;
    let mut app_ms = Vec::new();
    let mut floor_ms = Vec::new();
    let mut app_starts = Vec::new();
    // Interleaved, so that a busy moment of the machine falls on both alike.
    for run in 0..RUNS {
        let dir = work.join(format!("floor-{run}"));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        floor_ms.push(first_paint(&display, &floor, &dir, None)?.painted());
        let dir = work.join(format!("app-{run}"));
        copy_dir(&seeded, &dir.join("data"))?;
        let start = first_paint(&display, &app, &dir, Some(&dir.join("data")))?;
        app_ms.push(start.painted());
        app_starts.push(start);
    }
    let (app_median, floor_median) = (median(&mut app_ms), median(&mut floor_ms));

    let data_dir = work.join("memory");
    copy_dir(&seeded, &data_dir)?;
    let report = work.join("memory.txt");
    let screenshots = work.join("screenshots");
    std::fs::create_dir_all(&screenshots).map_err(|e| e.to_string())?;
    let (_driver, port) = start_driver(&display, &work.join("tauri-driver.log"), |driver| {
        quiet_demo(driver, &data_dir);
    })?;
    let e2e = root.join("tests").join("e2e");
    crate::deps::ensure_npm(&e2e)?;
    run_with(
        Command::new("npm")
            .args(["test", "--", "memory"])
            .current_dir(&e2e)
            .env("DISPLAY", &display.name)
            .env("TAURI_DRIVER_PORT", port.to_string())
            .env("FACETS_APP_BINARY", &app)
            .env("FACETS_BENCH_REPORT", &report)
            .env("FACETS_SCREENSHOT_DIR", &screenshots),
        "memory of the app (tests/e2e/memory.test.ts)",
    )?;
    let figures = std::fs::read_to_string(&report).map_err(|e| format!("no memory report: {e}"))?;
    let figure = |name: &str| -> Result<f64> {
        figures
            .lines()
            .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
            .ok_or_else(|| format!("the memory report has no {name}: {figures}"))
    };
    let (shown, scrolled) = (figure("shown_mb")?, figure("scrolled_mb")?);
    let gl_stack = figure("scrolled_gl_stack_mb")?;

    let mark = |met: bool| if met { "ok" } else { "MISS" };
    println!("\nStartup and memory: the app in demo mode under Xvfb, {CACHED_POSTS} cached posts, {RUNS} runs\n");
    let rows = [
        (
            "First cached timeline painted, median".to_owned(),
            format!("{app_median} ms (runs: {})", list(&app_ms)),
            format!("≤ {FIRST_PAINT_GOAL_MS} ms"),
            mark(app_median <= FIRST_PAINT_GOAL_MS),
        ),
        (
            "Floor: an empty Tauri window painted, median".to_owned(),
            format!("{floor_median} ms (runs: {})", list(&floor_ms)),
            String::new(),
            "",
        ),
        (
            "Memory (PSS, app and WebKit), feed shown".to_owned(),
            format!("{shown:.0} MB"),
            format!("≤ {MEMORY_GOAL_MB:.0} MB"),
            mark(shown <= MEMORY_GOAL_MB),
        ),
        (
            "Memory after scrolling through 5,000 posts".to_owned(),
            format!("{scrolled:.0} MB ({:+.0} MB)", scrolled - shown),
            format!("≤ {MEMORY_GOAL_MB:.0} MB, flat"),
            mark(scrolled <= MEMORY_GOAL_MB && scrolled - shown <= GROWTH_ALLOWED_MB),
        ),
        (
            // Counted in the figure above and its goal. Under Xvfb the GL stack is Mesa's
            // software renderer, which loads all of LLVM in each process that opens a display.
            "  of which the OpenGL stack (Mesa, LLVM)".to_owned(),
            format!("{gl_stack:.0} MB"),
            String::new(),
            "",
        ),
    ];
    let width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let figure_width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    for (what, figure, goal, mark) in &rows {
        println!("{what:width$}  {figure:figure_width$}  {goal:16}{mark}");
    }
    println!("\nWhere the app's first paint went (median of each step; they need not add up):");
    for (step, ms) in breakdown(&app_starts) {
        println!("  {step:58} {ms:5} ms");
    }
    for line in figures.lines().filter(|line| line.contains("_by_program")) {
        println!("  {line} (MB)");
    }
    println!("\nscreenshot after scrolling: {}", screenshots.join("memory-scrolled.png").display());
    Ok(())
}

/// What one start reported: its moments (`document`, `script`, `page_requested`,
/// `page_answered`, `painted`, whichever it reports) in ms after the process was started.
struct Start {
    moments: Vec<(String, u64)>,
}

impl Start {
    fn at(&self, moment: &str) -> Option<u64> {
        self.moments.iter().find(|(name, _)| name == moment).map(|(_, at)| *at)
    }

    fn painted(&self) -> u64 {
        self.at("painted").unwrap_or_default()
    }
}

/// Starts `binary` on the display and returns when it reported each moment up to its first
/// paint; then ends it.
fn first_paint(display: &Display, binary: &Path, dir: &Path, data_dir: Option<&Path>) -> Result<Start> {
    let report = dir.join("first-paint.txt");
    let log = std::fs::File::create(dir.join("app.log")).map_err(|e| e.to_string())?;
    let mut command = Command::new(binary);
    command
        .env("DISPLAY", &display.name)
        .env("WEBKIT_DISABLE_COMPOSITING_MODE", "1")
        .env("FACETS_STARTUP_REPORT", &report)
        .stdout(log.try_clone().map_err(|e| e.to_string())?)
        .stderr(log);
    if let Some(data_dir) = data_dir {
        quiet_demo(&mut command, data_dir);
    }
    let started = unix_ms();
    let process = Guard::spawn(&mut command, &binary.display().to_string())?;
    wait_until("the first paint", Duration::from_secs(60), || {
        std::fs::read_to_string(&report).is_ok_and(|text| text.contains("painted "))
    })?;
    drop(process);
    let text = std::fs::read_to_string(&report).map_err(|e| e.to_string())?;
    let moments = text
        .lines()
        .map(|line| {
            let (name, at) = line.split_once(' ').ok_or_else(|| format!("a bad first-paint report: {text}"))?;
            let at: u64 = at.trim().parse().map_err(|e| format!("a bad first-paint report ({e}): {text}"))?;
            Ok((name.to_owned(), at.saturating_sub(started)))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Start { moments })
}

/// Where the app's time to first paint went: the median of each step between the moments it
/// reported, over the runs.
fn breakdown(starts: &[Start]) -> Vec<(String, u64)> {
    const STEPS: [(&str, &str, &str); 9] = [
        ("start", "shell_ready", "process start → shell ready (cache open)"),
        ("shell_ready", "document", "shell ready → document begins (webview)"),
        ("document", "script", "document → bundle evaluated"),
        ("script", "mounted", "bundle evaluated → app mounted"),
        ("mounted", "page_requested", "mounted → first timeline page asked"),
        ("page_requested", "page_answered", "first timeline page asked → answered"),
        ("page_answered", "posts_shown", "answered → posts in the document"),
        ("posts_shown", "first_frame", "posts in the document → next frame begins"),
        ("first_frame", "painted", "that frame → painted"),
    ];
    STEPS
        .iter()
        .filter_map(|(from, to, what)| {
            let mut spans: Vec<u64> = starts
                .iter()
                .filter_map(|start| {
                    let from = if *from == "start" { Some(0) } else { start.at(from) };
                    Some(start.at(to)?.saturating_sub(from?))
                })
                .collect();
            (spans.len() == starts.len()).then(|| ((*what).to_owned(), median(&mut spans)))
        })
        .collect()
}

/// The demo with the cache in `data_dir`, no message from the demo's people while measuring,
/// and no keychain (the developer's own is left alone).
fn quiet_demo(command: &mut Command, data_dir: &Path) {
    command
        .env("FACETS_DATA_DIR", data_dir)
        .env("FACETS_DEMO_MESSAGES_EVERY", "0")
        .env_remove("FACETS_SECRETS")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/facets-bench-no-session-bus")
        .env("BROWSER", "true");
}

fn copy_dir(from: &Path, to: &Path) -> Result {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        let kind = entry.file_type().map_err(|e| e.to_string())?;
        if kind.is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()))?;
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn unix_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

fn median(values: &mut [u64]) -> u64 {
    values.sort_unstable();
    values[values.len() / 2]
}

fn list(values: &[u64]) -> String {
    values.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
}
