// One open conversation: its messages page by page, the replies still in the
// outbox, and the commands that act on it. Made when a conversation opens and
// disposed when it closes.

import type { UnlistenFn } from "@tauri-apps/api/event";
import { SvelteMap } from "svelte/reactivity";
import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import {
  mergeNewestMessages,
  prependOlderMessages,
  shownPending,
  updatePendingEntry,
  withPendingEntry,
} from "./inbox";
import type { ConversationSummary, MessageView, OutboxEntry } from "./types";

/** loading: the first read; failed: that read failed. */
export type ConversationPhase = "loading" | "ready" | "failed";

export interface ConversationProblem {
  error: CommandFailure;
  /** Follows "Couldn't". */
  failedAction: string;
  retry?: () => void;
}

/** How far back `reveal` pages for a message before giving up. */
const MAX_PAGES_TO_REVEAL = 20;

export class ConversationState {
  summary = $state.raw<ConversationSummary | null>(null);
  /** Oldest first. */
  messages = $state.raw<MessageView[]>([]);
  olderCursor = $state<string | null>(null);
  /** This conversation's replies in the outbox, oldest first, as last heard of. */
  pending = $state.raw<OutboxEntry[]>([]);
  phase = $state<ConversationPhase>("loading");
  /** The last failed read of the newest messages. */
  loadError = $state.raw<CommandFailure | null>(null);
  loadingOlder = $state(false);
  olderError = $state.raw<CommandFailure | null>(null);
  markingUnread = $state(false);
  /** The last action that failed (mark unread, retry a reply). */
  problem = $state.raw<ConversationProblem | null>(null);

  /** The replies to show after the messages. */
  readonly shownPending = $derived(shownPending(this.pending, this.messages));

  /** The full text of replies written here, by outbox id: entries carry an excerpt only. */
  readonly replyTexts = new SvelteMap<string, string>();

  // The latest state heard of each outbox entry, so an entry that changed
  // before its reply command answered is shown as it is now.
  #heard = new Map<string, OutboxEntry>();
  #unlisten: UnlistenFn[] = [];
  #disposed = false;
  #markingRead = false;
  // Read after the person marked it unread, it must stay unread.
  #keepUnread = false;
  // Reads run one after another, so a reload never interleaves with an older page.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly key: string,
    summary: ConversationSummary | null,
    /** Told whenever the core answers with the conversation's new summary. */
    readonly onSummary: (summary: ConversationSummary) => void,
  ) {
    this.summary = summary;
  }

  /** Loads the newest messages, and again whenever the inbox or a reply changes. */
  start(): void {
    this.#listen(
      api.onOutboxChanged((entry) => this.#outboxChanged(entry)),
      "outbox-changed",
    );
    this.#listen(
      api.onInboxChanged(() => void this.load()),
      "inbox-changed",
    );
    void this.load();
  }

  dispose(): void {
    this.#disposed = true;
    for (const unlisten of this.#unlisten.splice(0)) unlisten();
  }

  /** Reads the newest page, keeping the older pages already loaded. */
  load(): Promise<void> {
    return this.#serially(async () => {
      if (this.phase === "failed") this.phase = "loading";
      try {
        const view = await api.conversation(this.key, null);
        if (this.#disposed) return;
        const page = { messages: view.messages, olderCursor: view.olderCursor };
        const loaded =
          this.phase === "ready"
            ? mergeNewestMessages({ messages: this.messages, olderCursor: this.olderCursor }, page)
            : page;
        this.summary = view.conversation;
        this.messages = loaded.messages;
        this.olderCursor = loaded.olderCursor;
        this.pending = this.#pendingAfterReload(view.pending, loaded.messages);
        this.phase = "ready";
        this.loadError = null;
        if (view.conversation.unread) void this.#markRead();
      } catch (raw) {
        if (this.#disposed) return;
        this.loadError = toCommandFailure(raw);
        if (this.phase !== "ready") this.phase = "failed";
      }
    });
  }

  /** Reads the page before the oldest loaded message and puts it in front. */
  loadOlder(): Promise<void> {
    return this.#serially(async () => {
      const cursor = this.olderCursor;
      if (cursor === null || this.phase !== "ready") return;
      this.loadingOlder = true;
      this.olderError = null;
      try {
        const view = await api.conversation(this.key, cursor);
        if (this.#disposed) return;
        const loaded = prependOlderMessages(
          { messages: this.messages, olderCursor: this.olderCursor },
          { messages: view.messages, olderCursor: view.olderCursor },
        );
        this.messages = loaded.messages;
        this.olderCursor = loaded.olderCursor;
      } catch (raw) {
        if (!this.#disposed) this.olderError = toCommandFailure(raw);
      } finally {
        this.loadingOlder = false;
      }
    });
  }

  /** Pages back until the message is loaded; false when it never shows up. */
  async reveal(messageKey: string): Promise<boolean> {
    const has = () => this.messages.some((message) => message.key === messageKey);
    for (let pages = 0; !has() && pages < MAX_PAGES_TO_REVEAL; pages++) {
      if (this.olderCursor === null || this.olderError !== null || this.#disposed) break;
      await this.loadOlder();
    }
    return has();
  }

  /**
   * Queues a reply; resolves once the outbox holds it, and throws (a
   * `CommandFailure`) when the core refused it.
   */
  async reply(text: string): Promise<void> {
    let entry: OutboxEntry;
    try {
      entry = await api.replyToConversation(this.key, text);
    } catch (raw) {
      throw toCommandFailure(raw);
    }
    if (this.#disposed) return;
    this.replyTexts.set(entry.id, text);
    const latest = this.#heard.get(entry.id) ?? entry;
    this.pending = withPendingEntry(this.pending, latest);
    if (latest.state === "sent") void this.load();
  }

  async retry(entry: OutboxEntry): Promise<void> {
    try {
      const retried = await api.outboxRetry(entry.id);
      this.#outboxChanged(retried);
      this.problem = null;
    } catch (raw) {
      this.problem = {
        error: toCommandFailure(raw),
        failedAction: "send your reply again",
        retry: () => void this.retry(entry),
      };
    }
  }

  /** Resolves to true once the core has marked it unread. */
  async markUnread(): Promise<boolean> {
    this.markingUnread = true;
    this.#keepUnread = true;
    try {
      const summary = await api.markConversationUnread(this.key);
      this.summary = summary;
      this.problem = null;
      this.onSummary(summary);
      return true;
    } catch (raw) {
      this.#keepUnread = false;
      this.problem = {
        error: toCommandFailure(raw),
        failedAction: "mark this conversation unread",
        retry: () => void this.markUnread(),
      };
      return false;
    } finally {
      this.markingUnread = false;
    }
  }

  async #markRead(): Promise<void> {
    if (this.#markingRead || this.#keepUnread) return;
    this.#markingRead = true;
    try {
      const summary = await api.markConversationRead(this.key);
      if (this.#keepUnread) return;
      this.summary = summary;
      this.onSummary(summary);
    } catch (error) {
      // Still unread in the list; the next open tries again.
      console.warn("could not mark the conversation read", error);
    } finally {
      this.#markingRead = false;
    }
  }

  #outboxChanged(entry: OutboxEntry): void {
    this.#heard.set(entry.id, entry);
    const next = updatePendingEntry(this.pending, entry);
    if (next === this.pending) return;
    this.pending = next;
    // The sent reply is a message in the cache now.
    if (entry.state === "sent") void this.load();
  }

  /**
   * The core's pending replies as last heard of, plus the replies sent from
   * here whose message has not reached the conversation yet.
   */
  #pendingAfterReload(fromCore: readonly OutboxEntry[], messages: readonly MessageView[]): OutboxEntry[] {
    const keys = new Set(messages.map((message) => message.key));
    const ids = new Set(fromCore.map((entry) => entry.id));
    let pending = fromCore.map((entry) => this.#heard.get(entry.id) ?? entry);
    for (const entry of this.pending) {
      const arriving = entry.state === "sent" && entry.postKey !== null && !keys.has(entry.postKey);
      if (!ids.has(entry.id) && arriving) pending = withPendingEntry(pending, entry);
    }
    return pending;
  }

  #listen(subscription: Promise<UnlistenFn>, event: string): void {
    subscription
      .then((unlisten) => {
        if (this.#disposed) unlisten();
        else this.#unlisten.push(unlisten);
      })
      .catch((error: unknown) => console.warn(`${event} events are unavailable`, error));
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(task, task);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
