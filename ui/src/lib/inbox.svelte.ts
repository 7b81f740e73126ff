// The inbox as the whole app sees it: the list of conversations and the
// unread counts the navigation shows. Loaded when the app starts and again on
// every `inbox-changed`, so the badge is right before the Inbox is opened.

import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { totalUnread, withSummary } from "./inbox";
import type { ConversationSummary, InboxView } from "./types";

/** Groups a read of the inbox adds: about two screens of rows. */
export const INBOX_PAGE = 40;

/** idle: never loaded; loading: the first read; failed: that read failed. */
export type InboxPhase = "idle" | "loading" | "ready" | "failed";

class InboxState {
  view = $state.raw<InboxView | null>(null);
  /** Whether 1:1 conversations with the same person are shown as one group. */
  merged = $state(true);
  phase = $state<InboxPhase>("idle");
  /** The last failed read; shown over the list when one is already on screen. */
  loadError = $state.raw<CommandFailure | null>(null);
  refreshing = $state(false);
  refreshError = $state.raw<CommandFailure | null>(null);
  /** How many groups the list shows: it grows as the list is scrolled to its end. */
  groups = $state(INBOX_PAGE);
  /** A longer read, asked for by scrolling, is on its way. */
  growing = $state(false);

  readonly unreadCount = $derived(this.view ? totalUnread(this.view.unread) : 0);

  #started = false;
  #firstRefresh: Promise<void> | null = null;
  // Answers to an older read (before a toggle or an event) are dropped.
  #request = 0;
  #reading = false;

  /** Loads now and on every `inbox-changed`. Later calls do nothing. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    api
      .onInboxChanged(() => void this.load())
      .catch((error: unknown) => console.warn("inbox-changed events are unavailable", error));
    void this.load();
  }

  async load(): Promise<void> {
    const request = ++this.#request;
    if (this.view === null) this.phase = "loading";
    this.#reading = true;
    try {
      const view = await api.inbox(this.merged, this.groups);
      if (request !== this.#request) return;
      this.#reading = false;
      this.growing = false;
      this.view = view;
      this.phase = "ready";
      this.loadError = null;
    } catch (raw) {
      if (request !== this.#request) return;
      this.#reading = false;
      this.growing = false;
      this.loadError = toCommandFailure(raw);
      if (this.view === null) this.phase = "failed";
    }
  }

  /** Reads the next groups too, once the list shows everything read so far. */
  showMore(): void {
    if (this.growing || !this.view?.more || this.view.groups.length < this.groups) return;
    this.groups += INBOX_PAGE;
    this.growing = true;
    void this.load();
  }

  setMerged(merged: boolean): void {
    if (merged === this.merged) return;
    this.merged = merged;
    void this.load();
  }

  /** Pulls new messages from the network, then reads the inbox again. */
  async refresh(): Promise<void> {
    this.refreshing = true;
    try {
      await api.refreshInbox();
      this.refreshError = null;
    } catch (raw) {
      this.refreshError = toCommandFailure(raw);
    } finally {
      this.refreshing = false;
    }
    await this.load();
  }

  /** The pull when the Inbox is first opened; opening it again does not pull again. */
  refreshOnce(): Promise<void> {
    this.#firstRefresh ??= this.refresh();
    return this.#firstRefresh;
  }

  /** Shows a conversation's new read state at once, counts included. */
  applySummary(summary: ConversationSummary): void {
    if (this.view) this.view = withSummary(this.view, summary);
    // A read still on its way may predate the change: read again instead.
    if (this.#reading) void this.load();
  }
}

export const inbox = new InboxState();
