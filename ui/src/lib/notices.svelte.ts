// Short-lived messages shown in a polite live region: actions that failed away
// from their view (a favourite that did not stick), and confirmations of
// actions whose result is otherwise an absence (a deleted post).

import { describeError } from "./errors";
import type { CommandError } from "./types";

export interface Notice {
  id: number;
  title: string;
  /** Empty when the title says it all. */
  detail: string;
}

const VISIBLE_MS = 8_000;

class Notices {
  items = $state<Notice[]>([]);
  #nextId = 1;

  show(title: string, detail = ""): void {
    const notice = { id: this.#nextId++, title, detail };
    this.items = [...this.items, notice];
    setTimeout(() => this.dismiss(notice.id), VISIBLE_MS);
  }

  showError(error: CommandError, failedAction: string): void {
    const { title, detail } = describeError(error, failedAction);
    this.show(title, detail);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((notice) => notice.id !== id);
  }
}

export const notices = new Notices();
