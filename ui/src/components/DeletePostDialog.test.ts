// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import { post } from "../lib/testPosts";
import DeletePostDialog from "./DeletePostDialog.svelte";

vi.mock("../lib/api", () => ({ deletePost: vi.fn() }));

const crossPosted = post("1", { own: true, alsoOn: ["visual"] });

function open(target = crossPosted) {
  const onclose = vi.fn();
  render(DeletePostDialog, { post: target, onclose });
  return { onclose, dialog: screen.getByTestId("delete-confirm") };
}

describe("DeletePostDialog", () => {
  it("asks in a modal dialog, starting on Cancel", () => {
    const { dialog } = open();
    expect(dialog.getAttribute("role")).toBe("dialog");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    expect(within(dialog).getByRole("heading").textContent).toBe("Delete this post?");
    expect(dialog.textContent).toContain("can't be undone");
    expect(document.activeElement).toBe(screen.getByRole("button", { name: "Cancel" }));
  });

  it("offers the cross-posted copy, checked, and deletes it too", async () => {
    const { onclose } = open();
    vi.mocked(api.deletePost).mockResolvedValue(["feed:1", "visual:7"]);

    const everywhere = screen.getByLabelText("Also delete the copy on Visual") as HTMLInputElement;
    expect(everywhere.dataset.testid).toBe("delete-everywhere");
    expect(everywhere.checked).toBe(true);

    await fireEvent.click(screen.getByTestId("delete-confirm-button"));

    expect(api.deletePost).toHaveBeenCalledWith("feed:1", true);
    await waitFor(() => expect(onclose).toHaveBeenCalledTimes(1));
  });

  it("keeps the copy when the box is unchecked", async () => {
    open();
    vi.mocked(api.deletePost).mockResolvedValue(["feed:1"]);

    await fireEvent.click(screen.getByTestId("delete-everywhere"));
    await fireEvent.click(screen.getByTestId("delete-confirm-button"));

    expect(api.deletePost).toHaveBeenCalledWith("feed:1", false);
  });

  it("has no checkbox for a post on one surface only", async () => {
    open(post("2", { own: true }));
    vi.mocked(api.deletePost).mockResolvedValue(["feed:2"]);

    expect(screen.queryByTestId("delete-everywhere")).toBeNull();
    await fireEvent.click(screen.getByTestId("delete-confirm-button"));

    expect(api.deletePost).toHaveBeenCalledWith("feed:2", false);
  });

  it("shows progress while deleting, then the failure inside the dialog", async () => {
    const { onclose, dialog } = open();
    let refuse: (reason: unknown) => void = () => {};
    vi.mocked(api.deletePost).mockReturnValue(new Promise((_, reject) => (refuse = reject)));

    const button = screen.getByTestId("delete-confirm-button") as HTMLButtonElement;
    button.focus();
    await fireEvent.click(button);
    // Focus stays inside the dialog while the button is disabled, and comes back to it after.
    expect(document.activeElement).toBe(dialog);
    expect(button.disabled).toBe(true);
    expect(button.textContent).toContain("Deleting…");
    expect((screen.getByTestId("delete-everywhere") as HTMLInputElement).disabled).toBe(true);

    refuse({ kind: "offline", message: "The server could not be reached; try again when you're back online" });

    const alert = await within(dialog).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't delete this post.");
    expect(alert.textContent).toContain("try again when you're back online");
    expect(button.disabled).toBe(false);
    expect(button.textContent?.trim()).toBe("Try again");
    expect(document.activeElement).toBe(button);
    expect(onclose).not.toHaveBeenCalled();
  });

  it("cancels with Escape and with the Cancel button", async () => {
    const { onclose } = open();
    await fireEvent.keyDown(window, { key: "Escape" });
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(onclose).toHaveBeenCalledTimes(2);
    expect(api.deletePost).not.toHaveBeenCalled();
  });
});
