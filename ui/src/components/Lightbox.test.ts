// @vitest-environment jsdom
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { image, post } from "../lib/testPosts";
import Lightbox from "./Lightbox.svelte";

const album = post("album", {
  media: [image("one"), image("two", { description: null }), image("three")],
});

function open(index: number) {
  const onindexchange = vi.fn();
  const onclose = vi.fn();
  render(Lightbox, { post: album, index, onindexchange, onclose });
  return { onindexchange, onclose };
}

describe("Lightbox", () => {
  it("shows the full-size picture with its alt text", () => {
    open(0);
    const picture = screen.getByTestId("lightbox-image");
    expect(picture.getAttribute("src")).toBe("facets-media://localhost/full/one");
    expect(picture.getAttribute("alt")).toBe("Picture one");
    expect(screen.getByTestId("lightbox-alt").textContent).toContain("Picture one");
    expect(screen.getByRole("dialog").getAttribute("aria-modal")).toBe("true");
  });

  it("says plainly when a picture has no description", () => {
    open(1);
    expect(screen.getByTestId("lightbox-alt").textContent?.trim()).toBe("No description");
  });

  it("moves with the arrow keys and stops at the last picture", async () => {
    const first = open(0);
    await fireEvent.keyDown(window, { key: "ArrowRight" });
    expect(first.onindexchange).toHaveBeenLastCalledWith(1);
    await fireEvent.keyDown(window, { key: "ArrowLeft" });
    expect(first.onindexchange).toHaveBeenCalledTimes(1);
  });

  it("does not go past the end", async () => {
    const last = open(2);
    expect((screen.getByTestId("lightbox-next") as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.keyDown(window, { key: "ArrowRight" });
    expect(last.onindexchange).not.toHaveBeenCalled();
  });

  it("closes with Escape and starts with focus inside the dialog", async () => {
    const { onclose } = open(0);
    expect(document.activeElement).toBe(screen.getByTestId("lightbox-close"));
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(onclose).toHaveBeenCalledTimes(1);
  });
});
