// The rules of composing, kept out of the markup: what each surface will post,
// how its server counts characters, what stops a draft from being published,
// and the plain words the composer shows. Pure: the limits come from the core
// (`compose_limits`) and "now" is passed in.

import { dateTimeFormat } from "./intl";
import type {
  Audience,
  ComposeLimits,
  Draft,
  DraftMedia,
  OutboxEntry,
  OutboxState,
  Surface,
  SurfaceVariant,
  WaitReason,
} from "./types";

export const SURFACES: readonly Surface[] = ["feed", "visual"];

export const SURFACE_LABEL: Record<Surface, string> = { feed: "Feed", visual: "Visual" };

// ---------------------------------------------------------------------------
// What a surface will post

export function variantOf(draft: Draft, surface: Surface): SurfaceVariant | undefined {
  return draft.variants.find((variant) => variant.surface === surface);
}

export function enabledSurfaces(draft: Draft): Surface[] {
  return SURFACES.filter((surface) => variantOf(draft, surface)?.enabled === true);
}

/**
 * Whether Facets will also post this draft to Feed because the person asked
 * for Visual posts to be shared there (a Privacy setting): only a public or
 * unlisted post for Visual alone, and only when Feed is linked. Mirrors the
 * core, which decides.
 */
export function sharedToFeed(draft: Draft, shareVisualToFeed: boolean, limits: readonly ComposeLimits[]): boolean {
  const visual = variantOf(draft, "visual");
  return (
    shareVisualToFeed &&
    enabledSurfaces(draft).join() === "visual" &&
    (visual?.audience === "public" || visual?.audience === "unlisted") &&
    limits.some((limit) => limit.surface === "feed")
  );
}

/** The text a surface will post: the shared text unless the variant is customised. */
export function textFor(draft: Draft, variant: SurfaceVariant): string {
  return variant.customised ? variant.text : draft.text;
}

/**
 * The media a surface will post: everything in draft order, or the customised
 * variant's own choice, still in draft order, skipping ids no longer attached.
 */
export function mediaFor(draft: Draft, variant: SurfaceVariant): DraftMedia[] {
  if (!variant.customised) return draft.media;
  const chosen = new Set(variant.mediaIds);
  return draft.media.filter((media) => chosen.has(media.id));
}

/** Starts a surface's own version from what it posts now. */
export function customise(draft: Draft, surface: Surface): void {
  const variant = variantOf(draft, surface);
  if (!variant || variant.customised) return;
  variant.text = draft.text;
  variant.mediaIds = draft.media.map((media) => media.id);
  variant.customised = true;
}

/** Goes back to the shared text and all media. */
export function useShared(draft: Draft, surface: Surface): void {
  const variant = variantOf(draft, surface);
  if (!variant) return;
  variant.customised = false;
  variant.text = "";
  variant.mediaIds = [];
}

/** Includes or leaves out one image on a customised surface, keeping draft order. */
export function setMediaIncluded(
  draft: Draft,
  variant: SurfaceVariant,
  mediaId: string,
  included: boolean,
): void {
  const chosen = new Set(variant.mediaIds);
  if (included) chosen.add(mediaId);
  else chosen.delete(mediaId);
  variant.mediaIds = draft.media.map((media) => media.id).filter((id) => chosen.has(id));
}

/** Moves the item at `index` by `delta` places; out-of-range moves change nothing. */
export function moveItem<T>(items: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) {
    return [...items];
  }
  const moved = [...items];
  const [item] = moved.splice(index, 1);
  moved.splice(target, 0, item as T);
  return moved;
}

/**
 * Takes the attachments from the core's copy of a draft (after attaching or
 * removing media) into the copy being edited, which keeps its newer text.
 * Customised surfaces get new images too and lose removed ones.
 */
export function withStoredMedia(local: Draft, stored: Draft): Draft {
  const before = new Set(local.media.map((media) => media.id));
  const localDescriptions = new Map(local.media.map((media) => [media.id, media.description]));
  const media = stored.media.map((item) => ({
    ...item,
    description: localDescriptions.get(item.id) ?? item.description,
  }));
  const present = new Set(media.map((item) => item.id));
  const added = media.filter((item) => !before.has(item.id)).map((item) => item.id);
  // Keep the local order for what was already there; new media go at the end.
  const order = [
    ...local.media.map((item) => item.id).filter((id) => present.has(id)),
    ...added,
  ];
  const byId = new Map(media.map((item) => [item.id, item]));
  return {
    ...local,
    updatedAt: stored.updatedAt,
    media: order.map((id) => byId.get(id)!),
    variants: local.variants.map((variant) =>
      variant.customised
        ? {
            ...variant,
            mediaIds: [...variant.mediaIds.filter((id) => present.has(id)), ...added],
          }
        : variant,
    ),
  };
}

/** A draft nobody has written anything in; not worth keeping when you move on. */
export function isBlankDraft(draft: Draft): boolean {
  return (
    draft.text.trim() === "" &&
    draft.spoilerText.trim() === "" &&
    draft.media.length === 0 &&
    draft.variants.every((variant) => !variant.customised || variant.text.trim() === "")
  );
}

// ---------------------------------------------------------------------------
// Counting characters the way Mastodon does

const URL_PATTERN = /(^|[^\p{L}\p{N}_/@.-])(https?:\/\/[^\s<>"]+)/giu;
// Trailing punctuation ends a sentence, not the link ("see https://a.example.").
const URL_TRAILING_PUNCTUATION = /[.,:;!?'")\]}]+$/u;
// `@user@domain` counts as `@user`: the part the reader sees.
const REMOTE_MENTION = /(^|[^/\p{L}\p{N}_])@([a-z0-9_]+)@[a-z0-9.-]+[a-z0-9]+/giu;

const graphemes =
  typeof Intl !== "undefined" && "Segmenter" in Intl
    ? new Intl.Segmenter(undefined, { granularity: "grapheme" })
    : null;

/** User-perceived characters: an emoji with modifiers is one. */
export function graphemeLength(text: string): number {
  if (graphemes === null) return Array.from(text).length;
  let count = 0;
  for (const _ of graphemes.segment(text)) count++;
  return count;
}

/**
 * The length a Mastodon server checks against its limit: every http(s) URL
 * counts as `reservedPerUrl` characters (as written when that is 0), and
 * `@user@domain` counts as `@user`.
 */
export function countCharacters(text: string, reservedPerUrl: number): number {
  let countable = text;
  if (reservedPerUrl > 0) {
    const placeholder = "x".repeat(reservedPerUrl);
    countable = countable.replace(URL_PATTERN, (_match, before: string, url: string) => {
      const trailing = URL_TRAILING_PUNCTUATION.exec(url)?.[0] ?? "";
      return `${before}${placeholder}${trailing}`;
    });
  }
  countable = countable.replace(REMOTE_MENTION, "$1@$2");
  return graphemeLength(countable);
}

/** Characters a surface's post uses: its text plus the content warning, which counts too. */
export function charactersUsed(draft: Draft, variant: SurfaceVariant, limits: ComposeLimits): number {
  return (
    countCharacters(textFor(draft, variant), limits.charactersReservedPerUrl) +
    graphemeLength(draft.spoilerText)
  );
}

/** Characters left on a surface; negative when over. */
export function charactersLeft(draft: Draft, variant: SurfaceVariant, limits: ComposeLimits): number {
  return limits.maxCharacters - charactersUsed(draft, variant, limits);
}

/** Whether the text mentions anyone (`@user` or `@user@domain`). */
export function hasMention(text: string): boolean {
  return /(^|[^/\p{L}\p{N}_])@[a-z0-9_]+(@[a-z0-9.-]+[a-z0-9]+)?/iu.test(text);
}

// ---------------------------------------------------------------------------
// Who sees a post

export const AUDIENCES: readonly Audience[] = ["public", "unlisted", "private", "direct"];

export const AUDIENCE_LABEL: Record<Audience, string> = {
  public: "Public",
  unlisted: "Unlisted",
  private: "Followers only",
  direct: "Mentioned people only",
};

/**
 * The plain sentence under the audience picker. `privateAccount` is the
 * surface's `ComposeLimits.privateAccount`: where a private account shows
 * posts to followers only, a public or unlisted post reaches no one else, and
 * the sentence says so rather than promise "anyone".
 */
export function audienceSentence(
  audience: Audience,
  surface: Surface,
  privateAccount: ComposeLimits["privateAccount"],
): string {
  const name = SURFACE_LABEL[surface];
  switch (audience) {
    case "public":
      if (privateAccount === "followersOnly") return privateOnly(name);
      if (privateAccount === "approvesFollowers") {
        return `Anyone can see this, and it shows up in public timelines and search. Your ${name} account is private, so new followers need your approval.`;
      }
      return "Anyone can see this, and it shows up in public timelines and search.";
    case "unlisted":
      if (privateAccount === "followersOnly") return privateOnly(name);
      return "Anyone with the link can see this, but it stays out of public timelines.";
    case "private":
      return `Only people who follow you on ${name} can see this.`;
    case "direct":
      return "Only the people you mention can see this.";
  }
}

function privateOnly(name: string): string {
  return `Your ${name} account is private, so only the followers you approved will see this.`;
}

// ---------------------------------------------------------------------------
// What stops a draft from being published

export type IssueCode =
  | "noTarget"
  | "empty"
  | "overLimit"
  | "needsImage"
  | "tooManyMedia"
  | "unsupportedType"
  | "nobodyMentioned"
  | "missingAlt";

export interface ComposeIssue {
  code: IssueCode;
  /** The surface it is about; null for the whole draft. */
  surface: Surface | null;
  /** Blocking issues disable Publish; the others are worth knowing. */
  blocking: boolean;
  message: string;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Everything wrong with a draft, blocking issues first, in the order they should be fixed. */
export function validateDraft(draft: Draft, limits: readonly ComposeLimits[]): ComposeIssue[] {
  const issues: ComposeIssue[] = [];
  const targets = enabledSurfaces(draft);
  if (targets.length === 0) {
    issues.push({
      code: "noTarget",
      surface: null,
      blocking: true,
      message: "Choose where to post: turn on Feed, Visual or both.",
    });
  }

  for (const surface of targets) {
    const variant = variantOf(draft, surface)!;
    const name = SURFACE_LABEL[surface];
    const text = textFor(draft, variant);
    const media = mediaFor(draft, variant);
    const limit = limits.find((candidate) => candidate.surface === surface);

    if (limit?.requiresMedia && media.length === 0) {
      issues.push({
        code: "needsImage",
        surface,
        blocking: true,
        message: `${name} posts need at least one image. Add one, or turn ${name} off.`,
      });
    } else if (text.trim() === "" && media.length === 0) {
      issues.push({
        code: "empty",
        surface,
        blocking: true,
        message: `Write something or add an image to post on ${name}.`,
      });
    }

    if (limit) {
      const left = charactersLeft(draft, variant, limit);
      if (left < 0) {
        issues.push({
          code: "overLimit",
          surface,
          blocking: true,
          message: `${name} allows ${limit.maxCharacters} characters; this is ${plural(-left, "character", "characters")} over.`,
        });
      }
      if (media.length > limit.maxMediaAttachments) {
        issues.push({
          code: "tooManyMedia",
          surface,
          blocking: true,
          message: `${name} takes up to ${plural(limit.maxMediaAttachments, "image", "images")} in a post; this one has ${media.length}.`,
        });
      }
      for (const item of media) {
        if (!limit.supportedMimeTypes.includes(item.mimeType)) {
          issues.push({
            code: "unsupportedType",
            surface,
            blocking: true,
            message: `${name} can't post ${item.fileName} (${item.mimeType || "unknown type"}). Remove it${targets.length > 1 ? ` or leave it out of ${name}` : ""}.`,
          });
        }
      }
    }

    if (variant.audience === "direct" && !hasMention(text)) {
      issues.push({
        code: "nobodyMentioned",
        surface,
        blocking: false,
        message: `The ${name} post is for mentioned people only, but nobody is mentioned, so only you will see it.`,
      });
    }
  }

  const withoutAlt = draft.media.filter((media) => media.description.trim() === "").length;
  if (targets.length > 0 && withoutAlt > 0) {
    issues.push({
      code: "missingAlt",
      surface: null,
      blocking: false,
      message: `${withoutAlt === 1 ? "1 image has" : `${withoutAlt} images have`} no alt text. A short description lets people who can't see it know what it shows.`,
    });
  }

  return [...issues.filter((issue) => issue.blocking), ...issues.filter((issue) => !issue.blocking)];
}

/** Why Publish is disabled, or null when it is not. */
export function publishBlocker(issues: readonly ComposeIssue[]): string | null {
  return issues.find((issue) => issue.blocking)?.message ?? null;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * Checks a file before it is attached. Drafts do not record file sizes, so
 * this is the only place the size limits can be checked: a file too big for
 * any surface the draft is aimed at is refused. Types are checked against
 * every surface here, and per surface by `validateDraft`.
 */
export function attachmentProblem(
  file: Pick<File, "name" | "type" | "size">,
  limits: readonly ComposeLimits[],
  targets: readonly Surface[],
): string | null {
  if (limits.length === 0) return null;
  if (!limits.some((limit) => limit.supportedMimeTypes.includes(file.type))) {
    return `${file.name} isn't an image Facets can post.`;
  }
  for (const limit of limits) {
    if (targets.includes(limit.surface) && file.size > limit.imageSizeLimit) {
      return `${file.name} is ${formatBytes(file.size)}; ${SURFACE_LABEL[limit.surface]} takes images up to ${formatBytes(limit.imageSizeLimit)}.`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------
// The outbox in words

const STATE_LABEL: Record<OutboxState, string> = {
  queued: "Queued",
  uploading: "Uploading media",
  sending: "Sending",
  sent: "Sent",
  failed: "Failed",
  waiting: "Waiting to try again",
  cancelled: "Cancelled",
};

const WAIT_LABEL: Record<WaitReason, string> = {
  network: "Waiting for network",
  server: "Waiting: the server had trouble",
  rate_limit: "Waiting: the server asked Facets to slow down",
  session: "Waiting for sign-in",
  processing: "Waiting for the server to process the media",
};

/** What is happening to an entry, e.g. "Failed: The server refused the image". */
export function outboxStateLabel(entry: Pick<OutboxEntry, "state" | "lastError" | "waitingFor">): string {
  if (entry.state === "waiting" && entry.waitingFor !== null) {
    return WAIT_LABEL[entry.waitingFor] ?? STATE_LABEL.waiting;
  }
  const label = STATE_LABEL[entry.state] ?? entry.state;
  const reason = entry.lastError?.trim().replace(/\.$/, "") ?? "";
  if (entry.state === "failed" && reason !== "") return `${label}: ${reason}`;
  return label;
}

/** "next try in 3 min" for a waiting entry, or null when no time is known. */
export function nextAttemptLabel(entry: Pick<OutboxEntry, "state" | "nextAttemptAt">, now: Date): string | null {
  if (entry.state !== "waiting" || entry.nextAttemptAt === null) return null;
  const at = new Date(entry.nextAttemptAt).getTime();
  if (Number.isNaN(at)) return null;
  const seconds = Math.ceil((at - now.getTime()) / 1000);
  if (seconds <= 5) return "trying again now";
  if (seconds < 60) return `next try in ${seconds} s`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return `next try in ${minutes} min`;
  return `next try in ${Math.ceil(minutes / 60)} h`;
}

export function canRetry(entry: Pick<OutboxEntry, "state">): boolean {
  return entry.state === "failed" || entry.state === "waiting";
}

export function canCancel(entry: Pick<OutboxEntry, "state">): boolean {
  return entry.state === "queued" || entry.state === "waiting" || entry.state === "failed";
}

/** Adds or replaces an entry from `outbox-changed`, keeping newest first. */
export function mergeOutboxEntry(entries: readonly OutboxEntry[], changed: OutboxEntry): OutboxEntry[] {
  const others = entries.filter((entry) => entry.id !== changed.id);
  return [...others, changed].sort((a, b) => timeOf(b.createdAt) - timeOf(a.createdAt));
}

// ---------------------------------------------------------------------------
// Drafts in words

/** The first line of a draft, shortened, or what it holds when it has no text. */
export function draftExcerpt(draft: Draft, maxLength = 80): string {
  const firstLine =
    draft.text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .find((line) => line !== "") ?? "";
  if (firstLine !== "") {
    const chars = Array.from(firstLine);
    return chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join("").trimEnd()}…` : firstLine;
  }
  if (draft.media.length > 0) return plural(draft.media.length, "image", "images");
  return "Empty draft";
}

/**
 * When a draft was last touched, to follow "from": "just now", "today at
 * 14:05", "yesterday at 09:30", "Mar 4", "Mar 4, 2023".
 */
export function draftAge(iso: string, now: Date, locale?: string): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return "earlier";
  if (now.getTime() - then.getTime() < 60_000) return "just now";
  const time = dateTimeFormat(locale, { timeStyle: "short" }).format(then);
  const startOfToday = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const startOfYesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1).getTime();
  if (then.getTime() >= startOfToday) return `today at ${time}`;
  if (then.getTime() >= startOfYesterday) return `yesterday at ${time}`;
  return dateTimeFormat(locale, {
    month: "short",
    day: "numeric",
    year: then.getFullYear() === now.getFullYear() ? undefined : "numeric",
  }).format(then);
}

/** Newest updated first, whatever order they arrived in. */
export function newestFirst(drafts: readonly Draft[]): Draft[] {
  return [...drafts].sort((a, b) => timeOf(b.updatedAt) - timeOf(a.updatedAt));
}

function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? 0 : time;
}
