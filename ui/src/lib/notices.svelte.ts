// Short-lived messages about actions that failed away from their view
// (a favourite that did not stick), shown in a polite live region.

import { describeError } from "./errors";
import type { CommandError } from "./types";

export interface Notice {
  id: number;
  title: string;
  detail: string;
}

const VISIBLE_MS = 8_000;

class Notices {
  items = $state<Notice[]>([]);
  #nextId = 1;

  showError(error: CommandError, failedAction: string): void {
    const { title, detail } = describeError(error, failedAction);
    const notice = { id: this.#nextId++, title, detail };
    this.items = [...this.items, notice];
    setTimeout(() => this.dismiss(notice.id), VISIBLE_MS);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((notice) => notice.id !== id);
  }
}

export const notices = new Notices();
