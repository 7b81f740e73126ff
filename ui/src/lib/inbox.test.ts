import { afterEach, describe, expect, it, vi } from "vitest";
import {
  conversationLabel,
  debounce,
  groupTitle,
  mergeNewestMessages,
  messageAsPost,
  peopleNames,
  prependOlderMessages,
  previewText,
  sendLabel,
  shownPending,
  startsRun,
  surfaceOfKey,
  totalUnread,
  unreadBySurface,
  updatePendingEntry,
  withPendingEntry,
  withSummary,
} from "./inbox";
import { visualMedia } from "./media";
import { outboxEntry } from "./testDrafts";
import { ada, alan, conversation, group, inboxOf, me, message, preview } from "./testInbox";
import { image, person } from "./testPosts";

function keys(items: readonly { key: string }[]): string[] {
  return items.map((item) => item.key);
}

describe("previewText", () => {
  it("says You: before your own words and flattens line breaks", () => {
    expect(previewText(preview("See you\n  soon", { fromMe: true }))).toBe("You: See you soon");
    expect(previewText(preview("See you soon"))).toBe("See you soon");
  });

  it("names the author in a group chat only", () => {
    expect(previewText(preview("Lovely", { authorName: "Alan Turing" }), true)).toBe("Alan Turing: Lovely");
    expect(previewText(preview("Lovely", { authorName: "Alan Turing" }), false)).toBe("Lovely");
    expect(previewText(preview("Mine", { fromMe: true, authorName: "Grace" }), true)).toBe("You: Mine");
  });

  it("has words for a conversation without messages or a message without text", () => {
    expect(previewText(null)).toBe("No messages yet");
    expect(previewText(preview("  ", { fromMe: true }))).toBe("You: Attachment");
  });
});

describe("names", () => {
  it("lists people as a sentence, falling back to the handle", () => {
    expect(peopleNames([])).toBe("Only you");
    expect(peopleNames([ada])).toBe("Ada Lovelace");
    expect(peopleNames([ada, alan])).toBe("Ada Lovelace and Alan Turing");
    expect(peopleNames([ada, alan, person({ displayName: "", handle: "kay@example.org" })])).toBe(
      "Ada Lovelace, Alan Turing and kay",
    );
  });

  it("titles a group by its person, or by the participants of its group chat", () => {
    expect(groupTitle(group("g", [conversation("feed", "c1")]))).toBe("Ada Lovelace");
    const chat = conversation("visual", "c2", { participants: [ada, alan] });
    expect(groupTitle(group("g", [chat], { person: null }))).toBe("Ada Lovelace and Alan Turing");
  });

  it("labels a row with who, where, unread, the last message and when", () => {
    const unread = conversation("visual", "c1", { unread: true, lastMessage: preview("Hi", { fromMe: true }) });
    expect(conversationLabel("Ada Lovelace", unread, "Monday")).toBe("Ada Lovelace on Visual, unread. You: Hi. Monday");
    expect(conversationLabel("Ada Lovelace", { ...unread, unread: false }, "")).toBe("Ada Lovelace on Visual. You: Hi");
  });
});

describe("unread counts and surfaces", () => {
  it("counts and names only surfaces with unread conversations", () => {
    expect(unreadBySurface({ feed: 2, visual: 1 })).toBe("Feed 2 · Visual 1");
    expect(unreadBySurface({ feed: 0, visual: 3 })).toBe("Visual 3");
    expect(unreadBySurface({ feed: 0, visual: 0 })).toBe("");
    expect(totalUnread({ feed: 2, visual: 1 })).toBe(3);
    expect(totalUnread({ feed: -1, visual: 1 })).toBe(1);
  });

  it("names the surface a reply goes out on, read from a key", () => {
    expect(sendLabel("visual")).toBe("Send via Visual");
    expect(sendLabel("feed")).toBe("Send via Feed");
    expect(surfaceOfKey("visual:123:4")).toBe("visual");
    expect(surfaceOfKey("other:1")).toBeNull();
    expect(surfaceOfKey("nokey")).toBeNull();
  });
});

describe("withSummary", () => {
  const feed = conversation("feed", "c1", { unread: true });
  const visual = conversation("visual", "c2", { unread: true });
  const view = inboxOf([group("ada", [feed, visual]), group("alan", [conversation("visual", "c3", { participants: [alan] })])]);

  it("puts the new read state in and the group's and surface's counts follow", () => {
    const read = withSummary(view, { ...visual, unread: false });
    expect(read.groups[0]!.conversations[1]!.unread).toBe(false);
    expect(read.groups[0]!.unreadCount).toBe(1);
    expect(read.unread).toEqual({ feed: 1, visual: 0 });
    // Untouched groups are the same objects.
    expect(read.groups[1]).toBe(view.groups[1]);

    const again = withSummary(read, { ...visual, unread: true });
    expect(again.groups[0]!.unreadCount).toBe(2);
    expect(again.unread).toEqual({ feed: 1, visual: 1 });
  });

  it("changes no count when the state did not change, and ignores unknown conversations", () => {
    expect(withSummary(view, { ...feed, lastMessage: preview("New") }).unread).toEqual(view.unread);
    expect(withSummary(view, conversation("feed", "elsewhere"))).toBe(view);
  });
});

describe("pages of a conversation", () => {
  const m = (id: string) => message(`feed:${id}`);

  it("merges the newest page, keeping older pages already loaded and their cursor", () => {
    const loaded = { messages: [m("1"), m("2"), m("3"), m("4")], olderCursor: "before-1" };
    const page = { messages: [m("3"), m("4"), m("5")], olderCursor: "before-3" };
    const merged = mergeNewestMessages(loaded, page);
    expect(keys(merged.messages)).toEqual(["feed:1", "feed:2", "feed:3", "feed:4", "feed:5"]);
    expect(merged.olderCursor).toBe("before-1");
  });

  it("takes the page's fresh copies and drops what it no longer has within its range", () => {
    const loaded = { messages: [m("1"), m("2"), m("3"), m("4")], olderCursor: null };
    const edited = message("feed:3", { contentHtml: "<p>edited</p>" });
    const merged = mergeNewestMessages(loaded, { messages: [m("2"), edited], olderCursor: "before-2" });
    expect(keys(merged.messages)).toEqual(["feed:1", "feed:2", "feed:3"]);
    expect(merged.messages[2]!.contentHtml).toBe("<p>edited</p>");
    expect(merged.olderCursor).toBeNull();
  });

  it("starts over from the page when it does not meet what is loaded", () => {
    const loaded = { messages: [m("1"), m("2")], olderCursor: null };
    const merged = mergeNewestMessages(loaded, { messages: [m("8"), m("9")], olderCursor: "before-8" });
    expect(keys(merged.messages)).toEqual(["feed:8", "feed:9"]);
    expect(merged.olderCursor).toBe("before-8");
  });

  it("puts an older page in front, once each, with its cursor", () => {
    const loaded = { messages: [m("3"), m("4")], olderCursor: "before-3" };
    const merged = prependOlderMessages(loaded, { messages: [m("1"), m("2"), m("3")], olderCursor: null });
    expect(keys(merged.messages)).toEqual(["feed:1", "feed:2", "feed:3", "feed:4"]);
    expect(merged.olderCursor).toBeNull();
  });

  it("starts a run whenever the author changes", () => {
    const messages = [
      message("feed:1", { author: ada }),
      message("feed:2", { author: ada }),
      message("feed:3", { author: alan }),
      message("feed:4", { author: me, fromMe: true }),
      message("feed:5", { author: me, fromMe: true }),
    ];
    expect(messages.map((_, index) => startsRun(messages, index))).toEqual([true, false, true, true, false]);
    expect(startsRun(messages, 9)).toBe(false);
  });
});

describe("pending replies", () => {
  const early = outboxEntry("a", { createdAt: "2024-05-01T10:00:00Z" });
  const late = outboxEntry("b", { createdAt: "2024-05-01T11:00:00Z" });

  it("adds or replaces a reply by id, oldest first", () => {
    expect(withPendingEntry([late], early).map((entry) => entry.id)).toEqual(["a", "b"]);
    const sending = { ...early, state: "sending" as const };
    const replaced = withPendingEntry([early, late], sending);
    expect(replaced).toHaveLength(2);
    expect(replaced[0]).toBe(sending);
  });

  it("takes changes of its own replies only", () => {
    const pending = [early, late];
    expect(updatePendingEntry(pending, outboxEntry("other", { state: "sent" }))).toBe(pending);
    const failed = { ...late, state: "failed" as const };
    expect(updatePendingEntry(pending, failed)).toEqual([early, failed]);
  });

  it("hides cancelled replies and sent ones whose message has arrived", () => {
    const cancelled = outboxEntry("c", { state: "cancelled" });
    const arrived = outboxEntry("d", { state: "sent", postKey: "feed:m1" });
    const onItsWay = outboxEntry("e", { state: "sent", postKey: "feed:m2" });
    const unknown = outboxEntry("f", { state: "sent", postKey: null });
    const shown = shownPending([early, cancelled, arrived, onItsWay, unknown], [message("feed:m1")]);
    expect(shown.map((entry) => entry.id)).toEqual(["a", "e"]);
  });
});

describe("messageAsPost", () => {
  it("gives the lightbox the author and the same pictures in the same order", () => {
    const withMedia = message("visual:99", {
      author: ada,
      media: [image("p1"), image("a1", { kind: "audio" }), image("p2")],
    });
    const post = messageAsPost(withMedia);
    expect(post.author).toBe(ada);
    expect(post.remoteId).toBe("99");
    expect(visualMedia(post).map((media) => media.id)).toEqual(["p1", "p2"]);
    expect(visualMedia(withMedia)).toEqual(visualMedia(post));
  });
});

describe("debounce", () => {
  afterEach(() => vi.useRealTimers());

  it("runs once, with the last arguments, after the wait", () => {
    vi.useFakeTimers();
    const run = vi.fn();
    const later = debounce(run, 250);
    later("l");
    vi.advanceTimersByTime(200);
    later("la");
    vi.advanceTimersByTime(200);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(50);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith("la");
  });

  it("drops the waiting call when cancelled", () => {
    vi.useFakeTimers();
    const run = vi.fn();
    const later = debounce(run, 250);
    later("x");
    later.cancel();
    vi.advanceTimersByTime(1000);
    expect(run).not.toHaveBeenCalled();
  });
});
