// The privacy log as the Privacy view shows it: closed until asked for, then
// its newest page, older pages on request, and an export to a file.

import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { notices } from "./notices.svelte";
import type { PrivacyLogEntry } from "./types";

export class PrivacyLogState {
  expanded = $state(false);
  entries = $state.raw<PrivacyLogEntry[]>([]);
  /** The cursor for older entries; null when there are none. */
  older = $state.raw<number | null>(null);
  /** Whether the newest page has been read since the log was opened. */
  loaded = $state(false);
  loading = $state(false);
  loadingOlder = $state(false);
  error = $state.raw<{ error: CommandFailure; failedAction: string; retry: () => void } | null>(null);
  exporting = $state(false);

  // A reload drops the answers to every read asked before it.
  #request = 0;

  toggle(): void {
    this.expanded = !this.expanded;
    if (this.expanded) void this.reload();
  }

  /** A setting changed (or a server refused it): the newest page again, if the log is open. */
  changed(): void {
    if (this.expanded) void this.reload();
  }

  async reload(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    this.loadingOlder = false;
    try {
      const page = await api.privacyLog(null);
      if (request !== this.#request) return;
      this.entries = page.entries;
      this.older = page.older;
      this.loaded = true;
      this.error = null;
    } catch (raw) {
      if (request !== this.#request) return;
      this.error = {
        error: toCommandFailure(raw),
        failedAction: "read the privacy log",
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
      const page = await api.privacyLog(before);
      if (request !== this.#request) return;
      const known = new Set(this.entries.map((entry) => entry.id));
      this.entries = [...this.entries, ...page.entries.filter((entry) => !known.has(entry.id))];
      this.older = page.older;
      this.error = null;
    } catch (raw) {
      if (request !== this.#request) return;
      this.error = {
        error: toCommandFailure(raw),
        failedAction: "read older entries of the privacy log",
        retry: () => void this.loadOlder(),
      };
    } finally {
      if (request === this.#request) this.loadingOlder = false;
    }
  }

  /** Writes the whole log to a file and says where, in a notice. */
  async export(): Promise<void> {
    if (this.exporting) return;
    this.exporting = true;
    try {
      const path = await api.exportPrivacyLog();
      notices.show("Privacy log exported", `Saved as ${path}`);
    } catch (raw) {
      notices.showError(toCommandFailure(raw), "export the privacy log");
    } finally {
      this.exporting = false;
    }
  }
}
