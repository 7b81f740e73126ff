// Which post a dialog about one post (delete, edit) is open for. App shows the
// dialog while `post` is set; views and panels underneath go inert.

import type { PostView } from "./types";

export class PostDialogState {
  /** The post the dialog is about; null when it is closed. */
  post = $state.raw<PostView | null>(null);

  get isOpen(): boolean {
    return this.post !== null;
  }

  ask(post: PostView): void {
    this.post = post;
  }

  close(): void {
    this.post = null;
  }
}
