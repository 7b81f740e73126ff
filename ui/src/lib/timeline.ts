// Merging timeline pages read from the cache.
//
// A view holds the posts it has loaded so far plus the cursor of the next,
// older page. New pages arrive at either end: older ones when the person
// scrolls down, the newest one again after every sync. Posts are identified by
// their `key`; a key never appears twice in a loaded timeline.

import type { PostView, ThreadView, TimelinePage } from "./types";

export interface LoadedTimeline {
  posts: PostView[];
  /** Cursor of the next older page; null once the end of the cache is loaded. */
  nextCursor: string | null;
}

export const EMPTY_TIMELINE: LoadedTimeline = { posts: [], nextCursor: null };

/** Drops repeated keys, keeping the first occurrence. */
export function uniqueByKey(posts: readonly PostView[]): PostView[] {
  const seen = new Set<string>();
  return posts.filter((post) => {
    if (seen.has(post.key)) return false;
    seen.add(post.key);
    return true;
  });
}

/**
 * Appends an older page. Posts already loaded keep their place but take the
 * page's fresher copy; the rest are appended in page order.
 */
export function appendOlderPage(loaded: LoadedTimeline, page: TimelinePage): LoadedTimeline {
  const incoming = new Map(page.posts.map((post) => [post.key, post]));
  const updated = loaded.posts.map((post) => incoming.get(post.key) ?? post);
  const loadedKeys = new Set(loaded.posts.map((post) => post.key));
  const appended = uniqueByKey(page.posts.filter((post) => !loadedKeys.has(post.key)));
  return { posts: [...updated, ...appended], nextCursor: page.nextCursor };
}

export interface NewestMerge {
  timeline: LoadedTimeline;
  /** How many posts are new above what was loaded before (for a "new posts" pill). */
  addedOnTop: number;
}

/**
 * Merges a freshly re-read first page into what is loaded, without losing the
 * older pages the person has scrolled through.
 *
 * The first page covers everything loaded down to the last loaded post it
 * contains; loaded posts inside that range that the page no longer has were
 * removed from the cache and are dropped. Older loaded posts stay, and so does
 * the cursor after them.
 *
 * When the page shares no post with what is loaded and the cache has more
 * beyond it, there may be a gap of posts neither has seen; the timeline then
 * restarts from the first page instead of showing a silent hole.
 */
export function mergeNewestPage(loaded: LoadedTimeline, firstPage: TimelinePage): NewestMerge {
  const pagePosts = uniqueByKey(firstPage.posts);
  const pageKeys = new Set(pagePosts.map((post) => post.key));
  const loadedKeys = new Set(loaded.posts.map((post) => post.key));

  let lastCoveredIndex = -1;
  loaded.posts.forEach((post, index) => {
    if (pageKeys.has(post.key)) lastCoveredIndex = index;
  });

  const firstKnownIndex = pagePosts.findIndex((post) => loadedKeys.has(post.key));
  const addedOnTop = firstKnownIndex === -1 ? pagePosts.length : firstKnownIndex;

  if (lastCoveredIndex === -1) {
    return {
      timeline: { posts: pagePosts, nextCursor: firstPage.nextCursor },
      addedOnTop: loaded.posts.length === 0 ? 0 : addedOnTop,
    };
  }

  const olderThanPage = loaded.posts
    .slice(lastCoveredIndex + 1)
    .filter((post) => !pageKeys.has(post.key));
  return {
    timeline: {
      posts: [...pagePosts, ...olderThanPage],
      nextCursor: olderThanPage.length > 0 ? loaded.nextCursor : firstPage.nextCursor,
    },
    addedOnTop,
  };
}

/** Replaces the post with the same key, if loaded; returns the same array when absent. */
export function replacePost(posts: PostView[], updated: PostView): PostView[] {
  const index = posts.findIndex((post) => post.key === updated.key);
  if (index === -1) return posts;
  const copy = posts.slice();
  copy[index] = updated;
  return copy;
}

/** The posts without the removed keys; returns the same array when none was loaded. */
export function withoutPosts(posts: PostView[], removed: ReadonlySet<string>): PostView[] {
  if (!posts.some((post) => removed.has(post.key))) return posts;
  return posts.filter((post) => !removed.has(post.key));
}

/**
 * A thread without the removed posts; null when the post the thread is about
 * was removed, since there is nothing left to show it around. Replies to a
 * removed comment stay, as on the servers.
 */
export function threadWithout(thread: ThreadView, removed: ReadonlySet<string>): ThreadView | null {
  if (removed.has(thread.post.key)) return null;
  const ancestors = withoutPosts(thread.ancestors, removed);
  const descendants = withoutPosts(thread.descendants, removed);
  if (ancestors === thread.ancestors && descendants === thread.descendants) return thread;
  return { ancestors, post: thread.post, descendants };
}

/** The post as it looks once (un)favourited, for optimistic display. */
export function withFavourite(post: PostView, favourited: boolean): PostView {
  if (post.favourited === favourited) return post;
  const favouritesCount = Math.max(0, post.favouritesCount + (favourited ? 1 : -1));
  return { ...post, favourited, favouritesCount };
}

/**
 * Indentation depth of each reply in a thread (1 = direct reply to the focused
 * post), capped so deep conversations stay readable in a narrow panel.
 * Replies whose parent is not in the thread are shown at depth 1.
 */
export function replyDepths(
  focused: PostView,
  descendants: readonly PostView[],
  maxDepth = 3,
): Map<string, number> {
  const depthByRemoteId = new Map<string, number>([[focused.remoteId, 0]]);
  const depths = new Map<string, number>();
  for (const reply of descendants) {
    const parentDepth =
      reply.inReplyToId === null ? undefined : depthByRemoteId.get(reply.inReplyToId);
    const depth = (parentDepth ?? 0) + 1;
    depthByRemoteId.set(reply.remoteId, depth);
    depths.set(reply.key, Math.min(depth, maxDepth));
  }
  return depths;
}
