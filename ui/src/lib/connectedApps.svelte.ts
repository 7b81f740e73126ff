// The sign-ins Facets holds ("connected apps and sessions") while the Privacy
// view is open: read from the core, read again on every `sign-ins-changed`,
// and revoked or signed in again on the user's word. A sign-in leaves the list
// only once the core has revoked it.

import type { UnlistenFn } from "@tauri-apps/api/event";
import { SvelteSet } from "svelte/reactivity";
import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { signInAgain } from "./signInAgain.svelte";
import type { ConnectedApp, ConnectedApps, Surface } from "./types";

export class ConnectedAppsState {
  list = $state.raw<ConnectedApps | null>(null);
  loadError = $state.raw<CommandFailure | null>(null);

  readonly #revoking = new SvelteSet<string>();
  readonly #onchange: () => void;
  #unlisten: UnlistenFn | null = null;
  #disposed = false;
  // Every read and action takes the next ticket; an answer older than the one
  // shown is dropped, so a slow read cannot bring back a revoked sign-in.
  #tickets = 0;
  #shown = 0;

  /** @param onchange called on every `sign-ins-changed` (the privacy log has a new entry). */
  constructor(onchange: () => void = () => {}) {
    this.#onchange = onchange;
  }

  /** Loads now and on every `sign-ins-changed`, until disposed. */
  open(): void {
    api
      .onSignInsChanged(() => {
        void this.load();
        this.#onchange();
      })
      .then((unlisten) => {
        if (this.#disposed) unlisten();
        else this.#unlisten = unlisten;
      })
      .catch((error: unknown) => console.warn("sign-ins-changed events are unavailable", error));
    void this.load();
  }

  dispose(): void {
    this.#disposed = true;
    this.#unlisten?.();
    this.#unlisten = null;
  }

  async load(): Promise<void> {
    const ticket = ++this.#tickets;
    try {
      this.#show(await api.connectedApps(), ticket);
      this.loadError = null;
    } catch (raw) {
      this.loadError = toCommandFailure(raw);
    }
  }

  isRevoking(app: ConnectedApp): boolean {
    return this.#revoking.has(app.id);
  }

  /**
   * Revokes the sign-in, and with `forgetCached` what was cached from its
   * account. Rejects with a `CommandFailure`, the sign-in still listed, when
   * the core could not.
   */
  async revoke(app: ConnectedApp, forgetCached: boolean): Promise<void> {
    this.#revoking.add(app.id);
    const ticket = ++this.#tickets;
    try {
      this.#show(await api.revokeSignIn(app.id, forgetCached), ticket);
    } finally {
      this.#revoking.delete(app.id);
    }
  }

  /** Signs the surface in again; a failure is kept in `signInAgain.errors`. */
  async signInAgain(surface: Surface): Promise<void> {
    const ticket = ++this.#tickets;
    const answer = await signInAgain.run(surface);
    if (answer) this.#show(answer, ticket);
  }

  #show(next: ConnectedApps, ticket: number): void {
    if (ticket < this.#shown) return;
    this.#shown = ticket;
    this.list = next;
  }
}
