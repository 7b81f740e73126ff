import { describe, expect, it } from "vitest";
import { clampIndex, lightboxActionForKey, positionLabel, stepIndex } from "./lightbox";

describe("lightbox navigation", () => {
  it("moves one picture at a time and stops at both ends", () => {
    expect(stepIndex(0, 1, 3)).toBe(1);
    expect(stepIndex(2, 1, 3)).toBe(2);
    expect(stepIndex(0, -1, 3)).toBe(0);
    expect(stepIndex(1, -1, 3)).toBe(0);
  });

  it("clamps an out-of-range opening index", () => {
    expect(clampIndex(7, 3)).toBe(2);
    expect(clampIndex(-2, 3)).toBe(0);
    expect(clampIndex(Number.NaN, 3)).toBe(0);
    expect(clampIndex(4, 0)).toBe(0);
    expect(stepIndex(9, -1, 3)).toBe(1);
  });

  it("maps arrow keys and Escape, and ignores the rest", () => {
    expect(lightboxActionForKey("ArrowRight")).toBe("next");
    expect(lightboxActionForKey("ArrowLeft")).toBe("previous");
    expect(lightboxActionForKey("Escape")).toBe("close");
    expect(lightboxActionForKey("Enter")).toBeNull();
  });

  it("labels the position for people", () => {
    expect(positionLabel(1, 4)).toBe("2 of 4");
  });
});
