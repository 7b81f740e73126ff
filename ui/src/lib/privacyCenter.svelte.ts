// The privacy center while the Privacy view is open: every surface's settings
// and lists as cached, then as the servers answer, and the changes in flight.
// Nothing here shows a value a server has not confirmed: a setting changes
// only from a server's answer, and an answer to a request older than the one
// already shown for that surface is dropped.

import { SvelteSet } from "svelte/reactivity";
import * as api from "./api";
import { SURFACE_LABEL } from "./compose";
import { type CommandFailure, toCommandFailure } from "./errors";
import { displayNameOf } from "./format";
import { changeFailedAction, localChangeFailedAction } from "./privacy";
import type {
  AccountPrivacyChange,
  LocalPrivacyChange,
  PersonView,
  PrivacyCenter,
  PrivacySettings,
  Surface,
  SurfacePrivacy,
} from "./types";

/** A surface's section, or Facets' own settings on this computer. */
export type PrivacySlot = Surface | "local";

/** A failed action, shown in the section it belongs to. */
export interface PrivacyProblem {
  error: CommandFailure;
  /** Follows "Couldn't", e.g. "make your Visual account private". */
  failedAction: string;
  retry: () => void;
}

/** What is in flight for one person: approve and reject share the request's row. */
export type PersonAction = "request" | "unblock" | "unmute";

export class PrivacyCenterState {
  center = $state.raw<PrivacyCenter | null>(null);
  /** Reading the cache failed; worth showing only while nothing else is. */
  loadError = $state.raw<CommandFailure | null>(null);
  refreshing = $state(false);
  /** Asking the servers failed; the cached settings stay on screen. */
  refreshError = $state.raw<CommandFailure | null>(null);
  /** The latest failed change in each section. */
  problems = $state.raw<Partial<Record<PrivacySlot, PrivacyProblem>>>({});

  readonly #pending = new SvelteSet<string>();
  // Every request takes the next ticket; each slot remembers the ticket of
  // the answer on screen, so a slow older answer cannot undo a newer one.
  #tickets = 0;
  readonly #shown = new Map<PrivacySlot, number>();
  readonly #onchange: () => void;

  /** @param onchange called after every change a server took or refused (the log has a new entry). */
  constructor(onchange: () => void = () => {}) {
    this.#onchange = onchange;
  }

  /** The cached center at once, then what the servers say. */
  async open(): Promise<void> {
    await this.load();
    await this.refresh();
  }

  async load(): Promise<void> {
    const ticket = ++this.#tickets;
    try {
      this.#showCenter(await api.privacyCenter(), ticket);
      this.loadError = null;
    } catch (raw) {
      this.loadError = toCommandFailure(raw);
    }
  }

  async refresh(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    const ticket = ++this.#tickets;
    try {
      this.#showCenter(await api.refreshPrivacy(), ticket);
      this.refreshError = null;
      this.loadError = null;
    } catch (raw) {
      this.refreshError = toCommandFailure(raw);
    } finally {
      this.refreshing = false;
    }
  }

  /** Whether a setting (or a person's row, see `PersonAction`) is waiting for its server. */
  isPending(slot: PrivacySlot, what: string): boolean {
    return this.#pending.has(`${slot}:${what}`);
  }

  change(surface: Surface, change: AccountPrivacyChange): Promise<void> {
    return this.#act(
      surface,
      change.setting,
      changeFailedAction(surface, change),
      () => api.setAccountPrivacy(surface, change),
      (answer, ticket) => this.#showSurface(answer, ticket),
      () => void this.change(surface, change),
    );
  }

  answerRequest(surface: Surface, person: PersonView, approve: boolean): Promise<void> {
    const verb = approve ? "approve" : "reject";
    return this.#act(
      surface,
      `request:${person.id}`,
      `${verb} ${displayNameOf(person)}'s request to follow you on ${SURFACE_LABEL[surface]}`,
      () => api.answerFollowRequest(surface, person.id, approve),
      (answer, ticket) => this.#showSurface(answer, ticket),
      () => void this.answerRequest(surface, person, approve),
    );
  }

  unblock(surface: Surface, person: PersonView): Promise<void> {
    return this.#act(
      surface,
      `unblock:${person.id}`,
      `unblock ${displayNameOf(person)} on ${SURFACE_LABEL[surface]}`,
      () => api.unblock(surface, person.id),
      (answer, ticket) => this.#showSurface(answer, ticket),
      () => void this.unblock(surface, person),
    );
  }

  unmute(surface: Surface, person: PersonView): Promise<void> {
    return this.#act(
      surface,
      `unmute:${person.id}`,
      `unmute ${displayNameOf(person)} on ${SURFACE_LABEL[surface]}`,
      () => api.unmute(surface, person.id),
      (answer, ticket) => this.#showSurface(answer, ticket),
      () => void this.unmute(surface, person),
    );
  }

  /** One of Facets' own settings on this computer; the switch follows what Facets stored. */
  setLocal(change: LocalPrivacyChange): Promise<void> {
    return this.#act(
      "local",
      change.setting,
      localChangeFailedAction(change),
      () => api.setLocalPrivacy(change),
      (answer, ticket) => this.#showLocal(answer, ticket),
      () => void this.setLocal(change),
    );
  }

  async #act<T>(
    slot: PrivacySlot,
    what: string,
    failedAction: string,
    request: () => Promise<T>,
    show: (answer: T, ticket: number) => void,
    retry: () => void,
  ): Promise<void> {
    const key = `${slot}:${what}`;
    if (this.#pending.has(key)) return;
    this.#pending.add(key);
    const ticket = ++this.#tickets;
    try {
      show(await request(), ticket);
      this.#setProblem(slot, null);
    } catch (raw) {
      this.#setProblem(slot, { error: toCommandFailure(raw), failedAction, retry });
    } finally {
      this.#pending.delete(key);
      this.#onchange();
    }
  }

  /** Takes the answer for a slot unless a newer one is already shown. */
  #claim(slot: PrivacySlot, ticket: number): boolean {
    if ((this.#shown.get(slot) ?? 0) > ticket) return false;
    this.#shown.set(slot, ticket);
    return true;
  }

  #showCenter(next: PrivacyCenter, ticket: number): void {
    const current = this.center;
    const surfaces = next.surfaces.map((incoming) => {
      const shown = current?.surfaces.find((candidate) => candidate.surface === incoming.surface);
      return this.#claim(incoming.surface, ticket) || !shown ? incoming : shown;
    });
    const local = this.#claim("local", ticket) || !current ? next.local : current.local;
    this.center = { surfaces, local };
  }

  #showSurface(next: SurfacePrivacy, ticket: number): void {
    const current = this.center;
    if (!current || !this.#claim(next.surface, ticket)) return;
    this.center = {
      ...current,
      surfaces: current.surfaces.map((shown) => (shown.surface === next.surface ? next : shown)),
    };
  }

  #showLocal(next: PrivacySettings, ticket: number): void {
    const current = this.center;
    if (!current || !this.#claim("local", ticket)) return;
    this.center = { ...current, local: next };
  }

  #setProblem(slot: PrivacySlot, problem: PrivacyProblem | null): void {
    if (problem === null && this.problems[slot] === undefined) return;
    const next = { ...this.problems };
    if (problem === null) delete next[slot];
    else next[slot] = problem;
    this.problems = next;
  }
}
