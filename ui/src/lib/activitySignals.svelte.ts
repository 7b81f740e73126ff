// The activity Facets recorded to rank suggestions across surfaces, as the
// Privacy view shows it: closed until asked for, then its newest page, older
// pages on request; one signal or all of them deleted, and an export to a file.
// A signal leaves the list only once the core has deleted it.

import { SvelteSet } from "svelte/reactivity";
import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { notices } from "./notices.svelte";
import { signalCount } from "./privacy";
import type { SignalView } from "./types";

/** A failed action, shown in the panel with a way to try again. */
export interface SignalsProblem {
  error: CommandFailure;
  /** Follows "Couldn't", e.g. "read what was recorded". */
  failedAction: string;
  retry: () => void;
}

export class ActivitySignalsState {
  expanded = $state(false);
  entries = $state.raw<SignalView[]>([]);
  /** The cursor for older signals; null when there are none. */
  older = $state.raw<number | null>(null);
  /** Whether the newest page has been read since the panel was opened. */
  loaded = $state(false);
  loading = $state(false);
  loadingOlder = $state(false);
  error = $state.raw<SignalsProblem | null>(null);
  /** "Delete all" was chosen and waits for its confirmation. */
  confirmingDeleteAll = $state(false);
  deletingAll = $state(false);
  exporting = $state(false);

  readonly #deleting = new SvelteSet<number>();
  // Ids the core has deleted: a page read before the deletion may still hold
  // them, and ids are never reused.
  readonly #deleted = new Set<number>();
  // A reload, or deleting everything, drops the answers to every read asked before it.
  #request = 0;

  toggle(): void {
    this.expanded = !this.expanded;
    if (this.expanded) void this.reload();
    else this.confirmingDeleteAll = false;
  }

  /** Recording was switched on, off, paused or resumed: the newest page again, if the panel is open. */
  changed(): void {
    if (this.expanded) void this.reload();
  }

  /** Whether deleting this signal waits for the core. */
  isDeleting(signal: SignalView): boolean {
    return this.#deleting.has(signal.id);
  }

  async reload(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    this.loadingOlder = false;
    try {
      const page = await api.activitySignals(null);
      if (request !== this.#request) return;
      this.entries = this.#unseenOf(page.entries, []);
      this.older = page.older;
      this.loaded = true;
      this.error = null;
    } catch (raw) {
      if (request !== this.#request) return;
      this.error = {
        error: toCommandFailure(raw),
        failedAction: "read what was recorded",
        retry: () => void this.reload(),
      };
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  async loadOlder(): Promise<void> {
    const before = this.older;
    if (before === null || this.loading || this.loadingOlder) return;
    const request = this.#request;
    this.loadingOlder = true;
    try {
      const page = await api.activitySignals(before);
      if (request !== this.#request) return;
      this.entries = [...this.entries, ...this.#unseenOf(page.entries, this.entries)];
      this.older = page.older;
      this.error = null;
    } catch (raw) {
      if (request !== this.#request) return;
      this.error = {
        error: toCommandFailure(raw),
        failedAction: "read older recorded activity",
        retry: () => void this.loadOlder(),
      };
    } finally {
      if (request === this.#request) this.loadingOlder = false;
    }
  }

  /** Deletes one signal; it leaves the list once the core has deleted it (or found it already gone). */
  async delete(signal: SignalView): Promise<void> {
    if (this.#deleting.has(signal.id)) return;
    this.#deleting.add(signal.id);
    try {
      await api.deleteSignal(signal.id);
      this.#deleted.add(signal.id);
      this.entries = this.entries.filter((entry) => entry.id !== signal.id);
      this.error = null;
    } catch (raw) {
      this.error = {
        error: toCommandFailure(raw),
        failedAction: `delete “${signal.description}”`,
        retry: () => void this.delete(signal),
      };
    } finally {
      this.#deleting.delete(signal.id);
    }
  }

  askDeleteAll(): void {
    this.confirmingDeleteAll = true;
  }

  cancelDeleteAll(): void {
    this.confirmingDeleteAll = false;
  }

  /** Deletes every signal, listed or not, and says how many there were. */
  async deleteAll(): Promise<void> {
    if (this.deletingAll) return;
    this.deletingAll = true;
    try {
      const count = await api.deleteAllSignals();
      // Whatever a read still on its way says, nothing is left.
      this.#request++;
      this.loading = false;
      this.loadingOlder = false;
      for (const entry of this.entries) this.#deleted.add(entry.id);
      this.entries = [];
      this.older = null;
      this.loaded = true;
      this.error = null;
      notices.show(`Deleted ${signalCount(count)}`, "Nothing recorded is left on this computer.");
    } catch (raw) {
      this.error = {
        error: toCommandFailure(raw),
        failedAction: "delete what was recorded",
        retry: () => void this.deleteAll(),
      };
    } finally {
      this.deletingAll = false;
      this.confirmingDeleteAll = false;
    }
  }

  /** Writes every signal to a file and says where, in a notice. */
  async export(): Promise<void> {
    if (this.exporting) return;
    this.exporting = true;
    try {
      const path = await api.exportSignals();
      notices.show("Recorded activity exported", `Saved as ${path}`);
    } catch (raw) {
      notices.showError(toCommandFailure(raw), "export what was recorded");
    } finally {
      this.exporting = false;
    }
  }

  /** The signals of a page not already listed and not deleted since it was asked for. */
  #unseenOf(incoming: SignalView[], listed: SignalView[]): SignalView[] {
    const known = new Set(listed.map((entry) => entry.id));
    return incoming.filter((entry) => !known.has(entry.id) && !this.#deleted.has(entry.id));
  }
}
