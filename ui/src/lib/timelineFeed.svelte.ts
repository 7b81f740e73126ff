// The state behind one scrolling timeline: the posts loaded from the cache so
// far, paging to older posts, and re-reading the newest page after a sync.

import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { onPostsRemoved, onPostUpdated } from "./postUpdates";
import { type SurfaceSync, surfaceSyncs } from "./surfaceSync.svelte";
import { appendOlderPage, mergeNewestPage, replacePost, uniqueByKey, withoutPosts } from "./timeline";
import type { PostView, Surface, TimelineKind } from "./types";

/** idle: never opened; loading: first read of the cache; failed: that read failed. */
export type FeedPhase = "idle" | "loading" | "ready" | "failed";

export class TimelineFeed {
  posts = $state.raw<PostView[]>([]);
  nextCursor = $state<string | null>(null);
  phase = $state<FeedPhase>("idle");
  loadingMore = $state(false);
  /** The last failed read of the cache; stops automatic paging until retried. */
  loadError = $state.raw<CommandFailure | null>(null);
  /** Posts that arrived above the reading position since the person last looked at the top. */
  newOnTop = $state(0);

  readonly sync: SurfaceSync;
  #started = false;
  // Reads run one after another so a re-read of the newest page never
  // interleaves with appending an older one.
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly surface: Surface,
    readonly timeline: TimelineKind,
    readonly pageSize: number,
  ) {
    this.sync = surfaceSyncs[surface];
    onPostUpdated((post) => {
      this.posts = replacePost(this.posts, post);
    });
    onPostsRemoved((keys) => {
      this.posts = withoutPosts(this.posts, keys);
    });
  }

  get canLoadMore(): boolean {
    return this.phase === "ready" && this.nextCursor !== null && this.loadError === null;
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
        const page = await api.timelinePage(this.surface, this.timeline, null, this.pageSize);
        this.posts = uniqueByKey(page.posts);
        this.nextCursor = page.nextCursor;
        this.phase = "ready";
      } catch (raw) {
        this.loadError = toCommandFailure(raw);
        this.phase = "failed";
      }
    });
  }

  async loadMore(): Promise<void> {
    if (!this.canLoadMore || this.loadingMore) return;
    this.loadingMore = true;
    try {
      await this.#serially(async () => {
        const cursor = this.nextCursor;
        if (cursor === null) return;
        try {
          const page = await api.timelinePage(this.surface, this.timeline, cursor, this.pageSize);
          const merged = appendOlderPage({ posts: this.posts, nextCursor: cursor }, page);
          this.posts = merged.posts;
          this.nextCursor = merged.nextCursor;
        } catch (raw) {
          this.loadError = toCommandFailure(raw);
        }
      });
    } finally {
      this.loadingMore = false;
    }
  }

  /** After a failed page read: clears the error and tries the same read again. */
  retryLoading(): Promise<void> {
    if (this.phase !== "ready") return this.loadFirstPage();
    this.loadError = null;
    return this.loadMore();
  }

  /** Re-reads the newest page after the cache changed, keeping older loaded pages. */
  reloadNewest(): Promise<void> {
    if (this.phase !== "ready") return this.loadFirstPage();
    return this.#serially(async () => {
      try {
        const page = await api.timelinePage(this.surface, this.timeline, null, this.pageSize);
        const { timeline, addedOnTop } = mergeNewestPage(
          { posts: this.posts, nextCursor: this.nextCursor },
          page,
        );
        this.posts = timeline.posts;
        this.nextCursor = timeline.nextCursor;
        this.newOnTop += addedOnTop;
      } catch (raw) {
        // The posts on screen are still valid; say so only if paging is affected.
        console.warn(`re-reading ${this.surface}/${this.timeline} failed`, raw);
      }
    });
  }

  /** Pulls from the network, then shows what arrived. */
  async refresh(): Promise<void> {
    if (await this.sync.run()) await this.reloadNewest();
  }

  #serially(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

// The app's timelines live as long as the app, so switching screens keeps
// their loaded pages.
export const feedTimeline = new TimelineFeed("feed", "home", 20);
/** The identity's own posts on the Visual surface; only those with pictures become tiles. */
export const visualGridTimeline = new TimelineFeed("visual", "profile", 30);
export const visualPhotosTimeline = new TimelineFeed("visual", "home", 12);
