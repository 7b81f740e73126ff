// Builders for privacy center test data. Only imported by *.test.ts files.

import { person } from "./testPosts";
import type {
  ConnectedApp,
  ConnectedApps,
  PrivacyCenter,
  PrivacyLogEntry,
  PrivacySettings,
  SignalView,
  SurfacePrivacy,
} from "./types";

/** A Mastodon-like Feed account: every setting offered, nothing private. */
export function feedPrivacy(overrides: Partial<SurfacePrivacy> = {}): SurfacePrivacy {
  return {
    surface: "feed",
    server: "mastodon-server-host",
    account: person({ id: "me-feed", displayName: "Mara", handle: "mara@facets.example" }),
    locked: false,
    lockedMeans: "approvesFollowers",
    defaultAudience: "public",
    sensitiveMedia: false,
    discoverable: true,
    hideCollections: false,
    indexable: true,
    followRequests: [],
    blocked: [],
    muted: [],
    checkedAt: null,
    ...overrides,
  };
}

/** A Pixelfed-like Visual account: no directory, collections or search-engine settings. */
export function visualPrivacy(overrides: Partial<SurfacePrivacy> = {}): SurfacePrivacy {
  return {
    surface: "visual",
    server: "pixelfed-server-host",
    account: person({ id: "me-visual", displayName: "Mara", handle: "mara@facets.example" }),
    locked: false,
    lockedMeans: "followersOnly",
    defaultAudience: "public",
    sensitiveMedia: false,
    discoverable: null,
    hideCollections: null,
    indexable: null,
    followRequests: [],
    blocked: [],
    muted: [],
    checkedAt: null,
    ...overrides,
  };
}

/** Facets' own settings as they start. */
export function localSettings(overrides: Partial<PrivacySettings> = {}): PrivacySettings {
  return {
    stripPhotoMetadata: true,
    shareVisualToFeed: false,
    inboxAcrossSurfaces: true,
    activityShapesOther: false,
    activityPaused: false,
    ...overrides,
  };
}

export function privacyCenter(
  surfaces: SurfacePrivacy[] = [feedPrivacy(), visualPrivacy()],
  local: PrivacySettings = localSettings(),
): PrivacyCenter {
  return { surfaces, local };
}

export function logEntry(id: number, overrides: Partial<PrivacyLogEntry> = {}): PrivacyLogEntry {
  return {
    id,
    at: "2024-05-01T12:00:00Z",
    surface: "feed",
    label: "Private account",
    oldValue: "Off",
    newValue: "On",
    accepted: true,
    reason: null,
    ...overrides,
  };
}

/** A recorded favourite on Feed, not used by ranking yet. */
export function signal(id: number, overrides: Partial<SignalView> = {}): SignalView {
  return {
    id,
    at: "2024-05-01T12:00:00Z",
    surface: "feed",
    kind: "favourite",
    description: `You favourited post ${id} by Ana Lima`,
    person: null,
    usedCount: 0,
    lastUsedAt: null,
    ...overrides,
  };
}

/** Visual's sign-in to a Pixelfed server, accepted, with every scope. */
export function visualSignIn(overrides: Partial<ConnectedApp> = {}): ConnectedApp {
  return {
    id: "sign-in:visual",
    surfaces: ["visual"],
    server: "pixelfed.social",
    handle: "mara@pixelfed.social",
    scopes: ["read", "write", "follow", "push"],
    createdAt: "2024-05-01T12:00:00Z",
    lastUsedAt: null,
    refused: null,
    ...overrides,
  };
}

/** Feed's sign-in to a Mastodon server, accepted. */
export function feedSignIn(overrides: Partial<ConnectedApp> = {}): ConnectedApp {
  return visualSignIn({
    id: "sign-in:feed",
    surfaces: ["feed"],
    server: "mastodon.social",
    handle: "mara@mastodon.social",
    ...overrides,
  });
}

export function connectedApps(
  apps: ConnectedApp[] = [feedSignIn(), visualSignIn()],
  overrides: Partial<ConnectedApps> = {},
): ConnectedApps {
  return { keptIn: "keychain", apps, signedOut: [], ...overrides };
}
