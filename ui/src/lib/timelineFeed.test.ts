// The window a timeline keeps, against a stand-in for the cache that pages
// the way the core does: a page read from a cursor holds the posts older than
// it, and its next cursor is its last post's.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { image, keys, post } from "./testPosts";
import { TimelineFeed } from "./timelineFeed.svelte";
import type { PostView, TimelinePage } from "./types";

const api = vi.hoisted(() => ({
  timelinePage: vi.fn<typeof import("./api").timelinePage>(),
  refresh: vi.fn<typeof import("./api").refresh>(),
  onCacheChanged: vi.fn<typeof import("./api").onCacheChanged>(),
}));
vi.mock("./api", () => api);

const PAGE = 20;
const BOUND = 500;

/** The cached timeline, newest first. */
let cache: PostView[] = [];

function cursorOf(item: PostView): string {
  return `after:${item.remoteId}`;
}

function pageOf(cursor: string | null, limit: number): TimelinePage {
  const from = cursor === null ? 0 : cache.findIndex((item) => cursorOf(item) === cursor) + 1;
  const posts = cache.slice(from, from + limit);
  const last = posts.at(-1);
  return { posts, nextCursor: last && from + limit < cache.length ? cursorOf(last) : null };
}

/** `count` posts, p0 the newest. */
function history(count: number, make = (index: number) => post(`p${index}`)): PostView[] {
  return Array.from({ length: count }, (_, index) => make(index));
}

/** The indices of loaded posts named p<index>, to see runs at a glance. */
function indices(posts: readonly PostView[]): number[] {
  return posts.map((item) => Number(item.remoteId.slice(1)));
}

function expectOneRun(posts: readonly PostView[]): void {
  const loaded = indices(posts);
  expect(loaded, "the window is one run of the timeline, with no gap and nothing twice").toEqual(
    Array.from({ length: loaded.length }, (_, offset) => loaded[0]! + offset),
  );
}

async function opened(feed: TimelineFeed): Promise<TimelineFeed> {
  await feed.loadFirstPage();
  return feed;
}

async function readDown(feed: TimelineFeed, pages: number): Promise<void> {
  for (let page = 0; page < pages && feed.canLoadMore; page += 1) await feed.loadMore();
}

beforeEach(() => {
  cache = history(10_000);
  api.timelinePage.mockImplementation(async (_surface, _timeline, cursor, limit) => pageOf(cursor, limit));
});

describe("TimelineFeed with a window", () => {
  it("holds at most its bound after 200 pages, the newest read among them", async () => {
    const feed = await opened(new TimelineFeed("feed", "home", PAGE, { posts: BOUND }));
    await readDown(feed, 199);

    expect(feed.posts.length).toBeLessThanOrEqual(BOUND + PAGE);
    expect(feed.posts.length).toBeGreaterThanOrEqual(BOUND);
    expectOneRun(feed.posts);
    expect(indices(feed.posts).at(-1)).toBe(200 * PAGE - 1);
    expect(feed.hasNewer).toBe(true);
    expect(feed.postsAbove, "the posts let go are counted").toBe(indices(feed.posts)[0]);
    expect(feed.nextCursor).toBe(cursorOf(cache[200 * PAGE - 1]!));
  });

  it("reads the pages it let go again on the way back up, in order, with no gap and nothing twice", async () => {
    const feed = await opened(new TimelineFeed("feed", "home", PAGE, { posts: BOUND }));
    await readDown(feed, 199);
    api.timelinePage.mockClear();

    let top = indices(feed.posts)[0]!;
    while (feed.hasNewer) {
      await feed.loadNewer();
      // Each read brings back the page just above what was loaded, from the cursor it was
      // first read from (the first page's is null).
      expect(api.timelinePage).toHaveBeenLastCalledWith(
        "feed",
        "home",
        top === PAGE ? null : cursorOf(cache[top - PAGE - 1]!),
        PAGE,
      );
      top -= PAGE;
      expect(indices(feed.posts)[0]).toBe(top);
      expectOneRun(feed.posts);
      expect(feed.posts.length).toBeLessThanOrEqual(BOUND + PAGE);
    }

    expect(top).toBe(0);
    expect(api.timelinePage).toHaveBeenCalledTimes(175);
    // Down again from the top, the pages let go at the bottom are read again too.
    const bottom = indices(feed.posts).at(-1)!;
    await feed.loadMore();
    expectOneRun(feed.posts);
    expect(indices(feed.posts).at(-1)).toBe(bottom + PAGE);
  });

  it("reads on when a page read again stops short of the window, as when posts arrived inside it", async () => {
    const feed = await opened(new TimelineFeed("feed", "home", PAGE, { posts: BOUND }));
    await readDown(feed, 40);
    const top = indices(feed.posts)[0]!;
    // Three posts arrive in the cache inside the page just above the window.
    cache.splice(top - 5, 0, post("late1"), post("late2"), post("late3"));

    await feed.loadNewer();

    const loaded = keys(feed.posts);
    expect(new Set(loaded).size).toBe(loaded.length);
    const above = cache.slice(cache.findIndex((item) => item.remoteId === `p${top - PAGE}`), cache.findIndex((item) => item.remoteId === `p${top}`));
    expect(loaded.slice(0, above.length + 1)).toEqual([...keys(above), `feed:p${top}`]);
  });

  it("only counts new posts while the newest page is let go, and reads it again to go back to the top", async () => {
    const feed = await opened(new TimelineFeed("feed", "home", PAGE, { posts: BOUND }));
    await readDown(feed, 60);
    const held = feed.posts;
    cache = [post("new1"), post("new2"), ...cache];

    await feed.reloadNewest();

    // Equal, not the same array: these tests run Svelte's server build, where
    // `posts`, derived from the pages, is worked out again on every read.
    expect(feed.posts, "the window is left as it was").toEqual(held);
    expect(feed.newOnTop).toBe(2);
    // At the top of the window is not at the top of the timeline.
    feed.sawTop();
    expect(feed.newOnTop).toBe(2);

    await feed.backToNewest();

    expect(keys(feed.posts).slice(0, 3)).toEqual(["feed:new1", "feed:new2", "feed:p0"]);
    expect(feed.hasNewer).toBe(false);
    expect(feed.newOnTop).toBe(0);
  });

  it("merges new posts on top while the newest page is loaded, and pages on from where it was", async () => {
    const feed = await opened(new TimelineFeed("feed", "home", PAGE, { posts: BOUND }));
    await readDown(feed, 3);
    cache = [post("new1"), post("new2"), ...cache];

    await feed.reloadNewest();
    await readDown(feed, 60);

    expect(feed.newOnTop).toBe(2);
    expectOneRun(feed.posts.filter((item) => item.remoteId.startsWith("p")));
    while (feed.hasNewer) await feed.loadNewer();
    expect(keys(feed.posts).slice(0, 3)).toEqual(["feed:new1", "feed:new2", "feed:p0"]);
    expectOneRun(feed.posts.slice(2));
  });

  it("counts only the posts a view shows towards its bound", async () => {
    // One post in four has a picture.
    cache = history(10_000, (index) => post(`p${index}`, index % 4 === 0 ? { media: [image(`m${index}`)] } : {}));
    const photos = await opened(
      new TimelineFeed("visual", "home", 12, { posts: 100, counts: (item) => item.media.length > 0 }),
    );
    await readDown(photos, 200);

    const shown = photos.posts.filter((item) => item.media.length > 0).length;
    expect(shown).toBeGreaterThanOrEqual(100);
    expect(shown).toBeLessThanOrEqual(100 + 12);
    expectOneRun(photos.posts);
  });

  it("keeps everything it read without a window", async () => {
    const grid = await opened(new TimelineFeed("visual", "profile", 30));
    await readDown(grid, 99);
    expect(grid.posts).toHaveLength(3_000);
    expect(grid.hasNewer).toBe(false);
  });
});
