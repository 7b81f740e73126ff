// A first-run tour of the real Facets binary, driven through tauri-driver.
//
// The harness (not this file) starts Xvfb and tauri-driver on 127.0.0.1:$TAURI_DRIVER_PORT
// and sets FACETS_APP_BINARY, FACETS_DATA_DIR (a fresh temp dir, so the app
// starts with an empty cache and fills it from the demo backend) and
// FACETS_SCREENSHOT_DIR. Each step waits for what a person would wait for,
// never for a fixed time, and leaves a screenshot behind for review.

import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { Key } from "webdriverio";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { byTestId, FEED_CARDS, FIRST_CONTENT_TIMEOUT, launch as launchApp } from "./harness.ts";

const appBinary = process.env.FACETS_APP_BINARY;
const screenshotDir = process.env.FACETS_SCREENSHOT_DIR ?? path.resolve("screenshots-latest");

const GRID_TILES = `${byTestId("visual-view")} ${byTestId("grid-tile")}`;

const STEP_TIMEOUT = 30_000;

let browser: WebdriverIO.Browser | undefined;

function app(): WebdriverIO.Browser {
  if (!browser) throw new Error("no WebDriver session: the session setup failed, see above");
  return browser;
}

async function screenshot(name: string): Promise<void> {
  await app().saveScreenshot(path.join(screenshotDir, name));
}

async function countOf(selector: string): Promise<number> {
  return (await app().$$(selector)).length;
}

async function waitForCount(selector: string, atLeast: number, timeout: number): Promise<void> {
  await app().waitUntil(async () => (await countOf(selector)) >= atLeast, {
    timeout,
    interval: 250,
    timeoutMsg: `expected at least ${atLeast} × ${selector} within ${timeout / 1000}s, found ${await countOf(selector).catch(() => "?")}`,
  });
}

async function waitUntilGone(selector: string): Promise<void> {
  await app().waitUntil(async () => !(await app().$(selector).isExisting()), {
    timeout: STEP_TIMEOUT,
    timeoutMsg: `${selector} should have closed`,
  });
}

/** True once the first `count` images matching `selector` have decoded real pixels. */
async function imagesLoaded(selector: string, count: number): Promise<boolean> {
  return app().execute(
    (imageSelector: string, wanted: number) => {
      const images = Array.from(document.querySelectorAll<HTMLImageElement>(imageSelector)).slice(0, wanted);
      return images.length >= wanted && images.every((image) => image.complete && image.naturalWidth > 0);
    },
    selector,
    count,
  );
}

/** What each of the first `count` images matching `selector` shows, for a failure message. */
async function imageStates(selector: string, count: number): Promise<string> {
  const states = await app().execute(
    (imageSelector: string, wanted: number) =>
      Array.from(document.querySelectorAll<HTMLImageElement>(imageSelector))
        .slice(0, wanted)
        .map((image) => `${image.src} complete=${image.complete} width=${image.naturalWidth}`),
    selector,
    count,
  );
  return states.length > 0 ? states.join("\n") : "no such image";
}

async function waitForImages(selector: string, count: number, what: string): Promise<void> {
  try {
    await app().waitUntil(() => imagesLoaded(selector, count), { timeout: STEP_TIMEOUT, interval: 250 });
  } catch (error) {
    const states = await imageStates(selector, count).catch(() => "(unknown)");
    throw new Error(`${what} did not finish loading (served by the app's media scheme):\n${states}`, { cause: error });
  }
}

const DRAFT_TEXT = "Low tide at the harbour this morning: boats on the mud, gulls everywhere.";
const NEW_MESSAGE_TEXT = "Are you coming to the market on Saturday?";
const REPLY_TEXT = "Low tide at six tomorrow, bring boots";
const THREAD_REPLY_TEXT = "Same here, the light this week has been unreal";
const EDITED_TEXT = "Low tide at the harbour this morning: boats resting on the mud, gulls everywhere.";

async function waitForSaved(): Promise<void> {
  await app().waitUntil(
    async () => (await app().$(byTestId("compose-view")).getAttribute("data-save-status")) === "saved",
    { timeout: STEP_TIMEOUT, interval: 100, timeoutMsg: "the draft was never saved" },
  );
}

/** Waits for finite animations (a dialog fading in) to end, so a screenshot shows the result. */
async function animationsSettled(): Promise<void> {
  await app().waitUntil(
    () =>
      app().execute(() =>
        document
          .getAnimations()
          .every((animation) => animation.playState !== "running" || animation.effect?.getTiming().iterations === Infinity),
      ),
    { timeout: STEP_TIMEOUT, interval: 50, timeoutMsg: "animations never settled" },
  );
}

async function lightboxSource(): Promise<string> {
  return (await app().$(byTestId("lightbox-image")).getAttribute("src")) ?? "";
}

/** Starts the app in a new WebDriver session (the harness's data directory is kept). */
async function launch(): Promise<WebdriverIO.Browser> {
  return launchApp(appBinary ?? "");
}

beforeAll(async () => {
  if (!appBinary) {
    throw new Error("FACETS_APP_BINARY must point at the built Facets binary (the harness sets it)");
  }
  await mkdir(screenshotDir, { recursive: true });
  browser = await launch();
});

afterAll(async () => {
  await browser?.deleteSession();
});

beforeEach(({ task, onTestFailed }) => {
  // What the window showed when a step failed says more than the assertion.
  onTestFailed(async () => {
    const name = `failed-${task.name.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}.png`;
    await browser?.saveScreenshot(path.join(screenshotDir, name)).catch(() => undefined);
  });
});

describe("Facets, first run in demo mode", () => {
  it("shows the feed from the cache and the first sync", async () => {
    await waitForCount(FEED_CARDS, 5, FIRST_CONTENT_TIMEOUT);
    await screenshot("01-feed.png");
  });

  it("keeps a content warning's text collapsed until asked", async () => {
    const toggle = `${FEED_CARDS} .warning-toggle`;
    // Scrolling to the last card loads older posts, as a person reading down the feed would.
    await app().waitUntil(
      async () => {
        if (await app().$(toggle).isExisting()) return true;
        await app().execute((selector: string) => {
          const cards = document.querySelectorAll(selector);
          cards[cards.length - 1]?.scrollIntoView();
        }, FEED_CARDS);
        return false;
      },
      { timeout: STEP_TIMEOUT, interval: 500, timeoutMsg: "no post with a content warning in the demo feed" },
    );
    const button = app().$(toggle);
    // The warning and the text it hides share a parent.
    const body = button.$("..").$("..");
    await button.scrollIntoView({ block: "center" });
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    expect(await body.$(".content").isExisting()).toBe(false);
    await button.click();
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    await body.$(".content").waitForDisplayed({ timeout: STEP_TIMEOUT });
    await screenshot("02-content-warning-open.png");
    await button.click();
    await app().$(FEED_CARDS).scrollIntoView({ block: "center" });
  });

  it("opens a post's thread in a panel and closes it again", async () => {
    // The author line is plain text, so the click lands on the card itself
    // rather than on a link, a picture or a button inside it.
    const firstCard = app().$(FEED_CARDS);
    await firstCard.$(byTestId("post-author")).click();

    const panel = app().$(byTestId("thread-panel"));
    await panel.waitForDisplayed({ timeout: STEP_TIMEOUT });
    await app().waitUntil(async () => (await panel.getAttribute("data-state")) !== "loading", {
      timeout: STEP_TIMEOUT,
      timeoutMsg: "the thread's comments never finished loading",
    });
    expect(await panel.getAttribute("data-state")).toBe("ready");
    expect((await panel.$$(byTestId("post-card"))).length).toBeGreaterThanOrEqual(1);
    await screenshot("03-thread.png");

    await app().$(byTestId("thread-close")).click();
    await waitUntilGone(byTestId("thread-panel"));
  });

  it("shows the Visual profile with a grid of loaded photos", async () => {
    await app().$(byTestId("nav-visual")).click();
    await app().$(byTestId("profile-header")).waitForDisplayed({ timeout: FIRST_CONTENT_TIMEOUT });
    await waitForCount(GRID_TILES, 9, FIRST_CONTENT_TIMEOUT);
    await waitForImages(`${GRID_TILES} img`, 9, "the first nine grid thumbnails");
    await screenshot("04-visual-grid.png");
  });

  it("opens a multi-picture post in the lightbox and steps through it with the keyboard", async () => {
    // A post with several pictures, so ArrowRight has somewhere to go.
    const multiPicture = app().$(`${GRID_TILES}[data-count]`);
    expect(
      await multiPicture.isExisting(),
      "the demo's Visual grid should hold a post with several pictures (a tile with data-count)",
    ).toBe(true);
    await multiPicture.click();

    await app().$(byTestId("lightbox")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    await waitForImages(byTestId("lightbox-image"), 1, "the full-size picture");
    expect(await app().$(byTestId("lightbox-alt")).getText()).not.toBe("");
    await screenshot("05-lightbox.png");

    const firstSource = await lightboxSource();
    await app().keys(Key.ArrowRight);
    await app().waitUntil(async () => (await lightboxSource()) !== firstSource, {
      timeout: STEP_TIMEOUT,
      timeoutMsg: "ArrowRight should show the post's next picture",
    });
    await waitForImages(byTestId("lightbox-image"), 1, "the second picture");
    expect(await app().$(byTestId("lightbox-prev")).isEnabled()).toBe(true);
    await screenshot("06-lightbox-next.png");

    await app().keys(Key.Escape);
    await waitUntilGone(byTestId("lightbox"));
    expect(await app().$(byTestId("lightbox")).isExisting()).toBe(false);
  });

  it("shows the photo feed of the people followed", async () => {
    await app().$("#visual-tab-photos").click();
    const cards = "#visual-panel-photos .photo-card";
    await waitForCount(cards, 2, FIRST_CONTENT_TIMEOUT);
    await waitForImages(`${cards} .frame img`, 1, "the first photo of the feed");
    await screenshot("07-visual-photos.png");
    // Further photos load as they are scrolled near, inside the view.
    const photoCards = await app().$$(cards);
    await photoCards[1]!.scrollIntoView();
    await waitForImages(`${cards} .frame img`, 2, "the second photo, once scrolled to");
    await photoCards[0]!.scrollIntoView();
  });

  it("keeps a draft through a killed app and offers it back", async () => {
    await app().$(byTestId("nav-compose")).click();
    const text = app().$(byTestId("compose-text"));
    await text.waitForDisplayed({ timeout: STEP_TIMEOUT });
    await text.setValue(DRAFT_TEXT);
    await waitForSaved();
    await screenshot("08-compose-saved.png");

    // SIGKILL: no unload handler, no last save. Only what was durable survives.
    // The app's own command line only: `facets-demo`, the user's own server, shares its prefix.
    const escaped = appBinary!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    execFileSync("pkill", ["-KILL", "-f", "--", `^${escaped}( |$)`]);
    // The old session's browser is gone; do not wait long for it to say goodbye.
    const gone = browser?.deleteSession().catch(() => undefined);
    await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5_000))]);
    browser = await launch();

    await app().$(byTestId("nav-compose")).click();
    await app().$(byTestId("compose-offer")).waitForDisplayed({ timeout: FIRST_CONTENT_TIMEOUT });
    expect(await app().$(byTestId("compose-offer")).getText()).toContain("Low tide at the harbour");
    await screenshot("09-draft-offered.png");
    await app().$(byTestId("compose-resume")).click();
    await app().$(byTestId("compose-text")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    expect(await app().$(byTestId("compose-text")).getValue()).toBe(DRAFT_TEXT);
  });

  it("publishes a picture with alt text to both surfaces, marked as cross-posted", async () => {
    const visualTarget = app().$(byTestId("compose-target-visual"));
    if (!(await visualTarget.isSelected())) await visualTarget.$("..").click();
    await app().waitUntil(() => visualTarget.isSelected(), { timeout: STEP_TIMEOUT, timeoutMsg: "Visual stays off" });

    // A real picture to attach: the grid screenshot taken earlier in this tour.
    await app().$(byTestId("compose-attach-input")).addValue(path.join(screenshotDir, "04-visual-grid.png"));
    const alt = app().$(byTestId("compose-alt-0"));
    await alt.waitForDisplayed({ timeout: STEP_TIMEOUT });
    await waitForImages(`${byTestId("compose-view")} img`, 1, "the attached picture's preview");
    await alt.setValue("A grid of city skylines and misty sunsets");
    await waitForSaved();
    await screenshot("10-compose-ready.png");

    await app().$(byTestId("compose-publish")).click();
    const sent = `${byTestId("outbox-entry")}[data-state="sent"]`;
    await waitForCount(sent, 2, STEP_TIMEOUT);
    await screenshot("11-outbox-sent.png");

    await app().$(byTestId("nav-feed")).click();
    const crossPosted = `${FEED_CARDS} ${byTestId("also-on")}`;
    await app().waitUntil(
      async () => {
        const pill = app().$(byTestId("new-posts-pill"));
        if (await pill.isExisting()) await pill.click();
        return (await countOf(crossPosted)) > 0;
      },
      { timeout: STEP_TIMEOUT, interval: 250, timeoutMsg: "the new post never showed in Feed as cross-posted" },
    );
    const card = app().$(crossPosted).$("..").$("..");
    expect(await card.getText()).toContain("Low tide at the harbour");
    expect(await app().$(crossPosted).getText()).toBe("Also on Visual");
    await screenshot("12-feed-cross-posted.png");

    await app().$(byTestId("nav-visual")).click();
    await app().$("#visual-tab-grid").click();
    await waitForCount(`${GRID_TILES} ${byTestId("also-on")}`, 1, STEP_TIMEOUT);
    await screenshot("13-visual-cross-posted.png");
  });

  it("edits the post and its copy on the other surface", async () => {
    await app().$(byTestId("nav-feed")).click();
    const crossPosted = `${FEED_CARDS} ${byTestId("also-on")}`;
    await waitForCount(crossPosted, 1, STEP_TIMEOUT);
    await app().$(crossPosted).$("..").$("..").$(byTestId("post-edit")).click();

    const text = app().$(byTestId("edit-text"));
    await text.waitForDisplayed({ timeout: STEP_TIMEOUT });
    expect(await text.getValue()).toBe(DRAFT_TEXT);
    expect(await app().$(byTestId("edit-everywhere")).isSelected()).toBe(true);
    await text.setValue(EDITED_TEXT);
    await screenshot("14-edit-dialog.png");
    await app().$(byTestId("edit-save")).click();
    await waitUntilGone(byTestId("edit-dialog"));

    const editedIn = async (cards: string): Promise<boolean> => {
      const pill = app().$(byTestId("new-posts-pill"));
      if (await pill.isExisting()) await pill.click();
      for (const card of await app().$$(cards)) {
        if ((await card.getText()).includes("boats resting") && (await card.$(byTestId("post-edited")).isExisting())) {
          return true;
        }
      }
      return false;
    };
    await app().waitUntil(() => editedIn(FEED_CARDS), {
      timeout: STEP_TIMEOUT,
      interval: 250,
      timeoutMsg: "Feed never showed the edited words",
    });
    await screenshot("15-feed-edited.png");

    await app().$(byTestId("nav-visual")).click();
    await app().$("#visual-tab-photos").click();
    await app().waitUntil(() => editedIn("#visual-panel-photos .photo-card"), {
      timeout: STEP_TIMEOUT,
      interval: 250,
      timeoutMsg: "the Visual copy never showed the edited words",
    });
    await screenshot("16-visual-edited.png");
  });

  it("deletes the post and its copy on the other surface, after asking", async () => {
    await app().$(byTestId("nav-feed")).click();
    const crossPosted = `${FEED_CARDS} ${byTestId("also-on")}`;
    await waitForCount(crossPosted, 1, STEP_TIMEOUT);
    const card = app().$(crossPosted).$("..").$("..");
    await card.$(byTestId("post-delete")).click();

    const dialog = app().$(byTestId("delete-confirm"));
    await dialog.waitForDisplayed({ timeout: STEP_TIMEOUT });
    expect(await app().$(byTestId("delete-everywhere")).isSelected()).toBe(true);
    await screenshot("17-delete-confirm.png");
    await app().$(byTestId("delete-confirm-button")).click();
    await waitUntilGone(byTestId("delete-confirm"));

    await app().waitUntil(async () => (await countOf(crossPosted)) === 0, {
      timeout: STEP_TIMEOUT,
      timeoutMsg: "the deleted post is still in Feed",
    });
    const texts = await app().$$(FEED_CARDS).map((c) => c.getText());
    expect(texts.some((t) => t.includes("Low tide at the harbour"))).toBe(false);
    await app().$(byTestId("nav-visual")).click();
    await app().$("#visual-tab-grid").click();
    await waitForCount(GRID_TILES, 9, STEP_TIMEOUT);
    expect(await countOf(`${GRID_TILES} ${byTestId("also-on")}`)).toBe(0);
  });

  it("gathers both surfaces' messages in one inbox, replies through the right one, and finds it again", async () => {
    // Earlier steps' notices would cover the screenshots; a person would close them too.
    const dismiss = app().$('button[aria-label="Dismiss"]');
    for (let left = 5; left > 0 && (await dismiss.isExisting()); left--) await dismiss.click();
    await app().$(byTestId("nav-inbox")).click();
    const rows = `${byTestId("inbox-view")} ${byTestId("inbox-conversation")}`;
    await waitForCount(rows, 4, FIRST_CONTENT_TIMEOUT);
    const surfaces = new Set(await app().$$(rows).map((row) => row.getAttribute("data-surface")));
    expect([...surfaces].sort()).toEqual(["feed", "visual"]);
    // Feed (Mastodon) streams new messages; Visual (Pixelfed, no streaming API) is polled.
    await app().waitUntil(
      async () => (await app().$(byTestId("inbox-delivery")).getText()) === "Live on Feed · Visual checked every 30 s",
      { timeout: STEP_TIMEOUT, interval: 250, timeoutMsg: "the inbox never said how new messages arrive" },
    );
    await screenshot("18-inbox.png");

    await app().$(`${rows}[data-surface="visual"]`).click();
    const messages = `${byTestId("conversation-view")} ${byTestId("message")}`;
    await waitForCount(messages, 2, STEP_TIMEOUT);
    expect(await app().$(byTestId("reply-send")).getText()).toContain("Visual");
    await app().$(byTestId("reply-text")).setValue(REPLY_TEXT);
    await app().$(byTestId("reply-send")).click();
    await app().waitUntil(
      async () => {
        if (await app().$(byTestId("pending-message")).isExisting()) return false;
        const texts = await app().$$(messages).map((message) => message.getText());
        return texts.some((text) => text.includes(REPLY_TEXT));
      },
      { timeout: STEP_TIMEOUT, interval: 250, timeoutMsg: "the reply never showed as sent in the conversation" },
    );
    await screenshot("19-conversation-replied.png");

    await app().$(byTestId("inbox-search")).setValue("boots");
    await waitForCount(byTestId("search-hit"), 1, STEP_TIMEOUT);
    // WebKitWebDriver's visible-text rules skip ellipsised spans; the DOM's text is what matters.
    expect(await app().$(byTestId("search-hit")).getProperty("textContent")).toContain("bring boots");
    await screenshot("20-inbox-search.png");
    await app().$(byTestId("inbox-search")).clearValue();
    await app().$(byTestId("inbox-search")).addValue(Key.Escape);

    // A new conversation with someone the user never met (the server finds her), sent through
    // the outbox.
    await app().$(byTestId("inbox-new-message")).click();
    await app().$(byTestId("new-message-recipient")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    await app().$(byTestId("new-message-recipient")).setValue("noo");
    await waitForCount(byTestId("new-message-suggestion"), 1, STEP_TIMEOUT);
    const suggestion = app().$(byTestId("new-message-suggestion"));
    expect(await suggestion.getProperty("textContent")).toContain("Noor Rahman");
    await suggestion.click();
    await app().$(byTestId("new-message-text")).setValue(NEW_MESSAGE_TEXT);
    await screenshot("21-new-message.png");
    await app().$(byTestId("new-message-send")).click();
    await waitUntilGone(byTestId("new-message-dialog"));
    await app().waitUntil(
      async () => {
        const texts = await app().$$(rows).map((row) => row.getProperty("textContent"));
        return texts.some((text) => String(text).includes(NEW_MESSAGE_TEXT));
      },
      { timeout: STEP_TIMEOUT, interval: 250, timeoutMsg: "the new conversation never showed in the inbox" },
    );
    await screenshot("22-new-conversation.png");
  });

  it("shows the picture a Pixelfed message came with", async () => {
    await app().$(byTestId("inbox-search")).setValue("film stock");
    // Both surfaces hold the question; the picture came on Visual (Pixelfed).
    const onVisual = `${byTestId("search-hit")}[data-key^="visual:"]`;
    await waitForCount(onVisual, 1, STEP_TIMEOUT);
    await app().$(onVisual).click();
    const picture = app().$(`${byTestId("conversation-view")} ${byTestId("message")} .pictures img`);
    await picture.waitForExist({ timeout: STEP_TIMEOUT, timeoutMsg: "the message's picture never showed" });
    await app().waitUntil(async () => Number(await picture.getProperty("naturalWidth")) > 0, {
      timeout: STEP_TIMEOUT,
      interval: 250,
      timeoutMsg: "the message's picture never loaded",
    });
    expect(String(await picture.getAttribute("alt")).length).toBeGreaterThan(0);
    await screenshot("22b-message-picture.png");
    await app().$(byTestId("inbox-search")).clearValue();
    await app().$(byTestId("inbox-search")).addValue(Key.Escape);
  });

  it("makes the Visual account private on its server, turns the cross-surface switch on and off, and logs it all", async () => {
    const dismiss = app().$('button[aria-label="Dismiss"]');
    for (let left = 5; left > 0 && (await dismiss.isExisting()); left--) await dismiss.click();
    await app().$(byTestId("nav-privacy")).click();
    await app().$(byTestId("privacy-surface-visual")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    // Pixelfed has no directory setting: not offered for Visual, offered for Feed (Mastodon).
    expect(await app().$(byTestId("privacy-discoverable-visual")).isExisting()).toBe(false);
    await app().$(byTestId("privacy-discoverable-feed")).waitForExist({ timeout: STEP_TIMEOUT });
    await screenshot("23-privacy.png");

    const locked = app().$(byTestId("privacy-locked-visual"));
    expect(await locked.isSelected()).toBe(false);
    await locked.click();
    // The switch moves once the server has answered, and stays enabled afterwards.
    await app().waitUntil(async () => (await locked.isSelected()) && (await locked.isEnabled()), {
      timeout: STEP_TIMEOUT,
      interval: 250,
      timeoutMsg: "the Visual account never showed as private",
    });

    await app().$(byTestId("nav-visual")).click();
    await app().$(byTestId("profile-private")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    await screenshot("24-visual-private.png");

    // Let activity on one surface shape the other, then take it back: each switch moves only
    // once Facets has stored the choice.
    await app().$(byTestId("nav-privacy")).click();
    const shaping = app().$(byTestId("privacy-activityShapesOther"));
    await shaping.scrollIntoView();
    expect(await shaping.isSelected()).toBe(false);
    await shaping.click();
    await app().waitUntil(async () => (await shaping.isSelected()) && (await shaping.isEnabled()), {
      timeout: STEP_TIMEOUT,
      interval: 250,
      timeoutMsg: "the activity switch never turned on",
    });
    await app().$(byTestId("privacy-activityPaused")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    await screenshot("25-privacy-cross-surface.png");
    await shaping.click();
    await app().waitUntil(async () => !(await shaping.isSelected()) && (await shaping.isEnabled()), {
      timeout: STEP_TIMEOUT,
      interval: 250,
      timeoutMsg: "the activity switch never turned off",
    });
    expect(await app().$(byTestId("privacy-activityPaused")).isExisting()).toBe(false);

    await app().$(byTestId("privacy-log-open")).click();
    await waitForCount(byTestId("privacy-log-entry"), 1, STEP_TIMEOUT);
    const entries = await app().$$(byTestId("privacy-log-entry")).map((entry) => entry.getProperty("textContent"));
    expect(String(entries[0])).toContain("Let my activity on one surface shape the other");
    expect(entries.some((entry) => String(entry).includes("Private account"))).toBe(true);
    const navTop = () =>
      app().execute(() => document.querySelector('[data-testid="nav-feed"]')?.getBoundingClientRect().top ?? -1);
    const before = await navTop();
    await app().$(byTestId("privacy-log")).scrollIntoView();
    // The view scrolls, never the app around it: the navigation stays where it was.
    expect(await navTop()).toBe(before);
    await screenshot("26-privacy-log.png");
  });

  it("explores everyone's public photos on Visual and suggested posts on Feed", async () => {
    await app().$(byTestId("nav-visual")).click();
    await app().$("#visual-tab-explore").click();
    const tiles = `${byTestId("visual-view")} ${byTestId("explore-tile")}`;
    await waitForCount(tiles, 9, FIRST_CONTENT_TIMEOUT);
    await waitForImages(`${tiles} img`, 9, "the first nine Explore photos");
    // The activity switch was left off: newest first, nothing ranked, no reasons.
    expect(await app().$(`#visual-panel-explore ${byTestId("explore-note")}`).getText()).toContain("Newest public");
    expect(await countOf(`#visual-panel-explore ${byTestId("explore-reason")}`)).toBe(0);
    await screenshot("27-visual-explore.png");

    await app().$(byTestId("nav-feed")).click();
    await app().$("#feed-tab-suggested").click();
    await waitForCount(byTestId("suggested-post"), 3, FIRST_CONTENT_TIMEOUT);
    await screenshot("28-feed-suggested.png");
    await app().$("#feed-tab-home").click();
  });

  it("revokes Visual's sign-in and signs in again, and says so when the Feed server stops accepting Facets", async () => {
    await app().$(byTestId("nav-privacy")).click();
    await app().$(byTestId("connected-app-visual")).waitForExist({ timeout: STEP_TIMEOUT });
    await app().$(byTestId("connected-apps")).scrollIntoView({ block: "center" });
    // The harness keeps sign-ins in memory, and the list says so.
    expect(await app().$(byTestId("connected-apps-kept-in")).getText()).toContain("memory");
    await screenshot("29-connected-apps.png");

    await app().$(byTestId("connected-app-revoke-visual")).click();
    await app().$(byTestId("revoke-confirm")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    await animationsSettled();
    await screenshot("30-revoke-confirm.png");
    await app().$(byTestId("revoke-confirm-button")).click();
    await waitUntilGone(byTestId("revoke-confirm"));
    const banner = app().$(byTestId("sign-in-banner"));
    await banner.waitForDisplayed({ timeout: STEP_TIMEOUT });
    expect(await banner.getText()).toContain("signed out of Visual");
    await waitUntilGone(byTestId("connected-app-visual"));
    await screenshot("31-signed-out.png");

    await app().$(byTestId("sign-in-banner-again-visual")).click();
    await waitUntilGone(byTestId("sign-in-banner"));
    await app().$(byTestId("connected-app-visual")).waitForExist({ timeout: STEP_TIMEOUT });

    // The user revokes Facets on the Feed server's own settings page (the demo's control for
    // it); Facets learns at its next request and says so instead of failing quietly.
    const feedServer = await app().execute(async () => {
      const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: (cmd: string) => Promise<unknown> } })
        .__TAURI_INTERNALS__;
      const status = (await internals.invoke("app_status")) as { surfaces: { surface: string; server: string }[] };
      return status.surfaces.find((s) => s.surface === "feed")?.server ?? "";
    });
    const origin = new URL(feedServer).origin;
    const revoked = await fetch(`${origin}/_demo/sign-outs/feed`, { method: "POST" });
    expect(revoked.ok).toBe(true);
    await app().$(byTestId("nav-feed")).click();
    await app().$(`${byTestId("feed-view")} button[aria-label="Refresh"]`).click();
    await banner.waitForDisplayed({ timeout: STEP_TIMEOUT });
    expect(await banner.getText()).toContain("no longer accepts");
    await screenshot("32-sign-in-refused.png");
    await app().$(byTestId("sign-in-banner-again-feed")).click();
    await waitUntilGone(byTestId("sign-in-banner"));
    await waitForCount(FEED_CARDS, 5, STEP_TIMEOUT);
  });

  it("replies to a post from its thread, and the reply joins the thread once sent", async () => {
    const card = app().$(FEED_CARDS);
    await card.$(byTestId("post-author")).click();
    const panel = app().$(byTestId("thread-panel"));
    await panel.waitForDisplayed({ timeout: STEP_TIMEOUT });
    await app().waitUntil(async () => (await panel.getAttribute("data-state")) === "ready", {
      timeout: STEP_TIMEOUT,
      timeoutMsg: "the thread never finished loading",
    });
    await app().$(byTestId("thread-reply-input")).setValue(THREAD_REPLY_TEXT);
    await app().$(byTestId("thread-reply-send")).click();
    await app().waitUntil(
      async () => {
        const texts = await panel.$$(byTestId("post-card")).map((c) => c.getText());
        return texts.some((text) => text.includes(THREAD_REPLY_TEXT));
      },
      { timeout: STEP_TIMEOUT, interval: 250, timeoutMsg: "the sent reply never showed in the thread" },
    );
    await waitUntilGone(byTestId("thread-reply-pending"));
    await screenshot("33-thread-replied.png");
    await app().$(byTestId("thread-close")).click();
    await waitUntilGone(byTestId("thread-panel"));
  });

  it("adds the user's own account as a new identity through the browser, then goes back to the demo", async () => {
    const ownServer = process.env.FACETS_E2E_SERVER;
    if (!ownServer) throw new Error("FACETS_E2E_SERVER must name a server to sign in to (the harness sets it)");
    await app().$(byTestId("identity-button")).click();
    await app().$(byTestId("identities")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    await app().$(byTestId("identity-demo")).waitForExist({ timeout: STEP_TIMEOUT });
    await animationsSettled();
    await screenshot("34-identities.png");

    await app().$(byTestId("identities-add-account")).click();
    await app().$(byTestId("add-account-server")).setValue(ownServer);
    await app().$(byTestId("add-account-continue")).click();
    await app().$(byTestId("add-account-waiting")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    // The test is the user's browser: it opens the approval page the dialog shows, and the
    // server sends it back to Facets' listener on 127.0.0.1.
    const address = await app().$(byTestId("add-account-address")).getValue();
    expect(address.startsWith(`${ownServer}/oauth/authorize?`)).toBe(true);
    const approved = await fetch(address);
    expect(await approved.text()).toContain("You can close this window");
    const signedIn = app().$(byTestId("add-account-signed-in"));
    await signedIn.waitForDisplayed({ timeout: STEP_TIMEOUT });
    expect(await app().$(byTestId("add-account-surface-feed")).isSelected()).toBe(true);
    await screenshot("35-add-account-signed-in.png");
    await app().$(byTestId("add-account-link")).click();

    // The window turns to the new identity: its own cache, filled from its own server.
    await app().waitUntil(async () => !(await app().$(".demo").isExisting()), {
      timeout: STEP_TIMEOUT,
      timeoutMsg: "the window still shows the demo",
    });
    await waitForCount(FEED_CARDS, 5, FIRST_CONTENT_TIMEOUT);
    const status = await app().execute(async () => {
      const internals = (window as unknown as { __TAURI_INTERNALS__: { invoke: (cmd: string) => Promise<unknown> } })
        .__TAURI_INTERNALS__;
      return (await internals.invoke("app_status")) as { mode: string; surfaces: { server: string }[] };
    });
    expect(status.mode).toBe("accounts");
    expect(status.surfaces.map((s) => s.server)).toEqual([ownServer]);
    await screenshot("36-own-account.png");

    // The user revokes Facets on their server's settings page; signing in again goes through
    // the browser, on that server, for Feed, and replaces the refused sign-in.
    const ownOrigin = new URL(ownServer).origin;
    expect((await fetch(`${ownOrigin}/_demo/sign-outs/feed`, { method: "POST" })).ok).toBe(true);
    await app().$(`${byTestId("feed-view")} button[aria-label="Refresh"]`).click();
    const refusedBanner = app().$(byTestId("sign-in-banner"));
    await refusedBanner.waitForDisplayed({ timeout: STEP_TIMEOUT });
    expect(await refusedBanner.getText()).toContain("no longer accepts");
    await app().$(byTestId("sign-in-banner-again-feed")).click();
    await app().$(byTestId("add-account-server")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    expect(await app().$(byTestId("add-account-server")).getValue()).toBe(ownServer);
    await screenshot("37-sign-in-again.png");
    await app().$(byTestId("add-account-continue")).click();
    await app().$(byTestId("add-account-waiting")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    const approvedAgain = await fetch(await app().$(byTestId("add-account-address")).getValue());
    expect(await approvedAgain.text()).toContain("You can close this window");
    await app().$(byTestId("add-account-signed-in")).waitForDisplayed({ timeout: STEP_TIMEOUT });
    expect(await app().$(byTestId("add-account-surface-feed")).isSelected()).toBe(true);
    expect(await app().$(byTestId("add-account-surface-visual")).isSelected()).toBe(false);
    await app().$(byTestId("add-account-link")).click();
    await waitUntilGone(byTestId("add-account-signed-in"));
    await waitUntilGone(byTestId("sign-in-banner"));
    await app().$(`${byTestId("feed-view")} button[aria-label="Refresh"]`).click();
    await waitForCount(FEED_CARDS, 5, STEP_TIMEOUT);

    await app().$(byTestId("identity-button")).click();
    await app().$(byTestId("identity-demo")).click();
    await app().$(".demo").waitForExist({ timeout: STEP_TIMEOUT });
    await waitForCount(FEED_CARDS, 5, FIRST_CONTENT_TIMEOUT);

    // Removing the identity signs it out on its server and deletes its cache.
    const removeOwn = '[data-testid^="identity-remove-"]:not([data-testid="identity-remove-confirm"])';
    await app().$(byTestId("identity-button")).click();
    await app().$(removeOwn).waitForExist({ timeout: STEP_TIMEOUT });
    await app().$(removeOwn).click();
    await app().$(byTestId("identity-remove-confirm")).click();
    await waitUntilGone(removeOwn);
    await screenshot("38-identity-removed.png");
    await app().$(byTestId("identities")).$("button=Close").click();
    await waitUntilGone(byTestId("identities"));
  });

  it("keeps sign-ins in a file sealed with a passphrase where the computer has no keychain", async () => {
    // The harness gives the app no session bus, as a headless Linux without a Secret Service.
    await app().$(byTestId("nav-privacy")).click();
    await app().$(byTestId("connected-app-visual")).waitForExist({ timeout: STEP_TIMEOUT });
    const keptIn = app().$(byTestId("connected-apps-kept-in"));
    expect(await keptIn.getText()).toContain("memory only");
    const storage = app().$(byTestId("secret-storage"));
    await storage.scrollIntoView({ block: "center" });
    await app().$(byTestId("secret-storage-file")).click();
    await app().$(byTestId("secret-storage-passphrase")).setValue("tide tables at six");
    await app().$(byTestId("secret-storage-repeat")).setValue("tide tables at six");
    await screenshot("39-secret-storage.png");
    await app().$(byTestId("secret-storage-save")).click();

    // The window reloads on the new store; the demo's sign-ins moved into the file and come
    // back from it.
    await app().waitUntil(
      async () => {
        if (!(await app().$(byTestId("nav-privacy")).isExisting())) return false;
        await app().$(byTestId("nav-privacy")).click();
        const sentence = app().$(byTestId("connected-apps-kept-in"));
        return (await sentence.isExisting()) && (await sentence.getText()).includes("sealed with your passphrase");
      },
      { timeout: STEP_TIMEOUT, interval: 500, timeoutMsg: "the sign-ins never said they were sealed in a file" },
    );
    await app().$(byTestId("connected-app-visual")).waitForExist({ timeout: STEP_TIMEOUT });
    expect(await app().$(byTestId("connected-app-feed")).isExisting()).toBe(true);
    expect(await app().$(byTestId("sign-in-banner")).isExisting()).toBe(false);
    const dataDir = process.env.FACETS_DATA_DIR;
    if (!dataDir) throw new Error("FACETS_DATA_DIR must name the app's data directory (the harness sets it)");
    const sealed = readFileSync(path.join(dataDir, "secrets.enc"));
    expect(sealed.length).toBeGreaterThan(0);
    await app().$(byTestId("connected-apps")).scrollIntoView({ block: "center" });
    await screenshot("40-secrets-sealed.png");
  });
});
