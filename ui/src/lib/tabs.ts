// Moving between the tabs of a tab list with the keyboard, as the WAI-ARIA
// tabs pattern describes: the arrows go to the neighbour (wrapping round),
// Home and End to the first and last tab.

/** The tab a key moves to from `current`; null when the key is not for tabs. */
export function tabForKey<T>(tabs: readonly T[], current: T, key: string): T | null {
  const count = tabs.length;
  if (count === 0) return null;
  const index = Math.max(0, tabs.indexOf(current));
  switch (key) {
    case "ArrowRight":
      return tabs[(index + 1) % count] ?? null;
    case "ArrowLeft":
      return tabs[(index - 1 + count) % count] ?? null;
    case "Home":
      return tabs[0] ?? null;
    case "End":
      return tabs[count - 1] ?? null;
    default:
      return null;
  }
}
