// @vitest-environment jsdom
// Visual's Explore tab against a stand-in for the core: the public photos as
// a grid that opens the lightbox, why each ranks where it does while ranked,
// the note saying which order this is, errors with a retry, and re-reading
// on cache-changed and whenever the tab is shown again.
import { screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { image, person, post } from "../lib/testPosts";
import type { CacheChanged, ExplorePost, ExploreView, PostView, TimelinePage } from "../lib/types";

const api = vi.hoisted(() => ({
  timelinePage: vi.fn<typeof import("../lib/api").timelinePage>(),
  refresh: vi.fn<typeof import("../lib/api").refresh>(),
  profile: vi.fn<typeof import("../lib/api").profile>(),
  onCacheChanged: vi.fn<typeof import("../lib/api").onCacheChanged>(),
  explore: vi.fn<typeof import("../lib/api").explore>(),
}));
vi.mock("../lib/api", () => api);

const RANKED_NOTE = "Ranked on this computer from your activity on Feed and Visual. You can change this in Privacy.";
const NEWEST_NOTE = "Newest public photos. In Privacy you can let your activity rank them for you.";

const me = person({ id: "me", displayName: "Grace Hopper", handle: "grace@visual.example" });
const kenji = person({ id: "kenji", displayName: "Kenji Watanabe", handle: "kenji@visual.example" });

function photo(id: string, overrides: Partial<PostView> = {}): PostView {
  return post(id, { key: `visual:${id}`, surface: "visual", author: kenji, media: [image(`${id}a`)], ...overrides });
}

function explored(posts: ExplorePost[], ranked: boolean): ExploreView {
  return { surface: "visual", ranked, posts };
}

const rankedView = explored(
  [
    { post: photo("e1", { media: [image("e1a"), image("e1b")] }), reason: "You messaged Kenji Watanabe on Feed" },
    { post: photo("e2"), reason: null },
    { post: photo("e3"), reason: null },
  ],
  true,
);

// Store singletons (the timelines, Explore, the lightbox) live as long as the
// app, so each test loads fresh ones.
let unmount = () => {};
let fireEvent: typeof import("@testing-library/svelte").fireEvent;
let lightbox: typeof import("../lib/lightboxState.svelte").lightbox;
let cacheChanged: ((change: CacheChanged) => void)[] = [];

/** Renders the view on screen; `show(false)` puts another screen in front of it, as the app does. */
let show: (active: boolean) => Promise<void>;

async function renderVisual(): Promise<void> {
  vi.resetModules();
  const [testing, { default: VisualView }, lightboxState] = await Promise.all([
    import("@testing-library/svelte"),
    import("./VisualView.svelte"),
    import("../lib/lightboxState.svelte"),
  ]);
  fireEvent = testing.fireEvent;
  unmount = testing.cleanup;
  lightbox = lightboxState.lightbox;
  const view = testing.render(VisualView, { active: true });
  show = (active) => view.rerender({ active });
}

function emit(change: CacheChanged): void {
  for (const handler of cacheChanged) handler(change);
}

function exploreTab(): HTMLElement {
  return document.getElementById("visual-tab-explore")!;
}

function explorePanel(): HTMLElement {
  return document.getElementById("visual-panel-explore")!;
}

async function openExplore(): Promise<HTMLElement> {
  await fireEvent.click(exploreTab());
  return explorePanel();
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
  cacheChanged = [];
  api.timelinePage.mockResolvedValue({ posts: [], nextCursor: null } satisfies TimelinePage);
  api.refresh.mockResolvedValue([]);
  api.profile.mockResolvedValue(me);
  api.onCacheChanged.mockImplementation(async (handler) => {
    cacheChanged.push(handler);
    return () => {};
  });
  api.explore.mockResolvedValue(rankedView);
});

afterEach(() => unmount());

describe("VisualView: Explore", () => {
  it("is a third tab, read only once it is shown", async () => {
    await renderVisual();
    const names = screen.getAllByRole("tab").map((tab) => tab.textContent?.trim());
    expect(names).toEqual(["Grid", "Photos", "Explore"]);
    expect(exploreTab().getAttribute("aria-selected")).toBe("false");
    expect(exploreTab().getAttribute("aria-controls")).toBe("visual-panel-explore");
    expect(explorePanel().hidden).toBe(true);
    expect(api.explore).not.toHaveBeenCalled();

    await openExplore();
    expect(exploreTab().getAttribute("aria-selected")).toBe("true");
    expect(explorePanel().hidden).toBe(false);
    expect(explorePanel().getAttribute("aria-labelledby")).toBe("visual-tab-explore");
    expect(api.explore).toHaveBeenCalledWith("visual");
  });

  it("shows ranked photos as tiles, with the reason under the tile that has one, and opens the lightbox", async () => {
    await renderVisual();
    const panel = await openExplore();

    const tiles = await within(panel).findAllByTestId("explore-tile");
    expect(tiles).toHaveLength(3);
    expect(within(panel).getByTestId("explore-note").textContent?.trim()).toBe(RANKED_NOTE);
    const reasons = within(panel).getAllByTestId("explore-reason");
    expect(reasons.map((reason) => reason.textContent?.trim())).toEqual(["You messaged Kenji Watanabe on Feed"]);
    // The reason belongs to its tile, for screen readers too.
    expect(tiles[0]!.getAttribute("aria-describedby")).toBe(reasons[0]!.id);
    expect(tiles[1]!.hasAttribute("aria-describedby")).toBe(false);
    expect(tiles[0]!.getAttribute("aria-label")).toBe("Post by Kenji Watanabe, 2 pictures: Picture e1a");
    expect(tiles[0]!.dataset.count).toBe("2");
    expect(within(tiles[0]!).getByRole("img", { hidden: true }).getAttribute("alt")).toBe("Picture e1a");

    await fireEvent.click(tiles[0]!);
    expect(lightbox.post?.key).toBe("visual:e1");
    expect(lightbox.index).toBe(0);
  });

  it("says the photos are newest first when not ranked, and shows no reasons", async () => {
    api.explore.mockResolvedValue(
      explored(
        [
          { post: photo("e1"), reason: "You messaged Kenji Watanabe on Feed" },
          { post: photo("e2"), reason: null },
        ],
        false,
      ),
    );
    await renderVisual();
    const panel = await openExplore();

    expect(await within(panel).findAllByTestId("explore-tile")).toHaveLength(2);
    expect(within(panel).getByTestId("explore-note").textContent?.trim()).toBe(NEWEST_NOTE);
    expect(within(panel).queryAllByTestId("explore-reason")).toHaveLength(0);
  });

  it("says when there is nothing to explore, counting only posts with pictures", async () => {
    api.explore.mockResolvedValue(explored([{ post: photo("text", { media: [] }), reason: null }], false));
    await renderVisual();
    const panel = await openExplore();

    expect(await within(panel).findByText("Nothing to explore yet")).toBeTruthy();
    expect(within(panel).getByText("Refresh to look again.")).toBeTruthy();
    expect(within(panel).queryAllByTestId("explore-tile")).toHaveLength(0);
  });

  it("shows a loading grid, then an error with a retry that works", async () => {
    let fail!: (reason: unknown) => void;
    api.explore.mockReturnValueOnce(
      new Promise<ExploreView>((_, reject) => {
        fail = reject;
      }),
    );
    await renderVisual();
    const panel = await openExplore();
    expect(within(panel).getByRole("status", { name: "Loading photos" })).toBeTruthy();

    fail({ kind: "internal", message: "The cache could not be read" });
    const alert = await within(panel).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't open Explore.");
    expect(alert.textContent).toContain("The cache could not be read.");
    expect(within(panel).queryAllByTestId("explore-tile")).toHaveLength(0);

    await fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await within(panel).findAllByTestId("explore-tile")).toHaveLength(3);
    expect(within(panel).queryByRole("alert")).toBeNull();
    expect(api.explore).toHaveBeenCalledTimes(2);
  });

  it("reads again when a sync wrote Visual's Explore, not for other timelines", async () => {
    await renderVisual();
    const panel = await openExplore();
    await within(panel).findAllByTestId("explore-tile");
    expect(api.explore).toHaveBeenCalledTimes(1);

    emit({ surface: "visual", timeline: "home" });
    emit({ surface: "feed", timeline: "explore" });
    expect(api.explore).toHaveBeenCalledTimes(1);

    api.explore.mockResolvedValue(explored([{ post: photo("fresh"), reason: null }, ...rankedView.posts], true));
    emit({ surface: "visual", timeline: "explore" });
    await waitFor(() => expect(within(panel).getAllByTestId("explore-tile")).toHaveLength(4));
    expect(within(panel).getAllByTestId("explore-tile")[0]!.dataset.key).toBe("explore:visual:fresh");
  });

  it("reads again each time the tab is shown, so a Privacy change shows", async () => {
    api.explore.mockResolvedValue(explored(rankedView.posts.map(({ post: item }) => ({ post: item, reason: null })), false));
    await renderVisual();
    let panel = await openExplore();
    await waitFor(() => expect(within(panel).getByTestId("explore-note").textContent?.trim()).toBe(NEWEST_NOTE));

    await fireEvent.click(document.getElementById("visual-tab-grid")!);
    api.explore.mockResolvedValue(rankedView);
    panel = await openExplore();
    await waitFor(() => expect(within(panel).getByTestId("explore-note").textContent?.trim()).toBe(RANKED_NOTE));
    expect(within(panel).getAllByTestId("explore-reason")).toHaveLength(1);
    expect(api.explore).toHaveBeenCalledTimes(2);
  });

  it("reads again when Visual is shown again with Explore chosen, as after a visit to Privacy", async () => {
    api.explore.mockResolvedValue(explored(rankedView.posts, false));
    await renderVisual();
    const panel = await openExplore();
    await waitFor(() => expect(within(panel).getByTestId("explore-note").textContent?.trim()).toBe(NEWEST_NOTE));

    await show(false);
    api.explore.mockResolvedValue(rankedView);
    expect(api.explore, "nothing is read while another screen is in front").toHaveBeenCalledTimes(1);
    await show(true);
    await waitFor(() => expect(within(panel).getByTestId("explore-note").textContent?.trim()).toBe(RANKED_NOTE));
    expect(api.explore).toHaveBeenCalledTimes(2);
  });

  it("moves between the three tabs with the arrow keys, Home and End, wrapping round", async () => {
    await renderVisual();
    const grid = document.getElementById("visual-tab-grid")!;
    grid.focus();

    await fireEvent.keyDown(grid, { key: "ArrowLeft" });
    expect(exploreTab().getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(exploreTab());
    expect(exploreTab().tabIndex).toBe(0);
    expect(grid.tabIndex).toBe(-1);
    expect(api.explore).toHaveBeenCalledTimes(1);

    await fireEvent.keyDown(exploreTab(), { key: "ArrowRight" });
    expect(grid.getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(grid);

    await fireEvent.keyDown(grid, { key: "End" });
    expect(document.activeElement).toBe(exploreTab());
    await fireEvent.keyDown(exploreTab(), { key: "Home" });
    expect(document.activeElement).toBe(grid);
  });
});
