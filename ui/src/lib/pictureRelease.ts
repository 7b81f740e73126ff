// A picture's decoded pixels belong to its <img> for as long as the element lives, and an
// element that has left the document lives until JavaScriptCore collects its wrapper. A row
// that scrolled away a while ago has outlived a collection or two, so only a full collection
// frees it, and until then WebKit keeps its pictures decoded (a 640 px thumbnail is 1.2 MB).
// Dropping the source as the element is removed lets WebKit free them at once.

/**
 * Svelte action for an <img> shown in a list: calls `failed` when the picture fails to load,
 * and drops the source when the element leaves the document. Once let go, an error (should an
 * engine raise one for the dropped source) says nothing about the picture and is not reported.
 */
export function pictureInList(
  image: HTMLImageElement,
  failed: () => void,
): { update: (next: () => void) => void; destroy: () => void } {
  let report = failed;
  const onError = () => report();
  image.addEventListener("error", onError);
  return {
    update(next) {
      report = next;
    },
    destroy() {
      image.removeEventListener("error", onError);
      // With no `src` at all (unlike an empty one) WebKit drops the image without an error event.
      image.removeAttribute("src");
      image.removeAttribute("srcset");
    },
  };
}
