// What every end-to-end spec shares: how to reach the app through tauri-driver, and the
// selectors of the views they wait for.

import { remote } from "webdriverio";

export const byTestId = (id: string) => `[data-testid="${id}"]`;
export const FEED_CARDS = `${byTestId("feed-view")} ${byTestId("post-card")}`;

/** Long enough for the first sync from the demo backend on a busy 2-core machine. */
export const FIRST_CONTENT_TIMEOUT = 90_000;

/**
 * Starts `application` in a new WebDriver session through the tauri-driver the harness
 * started on 127.0.0.1:$TAURI_DRIVER_PORT.
 */
export async function launch(application: string): Promise<WebdriverIO.Browser> {
  return remote({
    hostname: "127.0.0.1",
    port: Number(process.env.TAURI_DRIVER_PORT ?? 4444),
    logLevel: "warn",
    capabilities: {
      // WebKitWebDriver speaks classic WebDriver only, and matches no browserName of ours.
      "wdio:enforceWebDriverClassic": true,
      "tauri:options": { application },
    } as WebdriverIO.Capabilities,
  });
}
