import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "./api";
import { toggleFavourite } from "./favourite";
import { notices } from "./notices.svelte";
import { onPostUpdated } from "./postUpdates";
import { post } from "./testPosts";
import type { PostView } from "./types";

vi.mock("./api", () => ({ setFavourite: vi.fn() }));

describe("toggleFavourite", () => {
  let published: PostView[];
  let stopListening: () => void;

  beforeEach(() => {
    published = [];
    stopListening = onPostUpdated((updated) => published.push(updated));
    notices.items = [];
  });

  afterEach(() => stopListening());

  it("shows the favourite at once, then the server's copy", async () => {
    const original = post("1", { favouritesCount: 2 });
    const fromServer = { ...original, favourited: true, favouritesCount: 7 };
    vi.mocked(api.setFavourite).mockResolvedValue(fromServer);

    await toggleFavourite(original);

    expect(api.setFavourite).toHaveBeenCalledWith("feed:1", true);
    expect(published.map((p) => [p.favourited, p.favouritesCount])).toEqual([
      [true, 3],
      [true, 7],
    ]);
    expect(notices.items).toEqual([]);
  });

  it("puts the post back and explains when the server refuses", async () => {
    const original = post("2", { favourited: true, favouritesCount: 1 });
    vi.mocked(api.setFavourite).mockRejectedValue({ kind: "offline", message: "no network" });

    await toggleFavourite(original);

    expect(api.setFavourite).toHaveBeenCalledWith("feed:2", false);
    expect(published).toEqual([{ ...original, favourited: false, favouritesCount: 0 }, original]);
    expect(notices.items).toHaveLength(1);
    expect(notices.items[0]?.title).toBe("Couldn't remove this favourite.");
    expect(notices.items[0]?.detail).toBe("No network.");
  });

  it("ignores a second click while the first is still on its way", async () => {
    const original = post("3");
    let answer: (value: PostView) => void = () => {};
    vi.mocked(api.setFavourite).mockReturnValue(new Promise((resolve) => (answer = resolve)));

    const first = toggleFavourite(original);
    await toggleFavourite(original);
    answer({ ...original, favourited: true, favouritesCount: 1 });
    await first;

    expect(api.setFavourite).toHaveBeenCalledTimes(1);
  });
});
