// Replies written in the thread panel, from the outbox taking them until they
// show among the thread's replies. Made when the panel opens and disposed when
// it closes; the outbox keeps sending what is left, and Compose lists it.

import type { UnlistenFn } from "@tauri-apps/api/event";
import { SvelteMap } from "svelte/reactivity";
import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { shownPending, updatePendingEntry, withPendingEntry } from "./inbox";
import type { OutboxEntry } from "./types";

interface WrittenReply {
  /** The post it answers. */
  postKey: string;
  /** As written: the outbox entry carries only an excerpt. */
  text: string;
}

export class PendingReplies {
  /** Replies queued from here, oldest first, as the outbox last reported them. */
  entries = $state.raw<OutboxEntry[]>([]);
  /** The last retry the core refused, to show with a way to try once more. */
  retryFailure = $state.raw<{ error: CommandFailure; entry: OutboxEntry } | null>(null);

  readonly #written = new SvelteMap<string, WrittenReply>();
  // The latest state heard of each outbox entry, so a reply that changed
  // before its command answered is shown as it is now.
  readonly #heard = new Map<string, OutboxEntry>();
  #unlisten: UnlistenFn | null = null;
  #disposed = false;

  /** Told when one of these replies has been sent: the thread holds it now. */
  constructor(readonly onSent: () => void) {}

  start(): void {
    api
      .onOutboxChanged((entry) => this.#outboxChanged(entry))
      .then((unlisten) => {
        if (this.#disposed) unlisten();
        else this.#unlisten = unlisten;
      })
      .catch((error: unknown) => console.warn("outbox-changed events are unavailable", error));
  }

  dispose(): void {
    this.#disposed = true;
    this.#unlisten?.();
  }

  /** The replies to a post to show under its thread, until they are among `descendants`. */
  shownUnder(postKey: string, descendants: readonly { key: string }[]): OutboxEntry[] {
    const answering = this.entries.filter((entry) => this.#written.get(entry.id)?.postKey === postKey);
    return shownPending(answering, descendants);
  }

  textOf(entry: OutboxEntry): string {
    return this.#written.get(entry.id)?.text ?? entry.summary;
  }

  /** Queues a reply to a post; resolves once the outbox holds it, rejects when the core refused it. */
  async send(postKey: string, text: string): Promise<void> {
    const entry = await api.replyToPost(postKey, text);
    if (this.#disposed) return;
    this.#written.set(entry.id, { postKey, text });
    const latest = this.#heard.get(entry.id) ?? entry;
    this.entries = withPendingEntry(this.entries, latest);
    if (latest.state === "sent") this.onSent();
  }

  async retry(entry: OutboxEntry): Promise<void> {
    try {
      this.#outboxChanged(await api.outboxRetry(entry.id));
      this.retryFailure = null;
    } catch (raw) {
      this.retryFailure = { error: toCommandFailure(raw), entry };
    }
  }

  #outboxChanged(entry: OutboxEntry): void {
    this.#heard.set(entry.id, entry);
    const next = updatePendingEntry(this.entries, entry);
    if (next === this.entries) return;
    this.entries = next;
    if (entry.state === "sent") this.onSent();
  }
}
