import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  MAX_FAILED,
  RETRY_MS,
  failedRecently,
  forgetFailedPictures,
  markFailed,
  pictureFailed,
  worthLoading,
} from "./failedPictures.svelte";

const avatar = "facets-media://localhost/avatar/ada";
const other = "facets-media://localhost/avatar/grace";

// The memory lives as long as the session: each test starts from an empty one.
beforeEach(() => {
  forgetFailedPictures();
  vi.useFakeTimers();
});

afterEach(() => vi.useRealTimers());

describe("failed pictures", () => {
  it("holds a failed URL for the retry interval, then allows one new attempt", () => {
    expect(failedRecently(avatar)).toBe(false);
    markFailed(avatar);
    expect(failedRecently(avatar), "just failed").toBe(true);
    expect(failedRecently(other), "another URL is not held").toBe(false);

    vi.advanceTimersByTime(RETRY_MS - 1);
    expect(failedRecently(avatar), "still within the interval").toBe(true);
    vi.advanceTimersByTime(1);
    expect(failedRecently(avatar), "the interval is over").toBe(false);
  });

  it("starts the interval anew when the new attempt fails too", () => {
    markFailed(avatar);
    vi.advanceTimersByTime(RETRY_MS);
    markFailed(avatar);
    vi.advanceTimersByTime(RETRY_MS - 1);
    expect(failedRecently(avatar)).toBe(true);
  });

  it(`remembers at most ${MAX_FAILED} URLs, forgetting those that failed longest ago`, () => {
    const url = (index: number) => `facets-media://localhost/thumb/${index}`;
    for (let index = 0; index < MAX_FAILED; index += 1) markFailed(url(index));
    // The first URL fails again, so the second is now the one that failed longest ago.
    markFailed(url(0));
    markFailed(url(MAX_FAILED));

    expect(failedRecently(url(1)), "the oldest failure is forgotten").toBe(false);
    expect(failedRecently(url(0)), "a URL that failed again is kept").toBe(true);
    expect(failedRecently(url(2))).toBe(true);
    expect(failedRecently(url(MAX_FAILED)), "the newest failure is kept").toBe(true);
  });

  it("forgets every failure when cleared", () => {
    markFailed(avatar);
    markFailed(other);
    forgetFailedPictures();
    expect(failedRecently(avatar)).toBe(false);
    expect(failedRecently(other)).toBe(false);
  });

  it("keeps a component's own failure past the interval, until the memory is cleared", () => {
    const own = pictureFailed(avatar);
    expect(failedRecently(avatar), "an own failure is shared with the session").toBe(true);
    expect(worthLoading(avatar, own)).toBe(false);
    expect(worthLoading(other, own), "only for its URL").toBe(true);

    vi.advanceTimersByTime(RETRY_MS);
    expect(worthLoading(avatar, null), "other components may try again").toBe(true);
    expect(worthLoading(avatar, own), "the one on screen does not").toBe(false);

    forgetFailedPictures();
    expect(worthLoading(avatar, own), "the network is back").toBe(true);
  });
});
