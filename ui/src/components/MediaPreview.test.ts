// @vitest-environment jsdom
import { fireEvent, render } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RETRY_MS, forgetFailedPictures, markFailed } from "../lib/failedPictures.svelte";
import { image } from "../lib/testPosts";
import MediaPreview from "./MediaPreview.svelte";

const picture = image("a");

function showPreview() {
  const { container, unmount } = render(MediaPreview, { media: picture });
  return {
    img: () => container.querySelector("img"),
    missing: () => container.querySelector(".missing"),
    unmount,
  };
}

beforeEach(() => forgetFailedPictures());
afterEach(() => vi.useRealTimers());

describe("MediaPreview", () => {
  it("shows the missing-picture icon at once for a picture that failed in another row", async () => {
    const first = showPreview();
    expect(first.img()?.getAttribute("src")).toBe(picture.thumbUrl);
    await fireEvent.error(first.img()!);
    expect(first.img()).toBeNull();
    expect(first.missing()?.getAttribute("aria-label")).toBe("Picture a");

    const scrolledIn = showPreview();
    expect(scrolledIn.img(), "not asked for again").toBeNull();
    expect(scrolledIn.missing()).not.toBeNull();
  });

  it("tries once more after the retry interval", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    markFailed(picture.thumbUrl);
    expect(showPreview().img()).toBeNull();

    vi.advanceTimersByTime(RETRY_MS);
    expect(showPreview().img()?.getAttribute("src")).toBe(picture.thumbUrl);
  });

  it("tries again on screen when the network returns", async () => {
    const preview = showPreview();
    await fireEvent.error(preview.img()!);
    expect(preview.img()).toBeNull();

    forgetFailedPictures();
    await tick();
    expect(preview.img()?.getAttribute("src")).toBe(picture.thumbUrl);
    expect(preview.missing()).toBeNull();
  });

  it("lets its picture go when its row leaves, without counting that as a failure", async () => {
    const leaving = showPreview();
    const img = leaving.img()!;
    leaving.unmount();
    expect(img.hasAttribute("src"), "the element that left keeps no source").toBe(false);

    // Were the engine to report the dropped source as an error, the picture is still fine.
    await fireEvent.error(img);
    expect(showPreview().img()?.getAttribute("src")).toBe(picture.thumbUrl);
  });
});
