// Keeps the post you are reading still when posts are added above it.
//
// WebKit (the webview on macOS and Linux) has no CSS scroll anchoring, so a
// timeline that grows at the top would push the visible posts down. We note
// which item is at the top of the scroller before the DOM changes and scroll
// by however far it moved afterwards. Items are found by `data-key`.

export interface ScrollAnchor {
  key: string;
  /** Distance from the scroller's top edge to the item's top edge, in px. */
  offset: number;
}

function itemsWithKeys(scroller: HTMLElement): HTMLElement[] {
  return Array.from(scroller.querySelectorAll<HTMLElement>("[data-key]"));
}

/** The first item still visible at the top, or null when scrolled to the very top. */
export function captureScrollAnchor(scroller: HTMLElement): ScrollAnchor | null {
  if (scroller.scrollTop <= 0) return null;
  const top = scroller.getBoundingClientRect().top;
  for (const item of itemsWithKeys(scroller)) {
    const rect = item.getBoundingClientRect();
    // Items in a hidden tab have no box and cannot anchor anything.
    if (rect.height === 0) continue;
    if (rect.bottom > top) {
      const key = item.dataset.key;
      if (key !== undefined) return { key, offset: rect.top - top };
    }
  }
  return null;
}

export function restoreScrollAnchor(scroller: HTMLElement, anchor: ScrollAnchor): void {
  const item = itemsWithKeys(scroller).find((element) => element.dataset.key === anchor.key);
  if (!item) return;
  const offset = item.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
  const moved = offset - anchor.offset;
  if (Math.abs(moved) >= 1) scroller.scrollTop += moved;
}
