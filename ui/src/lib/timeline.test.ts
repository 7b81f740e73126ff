import { describe, expect, it } from "vitest";
import { keys, post } from "./testPosts";
import {
  appendOlderPage,
  mergeNewestPage,
  replacePost,
  replyDepths,
  threadWithout,
  uniqueByKey,
  withFavourite,
  withoutPosts,
} from "./timeline";

const a = post("a");
const b = post("b");
const c = post("c");
const d = post("d");
const e = post("e");
const f = post("f");

describe("appendOlderPage", () => {
  it("appends new posts and takes the next cursor", () => {
    const merged = appendOlderPage(
      { posts: [a, b], nextCursor: "c1" },
      { posts: [c, d], nextCursor: "c2" },
    );
    expect(keys(merged.posts)).toEqual(["feed:a", "feed:b", "feed:c", "feed:d"]);
    expect(merged.nextCursor).toBe("c2");
  });

  it("does not duplicate a post that is on both pages, but keeps the fresher copy in place", () => {
    const fresherB = { ...b, favouritesCount: 9 };
    const merged = appendOlderPage(
      { posts: [a, b], nextCursor: "c1" },
      { posts: [fresherB, c, c], nextCursor: null },
    );
    expect(keys(merged.posts)).toEqual(["feed:a", "feed:b", "feed:c"]);
    expect(merged.posts[1]?.favouritesCount).toBe(9);
    expect(merged.nextCursor).toBeNull();
  });
});

describe("mergeNewestPage", () => {
  it("puts new posts on top and keeps the older pages and their cursor", () => {
    const { timeline, addedOnTop } = mergeNewestPage(
      { posts: [c, d, e, f], nextCursor: "after-f" },
      { posts: [a, b, c, d], nextCursor: "after-d" },
    );
    expect(keys(timeline.posts)).toEqual(["feed:a", "feed:b", "feed:c", "feed:d", "feed:e", "feed:f"]);
    expect(timeline.nextCursor).toBe("after-f");
    expect(addedOnTop).toBe(2);
  });

  it("takes the page's cursor when the page covers everything loaded", () => {
    const { timeline, addedOnTop } = mergeNewestPage(
      { posts: [b, c], nextCursor: "after-c" },
      { posts: [a, b, c, d], nextCursor: "after-d" },
    );
    expect(keys(timeline.posts)).toEqual(["feed:a", "feed:b", "feed:c", "feed:d"]);
    expect(timeline.nextCursor).toBe("after-d");
    expect(addedOnTop).toBe(1);
  });

  it("drops posts inside the page's range that the cache no longer has", () => {
    const { timeline } = mergeNewestPage(
      { posts: [a, b, c, d], nextCursor: "after-d" },
      { posts: [a, c], nextCursor: "after-c" },
    );
    expect(keys(timeline.posts)).toEqual(["feed:a", "feed:c", "feed:d"]);
    expect(timeline.nextCursor).toBe("after-d");
  });

  it("uses the updated copy of posts it already had", () => {
    const favouritedA = { ...a, favourited: true };
    const { timeline, addedOnTop } = mergeNewestPage(
      { posts: [a, b], nextCursor: null },
      { posts: [favouritedA, b], nextCursor: null },
    );
    expect(timeline.posts[0]?.favourited).toBe(true);
    expect(addedOnTop).toBe(0);
  });

  it("restarts from the first page when it shares nothing with what is loaded and more is cached", () => {
    const { timeline, addedOnTop } = mergeNewestPage(
      { posts: [e, f], nextCursor: "after-f" },
      { posts: [a, b], nextCursor: "after-b" },
    );
    expect(keys(timeline.posts)).toEqual(["feed:a", "feed:b"]);
    expect(timeline.nextCursor).toBe("after-b");
    expect(addedOnTop).toBe(2);
  });

  it("reports nothing new for the very first load", () => {
    const { timeline, addedOnTop } = mergeNewestPage(
      { posts: [], nextCursor: null },
      { posts: [a, b], nextCursor: "after-b" },
    );
    expect(keys(timeline.posts)).toEqual(["feed:a", "feed:b"]);
    expect(addedOnTop).toBe(0);
  });
});

describe("post updates", () => {
  it("replaces by key and leaves the array alone when the key is absent", () => {
    const list = [a, b];
    const updated = { ...b, repliesCount: 3 };
    expect(replacePost(list, updated)[1]?.repliesCount).toBe(3);
    expect(list[1]?.repliesCount).toBe(0);
    expect(replacePost(list, post("zzz"))).toBe(list);
  });

  it("adjusts the favourite count with the toggle, never below zero", () => {
    const liked = withFavourite({ ...a, favouritesCount: 4 }, true);
    expect(liked).toMatchObject({ favourited: true, favouritesCount: 5 });
    expect(withFavourite(liked, false)).toMatchObject({ favourited: false, favouritesCount: 4 });
    expect(withFavourite({ ...a, favourited: true, favouritesCount: 0 }, false).favouritesCount).toBe(0);
    expect(withFavourite(a, false)).toBe(a);
  });

  it("removes repeated keys keeping the first", () => {
    expect(keys(uniqueByKey([a, b, a, { ...b }]))).toEqual(["feed:a", "feed:b"]);
  });
});

describe("removed posts", () => {
  it("drops the removed keys and leaves the array alone when none was loaded", () => {
    const list = [a, b, c];
    expect(keys(withoutPosts(list, new Set(["feed:b", "visual:b"])))).toEqual(["feed:a", "feed:c"]);
    expect(withoutPosts(list, new Set(["feed:zzz"]))).toBe(list);
  });

  it("takes removed comments out of a thread, keeping the replies to them", () => {
    const thread = { ancestors: [a], post: b, descendants: [c, post("d", { inReplyToId: "c" })] };
    const after = threadWithout(thread, new Set(["feed:a", "feed:c"]));
    expect(after?.post).toBe(b);
    expect(keys(after?.ancestors ?? [])).toEqual([]);
    expect(keys(after?.descendants ?? [])).toEqual(["feed:d"]);
    expect(threadWithout(thread, new Set(["feed:zzz"]))).toBe(thread);
  });

  it("leaves no thread once the post it is about is removed", () => {
    expect(threadWithout({ ancestors: [a], post: b, descendants: [c] }, new Set(["feed:b"]))).toBeNull();
  });
});

describe("replyDepths", () => {
  it("indents replies under their parents, capped", () => {
    const root = post("root");
    const r1 = post("r1", { inReplyToId: "root" });
    const r2 = post("r2", { inReplyToId: "r1" });
    const r3 = post("r3", { inReplyToId: "r2" });
    const r4 = post("r4", { inReplyToId: "r3" });
    const stray = post("stray", { inReplyToId: "unknown" });
    const depths = replyDepths(root, [r1, r2, r3, r4, stray]);
    expect([...depths.values()]).toEqual([1, 2, 3, 3, 1]);
  });
});
