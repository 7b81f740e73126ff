import { describe, expect, it } from "vitest";
import {
  accountLine,
  changeFailedAction,
  formatLastChecked,
  lockedMeaning,
  logSurfaceLabel,
  settingDetail,
} from "./privacy";
import { feedPrivacy, visualPrivacy } from "./testPrivacy";

describe("privacy wording", () => {
  it("says what a private account means on each kind of server", () => {
    expect(lockedMeaning("followersOnly")).toBe("Only followers you approve see your posts.");
    expect(lockedMeaning("approvesFollowers")).toBe("You approve each new follower. Your public posts stay public.");
    expect(settingDetail("locked", visualPrivacy())).toBe(lockedMeaning("followersOnly"));
    expect(settingDetail("discoverable", feedPrivacy())).toContain("mastodon-server-host");
  });

  it("names the account a section is about", () => {
    expect(accountLine(visualPrivacy())).toBe("@mara@facets.example on pixelfed-server-host");
  });

  it("describes a failed change so it can follow Couldn't", () => {
    expect(changeFailedAction("visual", { setting: "locked", value: true })).toBe("make your Visual account private");
    expect(changeFailedAction("feed", { setting: "locked", value: false })).toBe("make your Feed account public");
    expect(changeFailedAction("feed", { setting: "defaultAudience", value: "private" })).toBe(
      "make Followers only the default audience on Feed",
    );
    expect(changeFailedAction("feed", { setting: "indexable", value: false })).toBe(
      "keep search engines from indexing your Feed posts",
    );
  });

  it("says when the server was last asked", () => {
    const now = new Date("2024-05-01T12:10:00Z");
    expect(formatLastChecked(null, now)).toBe("Not checked with the server yet");
    expect(formatLastChecked("not a date", now)).toBe("Not checked with the server yet");
    expect(formatLastChecked("2024-05-01T12:09:30Z", now)).toBe("Last checked just now");
    expect(formatLastChecked("2024-05-01T12:05:00Z", now)).toBe("Last checked 5m ago");
    expect(formatLastChecked("2024-03-04T12:00:00Z", now, "en-US")).toBe("Last checked on Mar 4");
  });

  it("names where a logged change happened", () => {
    expect(logSurfaceLabel("feed")).toBe("Feed");
    expect(logSurfaceLabel(null)).toBe("This computer");
  });
});
