// Signing a surface in again, once its server stopped accepting Facets'
// sign-in or the user revoked it. Offered in two places, the banner over every
// view and the Privacy view's connected apps, so there is one for the whole
// app: both show an attempt under way, and why it failed.

import { SvelteSet } from "svelte/reactivity";
import * as api from "./api";
import { type CommandFailure, toCommandFailure } from "./errors";
import { addAccount } from "./addAccount.svelte";
import { appStatus } from "./appStatus.svelte";
import { surfaceSyncs } from "./surfaceSync.svelte";
import type { ConnectedApps, Surface } from "./types";

class SignInAgainState {
  /** Why the last attempt failed, per surface, until the next one. */
  errors = $state.raw<Partial<Record<Surface, CommandFailure>>>({});

  readonly #pending = new SvelteSet<Surface>();

  isPending(surface: Surface): boolean {
    return this.#pending.has(surface);
  }

  /**
   * Signs the surface in again: the demo at once; a real account through the
   * Add account dialog. Resolves with the sign-ins afterwards, or with null when
   * it failed (the reason is in `errors`), went to the dialog, or an attempt
   * was already under way.
   */
  async run(surface: Surface): Promise<ConnectedApps | null> {
    if (this.#pending.has(surface)) return null;
    // A real server's sign-in goes through the browser again: Add account, on the same
    // server, for this surface (the refused sign-in is replaced once linked).
    const status = appStatus.status;
    const link = status?.surfaces.find((l) => l.surface === surface);
    if (status?.mode === "accounts" && link) {
      addAccount.open({ newIdentity: false, server: link.server, surface });
      return null;
    }
    this.#pending.add(surface);
    this.#setError(surface, null);
    try {
      const apps = await api.signInAgain(surface);
      // Signed in: catch the surface up, which also clears a sync error its views still show.
      void surfaceSyncs[surface].run();
      return apps;
    } catch (raw) {
      this.#setError(surface, toCommandFailure(raw));
      return null;
    } finally {
      this.#pending.delete(surface);
    }
  }

  #setError(surface: Surface, error: CommandFailure | null): void {
    if (error === null && this.errors[surface] === undefined) return;
    const next = { ...this.errors };
    if (error === null) delete next[surface];
    else next[surface] = error;
    this.errors = next;
  }
}

export const signInAgain = new SignInAgainState();
