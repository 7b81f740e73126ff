// A list the Privacy view keeps closed until asked for (the privacy log, the
// recorded activity): then its newest page, older pages on request, and an
// export of the whole of it to a file, said in a notice.

import { type CommandFailure, toCommandFailure } from "./errors";
import { notices } from "./notices.svelte";

/** A failed action, shown with the list and a way to try again. */
export interface ListProblem {
  error: CommandFailure;
  /** Follows "Couldn't", e.g. "read the privacy log". */
  failedAction: string;
  retry: () => void;
}

export interface PagedListSource<T> {
  /** A page, newest first, older than `before` when given, and the cursor past it. */
  read: (before: number | null) => Promise<{ entries: T[]; older: number | null }>;
  /** Writes the whole list to a file; the file's path. */
  exportFile: () => Promise<string>;
  words: {
    /** Each follows "Couldn't". */
    readFailed: string;
    olderFailed: string;
    exportFailed: string;
    /** The notice's title once exported. */
    exported: string;
  };
}

export class PagedListState<T extends { id: number }> {
  expanded = $state(false);
  entries = $state.raw<T[]>([]);
  /** The cursor for older entries; null when there are none. */
  older = $state.raw<number | null>(null);
  /** Whether the newest page has been read since the list was opened. */
  loaded = $state(false);
  loading = $state(false);
  loadingOlder = $state(false);
  error = $state.raw<ListProblem | null>(null);
  exporting = $state(false);

  readonly #source: PagedListSource<T>;
  // A reload drops the answers to every read asked before it.
  protected request = 0;

  constructor(source: PagedListSource<T>) {
    this.#source = source;
  }

  toggle(): void {
    this.expanded = !this.expanded;
    if (this.expanded) void this.reload();
  }

  /** Something changed what the list holds: the newest page again, if it is open. */
  changed(): void {
    if (this.expanded) void this.reload();
  }

  async reload(): Promise<void> {
    const request = ++this.request;
    this.loading = true;
    this.loadingOlder = false;
    try {
      const page = await this.#source.read(null);
      if (request !== this.request) return;
      this.entries = this.unseenOf(page.entries, []);
      this.older = page.older;
      this.loaded = true;
      this.error = null;
    } catch (raw) {
      if (request !== this.request) return;
      this.error = {
        error: toCommandFailure(raw),
        failedAction: this.#source.words.readFailed,
        retry: () => void this.reload(),
      };
    } finally {
      if (request === this.request) this.loading = false;
    }
  }

  async loadOlder(): Promise<void> {
    const before = this.older;
    if (before === null || this.loading || this.loadingOlder) return;
    const request = this.request;
    this.loadingOlder = true;
    try {
      const page = await this.#source.read(before);
      if (request !== this.request) return;
      this.entries = [...this.entries, ...this.unseenOf(page.entries, this.entries)];
      this.older = page.older;
      this.error = null;
    } catch (raw) {
      if (request !== this.request) return;
      this.error = {
        error: toCommandFailure(raw),
        failedAction: this.#source.words.olderFailed,
        retry: () => void this.loadOlder(),
      };
    } finally {
      if (request === this.request) this.loadingOlder = false;
    }
  }

  /** Writes the whole list to a file and says where, in a notice. */
  async export(): Promise<void> {
    if (this.exporting) return;
    this.exporting = true;
    try {
      const path = await this.#source.exportFile();
      notices.show(this.#source.words.exported, `Saved as ${path}`);
    } catch (raw) {
      notices.showError(toCommandFailure(raw), this.#source.words.exportFailed);
    } finally {
      this.exporting = false;
    }
  }

  /** The entries of a page not already listed (and, in a subclass, still wanted). */
  protected unseenOf(incoming: T[], listed: T[]): T[] {
    const known = new Set(listed.map((entry) => entry.id));
    return incoming.filter((entry) => !known.has(entry.id));
  }
}
