// The thread panel: which post's conversation is open, and its comments.

import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { onPostsRemoved, onPostUpdated } from "./postUpdates";
import { replacePost, threadWithout } from "./timeline";
import type { PostView, ThreadView } from "./types";

class ThreadPanelState {
  /** The post whose thread is open; null when the panel is closed. */
  focused = $state.raw<PostView | null>(null);
  thread = $state.raw<ThreadView | null>(null);
  loading = $state(false);
  error = $state.raw<CommandFailure | null>(null);
  // Answers to an older request (the person clicked on in the meantime) are dropped.
  #request = 0;

  constructor() {
    onPostUpdated((post) => {
      if (this.focused?.key === post.key) this.focused = post;
      const thread = this.thread;
      if (!thread) return;
      this.thread = {
        ancestors: replacePost(thread.ancestors, post),
        post: thread.post.key === post.key ? post : thread.post,
        descendants: replacePost(thread.descendants, post),
      };
    });
    onPostsRemoved((keys) => {
      // The post the panel is about is gone: so is its thread.
      if (this.focused && keys.has(this.focused.key)) {
        this.close();
        return;
      }
      if (this.thread) this.thread = threadWithout(this.thread, keys);
    });
  }

  get isOpen(): boolean {
    return this.focused !== null;
  }

  /** Opens a post's thread, showing the post itself while its context loads. */
  async open(post: PostView): Promise<void> {
    this.focused = post;
    this.thread = null;
    this.error = null;
    await this.#read(post.key);
  }

  /** Reads the open thread again (a reply written here was sent), showing it as it is meanwhile. */
  async refresh(): Promise<void> {
    if (this.focused) await this.#read(this.focused.key);
  }

  async #read(key: string): Promise<void> {
    const request = ++this.#request;
    this.loading = this.thread === null;
    try {
      const thread = await api.openThread(key);
      if (request !== this.#request) return;
      this.thread = thread;
      this.error = null;
    } catch (raw) {
      if (request === this.#request) this.error = toCommandFailure(raw);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  retry(): void {
    if (this.focused) void this.open(this.focused);
  }

  close(): void {
    this.#request++;
    this.focused = null;
    this.thread = null;
    this.error = null;
    this.loading = false;
  }
}

export const threadPanel = new ThreadPanelState();
