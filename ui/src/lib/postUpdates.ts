// One post can be on screen several times (in a timeline and in an open
// thread). When a new copy arrives (a favourite toggled), or the post is
// deleted, every holder of that post is told, so all of them show the same
// state.

import type { PostView } from "./types";

type PostListener = (post: PostView) => void;
type RemovalListener = (keys: ReadonlySet<string>) => void;

const listeners = new Set<PostListener>();
const removalListeners = new Set<RemovalListener>();

export function onPostUpdated(listener: PostListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function publishPostUpdate(post: PostView): void {
  for (const listener of listeners) listener(post);
}

/** Listens for posts that no longer exist; the listener gets their keys. */
export function onPostsRemoved(listener: RemovalListener): () => void {
  removalListeners.add(listener);
  return () => removalListeners.delete(listener);
}

/** Tells every holder to drop these posts (deleted, with their cross-posted copies). */
export function publishPostsRemoved(keys: Iterable<string>): void {
  const removed = new Set(keys);
  if (removed.size === 0) return;
  for (const listener of removalListeners) listener(removed);
}
