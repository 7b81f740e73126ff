// @vitest-environment jsdom
// A conversation read far back, against a stand-in for the core. jsdom has no
// layout: as in VirtualList.test.ts, the log is given a viewport and a scroll
// offset, and every row of its list a height, so what the reader sees can be
// checked wherever the log is scrolled.
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";
import { flushSync, tick } from "svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { outboxEntry } from "../lib/testDrafts";
import { conversation, conversationView, message } from "../lib/testInbox";
import type { ConversationView, MessageView } from "../lib/types";
import ConversationPane from "./ConversationPane.svelte";

const api = vi.hoisted(() => ({
  conversation: vi.fn<typeof import("../lib/api").conversation>(),
  markConversationRead: vi.fn<typeof import("../lib/api").markConversationRead>(),
  replyToConversation: vi.fn<typeof import("../lib/api").replyToConversation>(),
  onInboxChanged: vi.fn<typeof import("../lib/api").onInboxChanged>(),
  onOutboxChanged: vi.fn<typeof import("../lib/api").onOutboxChanged>(),
}));
vi.mock("../lib/api", () => api);

/** Taller than the pane's estimate, so rows move as they are measured, as they do in a browser. */
const ROW_PX = 80;
const VIEWPORT_PX = 600;
/** The "Load older messages" button above the list, while there are older pages. */
const OLDER_BUTTON_PX = 40;
/** 20,000 messages take seconds to load in jsdom, more on a busy machine. */
const LONG_MS = 20_000;

const summary = conversation("feed", "c1");
let inboxListeners: (() => void)[] = [];

function messages(from: number, to: number): MessageView[] {
  return Array.from({ length: to - from }, (_, i) => message(`feed:m${from + i}`));
}

/** An answer the test gives when it chooses. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((onResolve) => (resolve = onResolve));
  return { promise, resolve };
}

function answer(view: ConversationView): void {
  api.conversation.mockImplementation(async () => view);
}

// The boxes a browser would give: the log is VIEWPORT_PX tall and scrolls its
// content (the older button, then the list's padding and rows, each ROW_PX).
const scrollTops = new WeakMap<Element, number>();

function logOf(element: Element): HTMLElement | null {
  return element.closest<HTMLElement>("[role='log']");
}

function aboveList(log: Element): number {
  return log.querySelector("[data-testid='load-older']") ? OLDER_BUTTON_PX : 0;
}

function listHeight(log: Element): number {
  const list = log.querySelector<HTMLElement>(".virtual-list");
  if (!list) return 0;
  return parseFloat(list.style.paddingTop || "0") + list.children.length * ROW_PX + parseFloat(list.style.paddingBottom || "0");
}

function fakeLayout(): void {
  const box = (y: number, height: number) => DOMRect.fromRect({ x: 0, y, width: 600, height });
  vi.spyOn(Element.prototype, "clientHeight", "get").mockImplementation(function (this: Element) {
    return this.getAttribute("role") === "log" ? VIEWPORT_PX : 0;
  });
  vi.spyOn(Element.prototype, "scrollHeight", "get").mockImplementation(function (this: Element) {
    return this.getAttribute("role") === "log" ? aboveList(this) + listHeight(this) : 0;
  });
  vi.spyOn(Element.prototype, "scrollTop", "get").mockImplementation(function (this: Element) {
    return scrollTops.get(this) ?? 0;
  });
  vi.spyOn(Element.prototype, "scrollTop", "set").mockImplementation(function (this: Element, value: number) {
    const end = this.getAttribute("role") === "log" ? Math.max(0, this.scrollHeight - VIEWPORT_PX) : Infinity;
    scrollTops.set(this, Math.min(Math.max(0, value), end));
  });
  vi.spyOn(Element.prototype, "getBoundingClientRect").mockImplementation(function (this: Element) {
    const log = logOf(this);
    if (!log) return box(0, 0);
    if (this === log) return box(0, VIEWPORT_PX);
    const listTop = aboveList(log) - log.scrollTop;
    if (this.matches(".virtual-list")) return box(listTop, listHeight(log));
    if (this.matches(".virtual-list > li")) {
      const list = this.parentElement!;
      const index = Array.prototype.indexOf.call(list.children, this);
      return box(listTop + parseFloat(list.style.paddingTop || "0") + index * ROW_PX, ROW_PX);
    }
    return box(0, 0);
  });
}

function log(): HTMLElement {
  return screen.getByRole("log");
}

function shownKeys(): string[] {
  return screen.getAllByTestId("message").map((element) => element.dataset.key ?? "");
}

/** The row at the top of the viewport, and how far its top is from the viewport's. */
function readingPosition(): { key: string; offset: number } {
  const row = Array.from(log().querySelectorAll<HTMLElement>(".virtual-list > li")).find(
    (element) => element.getBoundingClientRect().bottom > 0,
  );
  if (!row) throw new Error("no row in view");
  return { key: row.dataset.key ?? "", offset: row.getBoundingClientRect().top };
}

function where(key: string): number {
  const row = Array.from(log().querySelectorAll<HTMLElement>(".virtual-list > li")).find(
    (element) => element.dataset.key === key,
  );
  if (!row) throw new Error(`${key} is not in the DOM`);
  return row.getBoundingClientRect().top;
}

function atEnd(): boolean {
  return log().scrollTop === log().scrollHeight - VIEWPORT_PX;
}

/** Lets rows render, be measured and the scroll position follow, as frames would. */
async function settle(): Promise<void> {
  for (let round = 0; round < 10; round++) {
    flushSync();
    await tick();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

async function scrollTo(top: number): Promise<void> {
  log().scrollTop = top;
  await fireEvent.scroll(log());
  await settle();
}

async function open(found: { messageKey: string } | null = null): Promise<void> {
  render(ConversationPane, {
    props: { conversationKey: summary.key, summary, found, onsummary: () => {}, onclose: () => {}, onback: () => {} },
  });
  await screen.findAllByTestId("message");
  await settle();
}

beforeEach(() => {
  inboxListeners = [];
  api.markConversationRead.mockResolvedValue(summary);
  api.onOutboxChanged.mockResolvedValue(() => {});
  api.onInboxChanged.mockImplementation(async (handler) => {
    inboxListeners.push(handler);
    return () => (inboxListeners = inboxListeners.filter((listener) => listener !== handler));
  });
  fakeLayout();
});

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  document.body.innerHTML = "";
});

describe("ConversationPane with a long history", () => {
  it("keeps at most about 60 messages in the DOM with 20,000 loaded, at the end where it opens and anywhere above", async () => {
    answer(conversationView(summary, messages(0, 20_000)));
    await open();

    expect(screen.getByRole("list", { name: "Messages" }).dataset.total).toBe("20000");
    expect(atEnd()).toBe(true);
    expect(shownKeys()).toContain("feed:m19999");
    expect(shownKeys().length).toBeLessThanOrEqual(60);
    expect(where("feed:m19999")).toBe(VIEWPORT_PX - ROW_PX);

    await scrollTo(0);
    expect(shownKeys()[0]).toBe("feed:m0");
    expect(shownKeys().length).toBeLessThanOrEqual(60);

    await scrollTo(log().scrollHeight / 2);
    const middle = shownKeys();
    expect(middle.length).toBeGreaterThan(0);
    expect(middle.length).toBeLessThanOrEqual(60);
    const first = Number(middle[0]!.slice("feed:m".length));
    expect(first).toBeGreaterThan(5_000);
    expect(first).toBeLessThan(15_000);
  }, LONG_MS);

  it("brings a search hit far above the end into view and highlights it", async () => {
    answer(conversationView(summary, messages(0, 20_000)));
    await open({ messageKey: "feed:m5000" });

    const found = screen.getAllByTestId("message").find((element) => element.dataset.key === "feed:m5000");
    expect(found?.classList.contains("found")).toBe(true);
    expect(where("feed:m5000")).toBeGreaterThanOrEqual(0);
    expect(where("feed:m5000")).toBeLessThanOrEqual(VIEWPORT_PX - ROW_PX);
    expect(shownKeys().length).toBeLessThanOrEqual(60);
  }, LONG_MS);

  it("keeps the message being read still when an older page arrives above it", async () => {
    answer(conversationView(summary, messages(1_000, 1_200), { olderCursor: "before-m1000" }));
    await open();
    const older = deferred<ConversationView>();
    api.conversation.mockImplementation(async (_key, before) =>
      before === "before-m1000" ? older.promise : conversationView(summary, messages(1_000, 1_200)),
    );

    // Near the start the next page is asked for; the top of the first message is read meanwhile.
    await scrollTo(OLDER_BUTTON_PX + 30);
    expect(api.conversation).toHaveBeenCalledWith(summary.key, "before-m1000");
    const before = readingPosition();
    expect(before).toEqual({ key: "feed:m1000", offset: -30 });

    // The last page: the button above goes with it.
    older.resolve(conversationView(summary, messages(950, 1_000), { olderCursor: null }));
    await settle();
    expect(screen.queryByTestId("load-older")).toBeNull();
    expect(readingPosition()).toEqual(before);
    expect(shownKeys()).toContain("feed:m999");
  });

  it("keeps the first message in view when older messages arrive while the very top is shown", async () => {
    answer(conversationView(summary, messages(1_000, 1_200), { olderCursor: "before-m1000" }));
    await open();
    const older = deferred<ConversationView>();
    api.conversation.mockImplementation(async (_key, before) =>
      before === "before-m1000" ? older.promise : conversationView(summary, messages(1_000, 1_200)),
    );

    await scrollTo(0);
    expect(api.conversation).toHaveBeenCalledWith(summary.key, "before-m1000");
    const before = where("feed:m1000");
    older.resolve(conversationView(summary, messages(950, 1_000), { olderCursor: "before-m950" }));
    await settle();

    // A feed would show the new rows at the top; here the reader stays with what they read.
    expect(shownKeys()[0]).not.toBe("feed:m950");
    expect(log().scrollTop).toBeGreaterThan(0);
    expect(Math.abs(where("feed:m1000") - before)).toBeLessThan(ROW_PX);
  });

  it("leaves the message being read where it is when new ones arrive below, and follows them at the end", async () => {
    answer(conversationView(summary, messages(0, 200)));
    await open();
    await scrollTo(log().scrollHeight / 2);
    const before = readingPosition();
    const scrolled = log().scrollTop;

    answer(conversationView(summary, messages(0, 205)));
    for (const listener of inboxListeners) listener();
    await settle();
    expect(screen.getByRole("list", { name: "Messages" }).dataset.total).toBe("205");
    expect(readingPosition()).toEqual(before);
    expect(log().scrollTop).toBe(scrolled);

    await scrollTo(log().scrollHeight);
    answer(conversationView(summary, messages(0, 210)));
    for (const listener of inboxListeners) listener();
    await settle();
    expect(atEnd()).toBe(true);
    expect(where("feed:m209")).toBe(VIEWPORT_PX - ROW_PX);
  });

  it("shows the end with the reply when one is sent while reading further up", async () => {
    answer(conversationView(summary, messages(0, 200)));
    await open();
    await scrollTo(log().scrollHeight / 2);
    expect(shownKeys()).not.toContain("feed:m199");

    api.replyToConversation.mockResolvedValue(outboxEntry("r1", { summary: "On my way" }));
    await fireEvent.input(screen.getByTestId("reply-text"), { target: { value: "On my way" } });
    await fireEvent.click(screen.getByTestId("reply-send"));
    await settle();

    expect(screen.getByTestId("pending-message")).toBeTruthy();
    expect(atEnd()).toBe(true);
    expect(shownKeys()).toContain("feed:m199");
  });
});
