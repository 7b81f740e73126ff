import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "./api";
import { CommandFailure } from "./errors";
import { notices } from "./notices.svelte";
import { deletedTitle, deleteOwnPost } from "./postDeletion.svelte";
import { onPostsRemoved } from "./postUpdates";
import { post } from "./testPosts";

vi.mock("./api", () => ({ deletePost: vi.fn() }));

describe("deleteOwnPost", () => {
  let removed: string[][];
  let stopListening: () => void;

  beforeEach(() => {
    removed = [];
    stopListening = onPostsRemoved((keys) => removed.push([...keys]));
    notices.items = [];
  });

  afterEach(() => stopListening());

  it("deletes the copies too when asked, removes them all and says where from", async () => {
    const crossPosted = post("1", { own: true, alsoOn: ["visual"] });
    vi.mocked(api.deletePost).mockResolvedValue(["feed:1", "visual:9"]);

    await expect(deleteOwnPost(crossPosted, true)).resolves.toEqual(["feed:1", "visual:9"]);

    expect(api.deletePost).toHaveBeenCalledWith("feed:1", true);
    expect(removed).toEqual([["feed:1", "visual:9"]]);
    expect(notices.items.map((notice) => notice.title)).toEqual(["Post deleted from Feed and Visual"]);
  });

  it("does not ask for copies the post does not have", async () => {
    vi.mocked(api.deletePost).mockResolvedValue(["feed:2"]);

    await deleteOwnPost(post("2", { own: true }), true);

    expect(api.deletePost).toHaveBeenCalledWith("feed:2", false);
    expect(notices.items.map((notice) => notice.title)).toEqual(["Post deleted"]);
  });

  it("leaves everything in place when the core refuses", async () => {
    const failure = new CommandFailure("offline", "The server could not be reached");
    vi.mocked(api.deletePost).mockRejectedValue(failure);

    await expect(deleteOwnPost(post("3", { own: true }), false)).rejects.toBe(failure);

    expect(removed).toEqual([]);
    expect(notices.items).toEqual([]);
  });
});

describe("deletedTitle", () => {
  it("names the surfaces only when the post went from more than one", () => {
    expect(deletedTitle(["visual:1"])).toBe("Post deleted");
    expect(deletedTitle(["visual:1", "feed:7"])).toBe("Post deleted from Feed and Visual");
  });
});
