import { describe, expect, it } from "vitest";
import { indexAt, offsetsOf, windowOf } from "./virtualWindow";

const even = (count: number, height: number) => offsetsOf(count, () => height);

describe("virtual window", () => {
  it("adds heights into offsets, the last one the whole list", () => {
    expect(Array.from(offsetsOf(3, (i) => [10, 20, 30][i]!))).toEqual([0, 10, 30, 60]);
  });

  it("finds the item under a point, clamped to the list", () => {
    const offsets = offsetsOf(3, (i) => [10, 20, 30][i]!);
    expect([-5, 0, 9.9, 10, 29, 30, 59, 60, 500].map((y) => indexAt(offsets, y))).toEqual([0, 0, 0, 1, 1, 2, 2, 2, 2]);
  });

  it("keeps only the items meeting the band, with the rest as space", () => {
    const offsets = even(50_000, 100);
    const window = windowOf(offsets, 1_000_050, 1_001_000, 60);
    expect(window).toEqual({ start: 10_000, end: 10_010, before: 1_000_000, after: 100 * (50_000 - 10_010) });
  });

  it("never renders more than the cap, whatever the band", () => {
    const window = windowOf(even(50_000, 1), 0, 1_000_000, 60);
    expect(window.end - window.start).toBe(60);
    expect(window.before + 60 + window.after).toBe(50_000);
  });

  it("shows the last items when the band is past the end, and nothing of an empty list", () => {
    expect(windowOf(even(10, 100), 5_000, 6_000, 60)).toEqual({ start: 9, end: 10, before: 900, after: 0 });
    expect(windowOf(even(0, 100), 0, 500, 60)).toEqual({ start: 0, end: 0, before: 0, after: 0 });
  });
});
