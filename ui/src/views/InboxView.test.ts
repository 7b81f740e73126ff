// @vitest-environment jsdom
// The inbox against a stand-in for the core: the list, an open conversation,
// replies through the outbox, search, the events that keep them current, new
// conversations, telling it who is the same person, and its notifications.
import { screen, waitFor, within } from "@testing-library/svelte";
import { tick } from "svelte";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { outboxEntry } from "../lib/testDrafts";
import {
  ada,
  alan,
  conversation,
  conversationView,
  group,
  inboxOf,
  me,
  message,
  preview,
  searchHit,
} from "../lib/testInbox";
import { person } from "../lib/testPosts";
import type { ConversationSummary, ConversationView, InboxView, OutboxEntry, PersonView } from "../lib/types";

const api = vi.hoisted(() => ({
  inbox: vi.fn<typeof import("../lib/api").inbox>(),
  conversation: vi.fn<typeof import("../lib/api").conversation>(),
  markConversationRead: vi.fn<typeof import("../lib/api").markConversationRead>(),
  markConversationUnread: vi.fn<typeof import("../lib/api").markConversationUnread>(),
  replyToConversation: vi.fn<typeof import("../lib/api").replyToConversation>(),
  searchMessages: vi.fn<typeof import("../lib/api").searchMessages>(),
  refreshInbox: vi.fn<typeof import("../lib/api").refreshInbox>(),
  onInboxChanged: vi.fn<typeof import("../lib/api").onInboxChanged>(),
  onOutboxChanged: vi.fn<typeof import("../lib/api").onOutboxChanged>(),
  outboxRetry: vi.fn<typeof import("../lib/api").outboxRetry>(),
  startConversation: vi.fn<typeof import("../lib/api").startConversation>(),
  knownPeople: vi.fn<typeof import("../lib/api").knownPeople>(),
  findPeople: vi.fn<typeof import("../lib/api").findPeople>(),
  setSamePerson: vi.fn<typeof import("../lib/api").setSamePerson>(),
  inboxSettings: vi.fn<typeof import("../lib/api").inboxSettings>(),
  setInboxNotify: vi.fn<typeof import("../lib/api").setInboxNotify>(),
}));
vi.mock("../lib/api", () => api);

// The inbox store lives as long as the app, so each test loads a fresh one.
let unmount = () => {};
let fireEvent: typeof import("@testing-library/svelte").fireEvent;

async function renderInbox(): Promise<void> {
  vi.resetModules();
  const [testing, { default: InboxView }, { default: Notices }] = await Promise.all([
    import("@testing-library/svelte"),
    import("./InboxView.svelte"),
    import("../components/Notices.svelte"),
  ]);
  fireEvent = testing.fireEvent;
  unmount = testing.cleanup;
  testing.render(InboxView);
  // Where the app shows confirmations, with their Undo.
  testing.render(Notices);
}

afterEach(() => unmount());

// Everyone subscribed to the core's events, so a test can emit them.
let inboxListeners: (() => void)[] = [];
let outboxListeners: ((entry: OutboxEntry) => void)[] = [];

function inboxChanged(): void {
  for (const listener of [...inboxListeners]) listener();
}

function outboxChanged(entry: OutboxEntry): void {
  for (const listener of [...outboxListeners]) listener(entry);
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

// Ada writes on both surfaces; Ada and Alan share a group chat on Visual.
const adaOnFeed = conversation("feed", "c1", {
  unread: true,
  lastMessage: preview("See you at the lab"),
  updatedAt: "2024-05-01T12:30:00Z",
});
const adaOnVisual = conversation("visual", "c2", {
  lastMessage: preview("Sent the photos", { fromMe: true, authorName: "Grace Hopper" }),
});
const groupChat = conversation("visual", "c3", {
  participants: [ada, alan],
  lastMessage: preview("Lovely", { authorName: "Alan Turing" }),
});

function mergedInbox(overrides: { feed?: ConversationSummary; visual?: ConversationSummary } = {}) {
  return inboxOf([
    group("person:ada", [overrides.feed ?? adaOnFeed, overrides.visual ?? adaOnVisual], { person: ada }),
    group("visual:c3", [groupChat], { person: null }),
  ]);
}

const visualMessages = [
  message("visual:m1", { contentHtml: "<p>Here is the lab</p>" }),
  message("visual:m2", { author: me, fromMe: true, contentHtml: "<p>Sent the photos</p>" }),
];

// jsdom has no layout: a test says when the end of the list comes into view.
let intersections: ((entries: { isIntersecting: boolean }[]) => void)[] = [];
beforeAll(() => {
  class ToldIntersectionObserver {
    constructor(callback: (entries: { isIntersecting: boolean }[]) => void) {
      intersections.push(callback);
    }
    observe(): void {}
    disconnect(): void {}
  }
  vi.stubGlobal("IntersectionObserver", ToldIntersectionObserver);
});

// What `conversation(key, null)` answers; a test may change it.
let views: Record<string, ConversationView> = {};

beforeEach(() => {
  intersections = [];
  views = {
    "feed:c1": conversationView(adaOnFeed, [message("feed:m1", { contentHtml: "<p>See you at the lab</p>" })]),
    "visual:c2": conversationView(adaOnVisual, visualMessages),
    "visual:c3": conversationView(groupChat, [message("visual:g1", { author: alan, contentHtml: "<p>Lovely</p>" })]),
  };
  inboxListeners = [];
  outboxListeners = [];
  api.inbox.mockResolvedValue(mergedInbox());
  api.refreshInbox.mockResolvedValue();
  api.conversation.mockImplementation(async (key) => views[key]!);
  api.markConversationRead.mockImplementation(async (key) => ({
    ...views[key]!.conversation,
    unread: false,
  }));
  api.searchMessages.mockResolvedValue([]);
  api.inboxSettings.mockResolvedValue({ notify: true });
  api.knownPeople.mockResolvedValue([]);
  api.findPeople.mockResolvedValue([]);
  api.onInboxChanged.mockImplementation(async (handler) => {
    inboxListeners.push(handler);
    return () => (inboxListeners = inboxListeners.filter((listener) => listener !== handler));
  });
  api.onOutboxChanged.mockImplementation(async (handler) => {
    outboxListeners.push(handler);
    return () => (outboxListeners = outboxListeners.filter((listener) => listener !== handler));
  });
});

function row(key: string): HTMLElement {
  const found = screen.getAllByTestId("inbox-conversation").find((element) => element.dataset.key === key);
  if (!found) throw new Error(`no row for ${key}`);
  return found;
}

async function openConversation(key: string): Promise<HTMLElement> {
  await screen.findAllByTestId("inbox-conversation");
  await fireEvent.click(row(key));
  const pane = await screen.findByTestId("conversation-view");
  await within(pane).findAllByTestId("message");
  return pane;
}

function replyBox(): HTMLTextAreaElement {
  return screen.getByTestId("reply-text") as HTMLTextAreaElement;
}

describe("InboxView", () => {
  it("lists groups and their conversations with surface, preview and unread state", async () => {
    await renderInbox();

    const groups = await screen.findAllByTestId("inbox-group");
    expect(groups).toHaveLength(2);
    expect(screen.getByTestId("inbox-delivery").textContent).toBe("Live on Feed · Visual checked every 30 s");
    // Ada's group names her once, with her two conversations under it.
    expect(within(groups[0]!).getAllByText("Ada Lovelace")).toHaveLength(1);
    expect(within(groups[0]!).getByText("@ada@feed.example")).toBeTruthy();
    expect(within(groups[0]!).getByTestId("inbox-group-unread").textContent).toContain("1");
    const rows = within(groups[0]!).getAllByTestId("inbox-conversation");
    expect(rows.map((element) => [element.dataset.surface, element.dataset.unread])).toEqual([
      ["feed", "true"],
      ["visual", "false"],
    ]);
    expect(within(rows[0]!).getByText("Feed")).toBeTruthy();
    expect(within(rows[1]!).getByText("Visual")).toBeTruthy();
    expect(within(rows[1]!).getByText("You: Sent the photos")).toBeTruthy();
    expect(rows[0]!.getAttribute("aria-label")).toMatch(/^Ada Lovelace on Feed, unread\. See you at the lab/);
    expect(rows[1]!.getAttribute("aria-label")).not.toContain("unread");

    // A group chat is one row naming everyone, its last message by author.
    const chat = within(groups[1]!).getByTestId("inbox-conversation");
    expect(within(chat).getByText("Ada Lovelace and Alan Turing")).toBeTruthy();
    expect(within(chat).getByText("Alan Turing: Lovely")).toBeTruthy();
    expect(within(groups[1]!).queryByTestId("inbox-group-unread")).toBeNull();

    expect(screen.getByTestId("inbox-surface-unread").textContent).toContain("Feed 1");
    expect(screen.getByTestId("inbox-surface-unread").textContent).not.toContain("Visual");
  });

  it("pulls new messages once when opened", async () => {
    await renderInbox();
    await screen.findAllByTestId("inbox-group");
    await waitFor(() => expect(api.refreshInbox).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(api.inbox).toHaveBeenCalledTimes(2));
  });

  it("heads each surface's conversations and offers no grouping when surfaces are kept apart", async () => {
    api.inbox.mockResolvedValue({
      ...inboxOf(
        [
          group("feed:c1", [adaOnFeed], { person: ada }),
          group("visual:c2", [adaOnVisual], { person: ada }),
          group("visual:c3", [groupChat], { person: null }),
        ],
        false,
      ),
      apart: true,
    });
    await renderInbox();
    await screen.findAllByTestId("inbox-group");
    const headings = screen.getAllByTestId("inbox-surface-heading").map((element) => element.textContent?.trim());
    expect(headings).toEqual(["Feed", "Visual"]);
    expect(screen.queryByTestId("inbox-merge-toggle")).toBeNull();
    expect(screen.getByTestId("inbox-kept-apart").textContent).toContain("kept apart");
  });

  it("has no surface headings in one inbox", async () => {
    await renderInbox();
    await screen.findAllByTestId("inbox-group");
    expect(screen.queryByTestId("inbox-surface-heading")).toBeNull();
    expect(screen.getByTestId("inbox-merge-toggle")).toBeTruthy();
  });

  it("says so when there are no conversations", async () => {
    api.inbox.mockResolvedValue(inboxOf([]));
    await renderInbox();
    expect(await screen.findByText("No conversations yet")).toBeTruthy();
    expect(screen.queryByTestId("inbox-group")).toBeNull();
  });

  it("shows why the inbox could not be read, and tries again", async () => {
    api.inbox.mockRejectedValue({ kind: "internal", message: "The cache is locked" });
    await renderInbox();
    expect(await screen.findByText("Couldn't open your inbox.")).toBeTruthy();
    expect(screen.getByText("The cache is locked.")).toBeTruthy();

    api.inbox.mockResolvedValue(mergedInbox());
    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findAllByTestId("inbox-group")).toHaveLength(2);
  });

  it("marks an unread conversation read when it opens, and the counts follow", async () => {
    await renderInbox();
    const pane = await openConversation("feed:c1");

    expect(api.conversation).toHaveBeenCalledWith("feed:c1", null);
    await waitFor(() => expect(api.markConversationRead).toHaveBeenCalledWith("feed:c1"));
    await waitFor(() => expect(row("feed:c1").dataset.unread).toBe("false"));
    expect(screen.queryByTestId("inbox-group-unread")).toBeNull();
    expect(screen.queryByTestId("inbox-surface-unread")).toBeNull();
    expect(row("feed:c1").getAttribute("aria-current")).toBe("true");
    expect(within(pane).getByRole("heading", { name: "Ada Lovelace" })).toBeTruthy();
    expect(within(pane).getByText("on Feed")).toBeTruthy();
    expect(within(pane).getByRole("log")).toBeTruthy();

    // A conversation already read is not marked again.
    await fireEvent.click(row("visual:c2"));
    await waitFor(() => expect(screen.getByTestId("conversation-view").dataset.key).toBe("visual:c2"));
    await within(screen.getByTestId("conversation-view")).findAllByTestId("message");
    expect(api.markConversationRead).toHaveBeenCalledTimes(1);
  });

  it("shows messages oldest first, yours apart from theirs, a warning folded", async () => {
    views["visual:c2"] = conversationView(adaOnVisual, [
      ...visualMessages,
      message("visual:m3", { spoilerText: "Food", contentHtml: "<p>Cake recipe</p>" }),
    ]);
    await renderInbox();
    const pane = await openConversation("visual:c2");

    const messages = within(pane).getAllByTestId("message");
    expect(messages.map((element) => element.dataset.key)).toEqual(["visual:m1", "visual:m2", "visual:m3"]);
    expect(messages[0]!.classList.contains("own")).toBe(false);
    expect(messages[1]!.classList.contains("own")).toBe(true);
    expect(within(messages[0]!).getByText("Ada Lovelace")).toBeTruthy();
    expect(within(messages[0]!).getByText("Here is the lab").closest(".rich-text")).toBeTruthy();

    expect(within(messages[2]!).getByText("Food")).toBeTruthy();
    expect(within(messages[2]!).queryByText("Cake recipe")).toBeNull();
    await fireEvent.click(within(messages[2]!).getByRole("button", { name: "Show more" }));
    expect(within(messages[2]!).getByText("Cake recipe")).toBeTruthy();
  });

  it("sends a reply through the conversation's surface, clearing the box only once it is queued", async () => {
    await renderInbox();
    await openConversation("visual:c2");

    const send = screen.getByTestId("reply-send") as HTMLButtonElement;
    expect(send.textContent).toContain("Send via Visual");
    expect(send.disabled).toBe(true);

    const queued = deferred<OutboxEntry>();
    api.replyToConversation.mockReturnValue(queued.promise);
    await fireEvent.input(replyBox(), { target: { value: "Thanks, they are lovely" } });
    await fireEvent.click(send);

    expect(api.replyToConversation).toHaveBeenCalledWith("visual:c2", "Thanks, they are lovely");
    expect(replyBox().value).toBe("Thanks, they are lovely");
    expect(screen.queryByTestId("pending-message")).toBeNull();

    queued.resolve(outboxEntry("r1", { surface: "visual", summary: "Thanks, they…" }));
    await waitFor(() => expect(replyBox().value).toBe(""));
    const pending = await screen.findByTestId("pending-message");
    expect(pending.dataset.state).toBe("queued");
    expect(within(pending).getByText("Queued")).toBeTruthy();
    // The whole reply, not the outbox's excerpt.
    expect(within(pending).getByText("Thanks, they are lovely")).toBeTruthy();
  });

  it("keeps the text and says why when the reply is refused; Ctrl+Enter sends", async () => {
    await renderInbox();
    await openConversation("feed:c1");
    expect(screen.getByTestId("reply-send").textContent).toContain("Send via Feed");

    api.replyToConversation.mockRejectedValue({ kind: "invalid", message: "Replies can't be empty" });
    await fireEvent.input(replyBox(), { target: { value: "Hello?" } });
    await fireEvent.keyDown(replyBox(), { key: "Enter", ctrlKey: true });

    expect(await screen.findByText("Couldn't send your reply.")).toBeTruthy();
    expect(screen.getByText("Replies can't be empty.")).toBeTruthy();
    expect(replyBox().value).toBe("Hello?");
    expect(screen.queryByTestId("pending-message")).toBeNull();

    api.replyToConversation.mockResolvedValue(outboxEntry("r2"));
    await fireEvent.keyDown(replyBox(), { key: "Enter", metaKey: true });
    await waitFor(() => expect(replyBox().value).toBe(""));
    expect(screen.queryByText("Couldn't send your reply.")).toBeNull();
    expect(api.replyToConversation).toHaveBeenLastCalledWith("feed:c1", "Hello?");
  });

  it("follows a pending reply through the outbox, retries it, and shows it as a message once sent", async () => {
    await renderInbox();
    await openConversation("visual:c2");
    api.replyToConversation.mockResolvedValue(outboxEntry("r1", { surface: "visual", summary: "On my way" }));
    await fireEvent.input(replyBox(), { target: { value: "On my way" } });
    await fireEvent.click(screen.getByTestId("reply-send"));
    const pending = await screen.findByTestId("pending-message");

    // Other posts' entries leave it alone.
    outboxChanged(outboxEntry("other", { state: "failed" }));
    outboxChanged(outboxEntry("r1", { surface: "visual", state: "sending" }));
    await waitFor(() => expect(pending.dataset.state).toBe("sending"));
    expect(within(pending).getByText("Sending")).toBeTruthy();

    outboxChanged(outboxEntry("r1", { surface: "visual", state: "failed", lastError: "The server refused it." }));
    await waitFor(() => expect(pending.dataset.state).toBe("failed"));
    expect(within(pending).getByText("Failed: The server refused it")).toBeTruthy();
    api.outboxRetry.mockResolvedValue(outboxEntry("r1", { surface: "visual", state: "queued" }));
    await fireEvent.click(within(pending).getByRole("button", { name: "Retry" }));
    expect(api.outboxRetry).toHaveBeenCalledWith("r1");
    await waitFor(() => expect(pending.dataset.state).toBe("queued"));
    expect(within(pending).queryByRole("button", { name: "Retry" })).toBeNull();

    const reads = api.conversation.mock.calls.length;
    api.conversation.mockResolvedValue(
      conversationView(adaOnVisual, [
        ...visualMessages,
        message("visual:m9", { author: me, fromMe: true, contentHtml: "<p>On my way</p>" }),
      ]),
    );
    outboxChanged(outboxEntry("r1", { surface: "visual", state: "sent", postKey: "visual:m9" }));

    await waitFor(() => expect(screen.queryByTestId("pending-message")).toBeNull());
    expect(api.conversation.mock.calls.length).toBe(reads + 1);
    expect(api.conversation).toHaveBeenLastCalledWith("visual:c2", null);
    const last = screen.getAllByTestId("message").at(-1)!;
    expect(last.dataset.key).toBe("visual:m9");
    expect(last.classList.contains("own")).toBe(true);
  });

  it("lists the conversation's replies still in the outbox when it opens", async () => {
    views["feed:c1"] = conversationView(adaOnFeed, [message("feed:m1")], {
      pending: [outboxEntry("old", { state: "waiting", waitingFor: "network", summary: "Are you there?" })],
    });
    await renderInbox();
    await openConversation("feed:c1");

    const pending = screen.getByTestId("pending-message");
    expect(pending.dataset.state).toBe("waiting");
    expect(within(pending).getByText("Are you there?")).toBeTruthy();
    expect(within(pending).getByText("Waiting for network")).toBeTruthy();
  });

  it("shows why a conversation could not be opened, and tries again", async () => {
    api.conversation.mockRejectedValueOnce({ kind: "notFound", message: "" });
    api.conversation.mockRejectedValueOnce({ kind: "offline", message: "The server could not be reached" });
    await renderInbox();
    await screen.findAllByTestId("inbox-conversation");
    await fireEvent.click(row("visual:c2"));

    const pane = await screen.findByTestId("conversation-view");
    expect(await within(pane).findByText("Couldn't open this conversation.")).toBeTruthy();
    expect(within(pane).queryByRole("button", { name: "Try again" })).toBeNull();
    expect(within(pane).queryByTestId("reply-text")).toBeNull();

    // Opening it again asks again; an offline failure can be retried in place.
    await fireEvent.click(screen.getByTestId("conversation-back"));
    await fireEvent.click(row("visual:c2"));
    const retry = await within(screen.getByTestId("conversation-view")).findByRole("button", { name: "Try again" });
    await fireEvent.click(retry);
    expect(await screen.findAllByTestId("message")).toHaveLength(2);
  });

  it("marks a conversation unread and goes back to the list", async () => {
    await renderInbox();
    await openConversation("visual:c2");
    api.markConversationUnread.mockResolvedValue({ ...adaOnVisual, unread: true });

    await fireEvent.click(screen.getByTestId("conversation-mark-unread"));

    expect(api.markConversationUnread).toHaveBeenCalledWith("visual:c2");
    await waitFor(() => expect(screen.queryByTestId("conversation-view")).toBeNull());
    expect(row("visual:c2").dataset.unread).toBe("true");
    expect(row("visual:c2").getAttribute("aria-label")).toContain("unread");
    expect(screen.getByTestId("inbox-surface-unread").textContent).toContain("Visual 1");
    await waitFor(() => expect(document.activeElement).toBe(row("visual:c2")));
    expect(api.markConversationRead).not.toHaveBeenCalledWith("visual:c2");
  });

  it("brings older messages in when the reader scrolls up to the start", async () => {
    views["visual:c2"] = conversationView(adaOnVisual, visualMessages, { olderCursor: "before-m1" });
    api.conversation.mockImplementation(async (key, before) =>
      before === "before-m1"
        ? conversationView(adaOnVisual, [message("visual:m-1")], { olderCursor: null })
        : views[key]!,
    );
    await renderInbox();
    const pane = await openConversation("visual:c2");
    const log = within(pane).getByRole("log");
    expect(api.conversation).not.toHaveBeenCalledWith("visual:c2", "before-m1");

    log.scrollTop = 0;
    await fireEvent.scroll(log);

    await waitFor(() => expect(within(pane).getAllByTestId("message")).toHaveLength(3));
    expect(api.conversation).toHaveBeenCalledWith("visual:c2", "before-m1");
  });

  it("pages back through older messages, oldest first", async () => {
    views["visual:c2"] = conversationView(adaOnVisual, visualMessages, { olderCursor: "before-m1" });
    api.conversation.mockImplementation(async (key, before) =>
      before === "before-m1"
        ? conversationView(adaOnVisual, [message("visual:m-2"), message("visual:m-1")], { olderCursor: null })
        : views[key]!,
    );
    await renderInbox();
    const pane = await openConversation("visual:c2");

    await fireEvent.click(within(pane).getByTestId("load-older"));

    await waitFor(() => expect(within(pane).getAllByTestId("message")).toHaveLength(4));
    expect(api.conversation).toHaveBeenCalledWith("visual:c2", "before-m1");
    expect(within(pane).getAllByTestId("message").map((element) => element.dataset.key)).toEqual([
      "visual:m-2",
      "visual:m-1",
      "visual:m1",
      "visual:m2",
    ]);
    expect(within(pane).queryByTestId("load-older")).toBeNull();
  });

  it("searches messages as you type, opens a hit at its message, and clears with Escape", async () => {
    api.searchMessages.mockResolvedValue([
      searchHit("visual:c2", "visual:m1", { snippet: "Here is the lab", author: ada }),
    ]);
    await renderInbox();
    await screen.findAllByTestId("inbox-group");
    const field = screen.getByTestId("inbox-search") as HTMLInputElement;

    await fireEvent.input(field, { target: { value: "la" } });
    await fireEvent.input(field, { target: { value: "lab" } });
    const hit = await screen.findByTestId("search-hit");
    // Asked once typing paused, for what was typed last.
    expect(api.searchMessages).toHaveBeenCalledTimes(1);
    expect(api.searchMessages).toHaveBeenCalledWith("lab");
    expect(screen.queryByTestId("inbox-group")).toBeNull();
    expect(within(hit).getByText("Here is the lab")).toBeTruthy();
    expect(within(hit).getByText("Ada Lovelace")).toBeTruthy();
    expect(within(hit).getByText("Visual")).toBeTruthy();

    await fireEvent.click(hit);
    const pane = await screen.findByTestId("conversation-view");
    expect(pane.dataset.key).toBe("visual:c2");
    await waitFor(() => {
      const found = within(pane).getAllByTestId("message").find((element) => element.dataset.key === "visual:m1");
      expect(found?.classList.contains("found")).toBe(true);
    });

    api.searchMessages.mockResolvedValue([]);
    await fireEvent.input(field, { target: { value: "zebra" } });
    expect(await screen.findByText(/No messages match/)).toBeTruthy();
    expect(screen.queryByTestId("search-hit")).toBeNull();

    await fireEvent.keyDown(field, { key: "Escape" });
    expect(field.value).toBe("");
    expect(await screen.findAllByTestId("inbox-group")).toHaveLength(2);
  });

  it("pages back to a search hit's message when it is older than the newest page", async () => {
    views["visual:c2"] = conversationView(adaOnVisual, visualMessages, { olderCursor: "before-m1" });
    api.conversation.mockImplementation(async (key, before) => {
      if (before === "before-m1") {
        return conversationView(adaOnVisual, [message("visual:m-1")], { olderCursor: "before-m-1" });
      }
      if (before === "before-m-1") {
        return conversationView(adaOnVisual, [message("visual:m-3"), message("visual:m-2")], { olderCursor: null });
      }
      return views[key]!;
    });
    api.searchMessages.mockResolvedValue([searchHit("visual:c2", "visual:m-3")]);
    await renderInbox();
    await fireEvent.input(screen.getByTestId("inbox-search"), { target: { value: "old" } });
    await fireEvent.click(await screen.findByTestId("search-hit"));

    const pane = await screen.findByTestId("conversation-view");
    await waitFor(() => {
      const found = within(pane).getAllByTestId("message").find((element) => element.dataset.key === "visual:m-3");
      expect(found?.classList.contains("found")).toBe(true);
    });
    expect(api.conversation).toHaveBeenCalledWith("visual:c2", "before-m-1");
    expect(within(pane).getAllByTestId("message").map((element) => element.dataset.key)).toEqual([
      "visual:m-3",
      "visual:m-2",
      "visual:m-1",
      "visual:m1",
      "visual:m2",
    ]);
  });

  it("shows each conversation on its own when Group by person is off", async () => {
    await renderInbox();
    await screen.findAllByTestId("inbox-group");
    const toggle = screen.getByTestId("inbox-merge-toggle") as HTMLInputElement;
    expect(toggle.checked).toBe(true);
    expect(api.inbox).toHaveBeenLastCalledWith(true, 40);

    api.inbox.mockResolvedValue(
      inboxOf(
        [
          group("feed:c1", [adaOnFeed]),
          group("visual:c2", [adaOnVisual]),
          group("visual:c3", [groupChat], { person: null }),
        ],
        false,
      ),
    );
    await fireEvent.click(toggle);

    expect(api.inbox).toHaveBeenLastCalledWith(false, 40);
    await waitFor(() => expect(screen.getAllByTestId("inbox-group")).toHaveLength(3));
    expect(toggle.checked).toBe(false);
    // Each of Ada's conversations names her now.
    expect(screen.getAllByText("Ada Lovelace")).toHaveLength(2);
  });

  it("reads the list and the open conversation again on inbox-changed", async () => {
    await renderInbox();
    await openConversation("visual:c3");
    await waitFor(() => expect(inboxListeners).toHaveLength(2));

    api.inbox.mockResolvedValue(mergedInbox({ feed: { ...adaOnFeed, lastMessage: preview("New news") } }));
    views["visual:c3"] = conversationView(groupChat, [
      message("visual:g1", { author: alan }),
      message("visual:g2", { author: ada, contentHtml: "<p>Agreed</p>" }),
    ]);
    inboxChanged();

    expect(await screen.findByText("New news")).toBeTruthy();
    const pane = screen.getByTestId("conversation-view");
    await waitFor(() => expect(within(pane).getAllByTestId("message")).toHaveLength(2));
    expect(within(pane).getByText("Agreed")).toBeTruthy();
    // In a group chat every run of messages names its author.
    expect(within(pane).getByText("Alan Turing")).toBeTruthy();
    expect(within(pane).getAllByText("Ada Lovelace").length).toBeGreaterThan(0);
  });

  it("goes back to the list with the Back button", async () => {
    await renderInbox();
    await openConversation("feed:c1");
    await fireEvent.click(screen.getByTestId("conversation-back"));
    await waitFor(() => expect(screen.queryByTestId("conversation-view")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(row("feed:c1")));
  });
});

describe("InboxView: a new message", () => {
  const kenji = person({ id: "kenji", displayName: "Kenji Sato", handle: "kenji@facets.example" });
  const kenta = person({ id: "kenta", displayName: "Kenta", handle: "kenta@feed.example" });

  async function openDialog(): Promise<HTMLElement> {
    await renderInbox();
    await screen.findAllByTestId("inbox-group");
    const button = screen.getByTestId("inbox-new-message");
    button.focus();
    await fireEvent.click(button);
    return screen.getByTestId("new-message-dialog");
  }

  function field(testid: string): HTMLInputElement {
    return screen.getByTestId(testid) as HTMLInputElement;
  }

  it("suggests people as you type, fills the chosen handle, names the surface and sends there", async () => {
    api.knownPeople.mockImplementation(async (surface) => (surface === "feed" ? [kenji, kenta] : []));
    const dialog = await openDialog();
    expect(dialog.getAttribute("role")).toBe("dialog");
    expect(document.activeElement).toBe(field("new-message-recipient"));
    expect(field("new-message-surface-feed").checked).toBe(true);
    expect(field("new-message-surface-visual").checked).toBe(false);
    const send = screen.getByTestId("new-message-send") as HTMLButtonElement;
    expect(send.textContent).toContain("Send via Feed");
    expect(send.disabled).toBe(true);

    const recipient = field("new-message-recipient");
    await fireEvent.input(recipient, { target: { value: "@k" } });
    await fireEvent.input(recipient, { target: { value: "@ken" } });
    const suggestions = await within(dialog).findAllByTestId("new-message-suggestion");
    // Asked once typing paused, for what was typed last, without the @.
    expect(api.knownPeople).toHaveBeenCalledTimes(1);
    expect(api.knownPeople).toHaveBeenCalledWith("feed", "ken");
    expect(suggestions).toHaveLength(2);
    expect(within(suggestions[0]!).getByText("Kenji Sato")).toBeTruthy();
    expect(within(suggestions[0]!).getByText("@kenji@facets.example")).toBeTruthy();
    expect(recipient.getAttribute("aria-expanded")).toBe("true");

    // Down, down, up: the first one; Enter takes it.
    await fireEvent.keyDown(recipient, { key: "ArrowDown" });
    await fireEvent.keyDown(recipient, { key: "ArrowDown" });
    expect(suggestions[1]!.getAttribute("aria-selected")).toBe("true");
    await fireEvent.keyDown(recipient, { key: "ArrowUp" });
    expect(suggestions[0]!.getAttribute("aria-selected")).toBe("true");
    expect(recipient.getAttribute("aria-activedescendant")).toBe(suggestions[0]!.id);
    await fireEvent.keyDown(recipient, { key: "Enter" });
    expect(recipient.value).toBe("kenji@facets.example");
    expect(within(dialog).queryByTestId("new-message-suggestion")).toBeNull();
    expect(screen.getByTestId("new-message-dialog")).toBeTruthy();

    await fireEvent.click(field("new-message-surface-visual"));
    expect(field("new-message-surface-visual").checked).toBe(true);
    expect(send.textContent).toContain("Send via Visual");

    api.startConversation.mockResolvedValue(outboxEntry("n1", { surface: "visual" }));
    await fireEvent.input(field("new-message-text"), { target: { value: "Hello Kenji" } });
    expect(send.disabled).toBe(false);
    await fireEvent.click(send);

    expect(api.startConversation).toHaveBeenCalledWith("visual", "kenji@facets.example", "Hello Kenji");
    await waitFor(() => expect(screen.queryByTestId("new-message-dialog")).toBeNull());
    const notice = await screen.findByTestId("notice");
    expect(notice.textContent).toContain("Message queued");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("inbox-new-message")));
  });

  it("asks the chosen surface for suggestions and takes a clicked one", async () => {
    api.knownPeople.mockImplementation(async (surface) => (surface === "visual" ? [kenta, kenji] : []));
    const dialog = await openDialog();
    await fireEvent.click(field("new-message-surface-visual"));
    await fireEvent.input(field("new-message-recipient"), { target: { value: "Ken" } });

    const suggestions = await within(dialog).findAllByTestId("new-message-suggestion");
    expect(api.knownPeople).toHaveBeenLastCalledWith("visual", "Ken");
    await fireEvent.click(suggestions[1]!);

    expect(field("new-message-recipient").value).toBe("kenji@facets.example");
    expect(within(dialog).queryByTestId("new-message-suggestion")).toBeNull();
  });

  it("adds the people the server finds after the cached ones, and says when nobody matches", async () => {
    api.knownPeople.mockResolvedValue([kenji]);
    let answer!: (people: PersonView[]) => void;
    api.findPeople.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    const dialog = await openDialog();
    await fireEvent.input(field("new-message-recipient"), { target: { value: "ken" } });

    await within(dialog).findByTestId("new-message-suggestion");
    const hint = screen.getByTestId("new-message-recipient-hint");
    await waitFor(() => expect(hint.textContent).toContain("Looking for people on Feed"));
    expect(api.findPeople).toHaveBeenCalledWith("feed", "ken");
    answer([kenji, kenta]);
    await waitFor(() => expect(within(dialog).getAllByTestId("new-message-suggestion")).toHaveLength(2));
    expect(hint.textContent).toContain("like name@server");

    api.knownPeople.mockResolvedValue([]);
    api.findPeople.mockResolvedValue([]);
    await fireEvent.input(field("new-message-recipient"), { target: { value: "zzz" } });
    await waitFor(() => expect(hint.textContent).toContain("No one on Feed goes by “zzz”"));
    expect(within(dialog).queryByTestId("new-message-suggestion")).toBeNull();

    // One letter asks no server.
    api.findPeople.mockClear();
    await fireEvent.input(field("new-message-recipient"), { target: { value: "z" } });
    await waitFor(() => expect(api.knownPeople).toHaveBeenLastCalledWith("feed", "z"));
    expect(api.findPeople).not.toHaveBeenCalled();
  });

  it("keeps everything and says why inside the dialog when refused; Ctrl+Enter sends again", async () => {
    const dialog = await openDialog();
    api.startConversation.mockRejectedValue({ kind: "invalid", message: "Nobody called nobody@nowhere is known" });
    await fireEvent.input(field("new-message-recipient"), { target: { value: "@nobody@nowhere" } });
    await fireEvent.input(field("new-message-text"), { target: { value: "Hi there" } });
    await fireEvent.click(screen.getByTestId("new-message-send"));

    expect(await within(dialog).findByText("Couldn't send your message.")).toBeTruthy();
    expect(within(dialog).getByText("Nobody called nobody@nowhere is known.")).toBeTruthy();
    expect(api.startConversation).toHaveBeenCalledWith("feed", "@nobody@nowhere", "Hi there");
    expect(screen.getByTestId("new-message-dialog")).toBe(dialog);
    expect(field("new-message-recipient").value).toBe("@nobody@nowhere");
    expect(field("new-message-text").value).toBe("Hi there");
    expect(screen.queryByTestId("notice")).toBeNull();

    api.startConversation.mockResolvedValue(outboxEntry("n2"));
    await fireEvent.input(field("new-message-recipient"), { target: { value: "@somebody@somewhere" } });
    await fireEvent.keyDown(field("new-message-text"), { key: "Enter", ctrlKey: true });
    expect(api.startConversation).toHaveBeenLastCalledWith("feed", "@somebody@somewhere", "Hi there");
    await waitFor(() => expect(screen.queryByTestId("new-message-dialog")).toBeNull());
  });

  it("closes the suggestions with Escape first, then the dialog, sending nothing", async () => {
    api.knownPeople.mockResolvedValue([kenji]);
    const dialog = await openDialog();
    const recipient = field("new-message-recipient");
    await fireEvent.input(recipient, { target: { value: "ken" } });
    await within(dialog).findByTestId("new-message-suggestion");

    await fireEvent.keyDown(recipient, { key: "Escape" });
    expect(within(dialog).queryByTestId("new-message-suggestion")).toBeNull();
    expect(screen.getByTestId("new-message-dialog")).toBeTruthy();

    await fireEvent.input(field("new-message-text"), { target: { value: "Never mind" } });
    await fireEvent.keyDown(field("new-message-text"), { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("new-message-dialog")).toBeNull());
    expect(api.startConversation).not.toHaveBeenCalled();
  });
});

describe("InboxView: the same person on both surfaces", () => {
  // Ada's two accounts (different ids on each surface), Bo on Feed, Kenji on
  // Visual, and a Visual group chat.
  const adaFeed = person({ id: "ada-f", displayName: "Ada Lovelace", handle: "ada@feed.example" });
  const adaVisual = person({ id: "ada-v", displayName: "Ada", handle: "ada@visual.example" });
  const bo = person({ id: "bo-f", displayName: "Bo Berg", handle: "bo@feed.example" });
  const kenji = person({ id: "kenji-v", displayName: "Kenji Sato", handle: "kenji@visual.example" });
  const adaF = conversation("feed", "c1", { participants: [adaFeed] });
  const adaV = conversation("visual", "c2", { participants: [adaVisual] });
  const boF = conversation("feed", "b1", { participants: [bo] });
  const kenjiV = conversation("visual", "k1", { participants: [kenji] });
  const others = [group("feed:b1", [boF]), group("visual:k1", [kenjiV]), group("visual:c3", [groupChat], { person: null })];
  const gathered = inboxOf([group("person:ada", [adaF, adaV]), ...others]);
  const apart = inboxOf([group("feed:c1", [adaF]), group("visual:c2", [adaV]), ...others]);

  let current: InboxView;

  beforeEach(() => {
    current = gathered;
    api.inbox.mockImplementation(async () => current);
    for (const summary of [adaF, adaV, boF, kenjiV]) {
      views[summary.key] = conversationView(summary, [message(`${summary.surface}:m-${summary.remoteId}`)]);
    }
  });

  /** Reads the inbox as the core answers it once told. */
  function coreAnswers(next: InboxView): void {
    api.setSamePerson.mockImplementation(async () => {
      current = next;
    });
  }

  function notice(title: string): HTMLElement | undefined {
    return screen.queryAllByTestId("notice").find((element) => element.textContent?.includes(title));
  }

  it("shows a gathered person's accounts apart, Feed account first, and Undo forgets it", async () => {
    await renderInbox();
    const pane = await openConversation("visual:c2");
    expect(within(pane).queryByTestId("conversation-link-person")).toBeNull();
    const reads = api.inbox.mock.calls.length;

    coreAnswers(apart);
    await fireEvent.click(within(pane).getByTestId("conversation-not-same"));

    expect(api.setSamePerson).toHaveBeenCalledWith("ada-f", "ada-v", false);
    await waitFor(() => expect(notice("Shown apart")).toBeTruthy());
    expect(api.inbox.mock.calls.length).toBeGreaterThan(reads);
    expect(screen.getAllByTestId("inbox-group")).toHaveLength(5);
    // Still open, now on its own: it may be gathered again.
    expect(screen.getByTestId("conversation-view")).toBe(pane);
    expect(within(pane).queryByTestId("conversation-not-same")).toBeNull();
    expect(within(pane).getByTestId("conversation-link-person")).toBeTruthy();

    coreAnswers(gathered);
    await fireEvent.click(within(notice("Shown apart")!).getByTestId("notice-action"));

    expect(api.setSamePerson).toHaveBeenLastCalledWith("ada-f", "ada-v", null);
    await waitFor(() => expect(screen.getAllByTestId("inbox-group")).toHaveLength(4));
    expect(notice("Shown apart")).toBeUndefined();
    expect(within(pane).getByTestId("conversation-not-same")).toBeTruthy();
  });

  it("gathers a conversation with someone on the other surface, Feed account first, and Undo forgets it", async () => {
    current = apart;
    await renderInbox();
    const pane = await openConversation("visual:k1");
    expect(within(pane).queryByTestId("conversation-not-same")).toBeNull();

    const select = within(pane).getByTestId("conversation-link-person") as HTMLSelectElement;
    expect(select.getAttribute("aria-label")).toBe("Same person on Feed as Kenji Sato");
    const options = Array.from(select.options).map((option) => [option.value, option.textContent?.trim()]);
    // The prompt, then the people of Feed's 1:1 conversations, by name.
    expect(options).toEqual([
      ["", "Same person on Feed…"],
      ["ada-f", "Ada Lovelace (@ada@feed.example)"],
      ["bo-f", "Bo Berg (@bo@feed.example)"],
    ]);

    const together = inboxOf([group("person:bo", [boF, kenjiV]), group("feed:c1", [adaF]), group("visual:c2", [adaV])]);
    coreAnswers(together);
    await fireEvent.change(select, { target: { value: "bo-f" } });

    expect(api.setSamePerson).toHaveBeenCalledWith("bo-f", "kenji-v", true);
    await waitFor(() => expect(notice("Conversations gathered")).toBeTruthy());
    expect(within(pane).getByTestId("conversation-not-same")).toBeTruthy();

    coreAnswers(apart);
    await fireEvent.click(within(notice("Conversations gathered")!).getByTestId("notice-action"));
    expect(api.setSamePerson).toHaveBeenLastCalledWith("bo-f", "kenji-v", null);
    await waitFor(() => expect(within(pane).getByTestId("conversation-link-person")).toBeTruthy());
  });

  it("offers to gather a Feed conversation with Visual people, Feed account still first", async () => {
    current = apart;
    await renderInbox();
    const pane = await openConversation("feed:b1");
    const select = within(pane).getByTestId("conversation-link-person") as HTMLSelectElement;
    expect(select.options[0]!.textContent?.trim()).toBe("Same person on Visual…");
    // Kenji and Ada's Visual account; the group chat is nobody's to gather.
    expect(Array.from(select.options).map((option) => option.value)).toEqual(["", "ada-v", "kenji-v"]);

    coreAnswers(apart);
    await fireEvent.change(select, { target: { value: "kenji-v" } });
    expect(api.setSamePerson).toHaveBeenCalledWith("bo-f", "kenji-v", true);
  });

  it("offers nothing for a group chat, nor when the other surface has no 1:1 conversation", async () => {
    await renderInbox();
    const chat = await openConversation("visual:c3");
    expect(within(chat).getByTestId("conversation-mark-unread")).toBeTruthy();
    expect(within(chat).queryByTestId("conversation-not-same")).toBeNull();
    expect(within(chat).queryByTestId("conversation-link-person")).toBeNull();
    unmount();

    current = inboxOf([group("feed:b1", [boF]), group("visual:c3", [groupChat], { person: null })]);
    await renderInbox();
    const alone = await openConversation("feed:b1");
    expect(within(alone).queryByTestId("conversation-link-person")).toBeNull();
    expect(within(alone).queryByTestId("conversation-not-same")).toBeNull();
  });

  it("says why under the header when the core refuses, changing nothing", async () => {
    await renderInbox();
    const pane = await openConversation("feed:c1");
    api.setSamePerson.mockRejectedValue({ kind: "internal", message: "The cache is read-only" });
    await fireEvent.click(within(pane).getByTestId("conversation-not-same"));

    expect(await within(pane).findByText("Couldn't show these conversations apart.")).toBeTruthy();
    expect(within(pane).getByText("The cache is read-only.")).toBeTruthy();
    expect(notice("Shown apart")).toBeUndefined();
    expect(within(pane).getByTestId("conversation-not-same")).toBeTruthy();
  });
});

describe("InboxView: desktop notifications", () => {
  async function theSwitch(): Promise<HTMLInputElement> {
    await renderInbox();
    return (await screen.findByTestId("inbox-notify-toggle")) as HTMLInputElement;
  }

  it("shows the stored choice and moves only once the core saved the new one", async () => {
    api.inboxSettings.mockResolvedValue({ notify: false });
    const toggle = await theSwitch();
    expect(toggle.getAttribute("role")).toBe("switch");
    expect(screen.getByRole("switch", { name: "Desktop notifications for new messages" })).toBe(toggle);
    expect(toggle.checked).toBe(false);

    const saved = deferred<{ notify: boolean }>();
    api.setInboxNotify.mockReturnValue(saved.promise);
    await fireEvent.click(toggle);
    expect(api.setInboxNotify).toHaveBeenCalledWith(true);
    expect(toggle.checked, "not before the core answered").toBe(false);

    saved.resolve({ notify: true });
    await waitFor(() => expect(toggle.checked).toBe(true));
    expect(toggle.disabled).toBe(false);
  });

  it("stays as stored and says why when saving fails", async () => {
    const toggle = await theSwitch();
    expect(toggle.checked).toBe(true);
    api.setInboxNotify.mockRejectedValue({ kind: "internal", message: "The settings could not be written" });
    await fireEvent.click(toggle);

    expect(api.setInboxNotify).toHaveBeenCalledWith(false);
    expect(await screen.findByText("Couldn't turn off desktop notifications.")).toBeTruthy();
    expect(screen.getByText("The settings could not be written.")).toBeTruthy();
    await waitFor(() => expect(toggle.disabled).toBe(false));
    expect(toggle.checked, "never pretend a setting was saved").toBe(true);
  });

  it("says why when the setting cannot be read, and reads it again", async () => {
    api.inboxSettings.mockRejectedValueOnce({ kind: "offline", message: "" });
    await renderInbox();
    expect(await screen.findByText("Couldn't read your notification setting.")).toBeTruthy();
    expect(screen.queryByTestId("inbox-notify-toggle")).toBeNull();

    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(((await screen.findByTestId("inbox-notify-toggle")) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByText("Couldn't read your notification setting.")).toBeNull();
  });
});

describe("a long inbox", () => {
  function people(count: number, from = 0) {
    return Array.from({ length: count }, (_, i) => {
      const someone = person({ id: `p${from + i}`, displayName: `Person ${from + i}` });
      return group(`person:feed:p${from + i}`, [conversation("feed", `c${from + i}`, { participants: [someone] })]);
    });
  }

  it("reads the next groups when the end of the list comes into view, and stops at the last", async () => {
    api.inbox.mockResolvedValue({ ...inboxOf(people(40)), more: true });
    await renderInbox();
    await waitFor(() => expect(screen.getByRole("list", { name: "Conversations" }).dataset.total).toBe("40"));
    expect(api.inbox).toHaveBeenLastCalledWith(true, 40);

    api.inbox.mockResolvedValue({ ...inboxOf([...people(40), ...people(5, 40)]), more: false });
    intersections.forEach((told) => told([{ isIntersecting: true }]));
    await waitFor(() => expect(screen.getByRole("list", { name: "Conversations" }).dataset.total).toBe("45"));
    expect(api.inbox).toHaveBeenLastCalledWith(true, 80);

    // Out of view and back: at the last group, nothing more is asked for.
    const reads = api.inbox.mock.calls.length;
    intersections.forEach((told) => told([{ isIntersecting: false }]));
    await tick();
    intersections.forEach((told) => told([{ isIntersecting: true }]));
    await tick();
    expect(api.inbox.mock.calls.length).toBe(reads);
  });
});
