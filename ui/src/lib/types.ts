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
  /** A small picture, for avatars up to 48 px. */
  avatarUrl: string | null;
  /** The picture for larger avatars (a profile's header). */
  avatarLargeUrl: string | null;
  /** Sanitised HTML. */
  noteHtml: string;
  followersCount: number;
  followingCount: number;
  statusesCount: number;
  headerUrl: string | null;
  /** A private account: follows need approval. */
  locked: boolean;
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
  /** ISO-8601, when the author last edited the post. */
  editedAt: string | null;
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
  /** Other surfaces this post was cross-posted to from Facets. */
  alsoOn: Surface[];
  /** Whether the signed-in identity wrote this post (and so may delete it). */
  own: boolean;
}

export interface TimelinePage {
  posts: PostView[];
  /** Opaque keyset cursor for the next (older) page; null at the end of the cache. */
  nextCursor: string | null;
}

export type TimelineKind = "home" | "profile" | "explore";

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
  signIn: SignInState;
}

/**
 * How a linked surface's sign-in stands: `refused`, its server stopped
 * accepting it (HTTP 401); `signedOut`, the user revoked it. Either way the
 * surface does not sync until it is signed in again.
 */
export type SignInState = "active" | "refused" | "signedOut";

/** One of the identities on this computer: the demo, or one the user added. */
export type Profile = { kind: "demo" } | { kind: "identity"; id: string };

export interface IdentityView {
  profile: Profile;
  /** Its accounts' handles (`user@server`); empty for the demo. */
  handles: string[];
  /** The one the window shows. */
  active: boolean;
}

export interface IdentitiesView {
  identities: IdentityView[];
}

/** The server software an account lives on. */
export type Dialect = "mastodon" | "pixelfed" | "gotosocial" | "akkoma";

/** A sign-in waiting for the user's approval in their browser. */
export interface SignInStarted {
  attempt: string;
  /** The server's approval page, opened in the system browser; shown to copy if it did not open. */
  authorizeUrl: string;
  /** The server will show a code for the user to paste instead of coming back by itself. */
  pasteCode: boolean;
  server: string;
  software: Dialect;
}

/** An account Facets was just allowed to use, not yet linked to a surface. */
export interface SignedIn {
  id: string;
  handle: string;
  displayName: string;
  server: string;
  software: Dialect;
  suggestedSurfaces: Surface[];
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

/** One sign-in Facets holds, as the connected apps list shows it. */
export interface ConnectedApp {
  /** Names the sign-in in commands; not a secret. */
  id: string;
  /** The surfaces this sign-in serves; empty when none links to it any more. */
  surfaces: Surface[];
  /** The server's domain, e.g. "pixelfed.social". */
  server: string;
  /** `user@server` */
  handle: string;
  /** OAuth scopes, e.g. ["read", "write", "follow", "push"]. */
  scopes: string[];
  /** ISO-8601 */
  createdAt: string;
  /** ISO-8601; null when never used. */
  lastUsedAt: string | null;
  /** The server's reason once it started refusing the sign-in; may be empty. Null while it is accepted. */
  refused: string | null;
}

export interface ConnectedApps {
  /** Where sign-in tokens live: memory only when this computer has no keychain Facets can use. */
  keptIn: "keychain" | "encryptedFile" | "memoryOnly";
  apps: ConnectedApp[];
  /** Linked surfaces whose sign-in the user revoked. */
  signedOut: Surface[];
}

/** Where sign-ins can be kept on this computer. */
export type SecretsChoice = "keychain" | "memoryOnly" | "encryptedFile";

/** Where sign-ins are kept, and what the user may choose. */
export interface SecretStorage {
  /** Where the user chose to keep them (the keychain unless they chose otherwise). */
  choice: SecretsChoice;
  /** Where this run keeps them: memory when no keychain answers, or while the sealed file is locked. */
  keptIn: ConnectedApps["keptIn"];
  keychainAvailable: boolean;
  /** A sealed file exists: a passphrase opens it (otherwise one makes it). */
  fileExists: boolean;
  /** The sealed file is chosen but not opened in this run: kept sign-ins wait for its passphrase. */
  locked: boolean;
  /** FACETS_SECRETS decides, so the settings cannot. */
  setByEnvironment: boolean;
}

/** Payload of the `cache-changed` event emitted after sync writes. */
export interface CacheChanged {
  surface: Surface;
  timeline: TimelineKind;
}

/** Errors from commands: a human sentence and a machine kind. */
export interface CommandError {
  /** `invalid`: the request can't be carried out as it stands; the message says what to change. */
  kind: "offline" | "server" | "unauthorized" | "notFound" | "invalid" | "internal";
  message: string;
}

// Composing, drafts and the outbox. Keep in step with the compose commands.

/** Who can see a post: the four Mastodon visibilities. */
export type Audience = "public" | "unlisted" | "private" | "direct";

/** An image attached to a draft, stored by the core until the post is sent. */
export interface DraftMedia {
  id: string;
  fileName: string;
  mimeType: string;
  width: number | null;
  height: number | null;
  /** Alt text, plain text; empty when none has been written yet. */
  description: string;
  /** Served by the app's media URI scheme. */
  previewUrl: string;
}

/**
 * How a draft goes out on one surface. When `customised` is false the variant
 * uses the draft's shared text and all its media in draft order, and `text`
 * and `mediaIds` are not read.
 */
export interface SurfaceVariant {
  surface: Surface;
  /** Whether the draft is posted to this surface at all. */
  enabled: boolean;
  customised: boolean;
  text: string;
  audience: Audience;
  mediaIds: string[];
}

export interface Draft {
  id: string;
  /** ISO-8601 */
  createdAt: string;
  /** ISO-8601; changes on every save. */
  updatedAt: string;
  text: string;
  /** Content warning, plain text; empty when none. */
  spoilerText: string;
  /** Marks the media as sensitive (hidden until revealed). */
  sensitive: boolean;
  /** In posting order. */
  media: DraftMedia[];
  /** Always two: feed, then visual. */
  variants: SurfaceVariant[];
}

/** What a surface's server accepts in one post. */
export interface ComposeLimits {
  surface: Surface;
  maxCharacters: number;
  maxMediaAttachments: number;
  /** Every URL counts as this many characters, whatever its length. */
  charactersReservedPerUrl: number;
  supportedMimeTypes: string[];
  /** Bytes. */
  imageSizeLimit: number;
  /** Visual posts need at least one image. */
  requiresMedia: boolean;
  /**
   * The account is private (locked), and what that means there (see
   * `SurfacePrivacy.lockedMeans`); null when it is not.
   */
  privateAccount: "approvesFollowers" | "followersOnly" | null;
}

export type WaitReason = "network" | "server" | "rate_limit" | "session" | "processing";

export type OutboxState =
  | "queued"
  | "uploading"
  | "sending"
  | "sent"
  | "failed"
  | "waiting"
  | "cancelled";

/** One surface's copy of a published draft, on its way to the server. */
export interface OutboxEntry {
  id: string;
  draftId: string;
  surface: Surface;
  state: OutboxState;
  attempts: number;
  /** Why the last attempt failed, as a sentence. */
  lastError: string | null;
  /** While `waiting`, what for. */
  waitingFor: WaitReason | null;
  /** ISO-8601, when `waiting`: the next automatic try. */
  nextAttemptAt: string | null;
  /** The sent post's key (`${surface}:${remoteId}`) once `sent`. */
  postKey: string | null;
  /** ISO-8601 */
  createdAt: string;
  /** A short plain-text excerpt of the post. */
  summary: string;
}

/** What the edit dialog starts from. */
export interface EditSource {
  key: string;
  text: string;
  spoilerText: string;
  sensitive: boolean;
  /** Other surfaces holding a cross-posted copy of the post. */
  copiesOn: Surface[];
}

/** The words of a post after an edit. */
export interface PostEdit {
  text: string;
  spoilerText: string;
  sensitive: boolean;
}

/** Facets' own privacy settings, enforced on this machine. */
export interface PrivacySettings {
  /** Remove location and camera details from photos before upload. */
  stripPhotoMetadata: boolean;
  /**
   * A public or unlisted post for Visual alone also goes to Feed, same words,
   * pictures and audience (never to a wider one). Off by default.
   */
  shareVisualToFeed: boolean;
  /**
   * One inbox across surfaces, a person's conversations on both gathered. Off:
   * each surface's messages are kept apart (the inbox lists Feed's, then
   * Visual's, and groups no one across them).
   */
  inboxAcrossSurfaces: boolean;
  /**
   * Let the user's activity on one surface shape the other: favourites,
   * replies and people messaged are recorded on this computer as signals and
   * rank Explore locally. Off by default; off, nothing is recorded.
   */
  activityShapesOther: boolean;
  /** Recording paused: what is recorded still counts, nothing new is added. */
  activityPaused: boolean;
}

/**
 * Visual's Explore or Feed's Suggested: the server's public posts as cached,
 * ranked on this computer from the user's activity on both surfaces while
 * they allow it (Privacy), newest first otherwise.
 */
export interface ExploreView {
  surface: Surface;
  /** Ranked from the user's activity; false: newest first. */
  ranked: boolean;
  posts: ExplorePost[];
}

export interface ExplorePost {
  post: PostView;
  /** Why it ranks where it does, e.g. "You messaged Ana Lima on Feed"; null when nothing raised it. */
  reason: string | null;
}

/** One thing the user did, recorded while they allowed it. */
export interface SignalView {
  id: number;
  /** ISO 8601. */
  at: string;
  surface: Surface;
  kind: "favourite" | "reply" | "message";
  /** In the user's words: "You favourited a post by Ana Lima". */
  description: string;
  /** The person, while cached. */
  person: PersonView | null;
  /** How often ranking used it, and when last (ISO 8601). */
  usedCount: number;
  lastUsedAt: string | null;
}

export interface SignalPage {
  /** Newest first. */
  entries: SignalView[];
  /** Pass as `before` for older signals; null when there are none. */
  older: number | null;
}

/** One change of Facets' own settings; each is logged in the privacy log. */
export type LocalPrivacyChange =
  | { setting: "stripPhotoMetadata"; value: boolean }
  | { setting: "shareVisualToFeed"; value: boolean }
  | { setting: "inboxAcrossSurfaces"; value: boolean }
  | { setting: "activityShapesOther"; value: boolean }
  | { setting: "activityPaused"; value: boolean };

/** The privacy settings of one surface's account that live on its server. */
export type AccountPrivacySetting =
  | "locked"
  | "defaultAudience"
  | "sensitiveMedia"
  | "discoverable"
  | "hideCollections"
  | "indexable";

/** One change asked of a server. */
export type AccountPrivacyChange =
  | { setting: "defaultAudience"; value: Audience }
  | { setting: Exclude<AccountPrivacySetting, "defaultAudience">; value: boolean };

/**
 * One surface's account as its server last described it. A `null` setting is
 * one the server does not have (Pixelfed has no `discoverable`,
 * `hideCollections` or `indexable`): the UI does not offer it.
 */
export interface SurfacePrivacy {
  surface: Surface;
  /** The server's host, e.g. "mastodon.social". */
  server: string;
  account: PersonView;
  /** Follow requests need approval. */
  locked: boolean;
  /**
   * What a private (locked) account means on this server: Mastodon approves
   * followers but public posts stay public; Pixelfed shows posts to followers only.
   */
  lockedMeans: "approvesFollowers" | "followersOnly";
  /** The audience new posts start with. */
  defaultAudience: Audience;
  /** Mark new media as sensitive by default. */
  sensitiveMedia: boolean;
  /** Listed in the server's profile directory and suggestions. */
  discoverable: boolean | null;
  /** Hide who follows the account and whom it follows. */
  hideCollections: boolean | null;
  /** Let search engines index public posts. */
  indexable: boolean | null;
  /** People waiting for approval (only when locked), oldest first. */
  followRequests: PersonView[];
  blocked: PersonView[];
  muted: PersonView[];
  /** When this was last read from the server (ISO 8601); null: not yet. */
  checkedAt: string | null;
}

/** Everything the Privacy view shows, from the cache. */
export interface PrivacyCenter {
  /** One per linked surface, Feed first. */
  surfaces: SurfacePrivacy[];
  local: PrivacySettings;
}

/** One change of a privacy setting, kept forever (until exported and cleared by the user). */
export interface PrivacyLogEntry {
  id: number;
  /** ISO 8601. */
  at: string;
  /** null for Facets' own settings (they live on this computer). */
  surface: Surface | null;
  /** The setting in the user's words, e.g. "Private account". */
  label: string;
  /** Values in the user's words, e.g. "Off" → "On", "Public" → "Followers only". */
  oldValue: string;
  newValue: string;
  /** Whether the server (or, for local settings, Facets) took the change. */
  accepted: boolean;
  /** Why it was refused, when it was. */
  reason: string | null;
}

export interface PrivacyLogPage {
  /** Newest first. */
  entries: PrivacyLogEntry[];
  /** Pass as `before` to read older entries; null when there are none. */
  older: number | null;
}

// The merged inbox: direct conversations from every surface. Keep in step
// with the inbox commands.

/** The latest message of a conversation, as the list shows it. */
export interface MessagePreview {
  authorName: string;
  /** Plain text: its start, without the mentions it opens with. */
  text: string;
  /** Pictures and videos it carries. */
  attachments: number;
  /** ISO-8601 */
  createdAt: string;
  /** Whether the signed-in identity wrote it. */
  fromMe: boolean;
}

/** One direct conversation on one surface. */
export interface ConversationSummary {
  /** Stable local key: `${surface}:${remoteId}`. */
  key: string;
  surface: Surface;
  remoteId: string;
  /** Everyone in the conversation but the signed-in identity. */
  participants: PersonView[];
  /** Null when the conversation has no message in the cache yet. */
  lastMessage: MessagePreview | null;
  unread: boolean;
  /** ISO-8601, the last activity. */
  updatedAt: string;
}

/**
 * Conversations shown together: the 1:1 conversations with one person on
 * every surface (when the inbox is merged), or a single conversation.
 */
export interface InboxGroup {
  /** Stable id of the group. */
  key: string;
  /** The one other person when the group gathers 1:1 conversations; null for a group chat. */
  person: PersonView | null;
  /** Surfaces present in the group. */
  surfaces: Surface[];
  /** Newest activity first. */
  conversations: ConversationSummary[];
  /** Unread conversations in the group. */
  unreadCount: number;
  /** ISO-8601, the last activity in any of its conversations. */
  updatedAt: string;
}

export interface InboxView {
  /** Newest activity first: as many as were asked for. */
  groups: InboxGroup[];
  /** More groups follow these. */
  more: boolean;
  /** Unread conversations per surface. */
  unread: Record<Surface, number>;
  /** Whether 1:1 conversations with the same person are grouped across surfaces. */
  merged: boolean;
  /**
   * Each surface's conversations kept apart (a Privacy setting): groups come
   * Feed's first, then Visual's, none spanning both; `merged` is then false.
   */
  apart: boolean;
  /** How each surface's new messages arrive; absent while not known yet. */
  delivery: Partial<Record<Surface, Delivery>>;
}

/** Pushed by the server's stream as they are written, or asked for every so often. */
export type Delivery = "streaming" | "polling";

/** One message of a conversation (a direct status). */
export interface MessageView {
  /** `${surface}:${remoteId}` of the status. */
  key: string;
  surface: Surface;
  author: PersonView;
  /** Whether the signed-in identity wrote it. */
  fromMe: boolean;
  /** ISO-8601 */
  createdAt: string;
  /** Sanitised HTML, safe to render with {@html}. */
  contentHtml: string;
  /** Content warning, plain text; empty when none. */
  spoilerText: string;
  media: MediaView[];
}

export interface ConversationView {
  conversation: ConversationSummary;
  /** Oldest first. */
  messages: MessageView[];
  /** Pass to `conversation()` to read older messages; null when there are none. */
  olderCursor: string | null;
  /** Replies to this conversation still in the outbox (not yet sent), oldest first. */
  pending: OutboxEntry[];
}

/** The inbox's own settings. */
export interface InboxSettings {
  /**
   * Whether a desktop notification is shown for a new message while the
   * Facets window is not focused. On by default.
   */
  notify: boolean;
}

export interface MessageSearchHit {
  conversationKey: string;
  messageKey: string;
  surface: Surface;
  author: PersonView;
  /** ISO-8601 */
  createdAt: string;
  /** Plain text around the match. */
  snippet: string;
}
