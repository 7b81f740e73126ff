// How long Facets takes to show what it has: the shell is told once, when the
// Feed has been painted from the cache, and logs the time since it started. It
// holds the network back until then, so the first paint has the CPU to itself.

import * as api from "./api";
import { markedAt, markStartup } from "./startupMarks";

let reported = false;

/** Reports the first paint of the cached Feed, once per window, after the frame that shows it. */
export function reportFirstPaint(): void {
  if (reported) return;
  reported = true;
  markStartup("posts-shown");
  // The first callback runs before that frame is painted, the second after it.
  requestAnimationFrame(() => {
    markStartup("first-frame");
    requestAnimationFrame(() => {
      const marks: api.StartupMarks = {
        timeOrigin: performance.timeOrigin,
        script: markedAt("script"),
        mounted: markedAt("mounted"),
        pageRequested: markedAt("page-requested"),
        pageAnswered: markedAt("page-answered"),
        postsShown: markedAt("posts-shown"),
        firstFrame: markedAt("first-frame"),
        painted: performance.now(),
      };
      api.firstPaint(marks).catch((error: unknown) => console.warn("the first paint was not reported", error));
    });
  });
}
