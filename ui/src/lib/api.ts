// The typed IPC layer: the only module that talks to the Rust shell.
//
// Views and stores call these functions; none of them imports `invoke` or
// `listen`, so command names and argument shapes live in this one file and
// match the commands registered in `src-tauri`. Every rejection is turned into
// a `CommandFailure` ({ kind, message }).

import { type InvokeArgs, type InvokeOptions, invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { CommandFailure, toCommandFailure } from "./errors";
import { markStartup } from "./startupMarks";
import type {
  AppStatus,
  CacheChanged,
  ComposeLimits,
  ConnectedApps,
  ConversationSummary,
  ConversationView,
  Draft,
  EditSource,
  ExploreView,
  IdentitiesView,
  InboxSettings,
  InboxView,
  MessageSearchHit,
  OutboxEntry,
  PersonView,
  PostEdit,
  PostView,
  SecretStorage,
  SecretsChoice,
  AccountPrivacyChange,
  LocalPrivacyChange,
  PrivacyCenter,
  PrivacyLogPage,
  PrivacySettings,
  Profile,
  SignedIn,
  SignInStarted,
  SignalPage,
  SurfacePrivacy,
  Surface,
  SyncReport,
  ThreadView,
  TimelineKind,
  TimelinePage,
} from "./types";

// Opening the UI in a plain browser (`npm run dev`) has no core to talk to;
// say so instead of surfacing the bridge's TypeError. The webview's IPC bridge
// is the global that `invoke` itself needs.
function insideTheApp(): boolean {
  return "__TAURI_INTERNALS__" in globalThis;
}

function outsideTheApp(): CommandFailure {
  return new CommandFailure(
    "internal",
    "This window is not running inside the Facets app, so it cannot reach the Facets core",
  );
}

async function call<T>(command: string, args?: InvokeArgs, options?: InvokeOptions): Promise<T> {
  if (!insideTheApp()) throw outsideTheApp();
  try {
    return await invoke<T>(command, args, options);
  } catch (raw) {
    throw toCommandFailure(raw);
  }
}

async function subscribe<T>(event: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  if (!insideTheApp()) throw outsideTheApp();
  try {
    return await listen<T>(event, (message) => handler(message.payload));
  } catch (raw) {
    throw toCommandFailure(raw);
  }
}

export function appStatus(): Promise<AppStatus> {
  return call("app_status");
}

/** Tells the shell the first cached timeline is on screen (it logs how long that took). */
/**
 * When the window's document began (Unix ms, `performance.timeOrigin`), and
 * each moment of startup in ms after it; null for a moment that did not happen.
 */
export interface StartupMarks {
  timeOrigin: number;
  script: number | null;
  mounted: number | null;
  pageRequested: number | null;
  pageAnswered: number | null;
  postsShown: number | null;
  firstFrame: number | null;
  painted: number;
}

export function firstPaint(marks: StartupMarks): Promise<void> {
  return call("first_paint", { marks });
}

/** Reads one page from the local cache: instant, and works offline. `cursor: null` = newest. */
export function timelinePage(
  surface: Surface,
  timeline: TimelineKind,
  cursor: string | null,
  limit: number,
): Promise<TimelinePage> {
  markStartup("page-requested");
  return call<TimelinePage>("timeline_page", { surface, timeline, cursor, limit }).finally(() =>
    markStartup("page-answered"),
  );
}

/** Pulls new posts from the network into the cache. */
export function refresh(surface: Surface): Promise<SyncReport[]> {
  return call("refresh", { surface });
}

export function openThread(key: string): Promise<ThreadView> {
  return call("open_thread", { key });
}

/**
 * Queues a public reply to a post, addressed to its author and no wider than
 * the post's audience, and resolves at once; its progress arrives through
 * `outbox-changed`. Rejects with kind `invalid` when the text is empty or too
 * long.
 */
export function replyToPost(key: string, text: string): Promise<OutboxEntry> {
  return call("reply_to_post", { key, text });
}

export function setFavourite(key: string, favourited: boolean): Promise<PostView> {
  return call("set_favourite", { key, favourited });
}

/**
 * Deletes one of the identity's own posts, and with `everywhere` its
 * cross-posted copies on the other surfaces. Resolves with the keys of every
 * post deleted.
 */
export function deletePost(key: string, everywhere: boolean): Promise<string[]> {
  return call("delete_post", { key, everywhere });
}

/** One of the identity's posts as its author wrote it, to start an edit from. */
export function editSource(key: string): Promise<EditSource> {
  return call("edit_source", { key });
}

/**
 * Edits one of the identity's posts on its server and, with `everywhere`, its
 * cross-posted copies. Resolves, once every server accepted, with the edited
 * posts as cached.
 */
export function editPost(key: string, edit: PostEdit, everywhere: boolean): Promise<PostView[]> {
  return call("edit_post", { key, edit, everywhere });
}

export function privacySettings(): Promise<PrivacySettings> {
  return call("privacy_settings");
}

/** Whether photos attached from now on lose their location and camera details. */
export function setStripPhotoMetadata(strip: boolean): Promise<PrivacySettings> {
  return call("set_strip_photo_metadata", { strip });
}

/** Changes one of Facets' own settings (logged); resolves with all of them as stored. */
export function setLocalPrivacy(change: LocalPrivacyChange): Promise<PrivacySettings> {
  return call("set_local_privacy", { change });
}

/**
 * Explore (Visual) or Suggested (Feed) from the cache. `refresh(surface)`
 * brings new public posts; `cache-changed` with timeline "explore" says so.
 */
export function explore(surface: Surface): Promise<ExploreView> {
  return call("explore", { surface });
}

/** The recorded activity signals, newest first; `before` (an `older` cursor) reads further back. */
export function activitySignals(before: number | null): Promise<SignalPage> {
  return call("activity_signals", { before });
}

/** Deletes one signal from this computer; resolves with whether it was there. */
export function deleteSignal(id: number): Promise<boolean> {
  return call("delete_signal", { id });
}

/** Deletes every signal from this computer; resolves with how many there were. */
export function deleteAllSignals(): Promise<number> {
  return call("delete_all_signals");
}

/** Writes every signal as JSON to the Downloads folder; resolves with the file's path. */
export function exportSignals(): Promise<string> {
  return call("export_signals");
}

/** The privacy center as cached: every surface's server settings and lists, and Facets' own. */
export function privacyCenter(): Promise<PrivacyCenter> {
  return call("privacy_center");
}

/** Reads every surface's settings, follow requests, blocks and mutes from its server. */
export function refreshPrivacy(): Promise<PrivacyCenter> {
  return call("refresh_privacy");
}

/**
 * Asks the surface's server to change one setting. Resolves with what the
 * server answered (which is what the UI shows); rejects with its reason, the
 * setting unchanged. Either way the change is in the privacy log.
 */
export function setAccountPrivacy(surface: Surface, change: AccountPrivacyChange): Promise<SurfacePrivacy> {
  return call("set_account_privacy", { surface, change });
}

/** Approves (or rejects) someone's request to follow the account. */
export function answerFollowRequest(surface: Surface, personId: string, approve: boolean): Promise<SurfacePrivacy> {
  return call("answer_follow_request", { surface, personId, approve });
}

export function unblock(surface: Surface, personId: string): Promise<SurfacePrivacy> {
  return call("unblock", { surface, personId });
}

export function unmute(surface: Surface, personId: string): Promise<SurfacePrivacy> {
  return call("unmute", { surface, personId });
}

/** The privacy log, newest first; `before` (an `older` cursor) reads further back. */
export function privacyLog(before: number | null): Promise<PrivacyLogPage> {
  return call("privacy_log", { before });
}

/** Writes the whole privacy log as JSON to the Downloads folder; resolves with the file's path. */
export function exportPrivacyLog(): Promise<string> {
  return call("export_privacy_log");
}

/** Every sign-in Facets holds, the surfaces signed out, and where the tokens are kept. */
export function connectedApps(): Promise<ConnectedApps> {
  return call("connected_apps");
}

/**
 * Revokes a sign-in on its server and deletes its token here; with
 * `forgetCached`, also what was cached from that account (drafts stay).
 * Rejects with kind `offline` when the server can't be reached: then nothing
 * changed.
 */
export function revokeSignIn(id: string, forgetCached: boolean): Promise<ConnectedApps> {
  return call("revoke_sign_in", { id, forgetCached });
}

/** Signs the surface in again, then syncs it. */
export function signInAgain(surface: Surface): Promise<ConnectedApps> {
  return call("sign_in_again", { surface });
}

/** Where sign-ins are kept on this computer, and what the user may choose. */
export function secretStorage(): Promise<SecretStorage> {
  return call("secret_storage");
}

/**
 * Keeps sign-ins in memory, or in the sealed file (the passphrase opens it, or
 * makes it), from now on; what is kept moves along. The window then reloads
 * (`identity-changed`).
 */
export function chooseSecretStore(choice: SecretsChoice, passphrase: string | null): Promise<SecretStorage> {
  return call("choose_secret_store", { choice, passphrase });
}

/** The demo and the identities the user added, with the one in use. */
export function identities(): Promise<IdentitiesView> {
  return call("identities");
}

/**
 * Removes an identity the window does not show: its sign-ins are revoked on
 * their servers first (an unreachable server leaves everything as it was),
 * then its cache goes. Answers the identities left.
 */
export function removeIdentity(profile: Profile): Promise<IdentitiesView> {
  return call("remove_identity", { profile });
}

/** Turns the window to another identity; `identity-changed` follows. */
export function switchIdentity(profile: Profile): Promise<void> {
  return call("switch_identity", { profile });
}

/**
 * Registers Facets on the server the user typed and opens the system browser
 * on its approval page. From the demo (or with `newIdentity`), the account
 * goes to a new identity.
 */
export function addAccountBegin(server: string, newIdentity: boolean): Promise<SignInStarted> {
  return call("add_account_begin", { server, newIdentity });
}

/** Waits for the browser to come back with the approval, or takes the pasted code. */
export function addAccountFinish(attempt: string, code: string | null): Promise<SignedIn> {
  return call("add_account_finish", { attempt, code });
}

/** Links the account to surfaces; a new identity then becomes the one in use (`identity-changed`). */
export function addAccountLink(attempt: string, id: string, surfaces: Surface[]): Promise<void> {
  return call("add_account_link", { attempt, id, surfaces });
}

/** Gives up adding an account (a wait for the browser ends). */
export function addAccountCancel(attempt: string): Promise<void> {
  return call("add_account_cancel", { attempt });
}

/** Subscribes to `identity-changed`: the window now shows another identity. */
export function onIdentityChanged(handler: () => void): Promise<UnlistenFn> {
  return subscribe("identity-changed", () => handler());
}

/** Subscribes to `sign-ins-changed`: a sign-in started, was refused by its server, or was revoked. */
export function onSignInsChanged(handler: () => void): Promise<UnlistenFn> {
  return subscribe("sign-ins-changed", () => handler());
}

/** The signed-in identity on a surface. */
export function profile(surface: Surface): Promise<PersonView> {
  return call("profile", { surface });
}

/** Subscribes to `cache-changed`, emitted after sync writes to the cache. */
export function onCacheChanged(handler: (change: CacheChanged) => void): Promise<UnlistenFn> {
  return subscribe("cache-changed", handler);
}

// Composing. A draft is stored by the core from the moment it is created;
// publishing hands it to the outbox, which sends one copy per enabled surface
// in the background and reports progress through `outbox-changed`.

/** What each surface's server accepts in one post. */
export function composeLimits(): Promise<ComposeLimits[]> {
  return call("compose_limits");
}

/** Unsent drafts, most recently updated first. */
export function draftList(): Promise<Draft[]> {
  return call("draft_list");
}

/** Creates and stores an empty draft aimed at the identity's remembered targets. */
export function draftNew(): Promise<Draft> {
  return call("draft_new");
}

/** Stores the draft (text, targets, alt text, media order); durable once it resolves. */
export function draftSave(draft: Draft): Promise<Draft> {
  return call("draft_save", { draft });
}

export function draftDelete(id: string): Promise<void> {
  return call("draft_delete", { id });
}

/** Sends the file's bytes as the raw IPC body, with what the core needs to know in headers. */
export async function draftAttachMedia(draftId: string, file: File): Promise<Draft> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  return call("draft_attach_media", bytes, {
    headers: {
      "x-draft-id": draftId,
      "x-file-name": encodeURIComponent(file.name),
      "x-mime-type": file.type,
    },
  });
}

export function draftRemoveMedia(draftId: string, mediaId: string): Promise<Draft> {
  return call("draft_remove_media", { draftId, mediaId });
}

/**
 * Queues a saved draft for sending, one outbox entry per enabled surface, and
 * resolves at once; the draft leaves the drafts list.
 */
export function publish(draftId: string): Promise<OutboxEntry[]> {
  return call("publish", { draftId });
}

/** Outbox entries, newest first. */
export function outboxList(): Promise<OutboxEntry[]> {
  return call("outbox_list");
}

export function outboxRetry(id: string): Promise<OutboxEntry> {
  return call("outbox_retry", { id });
}

export function outboxCancel(id: string): Promise<OutboxEntry> {
  return call("outbox_cancel", { id });
}

/** Tells the core the system is online again: posts waiting for the network go now. */
export function networkReturned(): Promise<number> {
  return call("network_returned");
}

/** Subscribes to `outbox-changed`, emitted whenever an outbox entry changes state. */
export function onOutboxChanged(handler: (entry: OutboxEntry) => void): Promise<UnlistenFn> {
  return subscribe("outbox-changed", handler);
}

// The merged inbox: direct conversations of every surface, read from the
// cache. Replies go through the outbox like every new post.

/**
 * The first `groups` groups of the inbox, newest activity first. With
 * `merged`, the 1:1 conversations with one person on different surfaces form
 * one group; without, each stands apart. `more` says whether others follow.
 */
export function inbox(merged: boolean, groups: number): Promise<InboxView> {
  return call("inbox", { merged, groups });
}

/**
 * One conversation. `before: null` reads the newest page; a cursor
 * (`olderCursor` of a page) reads only the messages older than it. Messages
 * are oldest first either way.
 */
export function conversation(key: string, before: string | null): Promise<ConversationView> {
  return call("conversation", { key, before });
}

export function markConversationRead(key: string): Promise<ConversationSummary> {
  return call("mark_conversation_read", { key });
}

export function markConversationUnread(key: string): Promise<ConversationSummary> {
  return call("mark_conversation_unread", { key });
}

/**
 * Queues a reply in the outbox and resolves at once; its progress arrives
 * through `outbox-changed`.
 */
export function replyToConversation(key: string, text: string): Promise<OutboxEntry> {
  return call("reply_to_conversation", { key, text });
}

/**
 * Starts a conversation with `recipient` (a handle, with or without the
 * leading @) on `surface`. The message is queued in the outbox and this
 * resolves at once; once it is sent the core syncs the inbox and emits
 * `inbox-changed`, and the new conversation appears in the list. Rejects with
 * kind `invalid` when the recipient is unknown or the text is empty or too long.
 */
export function startConversation(surface: Surface, recipient: string, text: string): Promise<OutboxEntry> {
  return call("start_conversation", { surface, recipient, text });
}

/**
 * Up to 8 cached people of `surface` whose handle or display name starts with
 * `prefix`, for autocomplete; never the identity itself.
 */
export function knownPeople(surface: Surface, prefix: string): Promise<PersonView[]> {
  return call("known_people", { surface, prefix });
}

/**
 * People of `surface` to write to: the cached ones first, then (for two
 * letters or more) those the server finds by name or handle, which are cached
 * from then on. Needs the server; `knownPeople` answers offline.
 */
export function findPeople(surface: Surface, query: string): Promise<PersonView[]> {
  return call("find_people", { surface, query });
}

/**
 * What the person says about a Feed account and a Visual account (their
 * remote ids on their surfaces): `true`, one person (their conversations
 * gather in one group); `false`, two people even though their profiles link
 * each other; `null`, forget what was said and follow the profiles again.
 * Emits `inbox-changed` afterwards.
 */
export function setSamePerson(feedPersonId: string, visualPersonId: string, same: boolean | null): Promise<void> {
  return call("set_same_person", { feedPersonId, visualPersonId, same });
}

export function inboxSettings(): Promise<InboxSettings> {
  return call("inbox_settings");
}

/** Whether a new message shows a desktop notification while the window is not focused. */
export function setInboxNotify(notify: boolean): Promise<InboxSettings> {
  return call("set_inbox_notify", { notify });
}

/** Messages in the cache matching `query`, best first. */
export function searchMessages(query: string): Promise<MessageSearchHit[]> {
  return call("search_messages", { query });
}

/** Pulls new conversations and messages from the network into the cache. */
export function refreshInbox(): Promise<void> {
  return call("refresh_inbox");
}

/** Subscribes to `inbox-changed`, emitted whenever conversations in the cache change. */
export function onInboxChanged(handler: () => void): Promise<UnlistenFn> {
  return subscribe("inbox-changed", () => handler());
}
