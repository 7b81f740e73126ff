import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { DraftSaver, type SaveStatus, saveStatusLabel } from "./draftSaver";
import { draft, draftMedia } from "./testDrafts";
import type { Draft } from "./types";

/** A save the test answers by hand, to look at the state while it is on its way. */
interface PendingSave {
  draft: Draft;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function setup() {
  let current = draft({ text: "" });
  const pending: PendingSave[] = [];
  const statuses: SaveStatus[] = [];
  let inFlight = 0;
  let mostInFlight = 0;
  const saver = new DraftSaver({
    read: () => structuredClone(current),
    save: (snapshot) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      return new Promise<Draft>((resolve, reject) => {
        pending.push({
          draft: snapshot,
          resolve: () => {
            inFlight--;
            resolve({ ...snapshot, updatedAt: "2024-03-05T10:01:00Z" });
          },
          reject: (error) => {
            inFlight--;
            reject(error);
          },
        });
      });
    },
    onStatus: (status) => statuses.push(status),
  });
  return {
    saver,
    pending,
    statuses,
    edit(text: string) {
      current = { ...current, text };
      saver.changed();
    },
    setMedia(ids: string[]) {
      current = { ...current, media: ids.map((id) => draftMedia(id)) };
    },
    mostInFlight: () => mostInFlight,
  };
}

/** Lets queued promise callbacks run. */
async function settle(): Promise<void> {
  for (let round = 0; round < 5; round++) await Promise.resolve();
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("DraftSaver", () => {
  it("saves once typing pauses, with the latest text", async () => {
    const { pending, edit } = setup();
    edit("H");
    await vi.advanceTimersByTimeAsync(300);
    edit("He");
    await vi.advanceTimersByTimeAsync(300);
    edit("Hey");
    await vi.advanceTimersByTimeAsync(399);
    expect(pending).toHaveLength(0);

    await vi.advanceTimersByTimeAsync(1);
    expect(pending.map((save) => save.draft.text)).toEqual(["Hey"]);
  });

  it("claims Saved only after the core has answered", async () => {
    const { saver, pending, statuses, edit } = setup();
    expect(saveStatusLabel(saver.status)).toBe("");
    edit("Hello");
    expect(saveStatusLabel(saver.status)).toBe("Saving…");

    await vi.advanceTimersByTimeAsync(400);
    expect(pending).toHaveLength(1);
    expect(saver.status).toBe("saving");
    expect(saveStatusLabel(saver.status)).toBe("Saving…");

    pending[0]!.resolve();
    await settle();
    expect(saveStatusLabel(saver.status)).toBe("Saved");
    expect(statuses).toEqual(["unsaved", "saving", "saved"]);
  });

  it("saves at once on flush, and not again when the pause ends", async () => {
    const { saver, pending, edit } = setup();
    edit("Leaving now");
    const flushed = saver.flush();
    await settle();
    expect(pending.map((save) => save.draft.text)).toEqual(["Leaving now"]);
    pending[0]!.resolve();
    await flushed;

    await vi.advanceTimersByTimeAsync(1000);
    expect(pending).toHaveLength(1);
    expect(saver.dirty).toBe(false);
  });

  it("does not resolve flush before the save has been stored", async () => {
    const { saver, pending, edit } = setup();
    edit("Publish me");
    let flushed = false;
    const flushing = saver.flush().then(() => (flushed = true));
    await settle();
    expect(flushed).toBe(false);
    pending[0]!.resolve();
    await flushing;
    expect(flushed).toBe(true);
  });

  it("never overlaps saves, and saves edits made while one was on its way", async () => {
    const { saver, pending, edit, mostInFlight } = setup();
    edit("first");
    await vi.advanceTimersByTimeAsync(400);
    edit("first and more");
    await vi.advanceTimersByTimeAsync(400);
    // The second save waits for the first one's answer.
    expect(pending).toHaveLength(1);
    expect(saver.status).toBe("unsaved");

    pending[0]!.resolve();
    await settle();
    expect(pending.map((save) => save.draft.text)).toEqual(["first", "first and more"]);
    expect(saver.status).toBe("saving");
    pending[1]!.resolve();
    await settle();
    expect(saver.status).toBe("saved");
    expect(mostInFlight()).toBe(1);
  });

  it("reports a failed save, rejects flush, and tries again on the next flush", async () => {
    const { saver, pending, edit } = setup();
    edit("offline text");
    const first = saver.flush();
    await settle();
    pending[0]!.reject({ kind: "internal", message: "disk full" });
    await expect(first).rejects.toEqual({ kind: "internal", message: "disk full" });
    expect(saver.status).toBe("failed");
    expect(saveStatusLabel(saver.status)).toBe("Not saved");
    expect(saver.dirty).toBe(true);

    const second = saver.flush();
    await settle();
    expect(pending.map((save) => save.draft.text)).toEqual(["offline text", "offline text"]);
    pending[1]!.resolve();
    await second;
    expect(saver.status).toBe("saved");
  });

  it("runs a media operation between saves, and later saves read the draft it left", async () => {
    const { saver, pending, edit, setMedia } = setup();
    edit("caption");
    let attachStarted = false;
    let finishAttach: () => void = () => {};
    const attaching = saver.exclusive(async () => {
      attachStarted = true;
      await new Promise<void>((resolve) => (finishAttach = resolve));
      setMedia(["new"]);
    });
    await settle();
    expect(attachStarted).toBe(true);

    // The pause ends while the upload is on its way: the save must wait for it.
    edit("caption, longer");
    await vi.advanceTimersByTimeAsync(400);
    expect(pending).toHaveLength(0);

    finishAttach();
    await attaching;
    await settle();
    expect(pending).toHaveLength(1);
    expect(pending[0]!.draft.text).toBe("caption, longer");
    expect(pending[0]!.draft.media.map((media) => media.id)).toEqual(["new"]);
  });

  it("drops a pending save when disposed", async () => {
    const { saver, pending, edit } = setup();
    edit("about to be deleted");
    saver.dispose();
    await vi.advanceTimersByTimeAsync(1000);
    await saver.flush();
    expect(pending).toHaveLength(0);
  });
});
