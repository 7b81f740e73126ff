// @vitest-environment jsdom
// Feed's Home | Suggested tabs against a stand-in for the core: Home first
// and as before, redrawn when a post is edited or deleted elsewhere; Suggested
// lists the server's public posts as cards, with why each ranks where it does
// while ranked, the note saying which order this is, errors with a retry, and
// re-reading on cache-changed and on every show.
import { screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { person, post } from "../lib/testPosts";
import type { CacheChanged, ExplorePost, ExploreView, TimelinePage } from "../lib/types";

const api = vi.hoisted(() => ({
  timelinePage: vi.fn<typeof import("../lib/api").timelinePage>(),
  firstPaint: vi.fn<typeof import("../lib/api").firstPaint>(async () => {}),
  refresh: vi.fn<typeof import("../lib/api").refresh>(),
  onCacheChanged: vi.fn<typeof import("../lib/api").onCacheChanged>(),
  explore: vi.fn<typeof import("../lib/api").explore>(),
  openThread: vi.fn<typeof import("../lib/api").openThread>(),
}));
vi.mock("../lib/api", () => api);

const RANKED_NOTE = "Ranked on this computer from your activity on Feed and Visual. You can change this in Privacy.";
const NEWEST_NOTE = "Newest public posts. In Privacy you can let your activity rank them for you.";

const kenji = person({ id: "kenji", displayName: "Kenji Watanabe", handle: "kenji@feed.example" });
const homePosts = [post("h1", { contentHtml: "<p>From home</p>" }), post("h2")];

function explored(posts: ExplorePost[], ranked: boolean): ExploreView {
  return { surface: "feed", ranked, posts };
}

const rankedView = explored(
  [
    {
      post: post("s1", { author: kenji, contentHtml: "<p>Suggested one</p>" }),
      reason: "You messaged Kenji Watanabe on Visual",
    },
    { post: post("s2", { contentHtml: "<p>Suggested two</p>" }), reason: null },
  ],
  true,
);

// The timelines and Suggested live as long as the app, so each test loads fresh ones.
let unmount = () => {};
let fireEvent: typeof import("@testing-library/svelte").fireEvent;
let cacheChanged: ((change: CacheChanged) => void)[] = [];

/** Renders the view on screen; `show(false)` puts another screen in front of it, as the app does. */
let show: (active: boolean) => Promise<void>;

async function renderFeed(): Promise<void> {
  vi.resetModules();
  const [testing, { default: FeedView }] = await Promise.all([
    import("@testing-library/svelte"),
    import("./FeedView.svelte"),
  ]);
  fireEvent = testing.fireEvent;
  unmount = testing.cleanup;
  const view = testing.render(FeedView, { active: true });
  show = (active) => view.rerender({ active });
}

function emit(change: CacheChanged): void {
  for (const handler of cacheChanged) handler(change);
}

const tab = (id: "home" | "suggested") => document.getElementById(`feed-tab-${id}`)!;
const panel = (id: "home" | "suggested") => document.getElementById(`feed-panel-${id}`)!;

async function openSuggested(): Promise<HTMLElement> {
  await fireEvent.click(tab("suggested"));
  return panel("suggested");
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
  api.timelinePage.mockResolvedValue({ posts: homePosts, nextCursor: null } satisfies TimelinePage);
  api.refresh.mockResolvedValue([]);
  api.onCacheChanged.mockImplementation(async (handler) => {
    cacheChanged.push(handler);
    return () => {};
  });
  api.explore.mockResolvedValue(rankedView);
});

afterEach(() => unmount());

describe("FeedView with a long history", () => {
  it("keeps at most about 60 post cards in the DOM with 50,000 posts loaded", async () => {
    const history = Array.from({ length: 50_000 }, (_, index) => post(`p${index}`));
    api.timelinePage.mockResolvedValue({ posts: history, nextCursor: null } satisfies TimelinePage);
    await renderFeed();
    const home = panel("home");
    await waitFor(() => expect(within(home).getByRole("list", { name: "Posts" }).dataset.total).toBe("50000"));
    const cards = within(home).getAllByTestId("post-card");
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.length).toBeLessThanOrEqual(60);
    expect(within(home).getByText("Post p0")).toBeTruthy();
  });

  it("read far down, only counts new posts, and the pill reads the newest page again", async () => {
    // The cache, paged as the core pages it: posts older than the cursor's post.
    let cache = Array.from({ length: 5_000 }, (_, index) => post(`p${index}`));
    api.timelinePage.mockImplementation(async (_surface, _timeline, cursor, limit) => {
      const from = cursor === null ? 0 : cache.findIndex((item) => item.key === cursor) + 1;
      const posts = cache.slice(from, from + limit);
      return { posts, nextCursor: posts.at(-1)?.key ?? null };
    });
    await renderFeed();
    const home = panel("home");
    await waitFor(() => expect(within(home).getByText("Post p0")).toBeTruthy());
    const { feedTimeline: feed } = await import("../lib/timelineFeed.svelte");
    for (let page = 0; page < 60; page += 1) await feed.loadMore();
    const list = within(home).getByRole("list", { name: "Posts" });
    await waitFor(() => expect(Number(list.dataset.total)).toBeLessThanOrEqual(520));
    expect(within(home).getByTestId("load-newer")).toBeTruthy();

    cache = [post("new1"), post("new2"), ...cache];
    emit({ surface: "feed", timeline: "home" });
    const pill = await within(home).findByTestId("new-posts-pill");
    expect(pill.textContent).toContain("2 new posts");
    expect(within(home).queryByText("Post new1")).toBeNull();

    await fireEvent.click(pill);
    await waitFor(() => expect(within(home).getByText("Post new1")).toBeTruthy());
    expect(within(home).queryByTestId("load-newer")).toBeNull();
    expect(within(home).queryByTestId("new-posts-pill")).toBeNull();
  });
});

describe("FeedView when a post changes elsewhere", () => {
  it("shows an edited post's new text and takes a deleted post off the list", async () => {
    await renderFeed();
    const home = panel("home");
    await waitFor(() => expect(within(home).getAllByTestId("post-card")).toHaveLength(2));
    // The same module instance the view was rendered with.
    const { publishPostUpdate, publishPostsRemoved } = await import("../lib/postUpdates");

    publishPostUpdate(post("h2", { contentHtml: "<p>Edited at home</p>" }));
    await waitFor(() => expect(within(home).getByText("Edited at home")).toBeTruthy());
    expect(within(home).queryByText("Post h2")).toBeNull();

    publishPostsRemoved(["feed:h1"]);
    await waitFor(() => expect(within(home).queryByText("From home")).toBeNull());
    expect(within(home).getAllByTestId("post-card")).toHaveLength(1);
    expect(within(home).getByText("Edited at home")).toBeTruthy();
  });
});

describe("FeedView: Home | Suggested", () => {
  it("opens on Home, as before, and reads Suggested only once it is shown", async () => {
    await renderFeed();
    expect(screen.getAllByRole("tab").map((item) => item.textContent?.trim())).toEqual(["Home", "Suggested"]);
    expect(tab("home").getAttribute("aria-selected")).toBe("true");
    expect(tab("home").getAttribute("aria-controls")).toBe("feed-panel-home");
    expect(tab("suggested").getAttribute("aria-selected")).toBe("false");
    expect(panel("suggested").hidden).toBe(true);

    const feed = screen.getByTestId("feed-view");
    await waitFor(() => expect(within(feed).getAllByTestId("post-card")).toHaveLength(2));
    expect(within(panel("home")).getByText("From home")).toBeTruthy();
    expect(api.explore).not.toHaveBeenCalled();
  });

  it("lists ranked suggestions as cards, with the reason above the card that has one", async () => {
    await renderFeed();
    const suggested = await openSuggested();
    expect(panel("home").hidden).toBe(true);
    expect(panel("suggested").getAttribute("aria-labelledby")).toBe("feed-tab-suggested");

    const items = await within(suggested).findAllByTestId("suggested-post");
    expect(api.explore).toHaveBeenCalledWith("feed");
    expect(items).toHaveLength(2);
    expect(items.map((item) => within(item).getAllByTestId("post-card").length)).toEqual([1, 1]);
    expect(within(suggested).getByTestId("explore-note").textContent?.trim()).toBe(RANKED_NOTE);

    const reason = within(items[0]!).getByTestId("explore-reason");
    expect(reason.textContent?.trim()).toBe("You messaged Kenji Watanabe on Visual");
    expect(reason.nextElementSibling?.getAttribute("data-testid"), "the reason comes before its card").toBe(
      "post-card",
    );
    expect(within(items[1]!).queryByTestId("explore-reason")).toBeNull();
    expect(within(items[0]!).getByText("Suggested one")).toBeTruthy();
  });

  it("says the posts are newest first when not ranked, and shows no reasons", async () => {
    api.explore.mockResolvedValue(
      explored(
        rankedView.posts.map(({ post: item }) => ({ post: item, reason: "You favourited a post by Ada" })),
        false,
      ),
    );
    await renderFeed();
    const suggested = await openSuggested();

    expect(await within(suggested).findAllByTestId("suggested-post")).toHaveLength(2);
    expect(within(suggested).getByTestId("explore-note").textContent?.trim()).toBe(NEWEST_NOTE);
    expect(within(suggested).queryAllByTestId("explore-reason")).toHaveLength(0);
  });

  it("says when there is nothing suggested yet", async () => {
    api.explore.mockResolvedValue(explored([], false));
    await renderFeed();
    const suggested = await openSuggested();

    expect(await within(suggested).findByText("Nothing suggested yet")).toBeTruthy();
    expect(within(suggested).getByText("Refresh to look again.")).toBeTruthy();
    expect(within(suggested).getByTestId("explore-note").textContent?.trim()).toBe(NEWEST_NOTE);
  });

  it("shows a skeleton, then an error with a retry that works", async () => {
    let fail!: (reason: unknown) => void;
    api.explore.mockReturnValueOnce(
      new Promise<ExploreView>((_, reject) => {
        fail = reject;
      }),
    );
    await renderFeed();
    const suggested = await openSuggested();
    expect(within(suggested).getByRole("status", { name: "Loading suggested posts" })).toBeTruthy();

    fail({ kind: "internal", message: "The cache could not be read" });
    const alert = await within(suggested).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't open Suggested.");
    expect(within(suggested).queryAllByTestId("suggested-post")).toHaveLength(0);

    await fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await within(suggested).findAllByTestId("suggested-post")).toHaveLength(2);
    expect(within(suggested).queryByRole("alert")).toBeNull();
  });

  it("reads again when a sync wrote Feed's Explore, not for Home or Visual", async () => {
    await renderFeed();
    const suggested = await openSuggested();
    await within(suggested).findAllByTestId("suggested-post");
    expect(api.explore).toHaveBeenCalledTimes(1);

    emit({ surface: "feed", timeline: "home" });
    emit({ surface: "visual", timeline: "explore" });
    expect(api.explore).toHaveBeenCalledTimes(1);

    api.explore.mockResolvedValue(
      explored([{ post: post("s3", { contentHtml: "<p>Just arrived</p>" }), reason: null }, ...rankedView.posts], true),
    );
    emit({ surface: "feed", timeline: "explore" });
    expect(await within(suggested).findByText("Just arrived")).toBeTruthy();
    expect(within(suggested).getAllByTestId("suggested-post")).toHaveLength(3);
  });

  it("reads again each time Suggested is shown, and Home is still there in between", async () => {
    api.explore.mockResolvedValue(explored(rankedView.posts, false));
    await renderFeed();
    let suggested = await openSuggested();
    await waitFor(() => expect(within(suggested).getByTestId("explore-note").textContent?.trim()).toBe(NEWEST_NOTE));

    await fireEvent.click(tab("home"));
    expect(panel("home").hidden).toBe(false);
    expect(within(panel("home")).getAllByTestId("post-card")).toHaveLength(2);

    api.explore.mockResolvedValue(rankedView);
    suggested = await openSuggested();
    await waitFor(() => expect(within(suggested).getByTestId("explore-note").textContent?.trim()).toBe(RANKED_NOTE));
    expect(within(suggested).getAllByTestId("explore-reason")).toHaveLength(1);
  });

  it("reads again when Feed is shown again with Suggested chosen, as after a visit to Privacy", async () => {
    api.explore.mockResolvedValue(explored(rankedView.posts, false));
    await renderFeed();
    const suggested = await openSuggested();
    await waitFor(() => expect(within(suggested).getByTestId("explore-note").textContent?.trim()).toBe(NEWEST_NOTE));

    await show(false);
    api.explore.mockResolvedValue(rankedView);
    expect(api.explore, "nothing is read while another screen is in front").toHaveBeenCalledTimes(1);
    await show(true);
    await waitFor(() => expect(within(suggested).getByTestId("explore-note").textContent?.trim()).toBe(RANKED_NOTE));
    expect(api.explore).toHaveBeenCalledTimes(2);
  });

  it("moves between the tabs with the arrow keys", async () => {
    await renderFeed();
    tab("home").focus();

    await fireEvent.keyDown(tab("home"), { key: "ArrowRight" });
    expect(tab("suggested").getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(tab("suggested"));
    expect(tab("home").tabIndex).toBe(-1);
    expect(api.explore).toHaveBeenCalledTimes(1);

    await fireEvent.keyDown(tab("suggested"), { key: "ArrowRight" });
    expect(tab("home").getAttribute("aria-selected")).toBe("true");
    expect(document.activeElement).toBe(tab("home"));
  });

  it("opens a suggested post's thread from its card", async () => {
    const [first] = rankedView.posts;
    api.openThread.mockResolvedValue({ ancestors: [], post: first!.post, descendants: [] });
    await renderFeed();
    const suggested = await openSuggested();
    const items = await within(suggested).findAllByTestId("suggested-post");

    await fireEvent.click(within(items[0]!).getByTestId("post-author"));
    expect(api.openThread).toHaveBeenCalledWith("feed:s1");
  });
});
