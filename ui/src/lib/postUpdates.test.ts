import { afterEach, describe, expect, it, vi } from "vitest";
import { lightbox } from "./lightboxState.svelte";
import { onPostsRemoved, publishPostsRemoved } from "./postUpdates";
import { image, keys, post } from "./testPosts";
import { threadPanel } from "./threadPanel.svelte";
import { TimelineFeed } from "./timelineFeed.svelte";

// The stores only subscribe here; the core is read only for the timelines' pages.
const api = vi.hoisted(() => ({ timelinePage: vi.fn<typeof import("./api").timelinePage>() }));
vi.mock("./api", () => api);

const mine = post("mine", { own: true, alsoOn: ["visual"] });
const copy = post("mine-copy", { key: "visual:mine-copy", surface: "visual", media: [image("m")] });
const other = post("other");

afterEach(() => {
  threadPanel.close();
  lightbox.close();
});

describe("publishPostsRemoved", () => {
  it("gives listeners the removed keys until they stop listening", () => {
    const heard: string[][] = [];
    const stop = onPostsRemoved((removed) => heard.push([...removed]));
    publishPostsRemoved(["feed:a", "visual:b", "feed:a"]);
    publishPostsRemoved([]);
    stop();
    publishPostsRemoved(["feed:c"]);
    expect(heard).toEqual([["feed:a", "visual:b"]]);
  });

  it("takes the posts out of every loaded timeline", async () => {
    api.timelinePage.mockImplementation(async (surface) => ({
      posts: surface === "feed" ? [mine, other] : [copy],
      nextCursor: null,
    }));
    const feed = new TimelineFeed("feed", "home", 20);
    const photos = new TimelineFeed("visual", "home", 20);
    await feed.loadFirstPage();
    await photos.loadFirstPage();
    expect(keys(feed.posts), "the feed holds both posts before one is removed").toEqual(["feed:mine", "feed:other"]);

    publishPostsRemoved([mine.key, copy.key]);

    expect(keys(feed.posts)).toEqual(["feed:other"]);
    expect(photos.posts).toEqual([]);
  });

  it("takes a removed comment out of the open thread", () => {
    threadPanel.focused = other;
    threadPanel.thread = { ancestors: [], post: other, descendants: [mine] };

    publishPostsRemoved([mine.key]);

    expect(threadPanel.isOpen).toBe(true);
    expect(threadPanel.thread?.descendants).toEqual([]);
  });

  it("closes the thread panel and the lightbox showing a removed post", () => {
    threadPanel.focused = mine;
    threadPanel.thread = { ancestors: [], post: mine, descendants: [other] };
    lightbox.open(copy);

    publishPostsRemoved([mine.key, copy.key]);

    expect(threadPanel.isOpen).toBe(false);
    expect(threadPanel.thread).toBeNull();
    expect(lightbox.isOpen).toBe(false);
  });

  it("leaves the lightbox open on another post", () => {
    lightbox.open(copy);
    publishPostsRemoved([mine.key]);
    expect(lightbox.post).toBe(copy);
  });
});
