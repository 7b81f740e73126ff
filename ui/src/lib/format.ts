// Display formatting for dates, counts and names. Pure: "now" and the locale
// are passed in, so the same input always gives the same text.

import type { Surface } from "./types";
import { dateTimeFormat, numberFormat } from "./intl";

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/**
 * Compact age of a post, as timelines show it: "now", "5m", "3h", "2d",
 * then a date ("Mar 4"), with the year once it is not the current one.
 * Times slightly in the future (clock skew between servers) read as "now".
 * Returns "" for an unparsable timestamp rather than "NaN".
 */
export function formatRelativeTime(iso: string, now: Date, locale?: string): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return "";
  const seconds = Math.floor((now.getTime() - then.getTime()) / 1000);
  if (seconds < MINUTE) return "now";
  if (seconds < HOUR) return `${Math.floor(seconds / MINUTE)}m`;
  if (seconds < DAY) return `${Math.floor(seconds / HOUR)}h`;
  if (seconds < WEEK) return `${Math.floor(seconds / DAY)}d`;
  const sameYear = then.getFullYear() === now.getFullYear();
  return dateTimeFormat(locale, {
    month: "short",
    day: "numeric",
    year: sameYear ? undefined : "numeric",
  }).format(then);
}

/** The full date and time, for tooltips and the focused post of a thread. */
export function formatFullDate(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return dateTimeFormat(locale, { dateStyle: "full", timeStyle: "short" }).format(date);
}

/** "Updated 5m ago" style age of the last sync, or a plain word for "never". */
export function formatLastSync(iso: string | null, now: Date, locale?: string): string {
  if (iso === null) return "Not synced yet";
  const age = formatRelativeTime(iso, now, locale);
  if (age === "") return "Not synced yet";
  if (age === "now") return "Updated just now";
  return /^\d+[mhd]$/.test(age) ? `Updated ${age} ago` : `Updated ${age}`;
}

/** Counts as people read them: 999, 1.2K, 3.4M. Negative counts are shown as 0. */
export function formatCount(count: number, locale?: string): string {
  const safe = Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
  return numberFormat(locale, {
    notation: "compact",
    maximumFractionDigits: 1,
  }).format(safe);
}

/** `user@server` → `@user@server`, the way fediverse handles are written. */
export function formatHandle(handle: string): string {
  return handle.startsWith("@") ? handle : `@${handle}`;
}

/** The name to show: the display name, or the handle's user part when it is blank. */
export function displayNameOf(person: { displayName: string; handle: string }): string {
  const name = person.displayName.trim();
  if (name !== "") return name;
  return person.handle.replace(/^@/, "").split("@")[0] ?? person.handle;
}

/** Up to two initials for an avatar placeholder. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.slice(0, 2).map((word) => Array.from(word)[0] ?? "");
  return letters.join("").toUpperCase();
}

const SURFACE_NAMES: Record<Surface, string> = { feed: "Feed", visual: "Visual" };

/** "Visual", "Feed and Visual": surfaces named in a sentence. */
export function surfaceList(surfaces: readonly Surface[]): string {
  const names = surfaces.map((surface) => SURFACE_NAMES[surface]);
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** "Also on Visual", "Also on Feed and Visual"; empty when the post lives on one surface only. */
export function alsoOnLabel(surfaces: readonly Surface[]): string {
  if (surfaces.length === 0) return "";
  return `Also on ${surfaceList(surfaces)}`;
}

/** The choice to edit a post's cross-posted copies too: "Also edit the copy on Visual". */
export function alsoEditLabel(surfaces: readonly Surface[]): string {
  if (surfaces.length === 0) return "";
  return `Also edit the ${surfaces.length === 1 ? "copy" : "copies"} on ${surfaceList(surfaces)}`;
}

/** The choice to delete a post's cross-posted copies too: "Also delete the copy on Visual". */
export function alsoDeleteLabel(surfaces: readonly Surface[]): string {
  if (surfaces.length === 0) return "";
  return `Also delete the ${surfaces.length === 1 ? "copy" : "copies"} on ${surfaceList(surfaces)}`;
}
