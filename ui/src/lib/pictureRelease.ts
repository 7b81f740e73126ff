// A picture's decoded pixels belong to its <img> for as long as the element lives, and an
// element that has left the document lives until JavaScriptCore collects its wrapper. A row
// that scrolled away a while ago has outlived a collection or two, so only a full collection
// frees it, and until then WebKit keeps its pictures decoded (a 640 px thumbnail is 1.2 MB).
// Dropping the source as the element is removed lets WebKit free them at once.

const letGo = new WeakSet<EventTarget>();

/** Svelte action for an <img>: drops its source when it leaves the document. */
export function letGoWhenRemoved(image: HTMLImageElement): { destroy: () => void } {
  return {
    destroy() {
      letGo.add(image);
      // With no `src` at all (unlike an empty one) WebKit drops the image without an error event.
      image.removeAttribute("src");
      image.removeAttribute("srcset");
    },
  };
}

/**
 * Whether an event comes from an image already let go: its error, should an engine raise one
 * for the dropped source, says nothing about the picture and must not mark it as failed.
 */
export function wasLetGo(target: EventTarget | null): boolean {
  return target !== null && letGo.has(target);
}
