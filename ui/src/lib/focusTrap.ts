// Keeps keyboard focus inside a modal dialog while it is open, and gives focus
// back to whatever had it before, so closing a dialog returns you to the post
// you opened it from.

import type { Action } from "svelte/action";

const FOCUSABLE = [
  "a[href]",
  "button:not([disabled])",
  "input:not([disabled])",
  "select:not([disabled])",
  "textarea:not([disabled])",
  "[tabindex]:not([tabindex='-1'])",
].join(",");

export function focusableWithin(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (element) => !element.hidden && element.getAttribute("aria-hidden") !== "true",
  );
}

/**
 * `use:trapFocus` on the dialog element. Focus moves to the element marked
 * `data-autofocus` (or the dialog itself, which needs `tabindex="-1"`).
 */
export const trapFocus: Action<HTMLElement> = (dialog) => {
  const previouslyFocused =
    document.activeElement instanceof HTMLElement ? document.activeElement : null;

  const initial = dialog.querySelector<HTMLElement>("[data-autofocus]") ?? dialog;
  initial.focus();

  function onKeydown(event: KeyboardEvent): void {
    if (event.key !== "Tab") return;
    const focusable = focusableWithin(dialog);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) {
      event.preventDefault();
      dialog.focus();
      return;
    }
    const active = document.activeElement;
    if (event.shiftKey && (active === first || active === dialog)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    } else if (!(active instanceof Node) || !dialog.contains(active)) {
      event.preventDefault();
      first.focus();
    }
  }

  dialog.addEventListener("keydown", onKeydown);
  return {
    destroy() {
      dialog.removeEventListener("keydown", onKeydown);
      // After the current update: the page behind the dialog stops being
      // `inert` in the same update, and focus cannot move into it before then.
      queueMicrotask(() => {
        if (previouslyFocused?.isConnected) previouslyFocused.focus();
      });
    },
  };
};
