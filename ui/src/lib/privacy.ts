// The privacy center in words: what each server-side setting is called, what
// it does, and how a failed change is described. Pure: "now" and the locale
// are passed in.

import { dateTimeFormat } from "./intl";
import { AUDIENCE_LABEL, SURFACE_LABEL } from "./compose";
import { formatHandle, formatRelativeTime } from "./format";
import type {
  AccountPrivacyChange,
  AccountPrivacySetting,
  LocalPrivacyChange,
  SignalView,
  Surface,
  SurfacePrivacy,
} from "./types";

/** The on/off settings, in the order the page shows them (the audience comes after the first). */
export const SWITCH_SETTINGS = ["locked", "sensitiveMedia", "discoverable", "hideCollections", "indexable"] as const;

export type SwitchSetting = (typeof SWITCH_SETTINGS)[number];

/** Each setting in the user's words. */
export const SETTING_LABEL: Record<AccountPrivacySetting, string> = {
  locked: "Private account",
  defaultAudience: "Default audience",
  sensitiveMedia: "Sensitive media by default",
  discoverable: "Listed in the directory",
  hideCollections: "Hide followers and following",
  indexable: "Allow search engines",
};

/** What a private account means on the surface's server. */
export function lockedMeaning(means: SurfacePrivacy["lockedMeans"]): string {
  return means === "followersOnly"
    ? "Only followers you approve see your posts."
    : "You approve each new follower. Your public posts stay public.";
}

/** The sentence under a setting: what it does on this account's server. */
export function settingDetail(setting: AccountPrivacySetting, privacy: SurfacePrivacy): string {
  const name = SURFACE_LABEL[privacy.surface];
  switch (setting) {
    case "locked":
      return lockedMeaning(privacy.lockedMeans);
    case "defaultAudience":
      return `New ${name} posts start with this audience; you can still choose another for each post.`;
    case "sensitiveMedia":
      return "New photos and videos are hidden behind a warning until someone chooses to see them.";
    case "discoverable":
      return `${privacy.server} may suggest your profile to others and list it in its profile directory.`;
    case "hideCollections":
      return "Others can't see who follows you or whom you follow.";
    case "indexable":
      return "Search engines may index your public posts.";
  }
}

/** What was being done when a change failed, to follow "Couldn't". */
export function changeFailedAction(surface: Surface, change: AccountPrivacyChange): string {
  const name = SURFACE_LABEL[surface];
  switch (change.setting) {
    case "locked":
      return `make your ${name} account ${change.value ? "private" : "public"}`;
    case "defaultAudience":
      return `make ${AUDIENCE_LABEL[change.value]} the default audience on ${name}`;
    case "sensitiveMedia":
      return change.value
        ? `mark your ${name} media as sensitive by default`
        : `stop marking your ${name} media as sensitive by default`;
    case "discoverable":
      return change.value
        ? `list your ${name} account in the directory`
        : `take your ${name} account out of the directory`;
    case "hideCollections":
      return `${change.value ? "hide" : "show"} whom your ${name} account follows and who follows it`;
    case "indexable":
      return change.value
        ? `let search engines index your ${name} posts`
        : `keep search engines from indexing your ${name} posts`;
  }
}

/** What was being done when a change of Facets' own settings failed, to follow "Couldn't". */
export function localChangeFailedAction(change: LocalPrivacyChange): string {
  const onOff = change.value ? "on" : "off";
  switch (change.setting) {
    case "stripPhotoMetadata":
      return `turn ${onOff} removing location and camera details`;
    case "shareVisualToFeed":
      return `turn ${onOff} sharing ${SURFACE_LABEL.visual} posts to ${SURFACE_LABEL.feed}`;
    case "inboxAcrossSurfaces":
      return change.value
        ? "gather your messages in one inbox"
        : `keep ${SURFACE_LABEL.feed}'s and ${SURFACE_LABEL.visual}'s messages apart`;
    case "activityShapesOther":
      return change.value
        ? "let your activity on one surface shape the other"
        : "stop your activity on one surface shaping the other";
    case "activityPaused":
      return change.value ? "pause recording your activity" : "resume recording your activity";
  }
}

/** How ranking has used a recorded signal: "Not used yet", or how often and when last. */
export function signalUse(signal: Pick<SignalView, "usedCount" | "lastUsedAt">, locale?: string): string {
  if (signal.usedCount <= 0) return "Not used yet";
  const times = signal.usedCount === 1 ? "Used once" : `Used ${signal.usedCount} times`;
  return signal.lastUsedAt === null ? times : `${times}, last ${formatLogTime(signal.lastUsedAt, locale)}`;
}

/** "1 signal", "3 signals". */
export function signalCount(count: number): string {
  return count === 1 ? "1 signal" : `${count} signals`;
}

/**
 * The button that confirms deleting every signal. `shown` is how many are
 * listed; when older ones are not listed yet, their number is not known.
 */
export function deleteAllSignalsLabel(shown: number, moreNotShown: boolean): string {
  if (moreNotShown) return "Delete all signals, older ones too";
  return shown === 1 ? "Delete the 1 signal" : `Delete all ${shown} signals`;
}

/** "@mara@facets.example on pixelfed.example": the account a section is about. */
export function accountLine(privacy: SurfacePrivacy): string {
  return `${formatHandle(privacy.account.handle)} on ${privacy.server}`;
}

/** Where a logged change happened. */
export function logSurfaceLabel(surface: Surface | null): string {
  return surface === null ? "This computer" : SURFACE_LABEL[surface];
}

/** "Last checked 5m ago", or that the server has not been asked yet. */
export function formatLastChecked(iso: string | null, now: Date, locale?: string): string {
  const age = iso === null ? "" : formatRelativeTime(iso, now, locale);
  if (age === "") return "Not checked with the server yet";
  if (age === "now") return "Last checked just now";
  return /^\d+[mhd]$/.test(age) ? `Last checked ${age} ago` : `Last checked on ${age}`;
}

/** When a logged change happened: a date and a time, e.g. "May 1, 2024, 2:05 PM". */
export function formatLogTime(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return dateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
}
