// What the app shell reports about itself: demo or real accounts, the
// identity to show in the navigation, when it last synced.

import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { forgetFailedPictures } from "./failedPictures.svelte";
import { surfaceSyncs } from "./surfaceSync.svelte";
import type { AppStatus } from "./types";

class AppStatusState {
  status = $state.raw<AppStatus | null>(null);
  error = $state.raw<CommandFailure | null>(null);
  #started = false;
  // Events bring reloads that may overlap; only the latest answer is shown, so
  // a slow older one cannot bring back a sign-in banner.
  #request = 0;

  /**
   * Loads now, after the Feed's first sync (the start screen's pull on open,
   * which stores the identity on a first run), whenever the cache changes and
   * whenever a sign-in starts or stops (each surface's `signIn`).
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    api
      .onCacheChanged(() => void this.load())
      .catch((error: unknown) => console.warn("cache-changed events are unavailable", error));
    api
      .onSignInsChanged(() => void this.load())
      .catch((error: unknown) => console.warn("sign-ins-changed events are unavailable", error));
    void this.load();
    void surfaceSyncs.feed.syncOnce().then(() => this.load());
    // The network is back: the outbox goes now, and pictures that failed
    // offline are asked for again, on screen and as rows scroll in; once the
    // core has heard it, so that it downloads them rather than answer that
    // they failed a moment ago.
    window.addEventListener("online", () => {
      api
        .networkReturned()
        .catch((error: unknown) => console.warn("could not hurry the outbox", error))
        .finally(forgetFailedPictures);
    });
  }

  async load(): Promise<void> {
    const request = ++this.#request;
    try {
      const status = await api.appStatus();
      if (request !== this.#request) return;
      this.status = status;
      this.error = null;
    } catch (raw) {
      if (request !== this.#request) return;
      this.error = toCommandFailure(raw);
    }
  }
}

export const appStatus = new AppStatusState();
