// The signed-in identity of a surface, for the Visual profile header.

import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { surfaceSyncs } from "./surfaceSync.svelte";
import type { PersonView, Surface } from "./types";

export class SurfaceProfile {
  person = $state.raw<PersonView | null>(null);
  error = $state.raw<CommandFailure | null>(null);
  loading = $state(false);
  #started = false;

  constructor(readonly surface: Surface) {}

  /**
   * Loads from the cache, then again after the surface's first sync (the
   * identity may only be known once synced) and whenever the cache changes.
   */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    api
      .onCacheChanged((change) => {
        // A sync announces new posts before it has stored the profile.
        if (change.surface === this.surface) void this.load({ missingIsExpected: true });
      })
      .catch((error: unknown) => console.warn("cache-changed events are unavailable", error));
    // Before the first sync the identity may not be cached yet: that is not
    // worth an error message, the sync is about to bring it.
    void this.load({ missingIsExpected: true });
    void surfaceSyncs[this.surface].syncOnce().then(() => this.load());
  }

  async load(options: { missingIsExpected?: boolean } = {}): Promise<void> {
    this.loading = true;
    try {
      this.person = await api.profile(this.surface);
      this.error = null;
    } catch (raw) {
      const failure = toCommandFailure(raw);
      if (!(options.missingIsExpected && failure.kind === "notFound")) this.error = failure;
    } finally {
      this.loading = false;
    }
  }
}

export const visualProfile = new SurfaceProfile("visual");
