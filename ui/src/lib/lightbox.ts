// Navigation inside the lightbox: which picture of a post is shown.
// The carousel stops at both ends (no wrap-around), like photo apps do, so
// the prev/next buttons can be disabled to show where the post ends.

export type LightboxAction = "previous" | "next" | "close";

/** Keeps an index inside `[0, count - 1]`; 0 for an empty post. */
export function clampIndex(index: number, count: number): number {
  if (count <= 0 || !Number.isFinite(index)) return 0;
  return Math.min(count - 1, Math.max(0, Math.trunc(index)));
}

/** Moves `delta` pictures from `index`, stopping at the first and last picture. */
export function stepIndex(index: number, delta: number, count: number): number {
  return clampIndex(clampIndex(index, count) + delta, count);
}

/** The lightbox action bound to a key, or null for keys it leaves alone. */
export function lightboxActionForKey(key: string): LightboxAction | null {
  switch (key) {
    case "ArrowLeft":
      return "previous";
    case "ArrowRight":
      return "next";
    case "Escape":
      return "close";
    default:
      return null;
  }
}

/** "2 of 5", for the position label and the dots' accessible names. */
export function positionLabel(index: number, count: number): string {
  return `${clampIndex(index, count) + 1} of ${count}`;
}
