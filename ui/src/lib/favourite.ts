// Favouriting is optimistic: the heart fills at once, and goes back (with a
// notice saying why) if the server refuses.

import * as api from "./api";
import { toCommandFailure } from "./errors";
import { notices } from "./notices.svelte";
import { publishPostUpdate } from "./postUpdates";
import { withFavourite } from "./timeline";
import type { PostView } from "./types";

// Keys with a request in flight: a second click waits for the first answer,
// so the revert of one request cannot undo the other.
const inFlight = new Set<string>();

export async function toggleFavourite(post: PostView): Promise<void> {
  if (inFlight.has(post.key)) return;
  inFlight.add(post.key);
  const favourited = !post.favourited;
  publishPostUpdate(withFavourite(post, favourited));
  try {
    publishPostUpdate(await api.setFavourite(post.key, favourited));
  } catch (raw) {
    publishPostUpdate(post);
    notices.showError(
      toCommandFailure(raw),
      favourited ? "favourite this post" : "remove this favourite",
    );
  } finally {
    inFlight.delete(post.key);
  }
}
