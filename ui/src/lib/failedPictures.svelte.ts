// The pictures (`facets-media://` URLs) that failed to load recently, shared by
// every Avatar and MediaPreview for the session. Lists are virtualised: a row
// that scrolls back in is a new component, and without this memory its <img>
// would ask again for a picture that just failed (offline, or the server is
// gone), once per row per scroll. A URL that failed is not tried again for
// RETRY_MS; the memory is cleared when the network comes back.

import { SvelteMap } from "svelte/reactivity";

/** How long a failed picture is left alone before one new attempt is allowed. */
export const RETRY_MS = 60_000;
/** The most URLs remembered; the ones that failed longest ago are forgotten first. */
export const MAX_FAILED = 2_000;

// URL -> when it last failed, in the order of those failures (oldest first).
// A SvelteMap, so a component showing a URL drops its <img> as soon as that URL
// fails in another component.
const failures = new SvelteMap<string, number>();
let round = $state(0);

/** Remembers that `url` could not be loaded just now. */
export function markFailed(url: string, now: number = Date.now()): void {
  // Deleted first so that a URL failing again moves to the newest end.
  failures.delete(url);
  failures.set(url, now);
  for (const oldest of failures.keys()) {
    if (failures.size <= MAX_FAILED) break;
    failures.delete(oldest);
  }
}

/**
 * Whether `url` failed less than RETRY_MS ago. Read inside a `$derived`, it
 * follows new failures of that URL and clearings, not the passing of time: a
 * component already showing a fallback keeps it, and the next one created
 * after the interval tries again.
 */
export function failedRecently(url: string, now: number = Date.now()): boolean {
  const failedAt = failures.get(url);
  return failedAt !== undefined && now - failedAt < RETRY_MS;
}

/** Forgets every failure, so each picture is tried again: the network is back. */
export function forgetFailedPictures(): void {
  failures.clear();
  round += 1;
}

/**
 * One component's own failed attempt, with the round of clearings it happened
 * in. It holds after the shared memory expires or drops the URL, so a picture
 * on screen does not start retrying behind the user's back, and it lapses when
 * the network returns.
 */
export interface OwnFailure {
  readonly url: string;
  readonly round: number;
}

/** Records that a component could not load `url`, for it and for the session. */
export function pictureFailed(url: string): OwnFailure {
  markFailed(url);
  return { url, round };
}

/** Whether a component whose own last failure is `own` should ask for `url`. */
export function worthLoading(url: string, own: OwnFailure | null): boolean {
  const ownStillHolds = own !== null && own.url === url && own.round === round;
  return !ownStillHolds && !failedRecently(url);
}
