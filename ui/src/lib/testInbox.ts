// Builders for inbox test data. Only imported by *.test.ts files.

import { person } from "./testPosts";
import type {
  ConversationSummary,
  ConversationView,
  InboxGroup,
  InboxView,
  MessagePreview,
  MessageSearchHit,
  MessageView,
  Surface,
} from "./types";

export const ada = person({ id: "ada", displayName: "Ada Lovelace", handle: "ada@feed.example" });
export const alan = person({ id: "alan", displayName: "Alan Turing", handle: "alan@visual.example" });
export const me = person({ id: "me", displayName: "Grace Hopper", handle: "grace@feed.example" });

export function preview(text: string, overrides: Partial<MessagePreview> = {}): MessagePreview {
  return { authorName: "Ada Lovelace", text, attachments: 0, createdAt: "2024-05-01T12:00:00Z", fromMe: false, ...overrides };
}

export function conversation(
  surface: Surface,
  remoteId: string,
  overrides: Partial<ConversationSummary> = {},
): ConversationSummary {
  return {
    key: `${surface}:${remoteId}`,
    surface,
    remoteId,
    participants: [ada],
    lastMessage: preview(`Last words in ${remoteId}`),
    unread: false,
    updatedAt: "2024-05-01T12:00:00Z",
    ...overrides,
  };
}

/** A group around its conversations, counts computed from them. */
export function group(key: string, conversations: ConversationSummary[], overrides: Partial<InboxGroup> = {}): InboxGroup {
  return {
    key,
    person: conversations[0]?.participants.length === 1 ? conversations[0].participants[0]! : null,
    surfaces: [...new Set(conversations.map((item) => item.surface))],
    conversations,
    unreadCount: conversations.filter((item) => item.unread).length,
    updatedAt: conversations[0]?.updatedAt ?? "2024-05-01T12:00:00Z",
    ...overrides,
  };
}

/** An inbox of these groups, unread counts per surface computed from them. */
export function inboxOf(groups: InboxGroup[], merged = true): InboxView {
  const unread = { feed: 0, visual: 0 };
  for (const item of groups.flatMap((entry) => entry.conversations)) if (item.unread) unread[item.surface]++;
  return { groups, more: false, unread, merged, apart: false, delivery: { feed: "streaming", visual: "polling" } };
}

export function message(key: string, overrides: Partial<MessageView> = {}): MessageView {
  return {
    key,
    surface: key.startsWith("visual:") ? "visual" : "feed",
    author: ada,
    fromMe: false,
    createdAt: "2024-05-01T12:00:00Z",
    contentHtml: `<p>Message ${key}</p>`,
    spoilerText: "",
    media: [],
    ...overrides,
  };
}

export function conversationView(
  summary: ConversationSummary,
  messages: MessageView[],
  overrides: Partial<ConversationView> = {},
): ConversationView {
  return { conversation: summary, messages, olderCursor: null, pending: [], ...overrides };
}

export function searchHit(conversationKey: string, messageKey: string, overrides: Partial<MessageSearchHit> = {}): MessageSearchHit {
  return {
    conversationKey,
    messageKey,
    surface: conversationKey.startsWith("visual:") ? "visual" : "feed",
    author: ada,
    createdAt: "2024-05-01T12:00:00Z",
    snippet: `Snippet of ${messageKey}`,
    ...overrides,
  };
}
