// The activity Facets recorded to rank suggestions across surfaces, as the
// Privacy view shows it: closed until asked for, then its newest page, older
// pages on request; one signal or all of them deleted, and an export to a file.
// A signal leaves the list only once the core has deleted it.

import { SvelteSet } from "svelte/reactivity";
import * as api from "./api";
import { toCommandFailure } from "./errors";
import { notices } from "./notices.svelte";
import { PagedListState } from "./pagedList.svelte";
import { signalCount } from "./privacy";
import type { SignalView } from "./types";

export class ActivitySignalsState extends PagedListState<SignalView> {
  /** "Delete all" was chosen and waits for its confirmation. */
  confirmingDeleteAll = $state(false);
  deletingAll = $state(false);

  readonly #deleting = new SvelteSet<number>();
  // Ids the core has deleted: a page read before the deletion may still hold
  // them, and ids are never reused.
  readonly #deleted = new Set<number>();

  constructor() {
    super({
      read: (before) => api.activitySignals(before),
      exportFile: () => api.exportSignals(),
      words: {
        readFailed: "read what was recorded",
        olderFailed: "read older recorded activity",
        exportFailed: "export what was recorded",
        exported: "Recorded activity exported",
      },
    });
  }

  override toggle(): void {
    super.toggle();
    if (!this.expanded) this.confirmingDeleteAll = false;
  }

  /** Whether deleting this signal waits for the core. */
  isDeleting(signal: SignalView): boolean {
    return this.#deleting.has(signal.id);
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
      this.request++;
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

  /** Not already listed, and not deleted since the page was asked for. */
  protected override unseenOf(incoming: SignalView[], listed: SignalView[]): SignalView[] {
    return super.unseenOf(incoming, listed).filter((entry) => !this.#deleted.has(entry.id));
  }
}
