// Signing in again against a stand-in for the core: a surface signed in again is synced at
// once (which clears the sync error its views show); a failed attempt syncs nothing and
// keeps its reason.
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "./api";
import { CommandFailure } from "./errors";
import { addAccount } from "./addAccount.svelte";
import { appStatus } from "./appStatus.svelte";
import { signInAgain } from "./signInAgain.svelte";
import { surfaceSyncs } from "./surfaceSync.svelte";
import { connectedApps } from "./testPrivacy";

vi.mock("./api", () => ({
  signInAgain: vi.fn(),
  refresh: vi.fn(),
}));

describe("signing in again", () => {
  beforeEach(() => vi.resetAllMocks());

  it("syncs the surface once it is signed in, clearing its views' sync error", async () => {
    vi.mocked(api.signInAgain).mockResolvedValue(connectedApps());
    vi.mocked(api.refresh).mockResolvedValue([]);
    surfaceSyncs.feed.error = new CommandFailure("unauthorized", "This account's sign-in has stopped working.");

    expect(await signInAgain.run("feed")).not.toBeNull();
    expect(api.signInAgain).toHaveBeenCalledWith("feed");
    await vi.waitFor(() => expect(surfaceSyncs.feed.error).toBeNull());
    expect(api.refresh).toHaveBeenCalledWith("feed");
  });

  it("sends a real account's surface to Add account, on its own server", async () => {
    appStatus.status = {
      mode: "accounts",
      identity: null,
      surfaces: [
        { surface: "feed", server: "https://social.example", dialect: "mastodon", handle: "mara@social.example", signIn: "refused" },
      ],
      lastSyncAt: null,
    };
    try {
      expect(await signInAgain.run("feed")).toBeNull();
      expect(api.signInAgain).not.toHaveBeenCalled();
      expect(addAccount.request).toEqual({ newIdentity: false, server: "https://social.example", surface: "feed" });
    } finally {
      appStatus.status = null;
      addAccount.close();
    }
  });

  it("syncs nothing when signing in fails, and keeps why", async () => {
    vi.mocked(api.signInAgain).mockRejectedValue(new CommandFailure("offline", "Facets can't reach the server."));

    expect(await signInAgain.run("visual")).toBeNull();
    expect(api.refresh).not.toHaveBeenCalled();
    expect(signInAgain.errors.visual?.kind).toBe("offline");
  });
});
