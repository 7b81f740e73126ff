// Builders for compose test data. Only imported by *.test.ts files.

import type { ComposeLimits, Draft, DraftMedia, OutboxEntry, SurfaceVariant } from "./types";

export function draftMedia(id: string, overrides: Partial<DraftMedia> = {}): DraftMedia {
  return {
    id,
    fileName: `${id}.jpg`,
    mimeType: "image/jpeg",
    width: 1200,
    height: 900,
    description: `Picture ${id}`,
    previewUrl: `facets-media://localhost/draft/${id}`,
    ...overrides,
  };
}

export function variant(surface: SurfaceVariant["surface"], overrides: Partial<SurfaceVariant> = {}): SurfaceVariant {
  return {
    surface,
    enabled: true,
    customised: false,
    text: "",
    audience: "public",
    mediaIds: [],
    ...overrides,
  };
}

/** A draft aimed at Feed only, unless `variants` says otherwise. */
export function draft(overrides: Partial<Draft> = {}): Draft {
  return {
    id: "d1",
    createdAt: "2024-03-05T10:00:00Z",
    updatedAt: "2024-03-05T10:00:00Z",
    text: "",
    spoilerText: "",
    sensitive: false,
    media: [],
    variants: [variant("feed"), variant("visual", { enabled: false })],
    ...overrides,
  };
}

export const feedLimits: ComposeLimits = {
  surface: "feed",
  maxCharacters: 500,
  maxMediaAttachments: 4,
  charactersReservedPerUrl: 23,
  supportedMimeTypes: ["image/jpeg", "image/png", "image/gif", "image/webp"],
  imageSizeLimit: 16 * 1024 * 1024,
  requiresMedia: false,
  privateAccount: null,
};

export const visualLimits: ComposeLimits = {
  surface: "visual",
  maxCharacters: 2000,
  maxMediaAttachments: 10,
  charactersReservedPerUrl: 23,
  supportedMimeTypes: ["image/jpeg", "image/png"],
  imageSizeLimit: 8 * 1024 * 1024,
  requiresMedia: true,
  privateAccount: null,
};

export function outboxEntry(id: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id,
    draftId: "d1",
    surface: "feed",
    state: "queued",
    attempts: 0,
    lastError: null,
    waitingFor: null,
    nextAttemptAt: null,
    postKey: null,
    createdAt: "2024-03-05T10:00:00Z",
    summary: "Hello",
    ...overrides,
  };
}
