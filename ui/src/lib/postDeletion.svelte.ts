// Deleting the identity's own posts. A card's Delete control asks first, in
// `DeletePostDialog` (shown by App while `postDeletion.post` is set); once the
// core has deleted the post, and its cross-posted copies when asked, every
// list holding any of them drops it at once.

import * as api from "./api";
import { surfaceList } from "./format";
import { notices } from "./notices.svelte";
import { PostDialogState } from "./postDialog.svelte";
import { publishPostsRemoved } from "./postUpdates";
import type { PostView, Surface } from "./types";

export const postDeletion = new PostDialogState();

/**
 * Deletes the post, and with `everywhere` its copies on the other surfaces
 * (asked for only when it has some), then drops every deleted post from the
 * screen and says so. Resolves with the deleted keys; rejects with a
 * `CommandFailure`, leaving everything in place.
 */
export async function deleteOwnPost(post: PostView, everywhere: boolean): Promise<string[]> {
  const deleted = await api.deletePost(post.key, everywhere && post.alsoOn.length > 0);
  const keys = [post.key, ...deleted.filter((key) => key !== post.key)];
  publishPostsRemoved(keys);
  notices.show(deletedTitle(keys));
  return keys;
}

const SURFACES: readonly Surface[] = ["feed", "visual"];

/** "Post deleted", or "Post deleted from Feed and Visual" when copies went too. */
export function deletedTitle(keys: readonly string[]): string {
  // Keys are `${surface}:${remoteId}`.
  const surfaces = SURFACES.filter((surface) => keys.some((key) => key.startsWith(`${surface}:`)));
  return surfaces.length > 1 ? `Post deleted from ${surfaceList(surfaces)}` : "Post deleted";
}
