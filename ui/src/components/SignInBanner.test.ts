// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import { signInAgain } from "../lib/signInAgain.svelte";
import { connectedApps } from "../lib/testPrivacy";
import type { ConnectedApps, SignInState, SurfaceLinkView } from "../lib/types";
import SignInBanner from "./SignInBanner.svelte";

vi.mock("../lib/api", () => ({ signInAgain: vi.fn() }));

function link(surface: SurfaceLinkView["surface"], signIn: SignInState): SurfaceLinkView {
  return { surface, server: `${surface}.example`, dialect: "mastodon", handle: `mara@${surface}.example`, signIn };
}

beforeEach(() => {
  signInAgain.errors = {};
});

describe("SignInBanner", () => {
  it("is not there while every surface is signed in", () => {
    render(SignInBanner, { surfaces: [link("feed", "active"), link("visual", "active")] });
    expect(screen.queryByTestId("sign-in-banner")).toBeNull();
  });

  it("says which surface isn't syncing, and why", () => {
    render(SignInBanner, { surfaces: [link("feed", "signedOut"), link("visual", "refused")] });
    const banner = screen.getByTestId("sign-in-banner");
    expect(banner.textContent).toContain("You signed out of Feed, so it isn't syncing.");
    expect(banner.textContent).toContain("Visual's server no longer accepts Facets' sign-in, so Visual isn't syncing.");
    expect(within(banner).getByTestId("sign-in-banner-again-feed").textContent?.trim()).toBe("Sign in again");
    expect(within(banner).getByTestId("sign-in-banner-again-visual")).toBeTruthy();
  });

  it("signs the surface in again, showing it under way", async () => {
    render(SignInBanner, { surfaces: [link("feed", "active"), link("visual", "refused")] });
    let answer: (apps: ConnectedApps) => void = () => {};
    vi.mocked(api.signInAgain).mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const again = screen.getByTestId("sign-in-banner-again-visual") as HTMLButtonElement;

    await fireEvent.click(again);
    expect(api.signInAgain).toHaveBeenCalledWith("visual");
    expect(again.disabled).toBe(true);
    expect(again.textContent?.trim()).toBe("Signing in…");

    answer(connectedApps());
    await waitFor(() => expect(again.disabled).toBe(false));
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("says why signing in again failed", async () => {
    render(SignInBanner, { surfaces: [link("visual", "signedOut")] });
    vi.mocked(api.signInAgain).mockRejectedValue({
      kind: "offline",
      message: "The server could not be reached; try again when you're back online",
    });

    await fireEvent.click(screen.getByTestId("sign-in-banner-again-visual"));
    const alert = await within(screen.getByTestId("sign-in-banner")).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't sign in to Visual again.");
    expect(alert.textContent).toContain("try again when you're back online");
    expect((screen.getByTestId("sign-in-banner-again-visual") as HTMLButtonElement).disabled).toBe(false);
  });
});
