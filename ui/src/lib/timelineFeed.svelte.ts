// The state behind one scrolling timeline: the posts loaded from the cache,
// paging to older posts, and re-reading the newest page after a sync.
//
// A timeline with a window holds a bounded run of pages, however far it is
// read: past the bound, reading older pages lets go of the newest loaded ones
// (and reading back up lets go of the oldest), keeping the cursor each page
// was read from, so that the page is read again from the cache when it is
// needed. The webview then holds a few hundred posts, not every one scrolled
// past.

import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { visualMedia } from "./media";
import { onPostsRemoved, onPostUpdated } from "./postUpdates";
import { type SurfaceSync, surfaceSyncs } from "./surfaceSync.svelte";
import { appendOlderPage, mergeNewestPage, replacePost, uniqueByKey, withoutPosts } from "./timeline";
import type { PostView, Surface, TimelineKind } from "./types";

/** idle: never opened; loading: first read of the cache; failed: that read failed. */
export type FeedPhase = "idle" | "loading" | "ready" | "failed";

/** How many posts a timeline keeps loaded. */
export interface TimelineWindow {
  /** Pages beyond this many posts are let go, newest or oldest depending on the way read. */
  posts: number;
  /** Which posts count towards the bound (those the view shows); all when absent. */
  counts?: (post: PostView) => boolean;
}

/** One page as loaded: reading from `start` again gives it again (`null`: the first page). */
interface LoadedPage {
  start: string | null;
  posts: PostView[];
}

/**
 * Re-reads of a page above the window that stop short of it (posts arrived
 * in the cache inside its range) read on, at most this many times, so the
 * window has no hole.
 */
const MAX_READS_TO_CLOSE_GAP = 5;

export class TimelineFeed {
  /** The loaded pages, newest first: the one copy of the loaded posts. */
  #pages = $state.raw<LoadedPage[]>([]);
  /** The loaded window, newest first: the pages' posts in a row. */
  readonly posts: PostView[] = $derived(this.#pages.flatMap((page) => page.posts));
  /** Cursor of the page below the window; null once the end of the cache is loaded. */
  nextCursor = $state<string | null>(null);
  phase = $state<FeedPhase>("idle");
  loadingMore = $state(false);
  loadingNewer = $state(false);
  /** The last failed read of the cache; stops automatic paging until retried. */
  loadError = $state.raw<CommandFailure | null>(null);
  /** The last failed read of a newer page, above the window. */
  newerError = $state.raw<CommandFailure | null>(null);
  /** Posts that arrived above the reading position since the person last looked at the top. */
  newOnTop = $state(0);

  readonly sync: SurfaceSync;
  #started = false;
  // Reads run one after another so a re-read of the newest page never
  // interleaves with appending an older one.
  #queue: Promise<unknown> = Promise.resolve();
  /**
   * The pages above the window that were let go, by their start cursors and
   * how many posts they held, the first page (start `null`) first; empty while
   * the window starts at the newest post.
   */
  #above = $state.raw<{ start: string | null; count: number }[]>([]);
  /** The newest post of the timeline as last read, to count new posts while the first page is not loaded. */
  #newestKey: string | null = null;

  constructor(
    readonly surface: Surface,
    readonly timeline: TimelineKind,
    readonly pageSize: number,
    readonly bound: TimelineWindow | null = null,
  ) {
    this.sync = surfaceSyncs[surface];
    onPostUpdated((post) => this.#changePages((posts) => replacePost(posts, post)));
    onPostsRemoved((keys) => this.#changePages((posts) => withoutPosts(posts, keys)));
  }

  get canLoadMore(): boolean {
    return this.phase === "ready" && this.nextCursor !== null && this.loadError === null;
  }

  /** Whether newer posts were let go above the window: the top of the list is not the newest post. */
  get hasNewer(): boolean {
    return this.#above.length > 0;
  }

  /** How many posts were let go above the window, as counted when they were: where the window starts. */
  get postsAbove(): number {
    return this.#above.reduce((sum, page) => sum + page.count, 0);
  }

  get canLoadNewer(): boolean {
    return this.phase === "ready" && this.hasNewer && this.newerError === null;
  }

  /**
   * First visit: shows the cached page at once, then shows what the surface's
   * first sync brought. Later calls do nothing: the timeline stays loaded
   * while the app runs.
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    api
      .onCacheChanged((change) => {
        if (change.surface === this.surface && change.timeline === this.timeline) {
          void this.reloadNewest();
        }
      })
      .catch((error: unknown) => {
        // Without events the Refresh button still re-reads the cache.
        console.warn("cache-changed events are unavailable", error);
      });
    void this.loadFirstPage()
      .then(() => this.sync.syncOnce())
      .then((synced) => (synced ? this.reloadNewest() : undefined));
  }

  loadFirstPage(): Promise<void> {
    return this.#serially(async () => {
      this.phase = "loading";
      this.loadError = null;
      try {
        await this.#readFirstPage();
        this.phase = "ready";
      } catch (raw) {
        this.loadError = toCommandFailure(raw);
        this.phase = "failed";
      }
    });
  }

  /** Reads the page below the window; past the bound, lets go of the newest loaded pages. */
  async loadMore(): Promise<void> {
    if (!this.canLoadMore || this.loadingMore) return;
    this.loadingMore = true;
    try {
      await this.#serially(async () => {
        const cursor = this.nextCursor;
        if (cursor === null) return;
        try {
          const page = await api.timelinePage(this.surface, this.timeline, cursor, this.pageSize);
          // Posts already loaded keep their place but take the page's fresher copy; the new
          // ones, after them, are the new page.
          const merged = appendOlderPage({ posts: this.posts, nextCursor: cursor }, page);
          const fresher = new Map(merged.posts.map((post) => [post.key, post]));
          const pages = this.#pages.map((loaded) => ({
            ...loaded,
            posts: loaded.posts.map((post) => fresher.get(post.key) ?? post),
          }));
          pages.push({ start: cursor, posts: merged.posts.slice(this.posts.length) });
          const kept = this.#letGo(pages, "newest");
          const gone = pages.slice(0, pages.length - kept.length);
          this.#above = [...this.#above, ...gone.map((page) => ({ start: page.start, count: page.posts.length }))];
          this.#pages = kept;
          this.nextCursor = merged.nextCursor;
        } catch (raw) {
          this.loadError = toCommandFailure(raw);
        }
      });
    } finally {
      this.loadingMore = false;
    }
  }

  /** Reads again the page just above the window; past the bound, lets go of the oldest loaded pages. */
  async loadNewer(): Promise<void> {
    if (!this.canLoadNewer || this.loadingNewer) return;
    this.loadingNewer = true;
    try {
      await this.#serially(async () => {
        const above = this.#above.at(-1);
        if (above === undefined) return;
        const { start } = above;
        try {
          const posts = await this.#readAbove(start);
          const pages = [{ start, posts }, ...this.#pages];
          const kept = this.#letGo(pages, "oldest");
          const firstLetGo = pages[kept.length];
          if (firstLetGo) this.nextCursor = firstLetGo.start;
          this.#above = this.#above.slice(0, -1);
          if (start === null) this.#newestKey = posts[0]?.key ?? this.#newestKey;
          this.#pages = kept;
        } catch (raw) {
          this.newerError = toCommandFailure(raw);
        }
      });
    } finally {
      this.loadingNewer = false;
    }
  }

  /** After a failed page read: clears the error and tries the same read again. */
  retryLoading(): Promise<void> {
    if (this.phase !== "ready") return this.loadFirstPage();
    this.loadError = null;
    return this.loadMore();
  }

  retryLoadingNewer(): Promise<void> {
    this.newerError = null;
    return this.loadNewer();
  }

  /**
   * Re-reads the newest page after the cache changed, keeping older loaded
   * pages. While the newest page is not loaded, new posts only count.
   */
  reloadNewest(): Promise<void> {
    if (this.phase !== "ready") return this.loadFirstPage();
    return this.#serially(async () => {
      try {
        const page = await api.timelinePage(this.surface, this.timeline, null, this.pageSize);
        if (this.hasNewer) {
          const known = this.#newestKey === null ? -1 : page.posts.findIndex((post) => post.key === this.#newestKey);
          this.newOnTop += known === -1 ? uniqueByKey(page.posts).length : known;
          this.#newestKey = page.posts[0]?.key ?? this.#newestKey;
          return;
        }
        const { timeline, addedOnTop } = mergeNewestPage({ posts: this.posts, nextCursor: this.nextCursor }, page);
        // The merged page replaces the loaded posts it covers; of the pages after it, the first
        // now starts where the re-read page ends.
        const first = uniqueByKey(page.posts);
        const firstKeys = new Set(first.map((post) => post.key));
        const older = new Set(timeline.posts.filter((post) => !firstKeys.has(post.key)).map((post) => post.key));
        const rest = this.#pages
          .map((loaded) => ({ ...loaded, posts: loaded.posts.filter((post) => older.has(post.key)) }))
          .filter((loaded) => loaded.posts.length > 0);
        if (rest[0]) rest[0] = { ...rest[0], start: page.nextCursor };
        const pages = [{ start: null, posts: first }, ...rest];
        const kept = this.#letGo(pages, "oldest");
        this.nextCursor = pages[kept.length]?.start ?? timeline.nextCursor;
        this.#newestKey = first[0]?.key ?? this.#newestKey;
        this.#pages = kept;
        this.newOnTop += addedOnTop;
      } catch (raw) {
        // The posts on screen are still valid; say so only if paging is affected.
        console.warn(`re-reading ${this.surface}/${this.timeline} failed`, raw);
      }
    });
  }

  /** Loads the newest page in place of the window (the "new posts" pill, back to the top). */
  backToNewest(): Promise<void> {
    if (this.phase !== "ready") return this.loadFirstPage();
    this.newOnTop = 0;
    return this.#serially(async () => {
      try {
        await this.#readFirstPage();
        this.loadError = null;
      } catch (raw) {
        this.loadError = toCommandFailure(raw);
      }
    });
  }

  /** The person is at the top of the list: if that is the newest post, every new post has been seen. */
  sawTop(): void {
    if (!this.hasNewer) this.newOnTop = 0;
  }

  /** Pulls from the network, then shows what arrived. */
  async refresh(): Promise<void> {
    if (await this.sync.run()) await this.reloadNewest();
  }

  async #readFirstPage(): Promise<void> {
    const page = await api.timelinePage(this.surface, this.timeline, null, this.pageSize);
    const posts = uniqueByKey(page.posts);
    this.#above = [];
    this.#newestKey = posts[0]?.key ?? null;
    this.#pages = [{ start: null, posts }];
    this.nextCursor = page.nextCursor;
    this.newerError = null;
  }

  /**
   * The posts from `start` down to the window. A page read again normally
   * ends where the window begins; when posts arrived in its range meanwhile,
   * it stops short, and the reads go on from where it stopped.
   */
  async #readAbove(start: string | null): Promise<PostView[]> {
    const end = this.#pages[0]?.start;
    const loadedKeys = new Set(this.posts.map((post) => post.key));
    const posts: PostView[] = [];
    let cursor = start;
    for (let read = 0; read < MAX_READS_TO_CLOSE_GAP; read += 1) {
      const page = await api.timelinePage(this.surface, this.timeline, cursor, this.pageSize);
      const fresh = page.posts.filter((post) => !loadedKeys.has(post.key));
      posts.push(...fresh);
      const reachedWindow = fresh.length < page.posts.length || page.nextCursor === end;
      if (reachedWindow || page.nextCursor === null || end === undefined) break;
      cursor = page.nextCursor;
    }
    return uniqueByKey(posts);
  }

  /**
   * The pages to keep within the bound, letting go of whole pages from one
   * end; the two pages at the other end always stay, so the reader never
   * loses what is on screen.
   */
  #letGo(pages: LoadedPage[], end: "newest" | "oldest"): LoadedPage[] {
    if (this.bound === null) return pages;
    const counts = this.bound.counts ?? (() => true);
    const weight = (page: LoadedPage) => page.posts.filter(counts).length;
    let total = pages.reduce((sum, page) => sum + weight(page), 0);
    let from = 0;
    let to = pages.length;
    while (to - from > 2) {
      const edge = end === "newest" ? pages[from]! : pages[to - 1]!;
      if (total - weight(edge) < this.bound.posts) break;
      total -= weight(edge);
      if (end === "newest") from += 1;
      else to -= 1;
    }
    return pages.slice(from, to);
  }

  /**
   * Applies `change` to each page's posts. The pages are replaced only when a
   * page changed, so a post held by another timeline does not redraw this one.
   */
  #changePages(change: (posts: PostView[]) => PostView[]): void {
    let changed = false;
    const pages = this.#pages.map((page) => {
      const posts = change(page.posts);
      if (posts === page.posts) return page;
      changed = true;
      return { ...page, posts };
    });
    if (changed) this.#pages = pages;
  }

  #serially(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

// The app's timelines live as long as the app, so switching screens keeps
// their loaded pages (up to their window).
export const feedTimeline = new TimelineFeed("feed", "home", 20, { posts: 500 });
/**
 * The identity's own posts on the Visual surface; only those with pictures become tiles. Not
 * windowed: its tiles go three to a row, and letting go of a page above would move every row.
 */
export const visualGridTimeline = new TimelineFeed("visual", "profile", 30);
/** Bounded by the posts with pictures, the ones shown, so a window of few photos stays tall. */
export const visualPhotosTimeline = new TimelineFeed("visual", "home", 12, {
  posts: 100,
  counts: (post) => visualMedia(post).length > 0,
});
