import { describe, expect, it } from "vitest";
import { chunk, displayAspectRatio, gridTiles, motionBadge, visualMedia } from "./media";
import { image, post } from "./testPosts";

describe("chunk", () => {
  it("splits into rows with a shorter last row", () => {
    expect(chunk([1, 2, 3, 4, 5, 6, 7], 3)).toEqual([[1, 2, 3], [4, 5, 6], [7]]);
    expect(chunk([1, 2, 3], 3)).toEqual([[1, 2, 3]]);
    expect(chunk([], 3)).toEqual([]);
  });

  it("rejects a row size that would never end", () => {
    expect(() => chunk([1], 0)).toThrow(RangeError);
    expect(() => chunk([1], 1.5)).toThrow(RangeError);
  });
});

describe("gridTiles", () => {
  it("keeps only posts with pictures and counts them", () => {
    const audio = image("sound", { kind: "audio" });
    const tiles = gridTiles([
      post("text"),
      post("one", { media: [image("1")] }),
      post("many", { media: [image("2"), image("3", { kind: "gifv" }), audio] }),
      post("audio-only", { media: [audio] }),
    ]);
    expect(tiles.map((tile) => [tile.post.remoteId, tile.cover.id, tile.pictureCount])).toEqual([
      ["one", "1", 1],
      ["many", "2", 2],
    ]);
  });
});

describe("visual media", () => {
  it("shows images, GIFs and video frames but not audio", () => {
    const withAll = post("x", {
      media: [image("i"), image("g", { kind: "gifv" }), image("v", { kind: "video" }), image("a", { kind: "audio" })],
    });
    expect(visualMedia(withAll).map((media) => media.id)).toEqual(["i", "g", "v"]);
    expect(motionBadge(image("g", { kind: "gifv" }))).toBe("GIF");
    expect(motionBadge(image("i"))).toBeNull();
  });

  it("keeps reserved shapes between 4:5 and 1.91:1, square when unknown", () => {
    expect(displayAspectRatio({ width: 800, height: 600 })).toBeCloseTo(4 / 3);
    expect(displayAspectRatio({ width: 500, height: 2000 })).toBe(0.8);
    expect(displayAspectRatio({ width: 4000, height: 1000 })).toBe(1.91);
    expect(displayAspectRatio({ width: null, height: 600 })).toBe(1);
    expect(displayAspectRatio({ width: 0, height: 0 })).toBe(1);
  });
});
