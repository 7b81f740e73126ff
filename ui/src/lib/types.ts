// The shapes the Rust shell returns from its commands (serde, camelCase).
// Keep in step with `crates/facets-app/src/views.rs`.

export type Surface = "feed" | "visual";

export type MediaKind = "image" | "video" | "gifv" | "audio" | "unknown";

export interface MediaView {
  id: string;
  kind: MediaKind;
  /** Full-size image, served by the app's media URI scheme (never a remote URL). */
  url: string;
  /** Grid thumbnail, served by the app's media URI scheme. */
  thumbUrl: string;
  width: number | null;
  height: number | null;
  /** Alt text as plain text; null when the author gave none. */
  description: string | null;
  blurhash: string | null;
}

export interface PersonView {
  id: string;
  displayName: string;
  /** `user@server` */
  handle: string;
  avatarUrl: string | null;
  /** Sanitised HTML. */
  noteHtml: string;
  followersCount: number;
  followingCount: number;
  statusesCount: number;
  headerUrl: string | null;
}

export interface PostView {
  /** Stable local key: `${surface}:${remoteId}`. */
  key: string;
  surface: Surface;
  remoteId: string;
  url: string | null;
  author: PersonView;
  /** ISO-8601 */
  createdAt: string;
  /** Sanitised HTML, safe to render with {@html}. */
  contentHtml: string;
  /** Content warning, plain text; empty when none. */
  spoilerText: string;
  sensitive: boolean;
  visibility: "public" | "unlisted" | "private" | "direct" | string;
  media: MediaView[];
  repliesCount: number;
  reblogsCount: number;
  favouritesCount: number;
  favourited: boolean;
  inReplyToId: string | null;
}

export interface TimelinePage {
  posts: PostView[];
  /** Opaque keyset cursor for the next (older) page; null at the end of the cache. */
  nextCursor: string | null;
}

export type TimelineKind = "home" | "profile";

export interface ThreadView {
  ancestors: PostView[];
  post: PostView;
  descendants: PostView[];
}

export interface SurfaceLinkView {
  surface: Surface;
  server: string;
  dialect: string;
  handle: string;
}

export interface AppStatus {
  mode: "demo" | "accounts";
  identity: PersonView | null;
  surfaces: SurfaceLinkView[];
  /** ISO-8601 time of the last completed sync; null before the first. */
  lastSyncAt: string | null;
}

export interface SyncReport {
  surface: Surface;
  timeline: TimelineKind;
  newPosts: number;
  updatedPosts: number;
}

/** Payload of the `cache-changed` event emitted after sync writes. */
export interface CacheChanged {
  surface: Surface;
  timeline: TimelineKind;
}

/** Errors from commands: a human sentence and a machine kind. */
export interface CommandError {
  kind: "offline" | "server" | "unauthorized" | "notFound" | "internal";
  message: string;
}
