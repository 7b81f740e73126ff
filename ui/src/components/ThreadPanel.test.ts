// @vitest-environment jsdom
// Replying from the thread panel, against a stand-in for the core: the reply
// goes to the outbox, its progress shows under the thread, and once sent the
// thread is read again to show it among the replies.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { outboxEntry } from "../lib/testDrafts";
import { person, post } from "../lib/testPosts";
import { threadPanel } from "../lib/threadPanel.svelte";
import type { OutboxEntry, ThreadView } from "../lib/types";
import ThreadPanel from "./ThreadPanel.svelte";

const api = vi.hoisted(() => ({
  openThread: vi.fn<typeof import("../lib/api").openThread>(),
  replyToPost: vi.fn<typeof import("../lib/api").replyToPost>(),
  onOutboxChanged: vi.fn<typeof import("../lib/api").onOutboxChanged>(),
  outboxRetry: vi.fn<typeof import("../lib/api").outboxRetry>(),
}));
vi.mock("../lib/api", () => api);

const grace = person({ id: "grace", displayName: "Grace Hopper", handle: "grace@feed.example" });
const photo = post("1", { author: grace, repliesCount: 1 });
const earlier = post("2", { inReplyToId: "1", contentHtml: "<p>Lovely</p>" });
const thread: ThreadView = { ancestors: [], post: photo, descendants: [earlier] };

let outboxListeners: ((entry: OutboxEntry) => void)[] = [];

function outboxChanged(entry: OutboxEntry): void {
  for (const listener of [...outboxListeners]) listener(entry);
}

async function openPanel(): Promise<HTMLTextAreaElement> {
  await threadPanel.open(photo);
  render(ThreadPanel);
  await waitFor(() => expect(outboxListeners).toHaveLength(1));
  return screen.getByTestId("thread-reply-input") as HTMLTextAreaElement;
}

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((onResolve) => (resolve = onResolve));
  return { promise, resolve };
}

async function write(input: HTMLTextAreaElement, text: string): Promise<void> {
  await fireEvent.input(input, { target: { value: text } });
}

beforeEach(() => {
  outboxListeners = [];
  api.openThread.mockReset().mockResolvedValue(thread);
  api.replyToPost.mockReset();
  api.outboxRetry.mockReset();
  api.onOutboxChanged.mockImplementation(async (handler) => {
    outboxListeners.push(handler);
    return () => (outboxListeners = outboxListeners.filter((listener) => listener !== handler));
  });
});

afterEach(() => {
  cleanup();
  threadPanel.close();
});

describe("ThreadPanel replies", () => {
  it("names whom the reply goes to", async () => {
    const input = await openPanel();
    expect(screen.getByLabelText("Reply to @grace@feed.example")).toBe(input);
    expect(screen.getByTestId("thread-reply-send").textContent).toContain("Send");
  });

  it("queues the reply to the open post, clears the box and shows the reply on its way", async () => {
    const input = await openPanel();
    api.replyToPost.mockResolvedValue(outboxEntry("r1", { summary: "@grace Where was…" }));
    await write(input, "Where was this taken?");
    await fireEvent.click(screen.getByTestId("thread-reply-send"));

    expect(api.replyToPost).toHaveBeenCalledWith("feed:1", "Where was this taken?");
    await waitFor(() => expect(input.value).toBe(""));
    const pending = await screen.findByTestId("thread-reply-pending");
    expect(pending.dataset.state).toBe("queued");
    // The reply as written, not the outbox's excerpt.
    expect(within(pending).getByText("Where was this taken?")).toBeTruthy();
    expect(within(pending).getByText("Queued")).toBeTruthy();
  });

  it("keeps the text and says why when the core refuses the reply", async () => {
    const input = await openPanel();
    api.replyToPost.mockRejectedValue({ kind: "invalid", message: "The reply is 12 characters over the limit" });
    await write(input, "x".repeat(512));
    await fireEvent.click(screen.getByTestId("thread-reply-send"));

    expect(await screen.findByText("Couldn't send your reply.")).toBeTruthy();
    expect(screen.getByText("The reply is 12 characters over the limit.")).toBeTruthy();
    expect(input.value).toBe("x".repeat(512));
    expect(screen.queryByTestId("thread-reply-pending")).toBeNull();
  });

  it("sends with Ctrl+Enter or Cmd+Enter, but not with Enter alone", async () => {
    const input = await openPanel();
    api.replyToPost.mockResolvedValue(outboxEntry("r1"));
    await write(input, "First");
    await fireEvent.keyDown(input, { key: "Enter" });
    expect(api.replyToPost).not.toHaveBeenCalled();

    await fireEvent.keyDown(input, { key: "Enter", ctrlKey: true });
    expect(api.replyToPost).toHaveBeenCalledWith("feed:1", "First");
    await waitFor(() => expect(input.value).toBe(""));

    api.replyToPost.mockResolvedValue(outboxEntry("r2"));
    await write(input, "Second");
    await fireEvent.keyDown(input, { key: "Enter", metaKey: true });
    expect(api.replyToPost).toHaveBeenLastCalledWith("feed:1", "Second");
  });

  it("sends nothing while the box is empty or blank", async () => {
    const input = await openPanel();
    const send = screen.getByTestId("thread-reply-send") as HTMLButtonElement;
    expect(send.disabled).toBe(true);

    await write(input, "   \n ");
    expect(send.disabled).toBe(true);
    await fireEvent.keyDown(input, { key: "Enter", ctrlKey: true });
    await fireEvent.submit(screen.getByTestId("thread-reply"));
    expect(api.replyToPost).not.toHaveBeenCalled();
  });

  it("follows the reply through the outbox, and reads the thread again once it is sent", async () => {
    const input = await openPanel();
    api.replyToPost.mockResolvedValue(outboxEntry("r1"));
    await write(input, "Where was this taken?");
    await fireEvent.click(screen.getByTestId("thread-reply-send"));
    const pending = await screen.findByTestId("thread-reply-pending");

    // Other posts' entries leave it alone.
    outboxChanged(outboxEntry("other", { state: "sent", postKey: "feed:other" }));
    outboxChanged(outboxEntry("r1", { state: "sending" }));
    await waitFor(() => expect(pending.dataset.state).toBe("sending"));
    expect(api.openThread).toHaveBeenCalledTimes(1);

    const reply = post("9", { inReplyToId: "1", own: true, contentHtml: "<p>@grace Where was this taken?</p>" });
    const reread = deferred<ThreadView>();
    api.openThread.mockReturnValue(reread.promise);
    outboxChanged(outboxEntry("r1", { state: "sent", postKey: "feed:9" }));

    // The comments stay while the thread is read again.
    await waitFor(() => expect(api.openThread).toHaveBeenCalledTimes(2));
    expect(screen.queryByText("Loading comments…")).toBeNull();
    expect(screen.getByText("Lovely")).toBeTruthy();
    expect(screen.getByTestId("thread-reply-pending").dataset.state).toBe("sent");

    reread.resolve({ ...thread, descendants: [earlier, reply] });
    await waitFor(() => expect(screen.queryByTestId("thread-reply-pending")).toBeNull());
    expect(api.openThread).toHaveBeenCalledTimes(2);
    expect(api.openThread).toHaveBeenLastCalledWith("feed:1");
    expect(screen.getByText("@grace Where was this taken?")).toBeTruthy();
  });

  it("reads the thread again when the reply was sent before the outbox said it took it", async () => {
    const input = await openPanel();
    const queued = deferred<OutboxEntry>();
    api.replyToPost.mockReturnValue(queued.promise);
    await write(input, "Quick one");
    await fireEvent.click(screen.getByTestId("thread-reply-send"));

    const reply = post("9", { inReplyToId: "1", own: true, contentHtml: "<p>@grace Quick one</p>" });
    api.openThread.mockResolvedValue({ ...thread, descendants: [earlier, reply] });
    outboxChanged(outboxEntry("r1", { state: "sent", postKey: "feed:9" }));
    queued.resolve(outboxEntry("r1"));

    await waitFor(() => expect(screen.getByText("@grace Quick one")).toBeTruthy());
    expect(api.openThread).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId("thread-reply-pending")).toBeNull();
  });

  it("shows a reply that stalled with the outbox's reason, and retries it", async () => {
    const input = await openPanel();
    api.replyToPost.mockResolvedValue(outboxEntry("r1"));
    await write(input, "Where was this taken?");
    await fireEvent.click(screen.getByTestId("thread-reply-send"));
    const pending = await screen.findByTestId("thread-reply-pending");

    outboxChanged(outboxEntry("r1", { state: "failed", lastError: "The server refused it." }));
    await waitFor(() => expect(pending.dataset.state).toBe("failed"));
    expect(within(pending).getByText("Failed: The server refused it")).toBeTruthy();

    api.outboxRetry.mockResolvedValue(outboxEntry("r1", { state: "queued" }));
    await fireEvent.click(within(pending).getByRole("button", { name: "Retry" }));
    expect(api.outboxRetry).toHaveBeenCalledWith("r1");
    await waitFor(() => expect(pending.dataset.state).toBe("queued"));
  });
});
