// Shared Intl formatters. Making one costs more than it shows: WebKit builds an ICU formatter
// behind each, hundreds of small allocations in the web process's malloc heap that the
// JavaScript collector does not count, so they stay until a later full collection. A post card
// made six (its dates and counts) each time it was drawn; while the feed scrolled through 5,000
// posts, ICU's allocations in the web process peaked at 42 MB or more (0.2 MB with shared
// formatters). The same locale and options always format alike, so one formatter serves all.

/** Formatters kept: a handful of option sets per locale, so the bound is never reached in use. */
export const KEPT_FORMATTERS = 64;

type Formatter = Intl.DateTimeFormat | Intl.NumberFormat | Intl.Collator | Intl.ListFormat;

const kept = new Map<string, Formatter>();

function shared<T extends Formatter>(
  kind: string,
  locale: string | undefined,
  options: object,
  make: () => T,
): T {
  const key = `${kind}\u0000${locale ?? ""}\u0000${JSON.stringify(options)}`;
  const found = kept.get(key);
  if (found !== undefined) return found as T;
  const made = make();
  if (kept.size >= KEPT_FORMATTERS) {
    // The oldest first: a Map iterates in insertion order.
    const oldest = kept.keys().next().value;
    if (oldest !== undefined) kept.delete(oldest);
  }
  kept.set(key, made);
  return made;
}

export function dateTimeFormat(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  return shared("date", locale, options, () => new Intl.DateTimeFormat(locale, options));
}

export function numberFormat(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  return shared("number", locale, options, () => new Intl.NumberFormat(locale, options));
}

export function collator(locale: string | undefined, options: Intl.CollatorOptions): Intl.Collator {
  return shared("collator", locale, options, () => new Intl.Collator(locale, options));
}

export function listFormat(locale: string | undefined, options: Intl.ListFormatOptions): Intl.ListFormat {
  return shared("list", locale, options, () => new Intl.ListFormat(locale, options));
}

/** How many formatters are kept now, for tests of the bound. */
export function keptFormatters(): number {
  return kept.size;
}
