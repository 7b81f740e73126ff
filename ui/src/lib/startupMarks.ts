// Moments of startup, marked so the benchmark can say where the time before the
// first paint went (`cargo xtask bench startup`).

/** In the order they happen. */
export type StartupMoment =
  | "script"
  | "mounted"
  | "page-requested"
  | "page-answered"
  | "posts-shown"
  | "first-frame";

/** Marks the first time a moment happens; later ones are not startup. */
export function markStartup(moment: StartupMoment): void {
  const name = `facets:${moment}`;
  if (performance.getEntriesByName(name, "mark").length === 0) performance.mark(name);
}

/** When the moment was marked, in ms after the document began; null if it was not. */
export function markedAt(moment: StartupMoment): number | null {
  return performance.getEntriesByName(`facets:${moment}`, "mark")[0]?.startTime ?? null;
}
