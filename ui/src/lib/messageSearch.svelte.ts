// Searching the messages in the cache as the person types: the core is asked
// once typing pauses, and only the answer to the latest query is shown.

import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { debounce } from "./inbox";
import type { MessageSearchHit } from "./types";

export const SEARCH_DELAY_MS = 250;

export class MessageSearch {
  /** What is in the search field. */
  query = $state("");
  hits = $state.raw<MessageSearchHit[]>([]);
  /** The query the hits answer; null before the first answer. */
  answered = $state<string | null>(null);
  /** From the first key press until the answer arrives. */
  searching = $state(false);
  error = $state.raw<CommandFailure | null>(null);

  readonly active = $derived(this.query.trim() !== "");

  #request = 0;
  #later = debounce((query: string) => void this.run(query), SEARCH_DELAY_MS);

  /** Follows the field: searches once typing pauses, and stops when it is empty. */
  type(text: string): void {
    this.query = text;
    const query = text.trim();
    if (query === "") {
      this.clear();
      return;
    }
    this.searching = true;
    this.#later(query);
  }

  /** Empties the field and forgets the results. */
  clear(): void {
    this.#later.cancel();
    this.#request++;
    this.query = "";
    this.hits = [];
    this.answered = null;
    this.searching = false;
    this.error = null;
  }

  async run(query: string): Promise<void> {
    const request = ++this.#request;
    this.searching = true;
    try {
      const hits = await api.searchMessages(query);
      if (request !== this.#request) return;
      this.hits = hits;
      this.answered = query;
      this.error = null;
    } catch (raw) {
      if (request !== this.#request) return;
      this.error = toCommandFailure(raw);
    } finally {
      if (request === this.#request) this.searching = false;
    }
  }

  retry(): void {
    if (this.active) void this.run(this.query.trim());
  }
}
