// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import { CommandFailure } from "../lib/errors";
import type { IdentityView } from "../lib/types";
import IdentitiesDialog from "./IdentitiesDialog.svelte";

vi.mock("../lib/api", () => ({ identities: vi.fn(), switchIdentity: vi.fn(), removeIdentity: vi.fn() }));

afterEach(() => vi.clearAllMocks());

const demo: IdentityView = { profile: { kind: "demo" }, handles: [], active: false };
const inUse: IdentityView = { profile: { kind: "identity", id: "a1" }, handles: ["me@one.example"], active: true };
const other: IdentityView = { profile: { kind: "identity", id: "b2" }, handles: ["me@two.example"], active: false };

async function open(identities = [demo, inUse, other]) {
  vi.mocked(api.identities).mockResolvedValue({ identities });
  const onadd = vi.fn();
  render(IdentitiesDialog, { onclose: vi.fn(), onadd });
  await screen.findByTestId("identity-b2");
  return { onadd };
}

describe("IdentitiesDialog", () => {
  it("offers to remove only identities not in use, and removes one after asking", async () => {
    await open();
    expect(screen.queryByTestId("identity-remove-a1")).toBeNull();
    expect(screen.queryByTestId("identity-remove-demo")).toBeNull();
    vi.mocked(api.removeIdentity).mockResolvedValue({ identities: [demo, inUse] });

    await fireEvent.click(screen.getByTestId("identity-remove-b2"));
    const confirm = screen.getByRole("group", { name: /Confirm removing/ });
    expect(confirm.textContent).toContain("signs out of @me@two.example on its servers");
    expect(api.removeIdentity).not.toHaveBeenCalled();
    await fireEvent.click(within(confirm).getByTestId("identity-remove-confirm"));

    expect(api.removeIdentity).toHaveBeenCalledWith({ kind: "identity", id: "b2" });
    await waitFor(() => expect(screen.queryByTestId("identity-b2")).toBeNull());
  });

  it("keeps the identity and says why when its server could not be asked", async () => {
    await open();
    vi.mocked(api.removeIdentity).mockRejectedValue(new CommandFailure("offline", "Facets can't reach the server."));
    await fireEvent.click(screen.getByTestId("identity-remove-b2"));
    await fireEvent.click(screen.getByTestId("identity-remove-confirm"));
    expect((await screen.findByRole("alert")).textContent).toContain("remove that identity");
    expect(screen.getByTestId("identity-b2")).toBeTruthy();
  });

  it("adds the next account to the identity in use unless asked for a separate one", async () => {
    const { onadd } = await open();
    await fireEvent.click(screen.getByTestId("identities-add-account"));
    expect(onadd).toHaveBeenLastCalledWith(false);
    await fireEvent.click(screen.getByTestId("identities-separate"));
    await fireEvent.click(screen.getByTestId("identities-add-account"));
    expect(onadd).toHaveBeenLastCalledWith(true);
  });
});
