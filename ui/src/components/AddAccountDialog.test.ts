// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import { CommandFailure } from "../lib/errors";
import type { SignedIn, SignInStarted } from "../lib/types";
import AddAccountDialog from "./AddAccountDialog.svelte";

vi.mock("../lib/api", () => ({
  addAccountBegin: vi.fn(),
  addAccountFinish: vi.fn(),
  addAccountLink: vi.fn(),
  addAccountCancel: vi.fn(() => Promise.resolve()),
}));

afterEach(() => vi.clearAllMocks());

const loopback: SignInStarted = {
  attempt: "a1",
  authorizeUrl: "https://pixelfed.example/oauth/authorize?client_id=x",
  pasteCode: false,
  server: "pixelfed.example",
  software: "pixelfed",
};

const account: SignedIn = {
  id: "sign-in:1",
  handle: "mara@pixelfed.example",
  displayName: "Mara",
  server: "pixelfed.example",
  software: "pixelfed",
  suggestedSurfaces: ["visual"],
};

function open(newIdentity = true) {
  const onclose = vi.fn();
  const view = render(AddAccountDialog, { newIdentity, onclose });
  return { onclose, unmount: view.unmount };
}

async function typeServer(server: string) {
  await fireEvent.input(screen.getByTestId("add-account-server"), { target: { value: server } });
  await fireEvent.click(screen.getByTestId("add-account-continue"));
}

describe("AddAccountDialog", () => {
  it("signs a refused surface in again on its own server, for that surface only", async () => {
    const onclose = vi.fn();
    render(AddAccountDialog, { newIdentity: false, server: "https://pixelfed.example", surface: "feed", onclose });
    expect(screen.getByText("Sign in to Feed again")).toBeTruthy();
    expect((screen.getByTestId("add-account-server") as HTMLInputElement).value).toBe("https://pixelfed.example");
    expect(screen.getByText(/replaces the one pixelfed\.example stopped accepting/)).toBeTruthy();
    vi.mocked(api.addAccountBegin).mockResolvedValue(loopback);
    vi.mocked(api.addAccountFinish).mockResolvedValue(account);
    vi.mocked(api.addAccountLink).mockResolvedValue(undefined);

    await fireEvent.click(screen.getByTestId("add-account-continue"));
    expect(api.addAccountBegin).toHaveBeenCalledWith("https://pixelfed.example", false);
    await screen.findByTestId("add-account-signed-in");
    // The server suggests Visual for a Pixelfed account; signing in again is for Feed.
    expect((screen.getByTestId("add-account-surface-feed") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("add-account-surface-visual") as HTMLInputElement).checked).toBe(false);
    await fireEvent.click(screen.getByTestId("add-account-link"));
    expect(api.addAccountLink).toHaveBeenCalledWith("a1", "sign-in:1", ["feed"]);
    await waitFor(() => expect(onclose).toHaveBeenCalled());
  });

  it("signs in through the browser and links the account where it fits", async () => {
    const { onclose } = open();
    vi.mocked(api.addAccountBegin).mockResolvedValue(loopback);
    let comeBack: (value: SignedIn) => void = () => {};
    vi.mocked(api.addAccountFinish).mockReturnValue(new Promise((resolve) => (comeBack = resolve)));
    vi.mocked(api.addAccountLink).mockResolvedValue(undefined);

    await typeServer(" pixelfed.example ");
    expect(api.addAccountBegin).toHaveBeenCalledWith("pixelfed.example", true);
    await screen.findByTestId("add-account-waiting");
    expect((screen.getByTestId("add-account-address") as HTMLInputElement).value).toBe(loopback.authorizeUrl);
    expect(api.addAccountFinish).toHaveBeenCalledWith("a1", null);

    comeBack(account);
    const signedIn = await screen.findByTestId("add-account-signed-in");
    expect(signedIn.textContent).toContain("@mara@pixelfed.example");
    expect((screen.getByTestId("add-account-surface-visual") as HTMLInputElement).checked).toBe(true);
    expect((screen.getByTestId("add-account-surface-feed") as HTMLInputElement).checked).toBe(false);

    await fireEvent.click(screen.getByTestId("add-account-surface-feed"));
    await fireEvent.click(screen.getByTestId("add-account-link"));
    expect(api.addAccountLink).toHaveBeenCalledWith("a1", "sign-in:1", ["feed", "visual"]);
    await waitFor(() => expect(onclose).toHaveBeenCalled());
  });

  it("takes the code a server shows when it refuses to send the browser back", async () => {
    open(false);
    vi.mocked(api.addAccountBegin).mockResolvedValue({ ...loopback, pasteCode: true });
    vi.mocked(api.addAccountFinish).mockResolvedValue(account);

    await typeServer("pixelfed.example");
    const code = await screen.findByTestId("add-account-code");
    expect(api.addAccountBegin).toHaveBeenCalledWith("pixelfed.example", false);
    expect(api.addAccountFinish).not.toHaveBeenCalled();
    await fireEvent.input(code, { target: { value: "  c0de " } });
    await fireEvent.click(screen.getByTestId("add-account-code-continue"));
    expect(api.addAccountFinish).toHaveBeenCalledWith("a1", "c0de");
    await screen.findByTestId("add-account-signed-in");
  });

  it("says why a server could not be used and lets the user type another", async () => {
    open();
    vi.mocked(api.addAccountBegin).mockRejectedValue(
      new CommandFailure("invalid", "Facets signs in to example.org only over HTTPS."),
    );
    await typeServer("http://example.org");
    expect((await screen.findByRole("alert")).textContent).toContain("only over HTTPS");
    expect((screen.getByTestId("add-account-server") as HTMLInputElement).disabled).toBe(false);

    vi.mocked(api.addAccountBegin).mockResolvedValue(loopback);
    vi.mocked(api.addAccountFinish).mockReturnValue(new Promise(() => {}));
    await typeServer("https://example.org");
    expect(api.addAccountBegin).toHaveBeenLastCalledWith("https://example.org", true);
    await screen.findByTestId("add-account-waiting");
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("gives the attempt up when closed before the account is linked", async () => {
    const { unmount } = open();
    vi.mocked(api.addAccountBegin).mockResolvedValue(loopback);
    vi.mocked(api.addAccountFinish).mockReturnValue(new Promise(() => {}));
    await typeServer("pixelfed.example");
    await screen.findByTestId("add-account-waiting");
    unmount();
    expect(api.addAccountCancel).toHaveBeenCalledWith("a1");
  });

  it("gives up a loopback wait that failed, so a fresh attempt starts from the server", async () => {
    open();
    vi.mocked(api.addAccountBegin).mockResolvedValue(loopback);
    vi.mocked(api.addAccountFinish).mockRejectedValue(
      new CommandFailure("invalid", "The browser did not come back with Facets' approval in time."),
    );
    await typeServer("pixelfed.example");
    expect((await screen.findByRole("alert")).textContent).toContain("did not come back");
    expect(api.addAccountCancel).toHaveBeenCalledWith("a1");
    expect(screen.getByTestId("add-account-server")).toBeTruthy();
  });
});
