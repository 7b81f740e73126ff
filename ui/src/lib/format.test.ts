import { describe, expect, it } from "vitest";
import {
  alsoDeleteLabel,
  alsoOnLabel,
  displayNameOf,
  formatCount,
  formatHandle,
  formatLastSync,
  formatRelativeTime,
  initialsOf,
  surfaceList,
} from "./format";

// Midday UTC, so the calendar day is the same in every test machine's time zone.
const NOW = new Date("2024-06-15T12:00:00Z");

function secondsBefore(seconds: number): string {
  return new Date(NOW.getTime() - seconds * 1000).toISOString();
}

describe("formatRelativeTime", () => {
  it("says now for the last minute", () => {
    expect(formatRelativeTime(secondsBefore(0), NOW, "en-US")).toBe("now");
    expect(formatRelativeTime(secondsBefore(59), NOW, "en-US")).toBe("now");
  });

  it("treats a timestamp slightly in the future as now", () => {
    expect(formatRelativeTime(secondsBefore(-30), NOW, "en-US")).toBe("now");
  });

  it("counts whole minutes, hours and days", () => {
    expect(formatRelativeTime(secondsBefore(60), NOW, "en-US")).toBe("1m");
    expect(formatRelativeTime(secondsBefore(59 * 60 + 59), NOW, "en-US")).toBe("59m");
    expect(formatRelativeTime(secondsBefore(3600), NOW, "en-US")).toBe("1h");
    expect(formatRelativeTime(secondsBefore(23 * 3600 + 3599), NOW, "en-US")).toBe("23h");
    expect(formatRelativeTime(secondsBefore(24 * 3600), NOW, "en-US")).toBe("1d");
    expect(formatRelativeTime(secondsBefore(6 * 24 * 3600), NOW, "en-US")).toBe("6d");
  });

  it("switches to a date after a week, with the year only when it differs", () => {
    expect(formatRelativeTime("2024-03-04T12:00:00Z", NOW, "en-US")).toBe("Mar 4");
    expect(formatRelativeTime("2023-03-04T12:00:00Z", NOW, "en-US")).toBe("Mar 4, 2023");
  });

  it("returns an empty string for a broken timestamp", () => {
    expect(formatRelativeTime("not a date", NOW, "en-US")).toBe("");
  });
});

describe("formatLastSync", () => {
  it("describes never, just now and older syncs", () => {
    expect(formatLastSync(null, NOW, "en-US")).toBe("Not synced yet");
    expect(formatLastSync(secondsBefore(5), NOW, "en-US")).toBe("Updated just now");
    expect(formatLastSync(secondsBefore(300), NOW, "en-US")).toBe("Updated 5m ago");
    expect(formatLastSync("2024-01-02T12:00:00Z", NOW, "en-US")).toBe("Updated Jan 2");
  });
});

describe("formatCount", () => {
  it("abbreviates large counts", () => {
    expect(formatCount(0, "en-US")).toBe("0");
    expect(formatCount(999, "en-US")).toBe("999");
    expect(formatCount(1234, "en-US")).toBe("1.2K");
    expect(formatCount(1_500_000, "en-US")).toBe("1.5M");
  });

  it("never shows a negative or fractional count", () => {
    expect(formatCount(-3, "en-US")).toBe("0");
    expect(formatCount(Number.NaN, "en-US")).toBe("0");
    expect(formatCount(7.9, "en-US")).toBe("7");
  });
});

describe("names and handles", () => {
  it("prefixes handles with a single @", () => {
    expect(formatHandle("ada@feed.example")).toBe("@ada@feed.example");
    expect(formatHandle("@ada@feed.example")).toBe("@ada@feed.example");
  });

  it("falls back to the handle's user part for a blank display name", () => {
    expect(displayNameOf({ displayName: "  ", handle: "ada@feed.example" })).toBe("ada");
    expect(displayNameOf({ displayName: " Ada ", handle: "ada@feed.example" })).toBe("Ada");
  });

  it("takes up to two initials, including non-Latin letters", () => {
    expect(initialsOf("Ada King Lovelace")).toBe("AK");
    expect(initialsOf("émile")).toBe("É");
    expect(initialsOf("")).toBe("");
  });
});

describe("alsoOnLabel", () => {
  it("names the other surfaces of a cross-post", () => {
    expect(alsoOnLabel([])).toBe("");
    expect(alsoOnLabel(["visual"])).toBe("Also on Visual");
    expect(alsoOnLabel(["feed", "visual"])).toBe("Also on Feed and Visual");
  });
});

describe("surfaceList", () => {
  it("names surfaces the way a sentence lists them", () => {
    expect(surfaceList([])).toBe("");
    expect(surfaceList(["feed"])).toBe("Feed");
    expect(surfaceList(["feed", "visual"])).toBe("Feed and Visual");
  });
});

describe("alsoDeleteLabel", () => {
  it("offers the cross-posted copies by the names of their surfaces", () => {
    expect(alsoDeleteLabel([])).toBe("");
    expect(alsoDeleteLabel(["visual"])).toBe("Also delete the copy on Visual");
    expect(alsoDeleteLabel(["feed", "visual"])).toBe("Also delete the copies on Feed and Visual");
  });
});
