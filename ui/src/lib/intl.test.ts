import { afterEach, describe, expect, it } from "vitest";
import { formatCount, formatFullDate, formatRelativeTime } from "./format";
import { KEPT_FORMATTERS, dateTimeFormat, keptFormatters, numberFormat } from "./intl";

const NOW = new Date("2024-06-15T12:00:00Z");

const realDateTimeFormat = Intl.DateTimeFormat;
const realNumberFormat = Intl.NumberFormat;

/** Counts the formatters made from here on; `afterEach` puts the real constructors back. */
function countFormattersMade(): { made: number } {
  const counter = { made: 0 };
  Intl.DateTimeFormat = class extends realDateTimeFormat {
    constructor(...args: ConstructorParameters<typeof Intl.DateTimeFormat>) {
      super(...args);
      counter.made++;
    }
  } as typeof Intl.DateTimeFormat;
  Intl.NumberFormat = class extends realNumberFormat {
    constructor(...args: ConstructorParameters<typeof Intl.NumberFormat>) {
      super(...args);
      counter.made++;
    }
  } as typeof Intl.NumberFormat;
  return counter;
}

afterEach(() => {
  Intl.DateTimeFormat = realDateTimeFormat;
  Intl.NumberFormat = realNumberFormat;
});

describe("shared Intl formatters", () => {
  it("draws a thousand post cards' dates and counts with a formatter per kind, not one per call", () => {
    const formatters = countFormattersMade();
    const texts = new Set<string>();
    for (let card = 0; card < 1_000; card++) {
      const createdAt = new Date(NOW.getTime() - (8 + (card % 300)) * 86_400_000).toISOString();
      texts.add(formatRelativeTime(createdAt, NOW, "en-GB"));
      texts.add(formatFullDate(createdAt, "en-GB"));
      texts.add(formatCount(card * 37, "en-GB"));
    }
    // Cards a week old or more show a date (this year's without the year, earlier ones with
    // it), a full date in their tooltip, and counts: four option sets in all.
    expect(formatters.made).toBeLessThanOrEqual(4);
    // And the shared formatters still format each value as its own.
    expect(texts.size).toBeGreaterThan(600);
  });

  it("gives one formatter for the same locale and options, another when either differs", () => {
    const short = dateTimeFormat("en-GB", { month: "short", day: "numeric" });
    expect(dateTimeFormat("en-GB", { month: "short", day: "numeric" })).toBe(short);
    expect(dateTimeFormat("en-US", { month: "short", day: "numeric" })).not.toBe(short);
    expect(dateTimeFormat("en-GB", { month: "long", day: "numeric" })).not.toBe(short);
    expect(dateTimeFormat("en-GB", { month: "short", day: "numeric" }).format(NOW)).toBe("15 Jun");
  });

  it("keeps a bounded number of formatters whatever it is asked for", () => {
    for (let digits = 0; digits < KEPT_FORMATTERS * 2; digits++) {
      numberFormat("en-GB", { minimumIntegerDigits: 1 + (digits % 21), maximumFractionDigits: digits % 7 });
    }
    expect(keptFormatters()).toBeLessThanOrEqual(KEPT_FORMATTERS);
    expect(numberFormat("en-GB", { minimumIntegerDigits: 3, maximumFractionDigits: 0 }).format(7)).toBe("007");
  });
});
