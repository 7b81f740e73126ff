// Links in server content would navigate the app's own window away from Facets, and the CSP
// forbids remote pages there anyway. `use:keepLinksInApp` on the element holding the content
// stops every link click inside it from navigating; the click still bubbles, so a card can
// tell a link click from a click on the card.

import type { Action } from "svelte/action";

export const keepLinksInApp: Action<HTMLElement> = (element) => {
  const stop = (event: MouseEvent): void => {
    if ((event.target as Element | null)?.closest("a")) event.preventDefault();
  };
  element.addEventListener("click", stop);
  return { destroy: () => element.removeEventListener("click", stop) };
};
