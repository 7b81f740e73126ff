import { describe, expect, it } from "vitest";
import {
  attachmentProblem,
  audienceSentence,
  canCancel,
  canRetry,
  charactersLeft,
  countCharacters,
  customise,
  draftAge,
  draftExcerpt,
  isBlankDraft,
  mediaFor,
  mergeOutboxEntry,
  moveItem,
  nextAttemptLabel,
  outboxStateLabel,
  publishBlocker,
  setMediaIncluded,
  sharedToFeed,
  textFor,
  useShared,
  validateDraft,
  withStoredMedia,
} from "./compose";
import { draft, draftMedia, feedLimits, outboxEntry, variant, visualLimits } from "./testDrafts";
import type { Audience, OutboxState, WaitReason } from "./types";

const limits = [feedLimits, visualLimits];

describe("countCharacters", () => {
  it("counts plain text by what a reader sees as one character", () => {
    expect(countCharacters("hello", 23)).toBe(5);
    // A thumbs-up with a skin tone, a family (joined by zero-width joiners), and é as e + accent.
    expect(countCharacters("👍🏽👨‍👩‍👧e\u0301", 23)).toBe(3);
  });

  it("counts every URL as the reserved length, however long it is", () => {
    const long = "https://example.com/a/very/long/path/that/goes/on?and=on&and=on";
    expect(countCharacters(`Read ${long} now`, 23)).toBe("Read ".length + 23 + " now".length);
    expect(countCharacters("https://a.co", 23)).toBe(23);
    expect(countCharacters("https://a.example https://b.example", 23)).toBe(47);
  });

  it("leaves sentence punctuation after a URL outside it", () => {
    expect(countCharacters("See https://example.com/page.", 23)).toBe(4 + 23 + 1);
    expect(countCharacters("(https://example.com)", 23)).toBe(1 + 23 + 1);
  });

  it("counts URLs as written when the server reserves nothing for them", () => {
    expect(countCharacters("https://a.example", 0)).toBe(17);
  });

  it("counts @user@domain as @user, but leaves e-mail addresses alone", () => {
    expect(countCharacters("hi @alice@social.example.org!", 23)).toBe("hi @alice!".length);
    expect(countCharacters("@bob", 23)).toBe(4);
    expect(countCharacters("mail bob@example.com", 23)).toBe(20);
  });

  it("counts the content warning against the limit too", () => {
    const written = draft({ text: "abc", spoilerText: "CW" });
    expect(charactersLeft(written, written.variants[0]!, feedLimits)).toBe(495);
  });
});

describe("variants", () => {
  it("use the shared text and all media until customised", () => {
    const media = [draftMedia("a"), draftMedia("b")];
    const written = draft({ text: "shared", media });
    const feed = written.variants[0]!;
    expect(textFor(written, feed)).toBe("shared");
    expect(mediaFor(written, feed).map((item) => item.id)).toEqual(["a", "b"]);

    customise(written, "feed");
    written.text = "shared, edited later";
    feed.text = "feed only";
    setMediaIncluded(written, feed, "a", false);
    expect(textFor(written, feed)).toBe("feed only");
    expect(mediaFor(written, feed).map((item) => item.id)).toEqual(["b"]);

    useShared(written, "feed");
    expect(textFor(written, feed)).toBe("shared, edited later");
    expect(mediaFor(written, feed)).toHaveLength(2);
  });

  it("keep a customised surface's images in draft order when one is put back", () => {
    const written = draft({ media: [draftMedia("a"), draftMedia("b"), draftMedia("c")] });
    const feed = written.variants[0]!;
    customise(written, "feed");
    setMediaIncluded(written, feed, "a", false);
    setMediaIncluded(written, feed, "a", true);
    expect(feed.mediaIds).toEqual(["a", "b", "c"]);
  });
});

describe("moveItem", () => {
  it("moves one item and leaves out-of-range moves alone", () => {
    expect(moveItem(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
    expect(moveItem(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moveItem(["a", "b", "c"], 0, -1)).toEqual(["a", "b", "c"]);
    expect(moveItem(["a", "b", "c"], 2, 1)).toEqual(["a", "b", "c"]);
  });
});

describe("withStoredMedia", () => {
  it("takes the core's attachments but keeps newer local text, order and alt text", () => {
    const local = draft({
      text: "typed after the upload started",
      media: [draftMedia("b", { description: "typed alt" }), draftMedia("a")],
      variants: [variant("feed"), variant("visual", { customised: true, text: "own", mediaIds: ["a"] })],
    });
    const stored = draft({
      text: "older",
      updatedAt: "2024-03-05T10:05:00Z",
      media: [draftMedia("a"), draftMedia("b", { description: "" }), draftMedia("c")],
    });

    const merged = withStoredMedia(local, stored);

    expect(merged.text).toBe("typed after the upload started");
    expect(merged.updatedAt).toBe("2024-03-05T10:05:00Z");
    expect(merged.media.map((item) => item.id)).toEqual(["b", "a", "c"]);
    expect(merged.media[0]?.description).toBe("typed alt");
    // The new image goes to the customised surface as well.
    expect(merged.variants[1]?.mediaIds).toEqual(["a", "c"]);
  });

  it("drops removed media from customised surfaces", () => {
    const local = draft({
      media: [draftMedia("a"), draftMedia("b")],
      variants: [variant("feed", { customised: true, mediaIds: ["a", "b"] }), variant("visual")],
    });
    const merged = withStoredMedia(local, draft({ media: [draftMedia("b")] }));
    expect(merged.media.map((item) => item.id)).toEqual(["b"]);
    expect(merged.variants[0]?.mediaIds).toEqual(["b"]);
  });
});

describe("validateDraft", () => {
  it("asks for a target when none is on", () => {
    const issues = validateDraft(
      draft({ text: "hi", variants: [variant("feed", { enabled: false }), variant("visual", { enabled: false })] }),
      limits,
    );
    expect(issues.map((issue) => issue.code)).toEqual(["noTarget"]);
    expect(publishBlocker(issues)).toMatch(/turn on Feed, Visual or both/);
  });

  it("is happy with a short Feed post", () => {
    expect(validateDraft(draft({ text: "Hello" }), limits)).toEqual([]);
  });

  it("refuses an empty post", () => {
    expect(validateDraft(draft({ text: "   \n" }), limits).map((issue) => issue.code)).toEqual(["empty"]);
  });

  it("says how far over the limit each surface is", () => {
    const tight = { ...feedLimits, maxCharacters: 10 };
    const issues = validateDraft(draft({ text: "twelve chars" }), [tight, visualLimits]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "overLimit", surface: "feed", blocking: true });
    expect(issues[0]?.message).toBe("Feed allows 10 characters; this is 2 characters over.");
  });

  it("checks a customised surface's own text, not the shared one", () => {
    const tight = { ...feedLimits, maxCharacters: 10 };
    const written = draft({
      text: "this shared text is far too long for ten",
      variants: [variant("feed", { customised: true, text: "short" }), variant("visual", { enabled: false })],
    });
    expect(validateDraft(written, [tight, visualLimits])).toEqual([]);
  });

  it("needs an image on Visual, and only there", () => {
    const both = draft({ text: "words", variants: [variant("feed"), variant("visual")] });
    const issues = validateDraft(both, limits);
    expect(issues.map((issue) => [issue.code, issue.surface])).toEqual([["needsImage", "visual"]]);

    const visualLeftOut = draft({
      text: "words",
      media: [draftMedia("a")],
      variants: [variant("feed"), variant("visual", { customised: true, text: "words", mediaIds: [] })],
    });
    expect(validateDraft(visualLeftOut, limits).map((issue) => issue.code)).toEqual(["needsImage"]);
  });

  it("counts images against each surface's own maximum", () => {
    const media = ["a", "b", "c", "d", "e"].map((id) => draftMedia(id));
    const issues = validateDraft(draft({ media, variants: [variant("feed"), variant("visual")] }), limits);
    expect(issues.map((issue) => [issue.code, issue.surface])).toEqual([["tooManyMedia", "feed"]]);
    expect(issues[0]?.message).toBe("Feed takes up to 4 images in a post; this one has 5.");
  });

  it("names a file a surface can't post", () => {
    const gif = draftMedia("g", { fileName: "dance.gif", mimeType: "image/gif" });
    const issues = validateDraft(draft({ media: [gif], variants: [variant("feed"), variant("visual")] }), limits);
    expect(issues.map((issue) => [issue.code, issue.surface])).toEqual([["unsupportedType", "visual"]]);
    expect(issues[0]?.message).toContain("dance.gif (image/gif)");
  });

  it("warns about missing alt text without blocking", () => {
    const media = [draftMedia("a", { description: "" }), draftMedia("b", { description: " " }), draftMedia("c")];
    const issues = validateDraft(draft({ media }), limits);
    expect(issues.map((issue) => [issue.code, issue.blocking])).toEqual([["missingAlt", false]]);
    expect(issues[0]?.message).toMatch(/^2 images have no alt text/);
    expect(publishBlocker(issues)).toBeNull();
  });

  it("warns when a post for mentioned people mentions nobody", () => {
    const direct = (text: string) =>
      draft({ text, variants: [variant("feed", { audience: "direct" }), variant("visual", { enabled: false })] });
    expect(validateDraft(direct("just me"), limits).map((issue) => issue.code)).toEqual(["nobodyMentioned"]);
    expect(validateDraft(direct("hey @bob@feed.example"), limits)).toEqual([]);
    expect(validateDraft(direct("mail bob@feed.example"), limits)).toHaveLength(1);
  });

  it("lists blocking issues before warnings", () => {
    const written = draft({
      media: [draftMedia("a", { description: "" })],
      variants: [variant("feed", { audience: "direct" }), variant("visual", { enabled: false })],
    });
    const tight = { ...feedLimits, maxMediaAttachments: 0 };
    const codes = validateDraft(written, [tight]).map((issue) => issue.code);
    expect(codes).toEqual(["tooManyMedia", "nobodyMentioned", "missingAlt"]);
  });
});

describe("attachmentProblem", () => {
  const file = (name: string, type: string, size: number) => ({ name, type, size });

  it("refuses files no surface can post", () => {
    expect(attachmentProblem(file("notes.pdf", "application/pdf", 10), limits, ["feed"])).toBe(
      "notes.pdf isn't an image Facets can post.",
    );
  });

  it("refuses files too big for a surface the post goes to", () => {
    const big = file("big.jpg", "image/jpeg", 10 * 1024 * 1024);
    expect(attachmentProblem(big, limits, ["feed"])).toBeNull();
    expect(attachmentProblem(big, limits, ["feed", "visual"])).toBe(
      "big.jpg is 10 MB; Visual takes images up to 8 MB.",
    );
  });
});

describe("audienceSentence", () => {
  it("says who sees the post in plain words", () => {
    expect(audienceSentence("public", "feed", null)).toBe(
      "Anyone can see this, and it shows up in public timelines and search.",
    );
    expect(audienceSentence("unlisted", "feed", null)).toMatch(/^Anyone with the link.*stays out of public timelines/);
    expect(audienceSentence("private", "visual", null)).toBe("Only people who follow you on Visual can see this.");
    expect(audienceSentence("direct", "feed", null)).toBe("Only the people you mention can see this.");
  });

  it("never promises 'anyone' where a private account shows posts to followers only", () => {
    const expected = "Your Visual account is private, so only the followers you approved will see this.";
    expect(audienceSentence("public", "visual", "followersOnly")).toBe(expected);
    expect(audienceSentence("unlisted", "visual", "followersOnly")).toBe(expected);
    expect(audienceSentence("private", "visual", "followersOnly")).toBe(
      "Only people who follow you on Visual can see this.",
    );
    expect(audienceSentence("direct", "visual", "followersOnly")).toBe("Only the people you mention can see this.");
  });

  it("keeps public posts public where a private account only approves followers, and says so", () => {
    expect(audienceSentence("public", "feed", "approvesFollowers")).toBe(
      "Anyone can see this, and it shows up in public timelines and search. Your Feed account is private, so new followers need your approval.",
    );
    expect(audienceSentence("unlisted", "feed", "approvesFollowers")).toBe(
      audienceSentence("unlisted", "feed", null),
    );
    expect(audienceSentence("private", "feed", "approvesFollowers")).toBe(
      "Only people who follow you on Feed can see this.",
    );
  });
});

describe("outbox words", () => {
  it("names each state, with the reason for a failure", () => {
    const label = (state: OutboxState, lastError: string | null = null, waitingFor: WaitReason | null = null) =>
      outboxStateLabel({ state, lastError, waitingFor });
    expect(label("queued")).toBe("Queued");
    expect(label("uploading")).toBe("Uploading media");
    expect(label("sending")).toBe("Sending");
    expect(label("sent")).toBe("Sent");
    expect(label("waiting", null, "network")).toBe("Waiting for network");
    expect(label("waiting", "The server had trouble (HTTP 503)", "server")).toBe("Waiting: the server had trouble");
    expect(label("waiting", null, "rate_limit")).toBe("Waiting: the server asked Facets to slow down");
    expect(label("waiting", null, "processing")).toBe("Waiting for the server to process the media");
    expect(label("waiting")).toBe("Waiting to try again");
    expect(label("cancelled")).toBe("Cancelled");
    expect(label("failed", "The server refused the image.")).toBe("Failed: The server refused the image");
    expect(label("failed")).toBe("Failed");
  });

  it("says when a waiting entry tries again", () => {
    const now = new Date("2024-03-05T12:00:00Z");
    const waiting = (at: string | null) => nextAttemptLabel({ state: "waiting", nextAttemptAt: at }, now);
    expect(waiting("2024-03-05T12:02:30Z")).toBe("next try in 3 min");
    expect(waiting("2024-03-05T12:00:30Z")).toBe("next try in 30 s");
    expect(waiting("2024-03-05T11:59:00Z")).toBe("trying again now");
    expect(waiting(null)).toBeNull();
    expect(nextAttemptLabel({ state: "failed", nextAttemptAt: "2024-03-05T12:02:30Z" }, now)).toBeNull();
  });

  it("offers Retry for failed or waiting entries and Cancel until one is under way", () => {
    const states: OutboxState[] = ["queued", "uploading", "sending", "sent", "failed", "waiting", "cancelled"];
    expect(states.filter((state) => canRetry({ state }))).toEqual(["failed", "waiting"]);
    expect(states.filter((state) => canCancel({ state }))).toEqual(["queued", "failed", "waiting"]);
  });

  it("replaces a changed entry in place and keeps the newest first", () => {
    const older = outboxEntry("1", { createdAt: "2024-03-05T09:00:00Z" });
    const newer = outboxEntry("2", { createdAt: "2024-03-05T10:00:00Z" });
    const sent = { ...older, state: "sent" as const };
    expect(mergeOutboxEntry([newer, older], sent)).toEqual([newer, sent]);
    const newest = outboxEntry("3", { createdAt: "2024-03-05T11:00:00+01:00" });
    // 11:00+01:00 is 10:00Z: the same moment as "2", so it must not jump ahead of it by its text.
    expect(mergeOutboxEntry([newer, older], newest).map((entry) => entry.id)).toEqual(["2", "3", "1"]);
  });
});

describe("drafts in words", () => {
  it("shows the first written line, shortened, or what the draft holds", () => {
    expect(draftExcerpt(draft({ text: "\n  First line  \nsecond" }))).toBe("First line");
    expect(draftExcerpt(draft({ text: "abcdefghij" }), 6)).toBe("abcde…");
    expect(draftExcerpt(draft({ media: [draftMedia("a"), draftMedia("b")] }))).toBe("2 images");
    expect(draftExcerpt(draft())).toBe("Empty draft");
  });

  it("says when a draft was saved, relative to today", () => {
    const now = new Date(2024, 2, 5, 15, 0);
    const at = (date: Date) => draftAge(date.toISOString(), now, "en-GB");
    expect(at(new Date(2024, 2, 5, 14, 59, 30))).toBe("just now");
    expect(at(new Date(2024, 2, 5, 9, 5))).toBe("today at 09:05");
    expect(at(new Date(2024, 2, 4, 23, 30))).toBe("yesterday at 23:30");
    expect(at(new Date(2024, 2, 1, 8, 0))).toBe("1 Mar");
    expect(at(new Date(2023, 11, 31, 8, 0))).toBe("31 Dec 2023");
  });

  it("knows a draft nobody has written in", () => {
    expect(isBlankDraft(draft({ text: "  " }))).toBe(true);
    expect(isBlankDraft(draft({ spoilerText: "cw" }))).toBe(false);
    expect(isBlankDraft(draft({ media: [draftMedia("a")] }))).toBe(false);
    expect(
      isBlankDraft(draft({ variants: [variant("feed", { customised: true, text: "own" }), variant("visual")] })),
    ).toBe(false);
  });
});

describe("sharedToFeed", () => {
  const visualOnly = (audience: Audience) =>
    draft({ variants: [variant("feed", { enabled: false }), variant("visual", { audience })] });
  const both = [feedLimits, visualLimits];

  it("is true only for a public or unlisted post for Visual alone, with the setting on and Feed linked", () => {
    expect(sharedToFeed(visualOnly("public"), true, both)).toBe(true);
    expect(sharedToFeed(visualOnly("unlisted"), true, both)).toBe(true);
    expect(sharedToFeed(visualOnly("public"), false, both)).toBe(false);
    expect(sharedToFeed(visualOnly("private"), true, both)).toBe(false);
    expect(sharedToFeed(visualOnly("direct"), true, both)).toBe(false);
    expect(sharedToFeed(visualOnly("public"), true, [visualLimits])).toBe(false);
    const toBoth = draft({ variants: [variant("feed"), variant("visual")] });
    expect(sharedToFeed(toBoth, true, both)).toBe(false);
  });
});
