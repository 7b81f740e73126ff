// App-wide keyboard shortcuts. A bare letter only counts when it would not
// type anything: focus is outside every text field and no modifier is held.

/** Whether keys pressed with focus on `target` type text. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof Element === "undefined" || !(target instanceof Element)) return false;
  if (target.closest("textarea, select, [contenteditable=''], [contenteditable='true']")) return true;
  if (target instanceof HTMLInputElement) {
    const doesNotType = ["button", "checkbox", "radio", "file", "range", "color", "submit", "reset", "image"];
    return !doesNotType.includes(target.type);
  }
  return false;
}

type ShortcutKey = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey" | "target" | "defaultPrevented" | "isComposing">;

/** `n` outside text fields, or Ctrl/Cmd+Shift+N anywhere, opens Compose. */
export function opensCompose(event: ShortcutKey): boolean {
  if (event.defaultPrevented || event.isComposing) return false;
  const key = event.key.toLowerCase();
  if (key !== "n" || event.altKey) return false;
  if (event.ctrlKey || event.metaKey) return event.shiftKey;
  return !event.shiftKey && !isTypingTarget(event.target);
}
