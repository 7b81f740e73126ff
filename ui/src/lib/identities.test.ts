import { describe, expect, it } from "vitest";
import { identityDetail, identityKey, identityName, softwareName } from "./identities";
import type { IdentityView } from "./types";

const demo: IdentityView = { profile: { kind: "demo" }, handles: [], active: true };
const mine: IdentityView = {
  profile: { kind: "identity", id: "3f2a" },
  handles: ["mara@mastodon.social", "mara@pixelfed.social"],
  active: false,
};

describe("identity words", () => {
  it("names the demo and an identity by its accounts", () => {
    expect(identityName(demo)).toBe("Demo");
    expect(identityName(mine)).toBe("@mara@mastodon.social · @mara@pixelfed.social");
    expect(identityName({ ...mine, handles: [] })).toContain("no account");
    expect(identityDetail(demo)).toContain("demo");
    expect(identityDetail(mine)).toBe("Your 2 accounts");
    expect(identityDetail({ ...mine, handles: ["a@b"] })).toBe("Your account");
  });

  it("keys identities by id, and spells server software as its makers do", () => {
    expect(identityKey(demo)).toBe("demo");
    expect(identityKey(mine)).toBe("3f2a");
    expect(softwareName("gotosocial")).toBe("GoToSocial");
    expect(softwareName("pixelfed")).toBe("Pixelfed");
  });
});
