// Sign-ins in words: what one may do, where their tokens are kept, and why a
// surface isn't syncing. Pure: "now" and the locale are passed in.

import { SURFACE_LABEL } from "./compose";
import { formatHandle, formatRelativeTime } from "./format";
import type { ConnectedApp, ConnectedApps, SecretStorage, SignInState, Surface } from "./types";
import { dateTimeFormat, listFormat } from "./intl";

// The scopes Mastodon and Pixelfed grant; any other is shown as the server named it.
const SCOPE_WORDS: Record<string, string> = {
  read: "read your posts and messages",
  write: "post and change settings",
  follow: "follow and block",
  push: "notify you",
};

/** "May read your posts and messages and notify you."; empty when the sign-in lists no scopes. */
export function scopesInWords(scopes: readonly string[], locale?: string): string {
  if (scopes.length === 0) return "";
  const words = scopes.map((scope) => SCOPE_WORDS[scope] ?? scope);
  return `May ${listFormat(locale, { type: "conjunction" }).format(words)}.`;
}

/** "Signed in May 1, 2024". */
export function formatSignedIn(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "Signed in";
  return `Signed in ${dateTimeFormat(locale, { dateStyle: "medium" }).format(date)}`;
}

/** "Last used 5m ago", "Last used on Mar 4", or "Not used yet". */
export function formatLastUsed(iso: string | null, now: Date, locale?: string): string {
  const age = iso === null ? "" : formatRelativeTime(iso, now, locale);
  if (age === "") return "Not used yet";
  if (age === "now") return "Last used just now";
  return /^\d+[mhd]$/.test(age) ? `Last used ${age} ago` : `Last used on ${age}`;
}

/** Where the sign-in tokens are kept, said once under the list. */
export function keptInSentence(keptIn: ConnectedApps["keptIn"]): string {
  switch (keptIn) {
    case "keychain":
      return "Sign-in tokens are kept in your system keychain, never in Facets' files.";
    case "encryptedFile":
      return "Sign-in tokens are kept in a file sealed with your passphrase, never in Facets' cache.";
    case "memoryOnly":
      return "This computer has no keychain Facets can use, so sign-ins are kept in memory only and end when Facets quits.";
  }
}

const KEPT_IN_PLACE: Record<ConnectedApps["keptIn"], string> = {
  keychain: "the system keychain",
  encryptedFile: "your passphrase-sealed secrets file",
  memoryOnly: "this computer's memory",
};

/** What revoking a sign-in does, said before it is done. */
export function revokeExplanation(
  app: Pick<ConnectedApp, "handle" | "server">,
  keptIn: ConnectedApps["keptIn"],
): string {
  const place = KEPT_IN_PLACE[keptIn];
  return (
    `Facets signs out of ${formatHandle(app.handle)}: ${app.server} stops accepting this sign-in and its token ` +
    `is deleted from ${place}.`
  );
}

/** Why a surface isn't syncing, for the banner over every view. */
export function notSyncingSentence(surface: Surface, signIn: Exclude<SignInState, "active">): string {
  const name = SURFACE_LABEL[surface];
  return signIn === "refused"
    ? `${name}'s server no longer accepts Facets' sign-in, so ${name} isn't syncing.`
    : `You signed out of ${name}, so it isn't syncing.`;
}

/** What failed, to follow "Couldn't". */
export function signInAgainFailedAction(surface: Surface): string {
  return `sign in to ${SURFACE_LABEL[surface]} again`;
}

/** A new sealed file's passphrase is at least this long (the core says the same). */
export const MIN_PASSPHRASE_CHARS = 8;

/** Whether the settings offer a choice: where no keychain answers, or the user chose otherwise. */
export function storageChoiceOffered(storage: SecretStorage): boolean {
  return !storage.setByEnvironment && (storage.locked || !storage.keychainAvailable || storage.choice !== "keychain");
}

/**
 * Why the passphrase cannot be used yet, or null. A new file takes one of at
 * least eight characters, typed twice alike; an existing file, the one it was
 * made with.
 */
export function passphraseProblem(passphrase: string, repeated: string, makingFile: boolean): string | null {
  if (passphrase === "") return makingFile ? "Choose a passphrase." : "Type the file's passphrase.";
  if (!makingFile) return null;
  if ([...passphrase].length < MIN_PASSPHRASE_CHARS) {
    return `A passphrase of at least ${MIN_PASSPHRASE_CHARS} characters.`;
  }
  if (repeated !== passphrase) return "The two passphrases differ.";
  return null;
}
