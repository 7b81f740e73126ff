// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import PrivacyView from "./PrivacyView.svelte";

vi.mock("../lib/api", () => ({ privacySettings: vi.fn(), setStripPhotoMetadata: vi.fn() }));

beforeEach(() => {
  vi.mocked(api.privacySettings).mockResolvedValue({ stripPhotoMetadata: true });
  vi.mocked(api.setStripPhotoMetadata).mockReset();
});

async function theSwitch(): Promise<HTMLInputElement> {
  render(PrivacyView);
  return (await screen.findByRole("switch", { name: /Remove location and camera details/ })) as HTMLInputElement;
}

describe("PrivacyView", () => {
  it("shows the stored choice, on by default", async () => {
    expect((await theSwitch()).checked).toBe(true);
  });

  it("turns metadata removal off once the core saved it", async () => {
    const toggle = await theSwitch();
    vi.mocked(api.setStripPhotoMetadata).mockResolvedValue({ stripPhotoMetadata: false });
    await fireEvent.click(toggle);
    expect(api.setStripPhotoMetadata).toHaveBeenCalledWith(false);
    await waitFor(() => expect(toggle.checked).toBe(false));
  });

  it("stays as stored and says why when saving fails", async () => {
    const toggle = await theSwitch();
    vi.mocked(api.setStripPhotoMetadata).mockRejectedValue({ kind: "internal", message: "The cache is read-only" });
    await fireEvent.click(toggle);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("The cache is read-only");
    expect(toggle.checked, "never pretend a setting was saved").toBe(true);
  });
});
