// Pulling a surface from the network. Several views may ask at once (the
// Visual grid and photo feed share a surface); they share one request.

import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import type { Surface } from "./types";

export class SurfaceSync {
  refreshing = $state(false);
  error = $state.raw<CommandFailure | null>(null);
  /** ISO time of this session's last successful sync of the surface. */
  lastSyncedAt = $state<string | null>(null);
  #inFlight: Promise<boolean> | null = null;
  #firstRun: Promise<boolean> | null = null;

  constructor(readonly surface: Surface) {}

  /** Resolves to true when the sync succeeded; failures are kept in `error`. */
  run(): Promise<boolean> {
    this.#inFlight ??= this.#pull().finally(() => {
      this.#inFlight = null;
    });
    return this.#inFlight;
  }

  /**
   * The pull on open: the first view of a surface to open starts it, and
   * views opened later wait for that same sync instead of starting another.
   * The Refresh button calls `run` for a new one.
   */
  syncOnce(): Promise<boolean> {
    this.#firstRun ??= this.run();
    return this.#firstRun;
  }

  async #pull(): Promise<boolean> {
    this.refreshing = true;
    try {
      await api.refresh(this.surface);
      this.error = null;
      this.lastSyncedAt = new Date().toISOString();
      return true;
    } catch (raw) {
      this.error = toCommandFailure(raw);
      return false;
    } finally {
      this.refreshing = false;
    }
  }
}

export const surfaceSyncs: Record<Surface, SurfaceSync> = {
  feed: new SurfaceSync("feed"),
  visual: new SurfaceSync("visual"),
};
