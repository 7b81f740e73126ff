// One post can be on screen several times (in a timeline and in an open
// thread). When a new copy arrives (a favourite toggled), every holder of that
// post is told, so all of them show the same state.

import type { PostView } from "./types";

type PostListener = (post: PostView) => void;

const listeners = new Set<PostListener>();

export function onPostUpdated(listener: PostListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function publishPostUpdate(post: PostView): void {
  for (const listener of listeners) listener(post);
}
