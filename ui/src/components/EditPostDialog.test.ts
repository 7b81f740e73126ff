// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import { editedTitle } from "../lib/postEditing.svelte";
import { feedLimits, visualLimits } from "../lib/testDrafts";
import { post } from "../lib/testPosts";
import type { EditSource } from "../lib/types";
import EditPostDialog from "./EditPostDialog.svelte";

vi.mock("../lib/api", () => ({ editSource: vi.fn(), editPost: vi.fn(), composeLimits: vi.fn() }));

const crossPosted = post("1", { own: true, alsoOn: ["visual"] });

function source(overrides: Partial<EditSource> = {}): EditSource {
  return { key: "feed:1", text: "Harbour at dawn", spoilerText: "", sensitive: false, copiesOn: ["visual"], ...overrides };
}

async function open(loaded = source(), target = crossPosted) {
  vi.mocked(api.editSource).mockResolvedValue(loaded);
  const onclose = vi.fn();
  render(EditPostDialog, { post: target, onclose });
  const text = (await screen.findByTestId("edit-text")) as HTMLTextAreaElement;
  return { onclose, text, dialog: screen.getByTestId("edit-dialog") };
}

beforeEach(() => {
  vi.mocked(api.composeLimits).mockResolvedValue([feedLimits, visualLimits]);
  vi.mocked(api.editPost).mockReset();
});

describe("EditPostDialog", () => {
  it("starts from the post as written, focused in the text", async () => {
    const { text } = await open();
    expect(text.value).toBe("Harbour at dawn");
    expect(document.activeElement).toBe(text);
    const save = screen.getByTestId("edit-save") as HTMLButtonElement;
    expect(save.disabled, "nothing changed yet").toBe(true);
  });

  it("edits the cross-posted copy too unless told not to", async () => {
    const { onclose, text } = await open();
    vi.mocked(api.editPost).mockResolvedValue([crossPosted]);

    const everywhere = screen.getByLabelText("Also edit the copy on Visual") as HTMLInputElement;
    expect(everywhere.checked).toBe(true);
    await fireEvent.input(text, { target: { value: "Harbour at dawn, boats resting" } });
    await fireEvent.input(screen.getByTestId("edit-warning"), { target: { value: "tide" } });
    await fireEvent.click(screen.getByTestId("edit-save"));

    expect(api.editPost).toHaveBeenCalledWith(
      "feed:1",
      { text: "Harbour at dawn, boats resting", spoilerText: "tide", sensitive: false },
      true,
    );
    await waitFor(() => expect(onclose).toHaveBeenCalledTimes(1));
  });

  it("keeps the copy as it is when the box is unchecked", async () => {
    const { text } = await open();
    vi.mocked(api.editPost).mockResolvedValue([crossPosted]);
    await fireEvent.click(screen.getByTestId("edit-everywhere"));
    await fireEvent.input(text, { target: { value: "Only here" } });
    await fireEvent.click(screen.getByTestId("edit-save"));
    expect(vi.mocked(api.editPost).mock.calls[0]?.[2]).toBe(false);
  });

  it("counts against the tightest limit of the servers it goes to", async () => {
    const { text, dialog } = await open();
    await fireEvent.input(text, { target: { value: "x".repeat(510) } });
    expect(dialog.textContent).toContain("10 characters over the limit");
    expect((screen.getByTestId("edit-save") as HTMLButtonElement).disabled).toBe(true);

  });

  it("counts against the post's own server when it has no copies", async () => {
    const visualOnly = post("7", { own: true, surface: "visual", key: "visual:7", alsoOn: [] });
    const { text, dialog } = await open(source({ key: "visual:7", copiesOn: [] }), visualOnly);
    expect(screen.queryByTestId("edit-everywhere")).toBeNull();
    await fireEvent.input(text, { target: { value: "x".repeat(510) } });
    await fireEvent.input(screen.getByTestId("edit-warning"), { target: { value: "cw" } });
    expect(dialog.textContent).toContain("1488 characters left");
    expect((screen.getByTestId("edit-save") as HTMLButtonElement).disabled).toBe(false);
  });

  it("keeps the words and shows the failure when a server refuses", async () => {
    const { onclose, text, dialog } = await open();
    vi.mocked(api.editPost).mockRejectedValue({ kind: "offline", message: "The server could not be reached" });
    await fireEvent.input(text, { target: { value: "New words" } });
    await fireEvent.click(screen.getByTestId("edit-save"));

    const alert = await within(dialog).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't save this edit.");
    expect(text.value).toBe("New words");
    expect(screen.getByTestId("edit-save").textContent?.trim()).toBe("Try again");
    expect(onclose).not.toHaveBeenCalled();
  });

  it("cancels with Escape", async () => {
    const { onclose } = await open();
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(api.editPost).not.toHaveBeenCalled();
  });
});

describe("editedTitle", () => {
  it("names the surfaces only when copies changed too", () => {
    expect(editedTitle(["feed"])).toBe("Post edited");
    expect(editedTitle(["feed", "visual"])).toBe("Post edited on Feed and Visual");
  });
});
