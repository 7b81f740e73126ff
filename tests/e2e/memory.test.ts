// Memory of the real app with a large cache, for `cargo xtask bench`: it seeds a data directory
// with 10,000 cached posts, starts tauri-driver with FACETS_DATA_DIR at it, and reads the figures
// this writes to FACETS_BENCH_REPORT. PSS is summed over the app and every process it started
// (WebKit's web and network processes), once the feed shows and the app has finished starting,
// and again after scrolling through 5,000 posts. On the way it notes the figures at 1,000 and 2,500 posts, then what is left once
// the app has been idle long enough for the figure to stop falling (what scrolling retained, not
// garbage yet to be collected), and after reading back up to the newest post a screen at a time
// (what rendering every row again adds). Each figure says how far the feed has read and how many
// posts it holds, and, per program, the anonymous part of PSS (the heaps, steadier between runs
// than the libraries' shared pages) and the part that is the OpenGL stack.

import { readFileSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEED_CARDS, FIRST_CONTENT_TIMEOUT, byTestId, launch } from "./harness.ts";

const appBinary = process.env.FACETS_APP_BINARY;
const report = process.env.FACETS_BENCH_REPORT;
const screenshotDir = process.env.FACETS_SCREENSHOT_DIR ?? path.resolve("screenshots-latest");
const SCROLLED_POSTS = 5_000;
const CHECKPOINTS = [1_000, 2_500];
const POSTS_LIST = `${byTestId("feed-view")} ol[aria-label="Posts"]`;

let browser: WebdriverIO.Browser | undefined;

beforeAll(async () => {
  if (!appBinary || !report) throw new Error("FACETS_APP_BINARY and FACETS_BENCH_REPORT must be set (cargo xtask bench sets them)");
  browser = await launch(appBinary);
});

afterAll(async () => {
  await browser?.deleteSession();
});

/** Every process id with its parent's. */
function processes(): { pid: number; parent: number; exe: string }[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((name) => {
      try {
        // The command name may hold spaces and parentheses: the fields after its last ")" are fixed.
        const stat = readFileSync(`/proc/${name}/stat`, "utf8");
        const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        let exe = "";
        try {
          exe = readlinkSync(`/proc/${name}/exe`);
        } catch {
          // Another user's process, or gone already.
        }
        return [{ pid: Number(name), parent, exe }];
      } catch {
        return [];
      }
    });
}

interface ProgramFigures {
  pss: number;
  /** The anonymous part: the heaps (file pages shared with other processes vary from run to run). */
  anon: number;
  /**
   * The part that is the OpenGL stack: the GL and EGL libraries and Mesa's drivers with the LLVM
   * they load, code and relocated data. Under Xvfb that is Mesa's software renderer, which
   * loads all of LLVM; a machine whose GPU driver needs no LLVM does not have this part.
   */
  gl: number;
}

interface Figures {
  /** PSS of the app and everything it started, in MB. */
  total: number;
  byProgram: Map<string, ProgramFigures>;
}

const GL_STACK = /\/(libLLVM[^/]*|libGL[^/]*|libEGL[^/]*|libglapi[^/]*|libgallium[^/]*|[^/]*_dri\.so[^/]*)$/;

/** PSS in kB of the mappings of a process that belong to the GL stack. */
function glStackKb(pid: number): number {
  let kb = 0;
  let inStack = false;
  for (const line of readFileSync(`/proc/${pid}/smaps`, "utf8").split("\n")) {
    const mapping = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (mapping) inStack = GL_STACK.test(mapping[1] ?? "");
    else if (inStack && line.startsWith("Pss:")) kb += Number(/(\d+)/.exec(line)?.[1] ?? 0);
  }
  return kb;
}

/** Proportional set size, in MB, of the app and everything it started, and of each program. */
function appPssMb(): Figures {
  const all = processes();
  const binary = realpathSync(appBinary!);
  const app = all.filter((p) => p.exe === binary);
  if (app.length !== 1) throw new Error(`expected one ${binary} process, found ${app.length}`);
  const tree = new Set([app[0]!.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (tree.has(p.parent) && !tree.has(p.pid)) {
        tree.add(p.pid);
        grew = true;
      }
    }
  }
  let kb = 0;
  const byProgram = new Map<string, ProgramFigures>();
  for (const pid of tree) {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const pss = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    const anon = Number(/^Pss_Anon:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    const gl = glStackKb(pid);
    kb += pss;
    const program = path.basename(all.find((p) => p.pid === pid)?.exe ?? "") || String(pid);
    const sum = byProgram.get(program) ?? { pss: 0, anon: 0, gl: 0 };
    byProgram.set(program, { pss: sum.pss + pss / 1024, anon: sum.anon + anon / 1024, gl: sum.gl + gl / 1024 });
  }
  return { total: kb / 1024, byProgram };
}

function breakdown(figures: Figures): string {
  return [...figures.byProgram]
    .map(([program, mb]) => `${program} ${mb.pss.toFixed(0)} (anon ${mb.anon.toFixed(0)}, GL stack ${mb.gl.toFixed(0)})`)
    .join(", ");
}

/**
 * How far into the timeline the feed has read: the posts it let go above (`data-before` on the
 * list's wrapper) and those it holds (`data-total`).
 */
async function postsRead(app: WebdriverIO.Browser): Promise<number> {
  return app.execute((selector: string) => {
    const list = document.querySelector<HTMLElement>(selector);
    return Number(list?.parentElement?.dataset.before ?? 0) + Number(list?.dataset.total ?? 0);
  }, POSTS_LIST);
}

/** The posts the feed holds. */
async function postsHeld(app: WebdriverIO.Browser): Promise<number> {
  return Number(await app.$(POSTS_LIST).getAttribute("data-total"));
}

/** Elements in the document: the DOM the list keeps, which stays bounded if rows are let go. */
async function elementCount(app: WebdriverIO.Browser): Promise<number> {
  return app.execute(() => document.getElementsByTagName("*").length);
}

/**
 * Samples PSS every 2 s until it has not fallen by a megabyte for 30 s (at most 3 minutes): the
 * web process lets go of garbage and of images it no longer shows half a minute or so after
 * scrolling stops, not at once.
 */
async function settled(): Promise<{ figures: Figures; seconds: number }> {
  const started = Date.now();
  let lowest = appPssMb();
  let lowestAt = Date.now();
  while (Date.now() - lowestAt < 30_000 && Date.now() - started < 180_000) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const now = appPssMb();
    if (now.total < lowest.total - 1) lowestAt = Date.now();
    if (now.total < lowest.total) lowest = now;
  }
  return { figures: lowest, seconds: Math.round((Date.now() - started) / 1000) };
}

/**
 * Samples PSS every 2 s until it has moved by less than a megabyte either way for 10 s (at most
 * a minute), and answers the last figure: the app has finished starting.
 */
async function steady(): Promise<{ figures: Figures; seconds: number }> {
  const started = Date.now();
  let mark = appPssMb();
  let markAt = Date.now();
  let now = mark;
  while (Date.now() - markAt < 10_000 && Date.now() - started < 60_000) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    now = appPssMb();
    if (Math.abs(now.total - mark.total) >= 1) {
      mark = now;
      markAt = Date.now();
    }
  }
  return { figures: now, seconds: Math.round((Date.now() - started) / 1000) };
}

/**
 * The report, rewritten as each figure arrives so that a step failing later still leaves the
 * earlier ones. `shown_mb` and `scrolled_mb` are what xtask reads.
 */
const lines: string[] = [];
function record(line: string): void {
  lines.push(line);
  writeFileSync(report!, `${lines.join("\n")}\n`);
}

/** A figure on the way, with how far the feed has read, how many posts it holds, and the DOM's size. */
async function point(app: WebdriverIO.Browser, name: string, figures: Figures): Promise<void> {
  const [read, held, elements] = [await postsRead(app), await postsHeld(app), await elementCount(app)];
  record(`${name} read ${read}, held ${held}: ${figures.total.toFixed(1)} MB (${breakdown(figures)}), ${elements} elements`);
}

describe("memory with 10,000 cached posts", () => {
  it("stays bounded while scrolling through 5,000 of them", { timeout: 900_000 }, async () => {
    const app = browser!;
    await app.waitUntil(async () => (await app.$$(FEED_CARDS).length) >= 5, {
      timeout: FIRST_CONTENT_TIMEOUT,
      interval: 250,
      timeoutMsg: "the feed never showed the cached posts",
    });
    // The first cards show before the app has finished starting (the demo's servers, the first
    // sync, the pictures on screen): the figure it starts from is the one once that has settled,
    // so that what starting costs is not counted as scrolling's growth.
    await point(app, "at_first_cards", appPssMb());
    const { figures: shown, seconds: startSettled } = await steady();
    record(`shown_mb ${shown.total.toFixed(1)}`);
    record(`shown_steady_after_s ${startSettled}`);
    record(`shown_by_program ${breakdown(shown)}`);
    await point(app, "at_shown", shown);

    // To the end of what is shown, again and again, as a reader would: rows measured taller
    // than estimated push the end further, and near the end the feed reads the next page.
    const toTheEnd = () =>
      app.execute((selector: string) => {
        const scroller = document.querySelector(selector)?.closest("[data-testid=feed-view]");
        scroller?.scrollTo({ top: scroller.scrollHeight });
      }, POSTS_LIST);
    const checkpoints = [...CHECKPOINTS];
    while ((await postsRead(app)) < SCROLLED_POSTS) {
      const before = await postsRead(app);
      if (checkpoints[0] !== undefined && before >= checkpoints[0]) {
        checkpoints.shift();
        await point(app, "at_scrolling", appPssMb());
      }
      try {
        await app.waitUntil(async () => (await toTheEnd(), await postsRead(app)) > before, {
          timeout: 30_000,
          interval: 50,
        });
      } catch {
        await app.saveScreenshot(path.join(screenshotDir, "memory-stopped.png")).catch(() => undefined);
        const state = await app.execute((selector: string) => {
          const scroller = document.querySelector(selector)?.closest("[data-testid=feed-view]");
          return scroller ? [scroller.scrollTop, scroller.scrollHeight, scroller.clientHeight] : null;
        }, POSTS_LIST);
        throw new Error(`the feed stopped at ${before} posts (scrollTop, scrollHeight, clientHeight: ${state})`);
      }
    }
    const cards = (await app.$$(FEED_CARDS)).length;
    const scrolled = appPssMb();
    const posts = await postsRead(app);
    await app.saveScreenshot(path.join(screenshotDir, "memory-scrolled.png")).catch(() => undefined);
    record(`scrolled_mb ${scrolled.total.toFixed(1)}`);
    record(`scrolled_by_program ${breakdown(scrolled)}`);
    record(`scrolled_gl_stack_mb ${[...scrolled.byProgram.values()].reduce((sum, mb) => sum + mb.gl, 0).toFixed(1)}`);
    record(`cards ${cards}`);
    record(`posts ${posts}`);
    await point(app, "at_scrolled", scrolled);

    // Garbage is collected, and freed pages returned, some time after the scrolling stops.
    const idle = await settled();
    await point(app, `at_idle_${idle.seconds}s`, idle.figures);

    // Back up to the newest post a screen at a time, so that each row is rendered again (and
    // the pages a feed let go of are read again): what this adds is the cost of rendering rows.
    await app.setTimeout({ script: 60_000 });
    for (let atTop = false; !atTop; ) {
      atTop = await app.execute(async (selector: string) => {
        const scroller = document.querySelector(selector)?.closest("[data-testid=feed-view]");
        if (!scroller) return true;
        for (let step = 0; step < 40 && scroller.scrollTop > 0; step += 1) {
          scroller.scrollTop -= scroller.clientHeight;
          await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve)));
        }
        // At the top of the window, newer pages may still be on their way.
        return scroller.scrollTop <= 0 && !scroller.querySelector("[data-testid=load-newer]");
      }, POSTS_LIST);
    }
    const top = await settled();
    await point(app, `at_top_${top.seconds}s`, top.figures);

    expect(cards).toBeLessThanOrEqual(60);
  });
});
