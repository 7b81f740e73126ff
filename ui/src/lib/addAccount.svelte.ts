// The Add account dialog, for the whole app: opened from the identities
// dialog (a new account), and from "Sign in again" where a real server stopped
// accepting Facets' sign-in (the same server, for that surface).

import type { Surface } from "./types";

export interface AddAccountRequest {
  /** The account goes to a new identity (always from the demo). */
  newIdentity: boolean;
  /** Signing in again: the server to sign in to, already typed. */
  server?: string;
  /** Signing in again: the surface the account shows on. */
  surface?: Surface;
}

class AddAccountState {
  request = $state.raw<AddAccountRequest | null>(null);

  get isOpen(): boolean {
    return this.request !== null;
  }

  open(request: AddAccountRequest): void {
    this.request = request;
  }

  close(): void {
    this.request = null;
  }
}

export const addAccount = new AddAccountState();
