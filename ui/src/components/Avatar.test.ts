// @vitest-environment jsdom
import { fireEvent, render } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_FAILED, RETRY_MS, forgetFailedPictures, markFailed } from "../lib/failedPictures.svelte";
import { person } from "../lib/testPosts";
import Avatar from "./Avatar.svelte";

const ada = person({ id: "ada", displayName: "Ada Lovelace", avatarUrl: "facets-media://localhost/avatar/ada" });

function showAvatar() {
  const { container, unmount } = render(Avatar, { person: ada });
  return {
    picture: () => container.querySelector("img"),
    text: () => container.textContent?.trim(),
    unmount,
  };
}

beforeEach(() => forgetFailedPictures());
afterEach(() => vi.useRealTimers());

describe("Avatar", () => {
  it("loads its picture lazily, and shows the initials when it fails", async () => {
    const avatar = showAvatar();
    const picture = avatar.picture()!;
    expect(picture.getAttribute("src")).toBe(ada.avatarUrl);
    expect(picture.getAttribute("loading")).toBe("lazy");
    expect(picture.getAttribute("decoding")).toBe("async");

    await fireEvent.error(picture);
    expect(avatar.picture()).toBeNull();
    expect(avatar.text()).toBe("AL");
  });

  it("does not ask again for a picture that failed in another row, on screen or scrolled in later", async () => {
    const first = showAvatar();
    const onScreen = showAvatar();
    await fireEvent.error(first.picture()!);
    expect(onScreen.picture(), "the other avatar of that person drops its picture").toBeNull();

    const scrolledIn = showAvatar();
    expect(scrolledIn.picture(), "a new row shows the initials at once").toBeNull();
    expect(scrolledIn.text()).toBe("AL");
  });

  it("tries once more after the retry interval", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    markFailed(ada.avatarUrl!);
    expect(showAvatar().picture()).toBeNull();

    vi.advanceTimersByTime(RETRY_MS);
    expect(showAvatar().picture()?.getAttribute("src")).toBe(ada.avatarUrl);
  });

  it("keeps the initials of its own failure until the network returns, then tries again", async () => {
    const avatar = showAvatar();
    await fireEvent.error(avatar.picture()!);

    // The session's memory lets the URL go, as when many other pictures fail.
    for (let index = 0; index < MAX_FAILED; index += 1) markFailed(`facets-media://localhost/thumb/${index}`);
    await tick();
    expect(avatar.picture(), "not asked again behind the user's back").toBeNull();

    forgetFailedPictures();
    await tick();
    expect(avatar.picture()?.getAttribute("src")).toBe(ada.avatarUrl);
  });

  it("asks for the small picture up to 48 px and the large one above", () => {
    const both = person({ id: "bo", avatarUrl: "facets-media://localhost/a/small", avatarLargeUrl: "facets-media://localhost/a/large" });
    const src = (size: number) =>
      render(Avatar, { person: both, size }).container.querySelector("img")?.getAttribute("src");
    expect([src(28), src(44), src(48), src(112)]).toEqual([both.avatarUrl, both.avatarUrl, both.avatarUrl, both.avatarLargeUrl]);
    const onlySmall = person({ id: "os", avatarUrl: "facets-media://localhost/b/small", avatarLargeUrl: null });
    expect(render(Avatar, { person: onlySmall, size: 112 }).container.querySelector("img")?.getAttribute("src")).toBe(
      onlySmall.avatarUrl,
    );
  });

  it("lets its picture go when its row leaves, without counting that as a failure", async () => {
    const leaving = showAvatar();
    const picture = leaving.picture()!;
    leaving.unmount();
    expect(picture.hasAttribute("src")).toBe(false);

    await fireEvent.error(picture);
    expect(showAvatar().picture()?.getAttribute("src")).toBe(ada.avatarUrl);
  });
});
