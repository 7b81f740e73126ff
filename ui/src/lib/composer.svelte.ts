// The composer's state: the draft being written, the other unsent drafts, the
// outbox, and the commands that move a draft from one to the other. It lives
// as long as the app, so leaving Compose and coming back finds the same draft.

import * as api from "./api";
import {
  enabledSurfaces,
  isBlankDraft,
  mergeOutboxEntry,
  moveItem,
  newestFirst,
  attachmentProblem,
  publishBlocker,
  validateDraft,
  withStoredMedia,
} from "./compose";
import { DraftSaver, type SaveStatus } from "./draftSaver";
import { type CommandFailure, toCommandFailure } from "./errors";
import type { ComposeLimits, Draft, OutboxEntry } from "./types";

/**
 * `offer`: unsent drafts exist and the person has not yet chosen between
 * resuming the newest and starting afresh.
 */
export type ComposerPhase = "idle" | "loading" | "offer" | "editing" | "failed";

export interface ComposerProblem {
  error: CommandFailure;
  /** Follows "Couldn't". */
  failedAction: string;
  retry?: () => void;
}

export class Composer {
  phase = $state<ComposerPhase>("idle");
  /** The draft being edited; edit it in place, then call `changed()`. */
  draft = $state<Draft | null>(null);
  /** Every unsent draft the core holds, newest first (the one being edited included). */
  drafts = $state.raw<Draft[]>([]);
  outbox = $state.raw<OutboxEntry[]>([]);
  limits = $state.raw<ComposeLimits[]>([]);
  /** The Privacy setting that sends public Visual posts to Feed too. */
  shareVisualToFeed = $state(false);

  loadError = $state.raw<CommandFailure | null>(null);
  limitsError = $state.raw<CommandFailure | null>(null);
  outboxError = $state.raw<CommandFailure | null>(null);
  saveStatus = $state<SaveStatus>("idle");
  saveError = $state.raw<CommandFailure | null>(null);
  /** The last command that failed, shown above the composer. */
  problem = $state.raw<ComposerProblem | null>(null);
  /** Files refused before upload, with the reason. */
  refusedFiles = $state.raw<string[]>([]);
  uploading = $state(0);
  /** Media ids with a removal on its way. */
  removing = $state.raw<ReadonlySet<string>>(new Set());
  publishing = $state(false);
  /** The entries of the last publish, for the "on its way" note. */
  lastPublished = $state.raw<OutboxEntry[]>([]);

  readonly issues = $derived(this.draft ? validateDraft(this.draft, this.limits) : []);
  readonly blocker = $derived.by(() => {
    if (this.uploading > 0) return "Wait for the images to finish uploading.";
    return publishBlocker(this.issues);
  });
  /** Unsent drafts other than the one being edited. */
  readonly otherDrafts = $derived(this.drafts.filter((draft) => draft.id !== this.draft?.id));
  readonly offer = $derived(this.phase === "offer" ? (this.drafts[0] ?? null) : null);

  #saver: DraftSaver | null = null;
  #listening = false;

  /** Called when Compose opens: loads what it shows, and picks a draft the first time. */
  async open(): Promise<void> {
    this.#listen();
    void this.loadLimits();
    void this.loadOutbox();
    if (this.draft) {
      void this.loadDrafts();
      return;
    }
    if (this.phase === "loading" || this.phase === "offer") return;
    this.phase = "loading";
    this.loadError = null;
    try {
      this.drafts = newestFirst(await api.draftList());
      if (this.drafts.length > 0) this.phase = "offer";
      else this.#edit(await api.draftNew());
    } catch (raw) {
      this.loadError = toCommandFailure(raw);
      this.phase = "failed";
    }
  }

  async loadLimits(): Promise<void> {
    try {
      this.limits = await api.composeLimits();
      this.limitsError = null;
    } catch (raw) {
      this.limitsError = toCommandFailure(raw);
    }
    try {
      this.shareVisualToFeed = (await api.privacySettings()).shareVisualToFeed;
    } catch {
      // Only the note under the publish button depends on it; the core decides anyway.
      this.shareVisualToFeed = false;
    }
  }

  async loadDrafts(): Promise<void> {
    try {
      this.drafts = newestFirst(await api.draftList());
    } catch (raw) {
      this.problem = { error: toCommandFailure(raw), failedAction: "load your drafts", retry: () => void this.loadDrafts() };
    }
  }

  async loadOutbox(): Promise<void> {
    try {
      this.outbox = await api.outboxList();
      this.outboxError = null;
    } catch (raw) {
      this.outboxError = toCommandFailure(raw);
    }
  }

  /** Opens an unsent draft, saving (or dropping, if blank) the one being edited. */
  async resume(draft: Draft): Promise<void> {
    if (draft.id === this.draft?.id) return;
    if (!(await this.#putAwayCurrent())) return;
    this.#edit(structuredClone(draft));
  }

  /** Starts a new empty draft, saving (or dropping, if blank) the one being edited. */
  async startNew(): Promise<void> {
    if (!(await this.#putAwayCurrent())) return;
    this.phase = "loading";
    try {
      this.#edit(await api.draftNew());
    } catch (raw) {
      this.loadError = toCommandFailure(raw);
      this.phase = "failed";
    }
  }

  /** Call after every edit of `draft`. */
  changed(): void {
    this.problem = null;
    this.#saver?.changed();
  }

  /**
   * Saves what is typed now rather than after the pause: on blur, on leaving
   * Compose, and to retry a failed save. Failures show through `saveError`.
   */
  async saveNow(): Promise<void> {
    await this.#saver?.flush().catch(() => undefined);
  }

  async attach(files: readonly File[]): Promise<void> {
    const draft = this.draft;
    const saver = this.#saver;
    if (!draft || !saver || files.length === 0) return;
    const targets = enabledSurfaces(draft);
    const refused: string[] = [];
    const accepted: File[] = [];
    for (const file of files) {
      const problem = attachmentProblem(file, this.limits, targets);
      if (problem) refused.push(problem);
      else accepted.push(file);
    }
    this.refusedFiles = refused;
    const draftId = draft.id;
    await Promise.all(
      accepted.map(async (file) => {
        this.uploading++;
        try {
          const stored = await saver.exclusive(() => api.draftAttachMedia(draftId, file));
          this.#takeStoredMedia(stored);
        } catch (raw) {
          this.problem = {
            error: toCommandFailure(raw),
            failedAction: `attach ${file.name}`,
            retry: () => void this.attach([file]),
          };
        } finally {
          this.uploading--;
        }
      }),
    );
  }

  async removeMedia(mediaId: string): Promise<void> {
    const draft = this.draft;
    const saver = this.#saver;
    if (!draft || !saver || this.removing.has(mediaId)) return;
    const draftId = draft.id;
    this.removing = new Set([...this.removing, mediaId]);
    try {
      const stored = await saver.exclusive(() => api.draftRemoveMedia(draftId, mediaId));
      this.#takeStoredMedia(stored);
    } catch (raw) {
      this.problem = { error: toCommandFailure(raw), failedAction: "remove the image" };
    } finally {
      this.removing = new Set([...this.removing].filter((id) => id !== mediaId));
    }
  }

  /** Moves an image earlier (-1) or later (+1); customised surfaces follow the same order. */
  moveMedia(index: number, delta: number): void {
    const draft = this.draft;
    if (!draft) return;
    draft.media = moveItem(draft.media, index, delta);
    const order = draft.media.map((media) => media.id);
    for (const variant of draft.variants) {
      if (variant.customised) variant.mediaIds = order.filter((id) => variant.mediaIds.includes(id));
    }
    this.changed();
  }

  /** Saves what is typed, then hands the draft to the outbox and starts a fresh one. */
  async publish(): Promise<void> {
    const draft = this.draft;
    const saver = this.#saver;
    if (!draft || !saver || this.publishing || this.blocker !== null) return;
    this.publishing = true;
    this.problem = null;
    try {
      await saver.flush();
      const entries = await api.publish(draft.id);
      this.outbox = entries.reduce(mergeOutboxEntry, this.outbox);
      this.lastPublished = entries;
      this.drafts = this.drafts.filter((candidate) => candidate.id !== draft.id);
      saver.dispose();
      this.#saver = null;
      this.draft = null;
      this.phase = "loading";
      this.#edit(await api.draftNew());
    } catch (raw) {
      const error = toCommandFailure(raw);
      if (this.draft) {
        this.problem = { error, failedAction: "publish your post", retry: () => void this.publish() };
      } else {
        // Published, but the next empty draft could not be made.
        this.loadError = error;
        this.phase = "failed";
      }
    } finally {
      this.publishing = false;
    }
  }

  /** Deletes an unsent draft; deleting the one being edited starts a new one. */
  async deleteDraft(id: string): Promise<void> {
    const current = this.draft?.id === id;
    if (current) this.#saver?.dispose();
    try {
      await api.draftDelete(id);
    } catch (raw) {
      this.problem = { error: toCommandFailure(raw), failedAction: "delete the draft", retry: () => void this.deleteDraft(id) };
      return;
    }
    this.drafts = this.drafts.filter((draft) => draft.id !== id);
    if (current) {
      this.#saver = null;
      this.draft = null;
      await this.startNew();
    } else if (this.phase === "offer" && this.drafts.length === 0) {
      await this.startNew();
    }
  }

  async retry(entry: OutboxEntry): Promise<void> {
    try {
      this.outbox = mergeOutboxEntry(this.outbox, await api.outboxRetry(entry.id));
    } catch (raw) {
      this.problem = { error: toCommandFailure(raw), failedAction: "try sending again" };
    }
  }

  async cancel(entry: OutboxEntry): Promise<void> {
    try {
      this.outbox = mergeOutboxEntry(this.outbox, await api.outboxCancel(entry.id));
    } catch (raw) {
      this.problem = { error: toCommandFailure(raw), failedAction: "cancel sending" };
    }
  }

  #listen(): void {
    if (this.#listening) return;
    this.#listening = true;
    api
      .onOutboxChanged((entry) => {
        this.outbox = mergeOutboxEntry(this.outbox, entry);
      })
      .catch((error: unknown) => console.warn("outbox-changed events are unavailable", error));
  }

  #edit(draft: Draft): void {
    this.draft = draft;
    this.phase = "editing";
    this.saveStatus = "idle";
    this.saveError = null;
    this.problem = null;
    this.refusedFiles = [];
    const id = draft.id;
    this.#saver = new DraftSaver({
      read: () => {
        if (this.draft?.id !== id) throw new Error("the draft being saved is no longer open");
        return $state.snapshot(this.draft) as Draft;
      },
      save: (snapshot) => api.draftSave(snapshot),
      onSaved: (stored) => {
        if (this.draft?.id === id) this.draft.updatedAt = stored.updatedAt;
        this.drafts = newestFirst([stored, ...this.drafts.filter((other) => other.id !== id)]);
      },
      onStatus: (status, error) => {
        if (this.draft?.id !== id) return;
        this.saveStatus = status;
        this.saveError = status === "failed" ? toCommandFailure(error) : null;
      },
    });
  }

  #takeStoredMedia(stored: Draft): void {
    const draft = this.draft;
    if (!draft || draft.id !== stored.id) return;
    const merged = withStoredMedia($state.snapshot(draft) as Draft, stored);
    draft.media = merged.media;
    draft.variants = merged.variants;
    draft.updatedAt = merged.updatedAt;
    // Customised surfaces picked up or dropped media the core may not have stored.
    if (draft.variants.some((variant) => variant.customised)) this.changed();
  }

  /** Saves the draft being edited, or deletes it when blank. False if it could not be saved. */
  async #putAwayCurrent(): Promise<boolean> {
    const draft = this.draft;
    const saver = this.#saver;
    if (!draft || !saver) return true;
    try {
      if (isBlankDraft(draft)) {
        saver.dispose();
        await api.draftDelete(draft.id);
        this.drafts = this.drafts.filter((other) => other.id !== draft.id);
      } else {
        await saver.flush();
      }
    } catch (raw) {
      this.problem = { error: toCommandFailure(raw), failedAction: "save the draft you were writing" };
      return false;
    }
    this.#saver = null;
    this.draft = null;
    return true;
  }
}

export const composer = new Composer();
