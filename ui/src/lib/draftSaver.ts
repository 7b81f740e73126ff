// Saving a draft while it is written: a short pause after the last change
// saves it, leaving (or publishing) saves at once, and "Saved" is only claimed
// once the core has answered.
//
// Saves and media operations (attach, remove) run one at a time in the order
// they were asked for, and a save reads the draft when it starts rather than
// when it was asked for. So a save can never send a media list older than an
// attach that finished before it, and the core always ends with the newest text.

import type { Draft } from "./types";

/** `idle`: nothing changed since the draft was opened. */
export type SaveStatus = "idle" | "unsaved" | "saving" | "saved" | "failed";

export interface DraftSaverOptions {
  /** The draft as it is now. */
  read: () => Draft;
  save: (draft: Draft) => Promise<Draft>;
  /** The core's copy after a save (its `updatedAt` is new). */
  onSaved?: (stored: Draft) => void;
  onStatus?: (status: SaveStatus, error: unknown) => void;
  delayMs?: number;
}

export const SAVE_DELAY_MS = 400;

export class DraftSaver {
  #options: DraftSaverOptions;
  #delayMs: number;
  // Changes made, and how many of them the core has stored.
  #changes = 0;
  #stored = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #queue: Promise<unknown> = Promise.resolve();
  // A save that is queued but has not started: later requests join it.
  #queuedSave: Promise<void> | null = null;
  #status: SaveStatus = "idle";

  constructor(options: DraftSaverOptions) {
    this.#options = options;
    this.#delayMs = options.delayMs ?? SAVE_DELAY_MS;
  }

  get status(): SaveStatus {
    return this.#status;
  }

  /** Whether some change has not been stored yet. */
  get dirty(): boolean {
    return this.#stored < this.#changes;
  }

  /** Call after every edit; saves once edits pause. */
  changed(): void {
    this.#changes++;
    this.#setStatus("unsaved", null);
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      // Failures are reported through onStatus; the next edit or flush tries again.
      this.#save().catch(() => undefined);
    }, this.#delayMs);
  }

  /** Saves now if anything is unsaved, after whatever is already running. Rejects if the save fails. */
  flush(): Promise<void> {
    this.#clearTimer();
    return this.#save();
  }

  /** Runs `task` with no save in flight, before any save asked for after it. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.#enqueue(task);
  }

  /** Stops a pending delayed save, e.g. when the draft is deleted. */
  dispose(): void {
    this.#clearTimer();
    this.#changes = this.#stored;
  }

  #save(): Promise<void> {
    this.#queuedSave ??= this.#enqueue(async () => {
      this.#queuedSave = null;
      if (!this.dirty) return;
      const upTo = this.#changes;
      const draft = this.#options.read();
      this.#setStatus("saving", null);
      let stored: Draft;
      try {
        stored = await this.#options.save(draft);
      } catch (error) {
        this.#setStatus("failed", error);
        throw error;
      }
      this.#stored = Math.max(this.#stored, upTo);
      this.#options.onSaved?.(stored);
      this.#setStatus(this.dirty ? "unsaved" : "saved", null);
    });
    return this.#queuedSave;
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(task);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #setStatus(status: SaveStatus, error: unknown): void {
    this.#status = status;
    this.#options.onStatus?.(status, error);
  }
}

/** The words beside the draft: never "Saved" before the core has answered. */
export function saveStatusLabel(status: SaveStatus): string {
  switch (status) {
    case "idle":
      return "";
    case "unsaved":
    case "saving":
      return "Saving…";
    case "saved":
      return "Saved";
    case "failed":
      return "Not saved";
  }
}
