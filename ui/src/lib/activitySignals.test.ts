// The recorded-activity panel's state against a stand-in for the core: what
// a slow read may and may not bring back once signals have been deleted.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { ActivitySignalsState } from "./activitySignals.svelte";
import * as api from "./api";
import { notices } from "./notices.svelte";
import { signal } from "./testPrivacy";
import type { SignalPage } from "./types";

vi.mock("./api", () => ({
  activitySignals: vi.fn(),
  deleteSignal: vi.fn(),
  deleteAllSignals: vi.fn(),
  exportSignals: vi.fn(),
}));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((onResolve) => {
    resolve = onResolve;
  });
  return { promise, resolve };
}

beforeEach(() => {
  notices.items = [];
});

async function opened(page: SignalPage): Promise<ActivitySignalsState> {
  vi.mocked(api.activitySignals).mockResolvedValue(page);
  const signals = new ActivitySignalsState();
  signals.toggle();
  await vi.waitFor(() => expect(signals.loaded).toBe(true));
  return signals;
}

const ids = (signals: ActivitySignalsState) => signals.entries.map((entry) => entry.id);

describe("ActivitySignalsState", () => {
  it("reads nothing until opened, and again only while open", async () => {
    const signals = new ActivitySignalsState();
    signals.changed();
    expect(api.activitySignals).not.toHaveBeenCalled();

    vi.mocked(api.activitySignals).mockResolvedValue({ entries: [signal(1)], older: null });
    signals.toggle();
    signals.changed();
    await vi.waitFor(() => expect(ids(signals)).toEqual([1]));
    expect(api.activitySignals).toHaveBeenCalledTimes(2);
  });

  it("does not bring back a signal deleted while an older read was on its way", async () => {
    const signals = await opened({ entries: [signal(3), signal(2)], older: null });
    const slow = deferred<SignalPage>();
    vi.mocked(api.activitySignals).mockReturnValue(slow.promise);
    signals.changed();

    vi.mocked(api.deleteSignal).mockResolvedValue(true);
    await signals.delete(signals.entries[0]!);
    expect(ids(signals)).toEqual([2]);

    slow.resolve({ entries: [signal(4), signal(3), signal(2)], older: null });
    await vi.waitFor(() => expect(signals.loading).toBe(false));
    expect(ids(signals), "3 was deleted after the read was asked").toEqual([4, 2]);
  });

  it("leaves nothing listed after deleting everything, whatever a slower read says", async () => {
    const signals = await opened({ entries: [signal(3), signal(2)], older: 2 });
    const slow = deferred<SignalPage>();
    vi.mocked(api.activitySignals).mockReturnValue(slow.promise);
    void signals.loadOlder();
    expect(signals.loadingOlder).toBe(true);

    vi.mocked(api.deleteAllSignals).mockResolvedValue(5);
    signals.askDeleteAll();
    await signals.deleteAll();
    expect(signals.entries).toEqual([]);
    expect(signals.older).toBeNull();
    expect(signals.confirmingDeleteAll).toBe(false);
    expect(notices.items.map((notice) => notice.title)).toEqual(["Deleted 5 signals"]);

    slow.resolve({ entries: [signal(1)], older: null });
    await slow.promise;
    await Promise.resolve();
    expect(signals.entries, "the older page was asked before everything went").toEqual([]);
    expect(signals.loadingOlder).toBe(false);
  });

  it("counts a single deleted signal in the singular", async () => {
    const signals = await opened({ entries: [signal(1)], older: null });
    vi.mocked(api.deleteAllSignals).mockResolvedValue(1);
    await signals.deleteAll();
    expect(notices.items.map((notice) => notice.title)).toEqual(["Deleted 1 signal"]);
  });

  it("forgets a pending Delete all when the panel is hidden", async () => {
    const signals = await opened({ entries: [signal(1)], older: null });
    signals.askDeleteAll();
    signals.toggle();
    expect(signals.confirmingDeleteAll).toBe(false);
    expect(api.deleteAllSignals).not.toHaveBeenCalled();
  });
});
