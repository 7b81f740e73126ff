import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "./api";
import { Composer } from "./composer.svelte";
import { draft, draftMedia, feedLimits, outboxEntry, variant, visualLimits } from "./testDrafts";
import type { Draft, OutboxEntry } from "./types";

vi.mock("./api", () => ({
  composeLimits: vi.fn(),
  draftList: vi.fn(),
  draftNew: vi.fn(),
  draftSave: vi.fn(),
  draftDelete: vi.fn(),
  draftAttachMedia: vi.fn(),
  draftRemoveMedia: vi.fn(),
  publish: vi.fn(),
  outboxList: vi.fn(),
  outboxRetry: vi.fn(),
  outboxCancel: vi.fn(),
  onOutboxChanged: vi.fn(),
}));

let outboxChanged: (entry: OutboxEntry) => void = () => {};

beforeEach(() => {
  vi.mocked(api.composeLimits).mockResolvedValue([feedLimits, visualLimits]);
  vi.mocked(api.outboxList).mockResolvedValue([]);
  vi.mocked(api.draftList).mockResolvedValue([]);
  vi.mocked(api.draftNew).mockResolvedValue(draft({ id: "fresh" }));
  vi.mocked(api.draftSave).mockImplementation(async (saved) => ({ ...saved, updatedAt: "2024-03-05T11:00:00Z" }));
  vi.mocked(api.draftDelete).mockResolvedValue();
  vi.mocked(api.onOutboxChanged).mockImplementation(async (handler) => {
    outboxChanged = handler;
    return () => {};
  });
});

async function openComposer(): Promise<Composer> {
  const composer = new Composer();
  await composer.open();
  await vi.waitFor(() => expect(composer.limits).toHaveLength(2));
  return composer;
}

describe("Composer", () => {
  it("starts a new draft when nothing is unsent", async () => {
    const composer = await openComposer();
    expect(api.draftNew).toHaveBeenCalledTimes(1);
    expect(composer.phase).toBe("editing");
    expect(composer.draft?.id).toBe("fresh");
  });

  it("offers the newest unsent draft instead of starting blank", async () => {
    const older = draft({ id: "older", text: "old", updatedAt: "2024-03-01T10:00:00Z" });
    const newer = draft({ id: "newer", text: "new", updatedAt: "2024-03-04T10:00:00Z" });
    vi.mocked(api.draftList).mockResolvedValue([older, newer]);

    const composer = await openComposer();
    expect(api.draftNew).not.toHaveBeenCalled();
    expect(composer.phase).toBe("offer");
    expect(composer.offer?.id).toBe("newer");

    await composer.resume(composer.offer!);
    expect(composer.phase).toBe("editing");
    expect(composer.draft?.text).toBe("new");
    expect(composer.otherDrafts.map((other) => other.id)).toEqual(["older"]);
  });

  it("saves what was just typed before publishing it", async () => {
    const calls: string[] = [];
    vi.mocked(api.draftSave).mockImplementation(async (saved) => {
      calls.push(`save:${saved.text}`);
      return saved;
    });
    vi.mocked(api.publish).mockImplementation(async (draftId) => {
      calls.push(`publish:${draftId}`);
      return [outboxEntry("o1", { draftId })];
    });
    const composer = await openComposer();

    composer.draft!.text = "Typed a moment ago";
    composer.changed();
    await composer.publish();

    expect(calls).toEqual(["save:Typed a moment ago", "publish:fresh"]);
    expect(composer.outbox.map((entry) => entry.id)).toEqual(["o1"]);
    // A fresh draft is ready for the next post.
    expect(api.draftNew).toHaveBeenCalledTimes(2);
  });

  it("does not publish a draft with a blocking problem", async () => {
    const composer = await openComposer();
    composer.draft!.text = "Only words";
    composer.draft!.variants = [variant("feed", { enabled: false }), variant("visual")];
    composer.changed();

    expect(composer.blocker).toBe("Visual posts need at least one image. Add one, or turn Visual off.");
    await composer.publish();
    expect(api.publish).not.toHaveBeenCalled();
  });

  it("keeps the draft and explains when publishing fails", async () => {
    vi.mocked(api.publish).mockRejectedValue({ kind: "offline", message: "The server could not be reached" });
    const composer = await openComposer();
    composer.draft!.text = "Hello";
    composer.changed();

    await composer.publish();
    expect(composer.draft?.text).toBe("Hello");
    expect(composer.problem?.failedAction).toBe("publish your post");
    expect(composer.problem?.error.kind).toBe("offline");
  });

  it("adds an attached image without losing text typed during the upload", async () => {
    let finishUpload: (stored: Draft) => void = () => {};
    vi.mocked(api.draftAttachMedia).mockReturnValue(new Promise((resolve) => (finishUpload = resolve)));
    const composer = await openComposer();
    const file = new File(["bytes"], "cat.jpg", { type: "image/jpeg" });

    const attaching = composer.attach([file]);
    expect(composer.uploading).toBe(1);
    composer.draft!.text = "A cat";
    finishUpload(draft({ id: "fresh", text: "", media: [draftMedia("m1")] }));
    await attaching;

    expect(api.draftAttachMedia).toHaveBeenCalledWith("fresh", file);
    expect(composer.uploading).toBe(0);
    expect(composer.draft?.text).toBe("A cat");
    expect(composer.draft?.media.map((media) => media.id)).toEqual(["m1"]);
  });

  it("refuses a file no surface accepts without uploading it", async () => {
    const composer = await openComposer();
    await composer.attach([new File(["%PDF"], "notes.pdf", { type: "application/pdf" })]);
    expect(api.draftAttachMedia).not.toHaveBeenCalled();
    expect(composer.refusedFiles).toEqual(["notes.pdf isn't an image Facets can post."]);
  });

  it("follows outbox entries as the core reports them", async () => {
    vi.mocked(api.outboxList).mockResolvedValue([outboxEntry("o1", { state: "sending" })]);
    const composer = await openComposer();
    await vi.waitFor(() => expect(composer.outbox).toHaveLength(1));

    outboxChanged(outboxEntry("o1", { state: "failed", lastError: "Rate limited" }));
    expect(composer.outbox.map((entry) => [entry.id, entry.state])).toEqual([["o1", "failed"]]);
  });

  it("drops a blank draft rather than keeping it when another is resumed", async () => {
    const waiting = draft({ id: "waiting", text: "Half a thought", updatedAt: "2024-03-01T10:00:00Z" });
    const composer = await openComposer();
    composer.drafts = [waiting];

    await composer.resume(waiting);
    expect(api.draftDelete).toHaveBeenCalledWith("fresh");
    expect(api.draftSave).not.toHaveBeenCalled();
    expect(composer.draft?.id).toBe("waiting");
  });
});
