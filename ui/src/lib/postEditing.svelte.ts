// Editing the identity's own posts. A card's Edit control opens
// `EditPostDialog` (shown by App while `postEditing.post` is set); once every
// server accepted the edit, every list holding any edited copy shows the new
// words at once.

import * as api from "./api";
import { surfaceList } from "./format";
import { notices } from "./notices.svelte";
import { PostDialogState } from "./postDialog.svelte";
import { publishPostUpdate } from "./postUpdates";
import type { PostEdit, PostView, Surface } from "./types";

export const postEditing = new PostDialogState();

/**
 * Sends the edit, and with `everywhere` applies it to the copies on the other
 * surfaces too, then shows the edited posts wherever they are on screen.
 * Rejects with a `CommandFailure`, leaving everything as it was.
 */
export async function editOwnPost(post: PostView, edit: PostEdit, everywhere: boolean): Promise<PostView[]> {
  const edited = await api.editPost(post.key, edit, everywhere);
  for (const updated of edited) publishPostUpdate(updated);
  notices.show(editedTitle(edited.map((item) => item.surface)));
  return edited;
}

/** "Post edited", or "Post edited on Feed and Visual" when copies changed too. */
export function editedTitle(surfaces: readonly Surface[]): string {
  const distinct = [...new Set(surfaces)];
  return distinct.length > 1 ? `Post edited on ${surfaceList(distinct)}` : "Post edited";
}
