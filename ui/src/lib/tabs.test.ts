import { describe, expect, it } from "vitest";
import { tabForKey } from "./tabs";

const tabs = ["grid", "photos", "explore"] as const;

describe("tabForKey", () => {
  it("moves to the neighbour with the arrows, wrapping round at both ends", () => {
    expect(tabForKey(tabs, "grid", "ArrowRight")).toBe("photos");
    expect(tabForKey(tabs, "explore", "ArrowRight")).toBe("grid");
    expect(tabForKey(tabs, "photos", "ArrowLeft")).toBe("grid");
    expect(tabForKey(tabs, "grid", "ArrowLeft")).toBe("explore");
  });

  it("jumps to the first and last tab with Home and End", () => {
    expect(tabForKey(tabs, "photos", "Home")).toBe("grid");
    expect(tabForKey(tabs, "photos", "End")).toBe("explore");
  });

  it("leaves every other key alone", () => {
    expect(tabForKey(tabs, "grid", "Enter")).toBeNull();
    expect(tabForKey(tabs, "grid", "ArrowDown")).toBeNull();
    expect(tabForKey([], "grid", "ArrowRight")).toBeNull();
  });

  it("goes between two tabs either way, as Home | Suggested", () => {
    expect(tabForKey(["home", "suggested"], "home", "ArrowRight")).toBe("suggested");
    expect(tabForKey(["home", "suggested"], "home", "ArrowLeft")).toBe("suggested");
    expect(tabForKey(["home", "suggested"], "suggested", "ArrowRight")).toBe("home");
  });
});
