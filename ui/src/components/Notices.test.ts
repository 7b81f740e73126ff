// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { notices } from "../lib/notices.svelte";
import Notices from "./Notices.svelte";

beforeEach(() => {
  notices.items = [];
});

afterEach(() => {
  vi.useRealTimers();
});

describe("Notices", () => {
  it("shows a notice without a button when it has no action", async () => {
    render(Notices);
    notices.show("Post deleted");
    const notice = await screen.findByTestId("notice");
    expect(within(notice).getByText("Post deleted")).toBeTruthy();
    expect(within(notice).queryByTestId("notice-action")).toBeNull();
  });

  it("runs a notice's action once and dismisses the notice", async () => {
    render(Notices);
    const run = vi.fn();
    notices.show("Shown apart", "", { label: "Undo", run });
    const [shown] = notices.items;
    const button = await screen.findByTestId("notice-action");
    expect(button.textContent?.trim()).toBe("Undo");

    await fireEvent.click(button);

    expect(run).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.queryByTestId("notice")).toBeNull());
    // Gone from the list, so a second click from a stale reference does nothing.
    notices.act(shown!);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("keeps a notice with an action on screen longer than a plain one", () => {
    vi.useFakeTimers();
    notices.show("Plain");
    notices.show("With undo", "", { label: "Undo", run: () => {} });
    vi.advanceTimersByTime(9_000);
    expect(notices.items.map((notice) => notice.title)).toEqual(["With undo"]);
    vi.advanceTimersByTime(4_000);
    expect(notices.items).toEqual([]);
  });
});
