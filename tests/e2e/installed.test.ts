// The installed package, as a user meets it: `cargo xtask bundle --check` installs the .deb,
// then starts tauri-driver with a fresh home directory and FACETS_APP_BINARY at the binary the
// package put on the PATH. Nothing of the developer's tree is used: the window must come from
// what the package installed.

import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FEED_CARDS, FIRST_CONTENT_TIMEOUT, launch } from "./harness.ts";

const appBinary = process.env.FACETS_APP_BINARY;
const screenshotDir = process.env.FACETS_SCREENSHOT_DIR ?? path.resolve("screenshots-latest");

let browser: WebdriverIO.Browser | undefined;

beforeAll(async () => {
  if (!appBinary) throw new Error("FACETS_APP_BINARY must point at the installed binary (the harness sets it)");
  browser = await launch(appBinary);
});

afterAll(async () => {
  await browser?.deleteSession();
});

describe("Facets installed from its package", () => {
  it("opens in demo mode on a fresh home and shows the demo feed", async () => {
    const app = browser!;
    try {
      await app.waitUntil(async () => (await app.$$(FEED_CARDS).length) >= 5, {
        timeout: FIRST_CONTENT_TIMEOUT,
        interval: 250,
        timeoutMsg: "the installed app never showed the demo feed",
      });
      expect(await app.$(".demo").isExisting()).toBe(true);
      const firstPost = await app.$(FEED_CARDS).getText();
      expect(firstPost.trim().length).toBeGreaterThan(0);
    } finally {
      await app.saveScreenshot(path.join(screenshotDir, "installed-feed.png")).catch(() => undefined);
    }
  });
});
