// Scroll behaviour shared by the timeline views. Call from a component's
// script (it creates effects).

import { tick, untrack } from "svelte";
import { captureScrollAnchor, restoreScrollAnchor } from "./scrollAnchor";

interface ReadingPositionOptions {
  /** The view's scrolling element. */
  scroller: () => HTMLElement | undefined;
  /** Read to track changes: whenever it changes, the visible post is kept in place. */
  content: () => unknown;
  /** Whether the view is the one on screen. */
  active: () => boolean;
  /** Called when the person is at (or has returned to) the top of the timeline. */
  onAtTop: () => void;
}

const TOP_SLACK_PX = 40;

/**
 * Keeps the post being read in place when posts are added above it, and
 * restores the scroll position when the view is shown again after another
 * screen. Returns the scroll handler to put on the scroller.
 */
export function keepReadingPosition(options: ReadingPositionOptions): () => void {
  let savedScrollTop = 0;

  $effect.pre(() => {
    options.content();
    const scroller = untrack(options.scroller);
    if (!scroller || !untrack(options.active)) return;
    const anchor = captureScrollAnchor(scroller);
    void tick().then(() => {
      if (anchor) restoreScrollAnchor(scroller, anchor);
      else options.onAtTop();
      savedScrollTop = scroller.scrollTop;
    });
  });

  // A hidden view may lose its scroll offset; put it back when shown.
  $effect(() => {
    const scroller = options.scroller();
    if (!scroller || !options.active()) return;
    void tick().then(() => {
      if (Math.abs(scroller.scrollTop - savedScrollTop) >= 1) scroller.scrollTop = savedScrollTop;
    });
  });

  return () => {
    const scroller = options.scroller();
    if (!scroller || !options.active()) return;
    savedScrollTop = scroller.scrollTop;
    if (savedScrollTop < TOP_SLACK_PX) options.onAtTop();
  };
}
