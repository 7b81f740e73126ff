// Memory of the real app with a large cache, for `cargo xtask bench`: it seeds a data directory
// with 10,000 cached posts, starts tauri-driver with FACETS_DATA_DIR at it, and reads the figures
// this writes to FACETS_BENCH_REPORT. PSS is summed over the app and every process it started
// (WebKit's web and network processes), once the feed shows and again after scrolling through
// 5,000 posts.

import { readFileSync, readdirSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEED_CARDS, FIRST_CONTENT_TIMEOUT, byTestId, launch } from "./harness.ts";

const appBinary = process.env.FACETS_APP_BINARY;
const report = process.env.FACETS_BENCH_REPORT;
const screenshotDir = process.env.FACETS_SCREENSHOT_DIR ?? path.resolve("screenshots-latest");
const SCROLLED_POSTS = 5_000;
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

/** Proportional set size, in MB, of the app and everything it started, and of each program. */
function appPssMb(): { total: number; byProgram: Map<string, number> } {
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
  const byProgram = new Map<string, number>();
  for (const pid of tree) {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
    const pss = Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0);
    kb += pss;
    const program = path.basename(all.find((p) => p.pid === pid)?.exe ?? "") || String(pid);
    byProgram.set(program, (byProgram.get(program) ?? 0) + pss / 1024);
  }
  return { total: kb / 1024, byProgram };
}

function breakdown(figures: { byProgram: Map<string, number> }): string {
  return [...figures.byProgram].map(([program, mb]) => `${program} ${mb.toFixed(0)}`).join(", ");
}

async function shownPosts(app: WebdriverIO.Browser): Promise<number> {
  return Number(await app.$(POSTS_LIST).getAttribute("data-total"));
}

describe("memory with 10,000 cached posts", () => {
  it("stays bounded while scrolling through 5,000 of them", async () => {
    const app = browser!;
    await app.waitUntil(async () => (await app.$$(FEED_CARDS).length) >= 5, {
      timeout: FIRST_CONTENT_TIMEOUT,
      interval: 250,
      timeoutMsg: "the feed never showed the cached posts",
    });
    const shown = appPssMb();

    // To the end of what is shown, again and again, as a reader would: rows measured taller
    // than estimated push the end further, and near the end the feed reads the next page.
    const toTheEnd = () =>
      app.execute((selector: string) => {
        const scroller = document.querySelector(selector)?.closest("[data-testid=feed-view]");
        scroller?.scrollTo({ top: scroller.scrollHeight });
      }, POSTS_LIST);
    while ((await shownPosts(app)) < SCROLLED_POSTS) {
      const before = await shownPosts(app);
      try {
        await app.waitUntil(async () => (await toTheEnd(), await shownPosts(app)) > before, {
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
    await app.saveScreenshot(path.join(screenshotDir, "memory-scrolled.png")).catch(() => undefined);
    writeFileSync(
      report!,
      [
        `shown_mb ${shown.total.toFixed(1)}`,
        `scrolled_mb ${scrolled.total.toFixed(1)}`,
        `shown_by_program ${breakdown(shown)}`,
        `scrolled_by_program ${breakdown(scrolled)}`,
        `cards ${cards}`,
        `posts ${await shownPosts(app)}`,
        "",
      ].join("\n"),
    );
    expect(cards).toBeLessThanOrEqual(60);
  });
});
