import { describe, expect, it } from "vitest";
import {
  accountLine,
  changeFailedAction,
  deleteAllSignalsLabel,
  formatLastChecked,
  formatLogTime,
  localChangeFailedAction,
  lockedMeaning,
  logSurfaceLabel,
  settingDetail,
  signalCount,
  signalUse,
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

  it("describes a failed change of Facets' own settings so it can follow Couldn't", () => {
    expect(localChangeFailedAction({ setting: "stripPhotoMetadata", value: false })).toBe(
      "turn off removing location and camera details",
    );
    expect(localChangeFailedAction({ setting: "shareVisualToFeed", value: true })).toBe(
      "turn on sharing Visual posts to Feed",
    );
    expect(localChangeFailedAction({ setting: "inboxAcrossSurfaces", value: false })).toBe(
      "keep Feed's and Visual's messages apart",
    );
    expect(localChangeFailedAction({ setting: "activityShapesOther", value: true })).toBe(
      "let your activity on one surface shape the other",
    );
    expect(localChangeFailedAction({ setting: "activityPaused", value: false })).toBe("resume recording your activity");
  });

  it("says how ranking used a recorded signal", () => {
    expect(signalUse({ usedCount: 0, lastUsedAt: null })).toBe("Not used yet");
    expect(signalUse({ usedCount: 1, lastUsedAt: "2024-05-02T09:30:00Z" }, "en-US")).toBe(
      `Used once, last ${formatLogTime("2024-05-02T09:30:00Z", "en-US")}`,
    );
    expect(signalUse({ usedCount: 4, lastUsedAt: "2024-05-02T09:30:00Z" }, "en-US")).toMatch(
      /^Used 4 times, last May [12], 2024, \d{1,2}:\d\d\s?[AP]M$/,
    );
    expect(signalUse({ usedCount: 2, lastUsedAt: null })).toBe("Used 2 times");
  });

  it("counts signals and names the button that deletes them all", () => {
    expect(signalCount(1)).toBe("1 signal");
    expect(signalCount(0)).toBe("0 signals");
    expect(signalCount(12)).toBe("12 signals");
    expect(deleteAllSignalsLabel(3, false)).toBe("Delete all 3 signals");
    expect(deleteAllSignalsLabel(1, false)).toBe("Delete the 1 signal");
    expect(deleteAllSignalsLabel(50, true), "older ones are not counted yet").toBe("Delete all signals, older ones too");
  });
});
