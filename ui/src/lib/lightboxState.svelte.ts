// Which post's pictures the lightbox shows, and which one is in front.

import { clampIndex } from "./lightbox";
import { visualMedia } from "./media";
import { onPostsRemoved } from "./postUpdates";
import type { PostView } from "./types";

class LightboxState {
  post = $state.raw<PostView | null>(null);
  index = $state(0);

  constructor() {
    // A deleted post's pictures are not shown any more.
    onPostsRemoved((keys) => {
      if (this.post && keys.has(this.post.key)) this.close();
    });
  }

  get isOpen(): boolean {
    return this.post !== null;
  }

  open(post: PostView, index = 0): void {
    this.post = post;
    this.index = clampIndex(index, visualMedia(post).length);
  }

  close(): void {
    this.post = null;
    this.index = 0;
  }
}

export const lightbox = new LightboxState();
