// Turning failed commands into something a person can act on.
//
// The Rust side rejects every command with a `CommandError` ({ kind, message }).
// Anything else that reaches us (a bridge failure, a bug) is folded into the
// same shape so views only ever deal with one error type, and pick their
// wording from `kind`, never by matching on message text.

import type { CommandError } from "./types";

export type CommandErrorKind = CommandError["kind"];

const KNOWN_KINDS: readonly CommandErrorKind[] = [
  "offline",
  "server",
  "unauthorized",
  "notFound",
  "invalid",
  "internal",
];

/** A rejected command, as an `Error` so it keeps a stack for the console. */
export class CommandFailure extends Error implements CommandError {
  readonly kind: CommandErrorKind;

  constructor(kind: CommandErrorKind, message: string) {
    super(message);
    this.name = "CommandFailure";
    this.kind = kind;
  }
}

export function isCommandError(value: unknown): value is CommandError {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { kind?: unknown; message?: unknown };
  return (
    typeof candidate.message === "string" &&
    KNOWN_KINDS.includes(candidate.kind as CommandErrorKind)
  );
}

/** Normalises whatever a rejected `invoke` produced into a `CommandFailure`. */
export function toCommandFailure(raw: unknown): CommandFailure {
  if (raw instanceof CommandFailure) return raw;
  if (isCommandError(raw)) return new CommandFailure(raw.kind, raw.message);
  if (typeof raw === "string") return new CommandFailure("internal", raw);
  if (raw instanceof Error) return new CommandFailure("internal", raw.message);
  // A kind this UI does not know yet still carries the core's own sentence.
  const message = (raw as { message?: unknown } | null)?.message;
  return new CommandFailure("internal", typeof message === "string" ? message : "");
}

export interface ErrorSentence {
  /** What failed, e.g. "Couldn't refresh your feed." */
  title: string;
  /** Why, and what to do next: the core's own sentence, or ours when it gave none. */
  detail: string;
  /** Whether trying the same thing again can help; views show Retry only then. */
  canRetry: boolean;
}

// The core's messages already end with a way forward ("…try again when you're
// back online."), so these only stand in when a message is missing.
const NEXT_STEP: Record<CommandErrorKind, { hint: string; canRetry: boolean; fallback: string }> = {
  offline: {
    fallback: "The server could not be reached.",
    hint: "Check your connection, then try again. What is saved on this device stays readable.",
    canRetry: true,
  },
  server: {
    fallback: "The server answered with an error.",
    hint: "It may be busy; try again in a moment.",
    canRetry: true,
  },
  unauthorized: {
    fallback: "The server no longer accepts this sign-in.",
    hint: "Sign in to this account again to continue.",
    canRetry: false,
  },
  notFound: {
    fallback: "That isn't available any more.",
    hint: "It may have been deleted.",
    canRetry: false,
  },
  invalid: {
    fallback: "That can't be done as it stands.",
    hint: "Change it and try again.",
    canRetry: false,
  },
  internal: {
    fallback: "Something went wrong inside Facets.",
    hint: "Try again; if it keeps happening, restart Facets.",
    canRetry: true,
  },
};

const MAX_DETAIL_LENGTH = 400;

/**
 * Keeps the first line of a message (never a stack trace), trims it to a
 * readable length and makes it a sentence.
 */
export function asSentence(message: string): string {
  const firstLine = message.split(/\r?\n/, 1)[0]?.trim() ?? "";
  if (firstLine === "") return "";
  let sentence =
    firstLine.length > MAX_DETAIL_LENGTH
      ? `${firstLine.slice(0, MAX_DETAIL_LENGTH - 1).trimEnd()}…`
      : firstLine;
  sentence = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  return /[.!?…]$/.test(sentence) ? sentence : `${sentence}.`;
}

/**
 * Describes a failure for display.
 * @param failedAction what the person was doing, phrased to follow "Couldn't",
 *   e.g. "refresh your feed".
 */
export function describeError(error: CommandError, failedAction: string): ErrorSentence {
  const step = NEXT_STEP[error.kind] ?? NEXT_STEP.internal;
  return {
    title: `Couldn't ${failedAction}.`,
    detail: asSentence(error.message) || `${step.fallback} ${step.hint}`,
    canRetry: step.canRetry,
  };
}
