import { afterEach, describe, expect, it, vi } from "vitest";
import {
  conversationLabel,
  debounce,
  groupTitle,
  mergeNewestMessages,
  messageAsPost,
  linkPersonLabel,
  peopleNames,
  personPair,
  prependOlderMessages,
  previewText,
  recipientPrefix,
  samePersonChoice,
  sendLabel,
  shownPending,
  startsRun,
  surfaceOfKey,
  totalUnread,
  deliveryWords,
  uniquePeople,
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
    expect(previewText(preview("  ", { fromMe: true, attachments: 1 }))).toBe("You: Attachment");
    expect(previewText(preview("", { attachments: 3 }))).toBe("3 attachments");
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

  it("keeps each person once, first place kept", () => {
    const [a, b] = [person({ id: "a" }), person({ id: "b" })];
    expect(uniquePeople([a, b, a, b]).map((p) => p.id)).toEqual(["a", "b"]);
    expect(uniquePeople([])).toEqual([]);
  });

  it("says how new messages arrive, leaving out surfaces not known yet", () => {
    expect(deliveryWords({ feed: "streaming", visual: "polling" })).toBe("Live on Feed · Visual checked every 30 s");
    expect(deliveryWords({ feed: "streaming", visual: "streaming" })).toBe("Live on Feed and Visual");
    expect(deliveryWords({ feed: "polling", visual: "polling" }, 45)).toBe("Feed and Visual checked every 45 s");
    expect(deliveryWords({ visual: "polling" })).toBe("Visual checked every 30 s");
    expect(deliveryWords({})).toBe("");
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

describe("one person on both surfaces", () => {
  // Ada has an account on each surface, gathered; Bo writes on Feed, Kenji
  // and Ana on Visual; Ada and Alan share a Visual group chat.
  const adaFeed = person({ id: "ada-f", displayName: "Ada Lovelace", handle: "ada@feed.example" });
  const adaVisual = person({ id: "ada-v", displayName: "Ada", handle: "ada@visual.example" });
  const bo = person({ id: "bo-f", displayName: "Bo", handle: "bo@feed.example" });
  const kenji = person({ id: "kenji-v", displayName: "Kenji", handle: "kenji@visual.example" });
  const ana = person({ id: "ana-v", displayName: "ana", handle: "ana@visual.example" });
  const adaGroup = group("person:ada", [
    conversation("visual", "a2", { participants: [adaVisual] }),
    conversation("feed", "a1", { participants: [adaFeed] }),
    conversation("feed", "a3", { participants: [person({ id: "ada-f2" })] }),
  ]);
  const view = inboxOf([
    adaGroup,
    group("feed:b1", [conversation("feed", "b1", { participants: [bo] })]),
    group("visual:k1", [conversation("visual", "k1", { participants: [kenji] })]),
    group("visual:k2", [conversation("visual", "k2", { participants: [kenji] })]),
    group("visual:n1", [conversation("visual", "n1", { participants: [ana] })]),
    group("visual:g1", [conversation("visual", "g1", { participants: [ada, alan] })], { person: null }),
  ]);

  it("offers to show a gathered group apart, Feed account first whichever was opened", () => {
    const apart = { kind: "apart", pair: { feedId: "ada-f", visualId: "ada-v" } };
    expect(samePersonChoice(view, "visual:a2")).toEqual(apart);
    expect(samePersonChoice(view, "feed:a1")).toEqual(apart);
  });

  it("offers the other surface's people not gathered yet, by name, each once", () => {
    const choice = samePersonChoice(view, "feed:b1");
    expect(choice).toEqual({
      kind: "link",
      surface: "feed",
      person: bo,
      otherSurface: "visual",
      candidates: [ana, kenji],
    });
    const back = samePersonChoice(view, "visual:k1");
    expect(back?.kind === "link" && back.candidates).toEqual([bo]);
  });

  it("offers nothing for group chats, unknown keys, an ungrouped inbox, or nobody to gather with", () => {
    expect(samePersonChoice(view, "visual:g1")).toBeNull();
    expect(samePersonChoice(view, "feed:nope")).toBeNull();
    expect(samePersonChoice(null, "feed:b1")).toBeNull();
    expect(samePersonChoice({ ...view, merged: false }, "feed:b1")).toBeNull();
    const onlyFeed = inboxOf([group("feed:b1", [conversation("feed", "b1", { participants: [bo] })]), adaGroup]);
    expect(samePersonChoice(onlyFeed, "feed:b1")).toBeNull();
  });

  it("puts the Feed account first in a pair", () => {
    expect(personPair("feed", bo, kenji)).toEqual({ feedId: "bo-f", visualId: "kenji-v" });
    expect(personPair("visual", kenji, bo)).toEqual({ feedId: "bo-f", visualId: "kenji-v" });
  });

  it("names the control after the other surface", () => {
    expect(linkPersonLabel("visual")).toBe("Same person on Visual…");
    expect(linkPersonLabel("feed")).toBe("Same person on Feed…");
  });
});

describe("recipientPrefix", () => {
  it("matches people without the leading @ and surrounding spaces", () => {
    expect(recipientPrefix("  @kenji@fac ")).toBe("kenji@fac");
    expect(recipientPrefix("@@ken")).toBe("ken");
    expect(recipientPrefix("Ken ji")).toBe("Ken ji");
    expect(recipientPrefix(" @ ")).toBe("");
  });
});
