// How long Facets takes to show what it has: the shell is told once, when the
// first cached timeline has been painted, and logs the time since it started.

import * as api from "./api";

let reported = false;

/** Reports the first paint of cached posts, once per window, after the frame that shows them. */
export function reportFirstPaint(): void {
  if (reported) return;
  reported = true;
  // The first callback runs before that frame is painted, the second after it.
  requestAnimationFrame(() =>
    requestAnimationFrame(() => {
      api.firstPaint().catch((error: unknown) => console.warn("the first paint was not reported", error));
    }),
  );
}
