// Short-lived messages shown in a polite live region: actions that failed away
// from their view (a favourite that did not stick), and confirmations of
// actions whose result is otherwise an absence (a deleted post), some with a
// way back (Undo).

import { describeError } from "./errors";
import type { CommandError } from "./types";

/** A button on a notice, e.g. Undo. Choosing it dismisses the notice. */
export interface NoticeAction {
  label: string;
  run: () => void | Promise<void>;
}

export interface Notice {
  id: number;
  title: string;
  /** Empty when the title says it all. */
  detail: string;
  action: NoticeAction | null;
}

const VISIBLE_MS = 8_000;
// Long enough to read the notice and reach its button.
const VISIBLE_WITH_ACTION_MS = 12_000;

class Notices {
  items = $state<Notice[]>([]);
  #nextId = 1;

  show(title: string, detail = "", action: NoticeAction | null = null): void {
    const notice = { id: this.#nextId++, title, detail, action };
    this.items = [...this.items, notice];
    setTimeout(() => this.dismiss(notice.id), action ? VISIBLE_WITH_ACTION_MS : VISIBLE_MS);
  }

  showError(error: CommandError, failedAction: string): void {
    const { title, detail } = describeError(error, failedAction);
    this.show(title, detail);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((notice) => notice.id !== id);
  }

  /** Runs a notice's action once: the notice goes away as it starts. */
  act(notice: Notice): void {
    if (!notice.action || !this.items.some((item) => item.id === notice.id)) return;
    this.dismiss(notice.id);
    void notice.action.run();
  }
}

export const notices = new Notices();
