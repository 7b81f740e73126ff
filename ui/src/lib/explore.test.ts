// Explore / Suggested state against a stand-in for the core: read on every
// show, kept on screen while re-read, re-read on cache-changed for its own
// surface's Explore only, and never overwritten by an older answer.
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "./api";
import { CommandFailure } from "./errors";
import { ExploreState, exploreNote, shownReason } from "./explore.svelte";
import { publishPostsRemoved, publishPostUpdate } from "./postUpdates";
import { post } from "./testPosts";
import type { CacheChanged, ExplorePost, ExploreView } from "./types";

vi.mock("./api", () => ({
  explore: vi.fn(),
  onCacheChanged: vi.fn(),
  refresh: vi.fn(),
}));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((onResolve) => {
    resolve = onResolve;
  });
  return { promise, resolve };
}

function entry(id: string, reason: string | null = null): ExplorePost {
  return { post: post(id), reason };
}

function view(posts: ExplorePost[], ranked = false): ExploreView {
  return { surface: "feed", ranked, posts };
}

const keys = (state: ExploreState) => state.posts.map(({ post }) => post.key);

let cacheChanged: (change: CacheChanged) => void;

beforeEach(() => {
  cacheChanged = () => {
    throw new Error("nothing listens to cache-changed");
  };
  vi.mocked(api.onCacheChanged).mockImplementation(async (handler) => {
    cacheChanged = handler;
    return () => {};
  });
});

describe("ExploreState", () => {
  it("reads nothing until shown, then the cached posts and whether they are ranked", async () => {
    vi.mocked(api.explore).mockResolvedValue(view([entry("a", "You messaged Ada on Feed")], true));
    const state = new ExploreState("feed");
    expect(state.phase).toBe("idle");
    expect(api.explore).not.toHaveBeenCalled();

    const shown = state.show();
    expect(state.phase).toBe("loading");
    await shown;
    expect(api.explore).toHaveBeenCalledWith("feed");
    expect(state.phase).toBe("ready");
    expect(state.ranked).toBe(true);
    expect(keys(state)).toEqual(["feed:a"]);
  });

  it("reads again each time it is shown, keeping the posts on screen meanwhile", async () => {
    vi.mocked(api.explore).mockResolvedValue(view([entry("a")], true));
    const state = new ExploreState("feed");
    await state.show();

    const next = deferred<ExploreView>();
    vi.mocked(api.explore).mockReturnValue(next.promise);
    const shownAgain = state.show();
    expect(state.phase, "no skeleton over posts already read").toBe("ready");
    expect(keys(state)).toEqual(["feed:a"]);

    next.resolve(view([entry("b"), entry("a")], false));
    await shownAgain;
    expect(keys(state)).toEqual(["feed:b", "feed:a"]);
    expect(state.ranked, "Privacy turned ranking off in between").toBe(false);
    expect(api.onCacheChanged, "one listener however often the tab is shown").toHaveBeenCalledTimes(1);
  });

  it("re-reads when a sync wrote its own surface's Explore, and only then", async () => {
    vi.mocked(api.explore).mockResolvedValue(view([entry("a")]));
    const state = new ExploreState("visual");
    await state.show();
    expect(api.explore).toHaveBeenCalledTimes(1);

    cacheChanged({ surface: "visual", timeline: "home" });
    cacheChanged({ surface: "feed", timeline: "explore" });
    expect(api.explore).toHaveBeenCalledTimes(1);

    vi.mocked(api.explore).mockResolvedValue(view([entry("b"), entry("a")]));
    cacheChanged({ surface: "visual", timeline: "explore" });
    expect(api.explore).toHaveBeenCalledTimes(2);
    await vi.waitFor(() => expect(keys(state)).toEqual(["feed:b", "feed:a"]));
  });

  it("replaces the posts with the error when the first read fails, and shows them after a retry", async () => {
    vi.mocked(api.explore).mockRejectedValue({ kind: "internal", message: "database is locked" });
    const state = new ExploreState("feed");
    await state.show();
    expect(state.phase).toBe("failed");
    expect(state.error).toBeInstanceOf(CommandFailure);
    expect(state.error?.message).toBe("database is locked");

    vi.mocked(api.explore).mockResolvedValue(view([entry("a")]));
    const retried = state.load();
    expect(state.phase, "the retry shows the skeleton again").toBe("loading");
    await retried;
    expect(state.phase).toBe("ready");
    expect(state.error).toBeNull();
    expect(keys(state)).toEqual(["feed:a"]);
  });

  it("keeps the posts when a later read fails, with the error beside them", async () => {
    vi.mocked(api.explore).mockResolvedValue(view([entry("a")]));
    const state = new ExploreState("feed");
    await state.show();

    vi.mocked(api.explore).mockRejectedValue({ kind: "internal", message: "disk full" });
    await state.load();
    expect(state.phase).toBe("ready");
    expect(keys(state)).toEqual(["feed:a"]);
    expect(state.error?.message).toBe("disk full");
  });

  it("never lets an older answer replace a newer one", async () => {
    const older = deferred<ExploreView>();
    const newer = deferred<ExploreView>();
    vi.mocked(api.explore).mockReturnValueOnce(older.promise).mockReturnValueOnce(newer.promise);
    const state = new ExploreState("feed");
    const first = state.show();
    const second = state.load();

    newer.resolve(view([entry("new")], false));
    await second;
    older.resolve(view([entry("old", "You favourited a post by Ada")], true));
    await first;
    expect(keys(state)).toEqual(["feed:new"]);
    expect(state.ranked).toBe(false);
  });

  it("pulls the surface on refresh, then reads what arrived; a failed pull reads nothing", async () => {
    vi.mocked(api.explore).mockResolvedValue(view([entry("a")]));
    const state = new ExploreState("feed");
    await state.show();

    vi.mocked(api.refresh).mockRejectedValue({ kind: "offline", message: "" });
    await state.refresh();
    expect(api.refresh).toHaveBeenCalledWith("feed");
    expect(api.explore).toHaveBeenCalledTimes(1);

    vi.mocked(api.refresh).mockResolvedValue([]);
    await state.refresh();
    expect(api.explore).toHaveBeenCalledTimes(2);
  });

  it("follows a favourite toggled elsewhere, and drops deleted posts", async () => {
    vi.mocked(api.explore).mockResolvedValue(view([entry("a", "You replied to Ada on Visual"), entry("b")], true));
    const state = new ExploreState("feed");
    await state.show();

    publishPostUpdate(post("a", { favourited: true }));
    expect(state.posts[0]?.post.favourited).toBe(true);
    expect(state.posts[0]?.reason, "the reason stays with the post").toBe("You replied to Ada on Visual");

    publishPostsRemoved(["feed:b"]);
    expect(keys(state)).toEqual(["feed:a"]);
  });
});

describe("exploreNote", () => {
  it("says the order comes from the person's activity while ranked", () => {
    const ranked = "Ranked on this computer from your activity on Feed and Visual. You can change this in Privacy.";
    expect(exploreNote("visual", true)).toBe(ranked);
    expect(exploreNote("feed", true)).toBe(ranked);
  });

  it("says what is shown newest first, in the surface's words, while not ranked", () => {
    expect(exploreNote("visual", false)).toBe(
      "Newest public photos. In Privacy you can let your activity rank them for you.",
    );
    expect(exploreNote("feed", false)).toBe(
      "Newest public posts. In Privacy you can let your activity rank them for you.",
    );
  });
});

describe("shownReason", () => {
  it("gives the reason only while ranked, and never an empty one", () => {
    expect(shownReason(entry("a", "You messaged Kenji Watanabe on Feed"), true)).toBe(
      "You messaged Kenji Watanabe on Feed",
    );
    expect(shownReason(entry("a", "You messaged Kenji Watanabe on Feed"), false)).toBeNull();
    expect(shownReason(entry("a", null), true)).toBeNull();
    expect(shownReason(entry("a", "  "), true)).toBeNull();
  });
});
