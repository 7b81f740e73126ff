// Visual's Explore tab and Feed's Suggested tab: the server's public posts as
// the core cached them, ranked on this computer from the person's activity
// while Privacy allows it. Read each time the tab is shown (a Privacy change
// may have turned ranking on or off since), and again when a sync wrote new
// public posts (`cache-changed` with timeline "explore").

import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { onPostsRemoved, onPostUpdated } from "./postUpdates";
import { type SurfaceSync, surfaceSyncs } from "./surfaceSync.svelte";
import type { ExplorePost, Surface } from "./types";

/** idle: never shown; loading: first read (or a retry after it failed); failed: no posts to show. */
export type ExplorePhase = "idle" | "loading" | "ready" | "failed";

export class ExploreState {
  posts = $state.raw<ExplorePost[]>([]);
  /** Ranked from the person's activity (reasons may be given); false: newest first. */
  ranked = $state(false);
  phase = $state<ExplorePhase>("idle");
  /**
   * The last read that failed. With posts on screen they stay, and the error
   * is shown above them; without, it replaces them (phase "failed").
   */
  error = $state.raw<CommandFailure | null>(null);

  readonly sync: SurfaceSync;
  #listening = false;
  // Only the answer to the latest read is shown: an older one may be ranked
  // under settings that have changed since.
  #request = 0;

  constructor(readonly surface: Surface) {
    this.sync = surfaceSyncs[surface];
    onPostUpdated((updated) => {
      if (!this.posts.some(({ post }) => post.key === updated.key)) return;
      this.posts = this.posts.map((entry) => (entry.post.key === updated.key ? { ...entry, post: updated } : entry));
    });
    onPostsRemoved((keys) => {
      if (!this.posts.some(({ post }) => keys.has(post.key))) return;
      this.posts = this.posts.filter(({ post }) => !keys.has(post.key));
    });
  }

  /** The tab was shown: reads the cache again; the first time, also starts following `cache-changed`. */
  show(): Promise<void> {
    if (!this.#listening) {
      this.#listening = true;
      api
        .onCacheChanged((change) => {
          if (change.surface === this.surface && change.timeline === "explore") void this.load();
        })
        .catch((error: unknown) => {
          // Without events, showing the tab again or Refresh still re-reads the cache.
          console.warn("cache-changed events are unavailable", error);
        });
    }
    return this.load();
  }

  /** Reads the cache. Posts already on screen stay there until the answer arrives. */
  async load(): Promise<void> {
    const request = ++this.#request;
    if (this.phase !== "ready") this.phase = "loading";
    try {
      const view = await api.explore(this.surface);
      if (request !== this.#request) return;
      this.posts = view.posts;
      this.ranked = view.ranked;
      this.error = null;
      this.phase = "ready";
    } catch (raw) {
      if (request !== this.#request) return;
      this.error = toCommandFailure(raw);
      if (this.phase !== "ready") this.phase = "failed";
    }
  }

  /** Pulls the surface from the network (Explore comes with it), then shows what arrived. */
  async refresh(): Promise<void> {
    if (await this.sync.run()) await this.load();
  }
}

/** The line at the top of the tab: how the posts are ordered, and where to change it. */
export function exploreNote(surface: Surface, ranked: boolean): string {
  if (ranked) return "Ranked on this computer from your activity on Feed and Visual. You can change this in Privacy.";
  const what = surface === "visual" ? "photos" : "posts";
  return `Newest public ${what}. In Privacy you can let your activity rank them for you.`;
}

/** Why a post ranks where it does, shown only while ranking is on. */
export function shownReason(entry: ExplorePost, ranked: boolean): string | null {
  const reason = entry.reason?.trim();
  return ranked && reason ? reason : null;
}

// They live as long as the app, like the timelines, so switching tabs or
// screens keeps what was read.
export const visualExplore = new ExploreState("visual");
export const feedSuggested = new ExploreState("feed");
