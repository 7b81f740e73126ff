// The rules of the merged inbox, kept out of the markup: the words the list
// shows, how an answer from the core updates what is on screen, and how pages
// of a conversation and its replies in the outbox fit together. Pure, apart
// from `debounce`, which owns a timer.

import { collator } from "./intl";
import { SURFACE_LABEL } from "./compose";
import { displayNameOf } from "./format";
import type {
  ConversationSummary,
  Delivery,
  InboxGroup,
  InboxView,
  MessagePreview,
  MessageView,
  OutboxEntry,
  PersonView,
  PostView,
  Surface,
} from "./types";

// ---------------------------------------------------------------------------
// The list in words

/**
 * The last message as a row shows it: "You: …" for your own, "Ada: …" for
 * someone else's in a group chat.
 */
export function previewText(preview: MessagePreview | null, groupChat = false): string {
  if (preview === null) return "No messages yet";
  const text = preview.text.replace(/\s+/g, " ").trim() || attachmentsText(preview.attachments);
  if (preview.fromMe) return `You: ${text}`;
  if (groupChat && preview.authorName.trim() !== "") return `${preview.authorName.trim()}: ${text}`;
  return text;
}

function attachmentsText(count: number): string {
  return count > 1 ? `${count} attachments` : "Attachment";
}

/** "Ada", "Ada and Grace", "Ada, Grace and Alan": people named in a sentence. */
export function peopleNames(people: readonly Pick<PersonView, "displayName" | "handle">[]): string {
  const names = people.map((person) => displayNameOf(person));
  if (names.length === 0) return "Only you";
  if (names.length === 1) return names[0]!;
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** Who a conversation is with. */
export function conversationTitle(conversation: Pick<ConversationSummary, "participants">): string {
  return peopleNames(conversation.participants);
}

/** Who a group is with: its person, or the participants of its group chat. */
export function groupTitle(group: InboxGroup): string {
  if (group.person) return displayNameOf(group.person);
  const first = group.conversations[0];
  return first ? conversationTitle(first) : "Conversation";
}

/** Whether a conversation has more than one other person in it. */
export function isGroupChat(conversation: Pick<ConversationSummary, "participants">): boolean {
  return conversation.participants.length > 1;
}

/**
 * What a screen reader says for a row: who, where, whether unread, the last
 * message and when, e.g. "Ada Lovelace on Visual, unread. You: see you. Monday…".
 */
export function conversationLabel(
  title: string,
  conversation: ConversationSummary,
  fullDate: string,
): string {
  const parts = [
    `${title} on ${SURFACE_LABEL[conversation.surface]}${conversation.unread ? ", unread" : ""}`,
    previewText(conversation.lastMessage, isGroupChat(conversation)),
  ];
  if (fullDate !== "") parts.push(fullDate);
  return parts.join(". ");
}

export function totalUnread(unread: Partial<Record<Surface, number>>): number {
  return Object.values(unread).reduce((sum, count) => sum + Math.max(0, count ?? 0), 0);
}

/** "Feed 2 · Visual 1": unread conversations per surface, naming only those with some. */
export function unreadBySurface(unread: Partial<Record<Surface, number>>): string {
  return (Object.keys(SURFACE_LABEL) as Surface[])
    .filter((surface) => (unread[surface] ?? 0) > 0)
    .map((surface) => `${SURFACE_LABEL[surface]} ${unread[surface]}`)
    .join(" · ");
}

/**
 * How new messages reach the inbox, in the user's words: "Live on Feed ·
 * Visual checked every 30 s". Surfaces not known yet are left out.
 */
export function deliveryWords(delivery: Partial<Record<Surface, Delivery>>, pollSeconds = 30): string {
  const surfaces = Object.keys(SURFACE_LABEL) as Surface[];
  const names = (wanted: Delivery) =>
    surfaces.filter((surface) => delivery[surface] === wanted).map((surface) => SURFACE_LABEL[surface]);
  const live = names("streaming");
  const polled = names("polling");
  return [
    live.length ? `Live on ${live.join(" and ")}` : "",
    polled.length ? `${polled.join(" and ")} checked every ${pollSeconds} s` : "",
  ]
    .filter(Boolean)
    .join(" · ");
}

/** "Send via Visual": replies go out on the conversation's own surface. */
export function sendLabel(surface: Surface): string {
  return `Send via ${SURFACE_LABEL[surface]}`;
}

/** How long typing in the recipient field pauses before people are suggested. */
export const SUGGEST_DELAY_MS = 200;

/** Fewer letters match too many people to ask a server about (as the core). */
export const SERVER_SEARCH_MIN_CHARS = 2;

/** Each person once, in the order first met. */
export function uniquePeople(people: readonly PersonView[]): PersonView[] {
  const seen = new Set<string>();
  return people.filter((person) => !seen.has(person.id) && seen.add(person.id) !== undefined);
}

/** What the core matches people against: the recipient as typed, without a leading @. */
export function recipientPrefix(typed: string): string {
  return typed.trim().replace(/^@+/, "");
}

/** The surface in a `${surface}:${remoteId}` key, or null when the key has none. */
export function surfaceOfKey(key: string): Surface | null {
  const prefix = key.slice(0, key.indexOf(":"));
  return prefix in SURFACE_LABEL ? (prefix as Surface) : null;
}

// ---------------------------------------------------------------------------
// Answers from the core applied to what is on screen

export function findConversation(view: InboxView | null, key: string): ConversationSummary | null {
  for (const group of view?.groups ?? []) {
    const found = group.conversations.find((conversation) => conversation.key === key);
    if (found) return found;
  }
  return null;
}

/**
 * Puts a conversation's new summary (after marking it read or unread) into
 * the inbox, with its group's and its surface's unread counts following.
 * Unknown conversations leave the inbox as it is: the next reload brings them.
 */
export function withSummary(view: InboxView, summary: ConversationSummary): InboxView {
  const previous = findConversation(view, summary.key);
  if (previous === null) return view;
  const groups = view.groups.map((group) => {
    if (!group.conversations.includes(previous)) return group;
    const conversations = group.conversations.map((conversation) =>
      conversation.key === summary.key ? summary : conversation,
    );
    return {
      ...group,
      conversations,
      unreadCount: conversations.filter((conversation) => conversation.unread).length,
    };
  });
  const unread = { ...view.unread };
  if (previous.unread !== summary.unread) {
    const count = (unread[summary.surface] ?? 0) + (summary.unread ? 1 : -1);
    unread[summary.surface] = Math.max(0, count);
  }
  return { ...view, groups, unread };
}

// ---------------------------------------------------------------------------
// One person on both surfaces

/** A Feed account and a Visual account, by their remote ids: Feed first, as `setSamePerson` takes them. */
export interface PersonPair {
  feedId: string;
  visualId: string;
}

/**
 * What an open 1:1 conversation offers about its person: `apart` when its
 * group already gathers both surfaces (the accounts of its first Feed and
 * first Visual conversation); `link` when it does not, with the people of the
 * other surface's 1:1 conversations that are not gathered with anyone yet.
 */
export type SamePersonChoice =
  | { kind: "apart"; pair: PersonPair }
  | {
      kind: "link";
      /** The open conversation's surface and person. */
      surface: Surface;
      person: PersonView;
      /** The surface to gather with, and its people, by name. */
      otherSurface: Surface;
      candidates: PersonView[];
    };

const OTHER_SURFACE: Record<Surface, Surface> = { feed: "visual", visual: "feed" };

function oneToOne(conversation: ConversationSummary): PersonView | null {
  return conversation.participants.length === 1 ? conversation.participants[0]! : null;
}

/** The person of a group's first 1:1 conversation on `surface`, if any. */
function firstOneToOne(group: InboxGroup, surface: Surface): PersonView | null {
  for (const conversation of group.conversations) {
    if (conversation.surface !== surface) continue;
    const person = oneToOne(conversation);
    if (person) return person;
  }
  return null;
}

/**
 * The same-person choice for the conversation `key`, or null: for group
 * chats, when the inbox is not grouped by person (gathering would not show),
 * and when the other surface has nobody to gather with.
 */
export function samePersonChoice(view: InboxView | null, key: string): SamePersonChoice | null {
  if (!view?.merged) return null;
  const group = view.groups.find((candidate) => candidate.conversations.some((item) => item.key === key));
  const open = group?.conversations.find((item) => item.key === key);
  const person = open ? oneToOne(open) : null;
  if (!group || !open || !person) return null;

  const feed = firstOneToOne(group, "feed");
  const visual = firstOneToOne(group, "visual");
  if (feed && visual) return { kind: "apart", pair: { feedId: feed.id, visualId: visual.id } };

  const otherSurface = OTHER_SURFACE[open.surface];
  const candidates = new Map<string, PersonView>();
  for (const other of view.groups) {
    if (firstOneToOne(other, "feed") && firstOneToOne(other, "visual")) continue;
    for (const conversation of other.conversations) {
      const candidate = conversation.surface === otherSurface ? oneToOne(conversation) : null;
      if (candidate && !candidates.has(candidate.id)) candidates.set(candidate.id, candidate);
    }
  }
  if (candidates.size === 0) return null;
  const byName = collator(undefined, { sensitivity: "base" });
  const sorted = [...candidates.values()].sort((a, b) => byName.compare(displayNameOf(a), displayNameOf(b)));
  return { kind: "link", surface: open.surface, person, otherSurface, candidates: sorted };
}

/** The pair of `person` on `surface` and `other` on the other surface, Feed first. */
export function personPair(surface: Surface, person: Pick<PersonView, "id">, other: Pick<PersonView, "id">): PersonPair {
  return surface === "feed" ? { feedId: person.id, visualId: other.id } : { feedId: other.id, visualId: person.id };
}

/** "Same person on Visual…": the control that gathers a conversation with the other surface's. */
export function linkPersonLabel(surface: Surface): string {
  return `Same person on ${SURFACE_LABEL[surface]}…`;
}

// ---------------------------------------------------------------------------
// Pages of a conversation

export interface LoadedMessages {
  /** Oldest first; a key appears once. */
  messages: MessageView[];
  /** Cursor for the messages before the oldest loaded one; null when there are none. */
  olderCursor: string | null;
}

function uniqueMessages(messages: readonly MessageView[]): MessageView[] {
  const seen = new Set<string>();
  return messages.filter((message) => {
    if (seen.has(message.key)) return false;
    seen.add(message.key);
    return true;
  });
}

/**
 * Merges a freshly read newest page into what is loaded, keeping the older
 * pages the person already brought in. The page covers everything from its
 * oldest message on; when that message is not among the loaded ones, the
 * page and what is loaded may not meet, so the page replaces them.
 */
export function mergeNewestMessages(loaded: LoadedMessages, page: LoadedMessages): LoadedMessages {
  const oldest = page.messages[0];
  const meet = oldest ? loaded.messages.findIndex((message) => message.key === oldest.key) : -1;
  if (meet < 0) return { messages: uniqueMessages(page.messages), olderCursor: page.olderCursor };
  return {
    messages: uniqueMessages([...loaded.messages.slice(0, meet), ...page.messages]),
    olderCursor: loaded.olderCursor,
  };
}

/** Puts an older page in front of what is loaded. */
export function prependOlderMessages(loaded: LoadedMessages, older: LoadedMessages): LoadedMessages {
  const loadedKeys = new Set(loaded.messages.map((message) => message.key));
  const added = older.messages.filter((message) => !loadedKeys.has(message.key));
  return { messages: uniqueMessages([...added, ...loaded.messages]), olderCursor: older.olderCursor };
}

/** Whether a message starts a run by its author, and so shows their name and avatar. */
export function startsRun(messages: readonly MessageView[], index: number): boolean {
  const message = messages[index];
  const previous = messages[index - 1];
  if (!message) return false;
  if (!previous) return true;
  return previous.fromMe !== message.fromMe || previous.author.id !== message.author.id;
}

// ---------------------------------------------------------------------------
// Replies on their way

function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? 0 : time;
}

/** Adds a reply the outbox has accepted, or replaces it by id; oldest first. */
export function withPendingEntry(pending: readonly OutboxEntry[], entry: OutboxEntry): OutboxEntry[] {
  const others = pending.filter((candidate) => candidate.id !== entry.id);
  return [...others, entry].sort((a, b) => timeOf(a.createdAt) - timeOf(b.createdAt));
}

/**
 * Takes an `outbox-changed` entry into the conversation's pending replies when
 * it is one of them; entries of other posts leave the list as it is (the
 * same array, so nothing re-renders).
 */
export function updatePendingEntry(pending: OutboxEntry[], changed: OutboxEntry): OutboxEntry[] {
  if (!pending.some((entry) => entry.id === changed.id)) return pending;
  return pending.map((entry) => (entry.id === changed.id ? changed : entry));
}

/**
 * The replies to show after the messages (or a thread's posts): not the
 * cancelled ones, and not the sent ones once their message is among them (or
 * was sent without the core saying which post it became).
 */
export function shownPending(pending: readonly OutboxEntry[], messages: readonly { key: string }[]): OutboxEntry[] {
  const keys = new Set(messages.map((message) => message.key));
  return pending.filter((entry) => {
    if (entry.state === "cancelled") return false;
    if (entry.state === "sent") return entry.postKey !== null && !keys.has(entry.postKey);
    return true;
  });
}

// ---------------------------------------------------------------------------
// Pictures of a message in the lightbox

/**
 * A message as the lightbox reads posts: it shows the author and the pictures,
 * nothing else, so the counts and links a message lacks stay empty.
 */
export function messageAsPost(message: MessageView): PostView {
  return {
    key: message.key,
    surface: message.surface,
    remoteId: message.key.slice(message.key.indexOf(":") + 1),
    url: null,
    author: message.author,
    createdAt: message.createdAt,
    editedAt: null,
    contentHtml: message.contentHtml,
    spoilerText: message.spoilerText,
    sensitive: false,
    visibility: "direct",
    media: message.media,
    repliesCount: 0,
    reblogsCount: 0,
    favouritesCount: 0,
    favourited: false,
    inReplyToId: null,
    alsoOn: [],
    own: message.fromMe,
  };
}

// ---------------------------------------------------------------------------
// Waiting for typing to pause

export interface Debounced<A extends unknown[]> {
  /** Calls `run` once `waitMs` have passed without another call. */
  (...args: A): void;
  /** Drops the call that is waiting, if any. */
  cancel(): void;
}

export function debounce<A extends unknown[]>(run: (...args: A) => void, waitMs: number): Debounced<A> {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const debounced = (...args: A): void => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      run(...args);
    }, waitMs);
  };
  debounced.cancel = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  return debounced;
}
