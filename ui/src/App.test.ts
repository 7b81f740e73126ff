// @vitest-environment jsdom
// The whole front end against a stand-in for the Rust core: catches wiring
// mistakes (a view that never starts its timeline, a lightbox that never
// opens) that the unit tests of each piece cannot see.
import { screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { draft, feedLimits, visualLimits } from "./lib/testDrafts";
import { conversation, group, inboxOf } from "./lib/testInbox";
import { image, person, post } from "./lib/testPosts";
import { connectedApps } from "./lib/testPrivacy";
import type { PostView, SurfaceLinkView, TimelinePage } from "./lib/types";

// The same mock functions survive `vi.resetModules()`, so each test can load a
// fresh App (with fresh timeline stores) yet still configure the core's answers.
const api = vi.hoisted(() => ({
  appStatus: vi.fn<typeof import("./lib/api").appStatus>(),
  timelinePage: vi.fn<typeof import("./lib/api").timelinePage>(),
  firstPaint: vi.fn<typeof import("./lib/api").firstPaint>(async () => {}),
  refresh: vi.fn<typeof import("./lib/api").refresh>(),
  openThread: vi.fn<typeof import("./lib/api").openThread>(),
  setFavourite: vi.fn<typeof import("./lib/api").setFavourite>(),
  deletePost: vi.fn<typeof import("./lib/api").deletePost>(),
  profile: vi.fn<typeof import("./lib/api").profile>(),
  onCacheChanged: vi.fn<typeof import("./lib/api").onCacheChanged>(),
  composeLimits: vi.fn<typeof import("./lib/api").composeLimits>(),
  draftList: vi.fn<typeof import("./lib/api").draftList>(),
  draftNew: vi.fn<typeof import("./lib/api").draftNew>(),
  draftSave: vi.fn<typeof import("./lib/api").draftSave>(),
  outboxList: vi.fn<typeof import("./lib/api").outboxList>(),
  onOutboxChanged: vi.fn<typeof import("./lib/api").onOutboxChanged>(),
  inbox: vi.fn<typeof import("./lib/api").inbox>(),
  onInboxChanged: vi.fn<typeof import("./lib/api").onInboxChanged>(),
  refreshInbox: vi.fn<typeof import("./lib/api").refreshInbox>(),
  inboxSettings: vi.fn<typeof import("./lib/api").inboxSettings>(),
  knownPeople: vi.fn<typeof import("./lib/api").knownPeople>(),
  findPeople: vi.fn<typeof import("./lib/api").findPeople>(),
  onSignInsChanged: vi.fn<typeof import("./lib/api").onSignInsChanged>(),
  onIdentityChanged: vi.fn<typeof import("./lib/api").onIdentityChanged>(),
  identities: vi.fn<typeof import("./lib/api").identities>(),
  switchIdentity: vi.fn<typeof import("./lib/api").switchIdentity>(),
  signInAgain: vi.fn<typeof import("./lib/api").signInAgain>(),
  networkReturned: vi.fn<typeof import("./lib/api").networkReturned>(),
}));
vi.mock("./lib/api", () => api);

// A fresh module graph per test: the app's stores are singletons that live as
// long as the app. Svelte and its testing library are reloaded with it, so
// rendering, events and cleanup all talk to the same Svelte runtime.
let unmountApp = () => {};
let fireEvent: typeof import("@testing-library/svelte").fireEvent;

async function renderApp(): Promise<void> {
  vi.resetModules();
  const [testing, { default: App }] = await Promise.all([
    import("@testing-library/svelte"),
    import("./App.svelte"),
  ]);
  fireEvent = testing.fireEvent;
  unmountApp = testing.cleanup;
  testing.render(App);
}

afterEach(() => unmountApp());

const me = person({ id: "me", displayName: "Grace Hopper", handle: "grace@visual.example" });

const feedPosts = Array.from({ length: 25 }, (_, index) =>
  post(`f${index}`, { contentHtml: `<p>Feed post number ${index}</p>` }),
);

const gridPosts: PostView[] = Array.from({ length: 10 }, (_, index) =>
  post(`g${index}`, {
    key: `visual:g${index}`,
    surface: "visual",
    author: me,
    media: index === 1 ? [image(`g${index}a`), image(`g${index}b`)] : [image(`g${index}a`)],
  }),
);

function pageOf(posts: PostView[], cursor: string | null, limit: number): TimelinePage {
  const start = cursor === null ? 0 : Number(cursor);
  const end = start + limit;
  return { posts: posts.slice(start, end), nextCursor: end < posts.length ? String(end) : null };
}

beforeAll(() => {
  // jsdom has no layout, so nothing ever scrolls into view; the stub never fires.
  class InertIntersectionObserver {
    observe(): void {}
    disconnect(): void {}
  }
  vi.stubGlobal("IntersectionObserver", InertIntersectionObserver);
});

beforeEach(() => {
  api.appStatus.mockResolvedValue({
    mode: "demo",
    identity: me,
    surfaces: [],
    lastSyncAt: null,
  });
  api.timelinePage.mockImplementation(async (surface, timeline, cursor, limit) =>
    pageOf(surface === "feed" ? feedPosts : timeline === "profile" ? gridPosts : [], cursor, limit),
  );
  api.refresh.mockResolvedValue([]);
  api.profile.mockResolvedValue(me);
  api.onCacheChanged.mockResolvedValue(() => {});
  api.composeLimits.mockResolvedValue([feedLimits, visualLimits]);
  api.draftList.mockResolvedValue([]);
  api.draftNew.mockResolvedValue(draft({ id: "fresh" }));
  api.draftSave.mockImplementation(async (saved) => saved);
  api.outboxList.mockResolvedValue([]);
  api.onOutboxChanged.mockResolvedValue(() => {});
  api.inbox.mockResolvedValue(inboxOf([]));
  api.onInboxChanged.mockResolvedValue(() => {});
  api.refreshInbox.mockResolvedValue();
  api.inboxSettings.mockResolvedValue({ notify: true });
  api.knownPeople.mockResolvedValue([]);
  api.findPeople.mockResolvedValue([]);
  api.onSignInsChanged.mockResolvedValue(() => {});
  api.onIdentityChanged.mockResolvedValue(() => {});
  api.openThread.mockImplementation(async (key) => ({
    ancestors: [],
    post: feedPosts.find((candidate) => candidate.key === key)!,
    descendants: [post("reply", { inReplyToId: "f0", contentHtml: "<p>A comment</p>" })],
  }));
});

describe("App", () => {
  it("shows the identity, the demo badge and the cached feed, then syncs", async () => {
    await renderApp();

    expect(await screen.findByText("Demo mode")).toBeTruthy();
    expect(screen.getByText("Grace Hopper")).toBeTruthy();
    const feed = screen.getByTestId("feed-view");
    // The whole cached page is in the list; only the cards near the viewport are in the DOM.
    await waitFor(() => expect(within(feed).getByRole("list", { name: "Posts" }).dataset.total).toBe("20"));
    expect(within(feed).getAllByTestId("post-card").length).toBeGreaterThanOrEqual(5);
    await waitFor(() => expect(api.refresh).toHaveBeenCalledWith("feed"));
  });

  it("opens a thread with its comments and closes it with Escape", async () => {
    await renderApp();
    const feed = screen.getByTestId("feed-view");
    const cards = await within(feed).findAllByTestId("post-card");
    await fireEvent.click(within(cards[0]!).getByTestId("post-author"));

    const panel = await screen.findByTestId("thread-panel");
    expect(await within(panel).findByText("A comment")).toBeTruthy();
    expect(panel.getAttribute("data-state")).toBe("ready");

    await fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("thread-panel")).toBeNull());
  });

  it("shows the Visual grid and opens a multi-picture post in the lightbox", async () => {
    await renderApp();
    await fireEvent.click(screen.getByTestId("nav-visual"));

    expect(await screen.findByTestId("profile-header")).toBeTruthy();
    await waitFor(() => expect(screen.getAllByTestId("grid-tile")).toHaveLength(10));
    const multi = screen.getAllByTestId("grid-tile").filter((tile) => tile.dataset.count === "2");
    expect(multi).toHaveLength(1);

    await fireEvent.click(multi[0]!);
    const picture = await screen.findByTestId("lightbox-image");
    expect(picture.getAttribute("src")).toBe("facets-media://localhost/full/g1a");

    await fireEvent.keyDown(window, { key: "ArrowRight" });
    await waitFor(() =>
      expect(screen.getByTestId("lightbox-image").getAttribute("src")).toBe(
        "facets-media://localhost/full/g1b",
      ),
    );
    await fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("lightbox")).toBeNull());
  });

  it("opens Compose with n, but not while typing in a field", async () => {
    await renderApp();
    await screen.findByTestId("feed-view");

    const outside = document.createElement("input");
    document.body.append(outside);
    await fireEvent.keyDown(outside, { key: "n" });
    expect(screen.queryByTestId("compose-view")).toBeNull();
    outside.remove();

    await fireEvent.keyDown(document.body, { key: "n" });
    expect(await screen.findByTestId("compose-view")).toBeTruthy();
    expect(screen.getByTestId("nav-compose").getAttribute("aria-current")).toBe("page");
  });

  it("leaves n to a dialog that is open, as the Inbox's New message", async () => {
    await renderApp();
    await fireEvent.click(screen.getByTestId("nav-inbox"));
    await fireEvent.click(await screen.findByTestId("inbox-new-message"));
    const feed = screen.getByTestId("new-message-surface-feed");

    await fireEvent.keyDown(feed, { key: "n" });
    await fireEvent.keyDown(feed, { key: "N", ctrlKey: true, shiftKey: true });

    expect(screen.queryByTestId("compose-view")).toBeNull();
    expect(screen.getByTestId("new-message-dialog")).toBeTruthy();
    expect(screen.getByTestId("nav-inbox").getAttribute("aria-current")).toBe("page");
  });

  it("deletes your own post and its copy, from every list, after asking", async () => {
    const mine = post("mine", { own: true, alsoOn: ["visual"], contentHtml: "<p>My own words</p>" });
    api.timelinePage.mockImplementation(async (surface, timeline, cursor, limit) =>
      pageOf(surface === "feed" ? [mine, ...feedPosts] : timeline === "profile" ? gridPosts : [], cursor, limit),
    );
    api.openThread.mockResolvedValue({ ancestors: [], post: mine, descendants: [] });
    api.deletePost.mockResolvedValue(["feed:mine", "visual:g0"]);
    await renderApp();
    // The copy is loaded in the Visual grid too.
    await fireEvent.click(screen.getByTestId("nav-visual"));
    await waitFor(() => expect(screen.getAllByTestId("grid-tile")).toHaveLength(10));
    await fireEvent.click(screen.getByTestId("nav-feed"));
    const feed = screen.getByTestId("feed-view");
    await within(feed).findByText("My own words");
    expect(within(feed).getAllByTestId("post-delete")).toHaveLength(1);

    // Escape cancels the dialog and leaves the thread underneath open.
    await fireEvent.click(within(feed).getByText("My own words"));
    const panel = await screen.findByTestId("thread-panel");
    await fireEvent.click(within(panel).getByTestId("post-delete"));
    expect(await screen.findByTestId("delete-confirm")).toBeTruthy();
    await fireEvent.keyDown(window, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("delete-confirm")).toBeNull());
    expect(screen.getByTestId("thread-panel")).toBeTruthy();

    await fireEvent.click(within(panel).getByTestId("post-delete"));
    expect((screen.getByTestId("delete-everywhere") as HTMLInputElement).checked).toBe(true);
    await fireEvent.click(screen.getByTestId("delete-confirm-button"));

    expect(await screen.findByText("Post deleted from Feed and Visual")).toBeTruthy();
    expect(api.deletePost).toHaveBeenCalledWith("feed:mine", true);
    expect(screen.queryByTestId("delete-confirm")).toBeNull();
    expect(screen.queryByTestId("thread-panel")).toBeNull();
    expect(within(feed).queryByText("My own words")).toBeNull();
    const tiles = screen.getAllByTestId("grid-tile").map((tile) => tile.dataset.key);
    expect(tiles).toHaveLength(9);
    expect(tiles).not.toContain("visual:g0");
  });

  it("asks again for the pictures that failed offline once the core has heard the network is back", async () => {
    const pictured = post("pictured", {
      author: person({ id: "ada", avatarUrl: "facets-media://localhost/avatar/ada" }),
      contentHtml: "<p>With a face</p>",
    });
    api.timelinePage.mockImplementation(async (surface, _timeline, cursor, limit) =>
      pageOf(surface === "feed" ? [pictured, ...feedPosts] : [], cursor, limit),
    );
    let heard = () => {};
    const hearing = new Promise<number>((resolve) => (heard = () => resolve(0)));
    api.networkReturned.mockReturnValue(hearing);
    await renderApp();
    const feed = screen.getByTestId("feed-view");
    await within(feed).findByText("With a face");
    const avatar = () => feed.querySelector('img[src="facets-media://localhost/avatar/ada"]');

    await fireEvent.error(avatar()!);
    expect(avatar()).toBeNull();

    window.dispatchEvent(new Event("online"));
    expect(api.networkReturned).toHaveBeenCalled();
    // Asked before the core forgets its own failures, the picture would fail again.
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(avatar()).toBeNull();
    heard();
    await waitFor(() => expect(avatar()).not.toBeNull());
  });

  it("shows the unread count on the Inbox item before the Inbox is opened, and follows inbox-changed", async () => {
    let inboxChanged = () => {};
    api.onInboxChanged.mockImplementation(async (handler) => {
      inboxChanged = handler;
      return () => {};
    });
    api.inbox.mockResolvedValue(
      inboxOf([
        group("ada", [conversation("feed", "c1", { unread: true }), conversation("visual", "c2", { unread: true })]),
        group("alan", [conversation("visual", "c3")]),
      ]),
    );
    await renderApp();

    const badge = await screen.findByTestId("nav-inbox-badge");
    expect(badge.textContent?.trim()).toBe("2");
    expect(screen.getByTestId("nav-inbox").getAttribute("aria-label")).toBe("Inbox, 2 unread");
    expect(screen.queryByTestId("inbox-view")).toBeNull();

    api.inbox.mockResolvedValue(inboxOf([group("alan", [conversation("visual", "c3")])]));
    inboxChanged();
    await waitFor(() => expect(screen.queryByTestId("nav-inbox-badge")).toBeNull());
    expect(screen.getByTestId("nav-inbox").getAttribute("aria-label")).toBe("Inbox");
  });

  it("says over every view when a surface's sign-in was refused, until it is signed in again", async () => {
    const visual = (signIn: SurfaceLinkView["signIn"]): SurfaceLinkView => ({
      surface: "visual",
      server: "visual.example",
      dialect: "pixelfed",
      handle: "grace@visual.example",
      signIn,
    });
    let signInsChanged = () => {};
    api.onSignInsChanged.mockImplementation(async (handler) => {
      signInsChanged = handler;
      return () => {};
    });
    api.appStatus.mockResolvedValue({ mode: "demo", identity: me, surfaces: [visual("refused")], lastSyncAt: null });
    api.signInAgain.mockResolvedValue(connectedApps());
    await renderApp();

    const banner = await screen.findByTestId("sign-in-banner");
    expect(banner.textContent).toContain("Visual's server no longer accepts Facets' sign-in, so Visual isn't syncing.");
    await fireEvent.click(within(banner).getByTestId("sign-in-banner-again-visual"));
    expect(api.signInAgain).toHaveBeenCalledWith("visual");

    api.appStatus.mockResolvedValue({ mode: "demo", identity: me, surfaces: [visual("active")], lastSyncAt: null });
    signInsChanged();
    await waitFor(() => expect(screen.queryByTestId("sign-in-banner")).toBeNull());
  });

  it("lists the identities from the one at the bottom of the navigation, switches, and reloads on identity-changed", async () => {
    api.identities.mockResolvedValue({
      identities: [
        { profile: { kind: "demo" }, handles: [], active: true },
        { profile: { kind: "identity", id: "7c1d" }, handles: ["mara@mastodon.example"], active: false },
      ],
    });
    api.switchIdentity.mockResolvedValue();
    let identityChanged = () => {};
    api.onIdentityChanged.mockImplementation(async (handler) => {
      identityChanged = handler;
      return () => {};
    });
    const reload = vi.fn();
    const realLocation = window.location;
    Object.defineProperty(window, "location", { configurable: true, value: { ...realLocation, reload } });
    try {
      await renderApp();
      await fireEvent.click(await screen.findByTestId("identity-button"));
      const dialog = await screen.findByTestId("identities");
      const mine = await within(dialog).findByTestId("identity-7c1d");
      expect(mine.textContent).toContain("@mara@mastodon.example");
      expect(within(dialog).getByTestId("identity-demo").getAttribute("aria-current")).toBe("true");

      await fireEvent.click(mine);
      expect(api.switchIdentity).toHaveBeenCalledWith({ kind: "identity", id: "7c1d" });
      identityChanged();
      expect(reload).toHaveBeenCalledTimes(1);
    } finally {
      Object.defineProperty(window, "location", { configurable: true, value: realLocation });
    }
  });
});
