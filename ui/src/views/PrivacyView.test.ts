// @vitest-environment jsdom
// The privacy center against a stand-in for the core: the cached settings,
// then the servers' answer; only what each server offers; changes shown only
// once a server took them; follow requests, blocks and mutes; the sign-ins
// Facets holds; Facets' own settings and the activity it recorded; and the log.
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import Notices from "../components/Notices.svelte";
import { notices } from "../lib/notices.svelte";
import { formatLogTime } from "../lib/privacy";
import { signInAgain } from "../lib/signInAgain.svelte";
import { formatSignedIn } from "../lib/signIns";
import {
  connectedApps,
  feedPrivacy,
  feedSignIn,
  localSettings,
  logEntry,
  privacyCenter,
  signal,
  visualPrivacy,
  visualSignIn,
} from "../lib/testPrivacy";
import { person } from "../lib/testPosts";
import type {
  ConnectedApps,
  PrivacyCenter,
  PrivacyLogPage,
  PrivacySettings,
  SignalPage,
  SurfacePrivacy,
} from "../lib/types";
import PrivacyView from "./PrivacyView.svelte";

vi.mock("../lib/api", () => ({
  privacyCenter: vi.fn(),
  refreshPrivacy: vi.fn(),
  setAccountPrivacy: vi.fn(),
  answerFollowRequest: vi.fn(),
  unblock: vi.fn(),
  unmute: vi.fn(),
  privacyLog: vi.fn(),
  exportPrivacyLog: vi.fn(),
  setLocalPrivacy: vi.fn(),
  activitySignals: vi.fn(),
  deleteSignal: vi.fn(),
  deleteAllSignals: vi.fn(),
  exportSignals: vi.fn(),
  connectedApps: vi.fn(),
  revokeSignIn: vi.fn(),
  signInAgain: vi.fn(),
  onSignInsChanged: vi.fn(),
  secretStorage: vi.fn(),
  chooseSecretStore: vi.fn(),
}));

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  return { promise, resolve, reject };
}

const ada = person({ id: "ada", displayName: "Ada Lovelace", handle: "ada@feed.example" });
const alan = person({ id: "alan", displayName: "Alan Turing", handle: "alan@visual.example" });
const checked = { checkedAt: "2024-05-01T12:00:00Z" };

/** The cache answers with `cached`, the servers with `fresh` (the same unless given). */
function serve(cached: PrivacyCenter, fresh: PrivacyCenter = cached): void {
  vi.mocked(api.privacyCenter).mockResolvedValue(cached);
  vi.mocked(api.refreshPrivacy).mockResolvedValue(fresh);
}

beforeEach(() => {
  notices.items = [];
  signInAgain.errors = {};
  serve(privacyCenter([feedPrivacy(checked), visualPrivacy(checked)]));
  vi.mocked(api.connectedApps).mockResolvedValue(connectedApps());
  vi.mocked(api.onSignInsChanged).mockResolvedValue(() => {});
  vi.mocked(api.secretStorage).mockResolvedValue({
    choice: "keychain",
    keptIn: "keychain",
    keychainAvailable: true,
    fileExists: false,
    locked: false,
    setByEnvironment: false,
  });
});

function section(surface: "feed" | "visual"): HTMLElement {
  return screen.getByTestId(`privacy-surface-${surface}`);
}

async function switchNamed(testid: string): Promise<HTMLInputElement> {
  return (await screen.findByTestId(testid)) as HTMLInputElement;
}

/** Renders the view and waits until the servers' answer is on screen. */
async function renderRefreshed(): Promise<void> {
  render(PrivacyView);
  await waitFor(() => expect(api.refreshPrivacy).toHaveBeenCalled());
  await waitFor(() => expect(screen.getByRole("button", { name: "Refresh" }).hasAttribute("disabled")).toBe(false));
}

describe("PrivacyView: this computer", () => {
  async function theSwitch(): Promise<HTMLInputElement> {
    render(PrivacyView);
    return (await screen.findByRole("switch", { name: /Remove location and camera details/ })) as HTMLInputElement;
  }

  it("shows the stored choice, on by default", async () => {
    expect((await theSwitch()).checked).toBe(true);
    expect(screen.getByRole("heading", { name: "On this computer" })).toBeTruthy();
  });

  it("turns metadata removal off once the core saved it", async () => {
    const toggle = await theSwitch();
    vi.mocked(api.setLocalPrivacy).mockResolvedValue(localSettings({ stripPhotoMetadata: false }));
    await fireEvent.click(toggle);
    expect(api.setLocalPrivacy).toHaveBeenCalledWith({ setting: "stripPhotoMetadata", value: false });
    await waitFor(() => expect(toggle.checked).toBe(false));
  });

  it("stays as stored and says why when saving fails", async () => {
    const toggle = await theSwitch();
    vi.mocked(api.setLocalPrivacy).mockRejectedValue({ kind: "internal", message: "The cache is read-only" });
    await fireEvent.click(toggle);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Couldn't turn off removing location and camera details.");
    expect(alert.textContent).toContain("The cache is read-only");
    expect(toggle.checked, "never pretend a setting was saved").toBe(true);
  });
});

describe("PrivacyView: across your surfaces", () => {
  const switches = [
    { setting: "shareVisualToFeed", name: "Share new Visual posts to Feed", stored: false },
    { setting: "inboxAcrossSurfaces", name: "One inbox for both surfaces", stored: true },
    { setting: "activityShapesOther", name: "Let my activity on one surface shape the other", stored: false },
  ] as const;

  it.each(switches)("changes “$name” only once Facets stored it", async ({ setting, name, stored }) => {
    await renderRefreshed();
    const toggle = await switchNamed(`privacy-${setting}`);
    expect(screen.getByRole("switch", { name })).toBe(toggle);
    expect(toggle.checked, "as stored").toBe(stored);
    const answer = deferred<PrivacySettings>();
    vi.mocked(api.setLocalPrivacy).mockReturnValue(answer.promise);

    await fireEvent.click(toggle);
    expect(api.setLocalPrivacy).toHaveBeenCalledWith({ setting, value: !stored });
    expect(toggle.checked, "not before Facets stored it").toBe(stored);
    expect(toggle.disabled).toBe(true);

    answer.resolve(localSettings({ [setting]: !stored }));
    await waitFor(() => expect(toggle.checked).toBe(!stored));
    expect(toggle.disabled).toBe(false);
  });

  it("says what each switch does", async () => {
    await renderRefreshed();
    const group = screen.getByRole("region", { name: "On this computer" });
    expect(within(group).getByRole("heading", { name: "Across your surfaces" })).toBeTruthy();
    expect(group.textContent).toContain("Followers-only and direct posts stay on Visual.");
    expect(group.textContent).toContain("When this is off, Feed's and Visual's messages are kept apart.");
    expect(group.textContent).toContain("Nothing leaves this computer. When this is off, nothing is recorded.");
  });

  it("puts a refused change back and says why", async () => {
    await renderRefreshed();
    const share = await switchNamed("privacy-shareVisualToFeed");
    vi.mocked(api.setLocalPrivacy).mockRejectedValue({ kind: "internal", message: "The settings file is locked" });

    await fireEvent.click(share);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Couldn't turn on sharing Visual posts to Feed.");
    expect(alert.textContent).toContain("The settings file is locked.");
    expect(share.checked, "never pretend a setting was saved").toBe(false);
    expect(share.disabled).toBe(false);
  });

  it("offers to pause recording only while activity is recorded", async () => {
    await renderRefreshed();
    expect(screen.queryByTestId("privacy-activityPaused"), "nothing is recorded").toBeNull();

    vi.mocked(api.setLocalPrivacy).mockResolvedValue(localSettings({ activityShapesOther: true }));
    await fireEvent.click(await switchNamed("privacy-activityShapesOther"));
    const pause = await switchNamed("privacy-activityPaused");
    expect(pause.checked).toBe(false);
    expect(screen.getByRole("switch", { name: "Pause recording" })).toBe(pause);

    vi.mocked(api.setLocalPrivacy).mockResolvedValue(localSettings({ activityShapesOther: true, activityPaused: true }));
    await fireEvent.click(pause);
    expect(api.setLocalPrivacy).toHaveBeenLastCalledWith({ setting: "activityPaused", value: true });
    await waitFor(() => expect(pause.checked).toBe(true));

    vi.mocked(api.setLocalPrivacy).mockResolvedValue(localSettings({ activityShapesOther: false }));
    await fireEvent.click(screen.getByTestId("privacy-activityShapesOther"));
    expect(api.setLocalPrivacy).toHaveBeenLastCalledWith({ setting: "activityShapesOther", value: false });
    await waitFor(() => expect(screen.queryByTestId("privacy-activityPaused")).toBeNull());
  });

  it("shows a refused pause as not paused, with the reason", async () => {
    serve(privacyCenter(undefined, localSettings({ activityShapesOther: true })));
    await renderRefreshed();
    const pause = await switchNamed("privacy-activityPaused");
    vi.mocked(api.setLocalPrivacy).mockRejectedValue({ kind: "internal", message: "The cache is read-only" });

    await fireEvent.click(pause);
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Couldn't pause recording your activity.");
    expect(pause.checked).toBe(false);
  });
});

describe("PrivacyView: recorded activity", () => {
  const used = signal(9, {
    surface: "visual",
    kind: "reply",
    description: "You replied to Ana Lima",
    usedCount: 3,
    lastUsedAt: "2024-05-02T08:00:00Z",
  });
  const firstPage: SignalPage = { entries: [used, signal(8), signal(7)], older: 7 };

  function panel(): HTMLElement {
    return screen.getByTestId("privacy-signals");
  }

  function listed(): HTMLElement[] {
    return within(panel()).queryAllByTestId("privacy-signal");
  }

  /** Renders the view, opens the panel, and waits for the first page. */
  async function openSignals(page: SignalPage = firstPage): Promise<void> {
    vi.mocked(api.activitySignals).mockResolvedValue(page);
    await renderRefreshed();
    expect(listed(), "closed until asked for").toHaveLength(0);
    expect(api.activitySignals).not.toHaveBeenCalled();
    const open = within(panel()).getByTestId("privacy-signals-open");
    expect(open.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(open);
    expect(open.getAttribute("aria-expanded")).toBe("true");
    expect(open.textContent).toContain("Hide what was recorded");
    await waitFor(() => expect(api.activitySignals).toHaveBeenCalledWith(null));
    if (page.entries.length > 0) await waitFor(() => expect(listed()).toHaveLength(page.entries.length));
  }

  it("lists what was recorded, newest first, with where, when and how it was used", async () => {
    await openSignals();
    const [first, second] = listed();
    expect(first!.dataset.id).toBe("9");
    expect(first!.textContent).toContain("You replied to Ana Lima");
    expect(first!.textContent).toContain("Visual");
    expect(first!.textContent).toContain(formatLogTime(used.at));
    expect(first!.textContent).toContain(`Used 3 times, last ${formatLogTime("2024-05-02T08:00:00Z")}`);
    expect(second!.textContent).toContain("You favourited post 8 by Ana Lima");
    expect(second!.textContent).toContain("Feed");
    expect(second!.textContent).toContain("Not used yet");
    expect(within(first!).getByRole("button", { name: "Delete “You replied to Ana Lima”" })).toBeTruthy();
  });

  it("pages back to older signals", async () => {
    await openSignals();
    vi.mocked(api.activitySignals).mockResolvedValue({ entries: [signal(7), signal(4)], older: null });

    await fireEvent.click(within(panel()).getByTestId("privacy-signals-older"));
    expect(api.activitySignals).toHaveBeenLastCalledWith(7);
    await waitFor(() => expect(listed()).toHaveLength(4));
    expect(listed().map((row) => row.dataset.id), "one signal listed once").toEqual(["9", "8", "7", "4"]);
    expect(within(panel()).queryByTestId("privacy-signals-older"), "nothing older").toBeNull();
  });

  it("says when nothing was recorded, and hides again", async () => {
    await openSignals({ entries: [], older: null });
    expect(await within(panel()).findByText("Nothing recorded.")).toBeTruthy();
    expect(within(panel()).queryByTestId("privacy-signals-delete-all"), "nothing to delete").toBeNull();

    await fireEvent.click(within(panel()).getByTestId("privacy-signals-open"));
    expect(within(panel()).getByTestId("privacy-signals-open").getAttribute("aria-expanded")).toBe("false");
    expect(within(panel()).queryByText("Nothing recorded.")).toBeNull();
  });

  it("deletes one signal once Facets deleted it, and moves focus to the next", async () => {
    await openSignals();
    const answer = deferred<boolean>();
    vi.mocked(api.deleteSignal).mockReturnValue(answer.promise);
    const button = within(listed()[0]!).getByTestId("privacy-signal-delete") as HTMLButtonElement;
    button.focus();

    await fireEvent.click(button);
    expect(api.deleteSignal).toHaveBeenCalledWith(9);
    expect(listed(), "not before Facets deleted it").toHaveLength(3);
    expect(button.disabled).toBe(true);

    answer.resolve(true);
    await waitFor(() => expect(listed()).toHaveLength(2));
    expect(panel().textContent).not.toContain("You replied to Ana Lima");
    await waitFor(() =>
      expect(document.activeElement).toBe(within(listed()[0]!).getByTestId("privacy-signal-delete")),
    );
  });

  it("keeps a signal it could not delete, and says why in the panel", async () => {
    await openSignals();
    vi.mocked(api.deleteSignal).mockRejectedValue({ kind: "internal", message: "The cache is read-only" });

    await fireEvent.click(within(listed()[1]!).getByTestId("privacy-signal-delete"));
    const alert = await within(panel()).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't delete “You favourited post 8 by Ana Lima”.");
    expect(alert.textContent).toContain("The cache is read-only.");
    expect(listed()).toHaveLength(3);
    expect((within(listed()[1]!).getByTestId("privacy-signal-delete") as HTMLButtonElement).disabled).toBe(false);
  });

  it("deletes everything only after a second, explicit confirmation", async () => {
    render(Notices);
    await openSignals({ entries: [signal(2), signal(1)], older: null });
    const confirmSpy = vi.spyOn(window, "confirm");

    await fireEvent.click(within(panel()).getByTestId("privacy-signals-delete-all"));
    const confirm = within(panel()).getByTestId("privacy-signals-delete-all-confirm");
    expect(confirm.textContent).toContain("Delete all 2 signals");
    expect(api.deleteAllSignals).not.toHaveBeenCalled();
    expect(document.activeElement, "the safe choice has focus").toBe(
      within(panel()).getByRole("button", { name: "Cancel" }),
    );

    await fireEvent.click(within(panel()).getByRole("button", { name: "Cancel" }));
    expect(within(panel()).queryByTestId("privacy-signals-delete-all-confirm")).toBeNull();
    expect(api.deleteAllSignals).not.toHaveBeenCalled();
    expect(listed()).toHaveLength(2);

    vi.mocked(api.deleteAllSignals).mockResolvedValue(2);
    await fireEvent.click(within(panel()).getByTestId("privacy-signals-delete-all"));
    await fireEvent.click(within(panel()).getByTestId("privacy-signals-delete-all-confirm"));
    expect(api.deleteAllSignals).toHaveBeenCalledTimes(1);
    expect(await within(panel()).findByText("Nothing recorded.")).toBeTruthy();
    expect(listed()).toHaveLength(0);
    expect((await screen.findByTestId("notice")).textContent).toContain("Deleted 2 signals");
    expect(confirmSpy, "asked in the page, not in a window").not.toHaveBeenCalled();
  });

  it("says older signals go too when not all are listed", async () => {
    await openSignals();
    await fireEvent.click(within(panel()).getByTestId("privacy-signals-delete-all"));
    expect(within(panel()).getByTestId("privacy-signals-delete-all-confirm").textContent).toContain(
      "Delete all signals, older ones too",
    );
  });

  it("keeps every signal when deleting them all fails, and says why", async () => {
    await openSignals();
    vi.mocked(api.deleteAllSignals).mockRejectedValue({ kind: "internal", message: "The cache is read-only" });

    await fireEvent.click(within(panel()).getByTestId("privacy-signals-delete-all"));
    await fireEvent.click(within(panel()).getByTestId("privacy-signals-delete-all-confirm"));
    const alert = await within(panel()).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't delete what was recorded.");
    expect(listed()).toHaveLength(3);
    expect(within(panel()).queryByTestId("privacy-signals-delete-all-confirm")).toBeNull();
  });

  it("reads what was recorded again when recording is switched, if it is shown", async () => {
    await openSignals({ entries: [signal(1)], older: null });
    vi.mocked(api.activitySignals).mockResolvedValue({ entries: [], older: null });
    vi.mocked(api.setLocalPrivacy).mockResolvedValue(localSettings({ activityShapesOther: true }));

    await fireEvent.click(await switchNamed("privacy-activityShapesOther"));
    await waitFor(() => expect(api.activitySignals).toHaveBeenCalledTimes(2));
    expect(await within(panel()).findByText("Nothing recorded.")).toBeTruthy();

    vi.mocked(api.setLocalPrivacy).mockResolvedValue(localSettings({ shareVisualToFeed: true }));
    await fireEvent.click(screen.getByTestId("privacy-shareVisualToFeed"));
    await waitFor(() => expect((screen.getByTestId("privacy-shareVisualToFeed") as HTMLInputElement).checked).toBe(true));
    expect(api.activitySignals, "sharing has nothing to do with recording").toHaveBeenCalledTimes(2);
  });

  it("does not read what was recorded while it is hidden", async () => {
    await renderRefreshed();
    vi.mocked(api.setLocalPrivacy).mockResolvedValue(localSettings({ activityShapesOther: true }));
    await fireEvent.click(await switchNamed("privacy-activityShapesOther"));
    await switchNamed("privacy-activityPaused");
    expect(api.activitySignals).not.toHaveBeenCalled();
  });

  it("exports what was recorded and says where the file is", async () => {
    render(Notices);
    await renderRefreshed();
    vi.mocked(api.exportSignals).mockResolvedValue("/home/mara/Downloads/facets-activity.json");

    await fireEvent.click(within(panel()).getByTestId("privacy-signals-export"));
    const notice = await screen.findByTestId("notice");
    expect(notice.textContent).toContain("Recorded activity exported");
    expect(notice.textContent).toContain("/home/mara/Downloads/facets-activity.json");
  });

  it("says why an export failed", async () => {
    render(Notices);
    await renderRefreshed();
    vi.mocked(api.exportSignals).mockRejectedValue({ kind: "internal", message: "The Downloads folder is full" });

    await fireEvent.click(within(panel()).getByTestId("privacy-signals-export"));
    const notice = await screen.findByTestId("notice");
    expect(notice.textContent).toContain("Couldn't export what was recorded.");
    expect(notice.textContent).toContain("The Downloads folder is full.");
  });
});

describe("PrivacyView: the servers' settings", () => {
  it("shows the cached settings at once, then what the servers answer", async () => {
    const refresh = deferred<PrivacyCenter>();
    vi.mocked(api.privacyCenter).mockResolvedValue(privacyCenter([feedPrivacy(), visualPrivacy()]));
    vi.mocked(api.refreshPrivacy).mockReturnValue(refresh.promise);
    render(PrivacyView);

    const locked = await switchNamed("privacy-locked-visual");
    expect(locked.checked).toBe(false);
    expect(section("visual").textContent).toContain("Not checked with the server yet");
    expect(within(section("visual")).getByRole("heading", { level: 2 }).textContent).toMatch(
      /Visual\s*· @mara@facets\.example on pixelfed-server-host/,
    );

    refresh.resolve(privacyCenter([feedPrivacy(checked), visualPrivacy({ ...checked, locked: true })]));
    await waitFor(() => expect(locked.checked).toBe(true));
    expect(section("visual").textContent).toContain("Last checked");
    expect(section("visual").textContent).not.toContain("Not checked with the server yet");
  });

  it("keeps the cached settings when the servers can't be reached, and tries again", async () => {
    vi.mocked(api.refreshPrivacy).mockRejectedValueOnce({ kind: "offline", message: "" });
    render(PrivacyView);

    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Couldn't check your privacy settings with the servers.");
    expect(screen.getByTestId("privacy-locked-feed"), "the cached settings stay").toBeTruthy();

    vi.mocked(api.refreshPrivacy).mockResolvedValue(privacyCenter([feedPrivacy({ ...checked, locked: true })]));
    await fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.queryByRole("alert")).toBeNull());
    expect((screen.getByTestId("privacy-locked-feed") as HTMLInputElement).checked).toBe(true);
    expect(api.refreshPrivacy).toHaveBeenCalledTimes(2);
  });

  it("offers only the settings each server has, and says what private means there", async () => {
    await renderRefreshed();

    const everySetting = ["locked", "defaultAudience", "sensitiveMedia", "discoverable", "hideCollections", "indexable"];
    for (const setting of everySetting) {
      expect(screen.queryByTestId(`privacy-${setting}-feed`), `Feed offers ${setting}`).toBeTruthy();
    }
    for (const setting of ["locked", "defaultAudience", "sensitiveMedia"]) {
      expect(screen.queryByTestId(`privacy-${setting}-visual`), `Visual offers ${setting}`).toBeTruthy();
    }
    for (const setting of ["discoverable", "hideCollections", "indexable"]) {
      expect(screen.queryByTestId(`privacy-${setting}-visual`), `Pixelfed has no ${setting}`).toBeNull();
    }
    expect(within(section("visual")).queryByRole("switch", { name: "Listed in the directory" })).toBeNull();

    expect(within(section("visual")).getByRole("switch", { name: "Private account" }).getAttribute("aria-describedby"))
      .toBeTruthy();
    expect(section("visual").textContent).toContain("Only followers you approve see your posts.");
    expect(section("feed").textContent).toContain("You approve each new follower. Your public posts stay public.");
  });

  it("shows a change only once the server took it, then what the server answered", async () => {
    await renderRefreshed();
    const locked = await switchNamed("privacy-locked-visual");
    const answer = deferred<SurfacePrivacy>();
    vi.mocked(api.setAccountPrivacy).mockReturnValue(answer.promise);

    await fireEvent.click(locked);
    expect(api.setAccountPrivacy).toHaveBeenCalledWith("visual", { setting: "locked", value: true });
    expect(locked.checked, "not before the server said so").toBe(false);
    expect(locked.disabled).toBe(true);
    expect(within(section("visual")).getByRole("status").textContent).toContain("Saving");

    answer.resolve(visualPrivacy({ ...checked, locked: true, followRequests: [alan] }));
    await waitFor(() => expect(locked.checked).toBe(true));
    expect(locked.disabled).toBe(false);
    expect(within(section("visual")).getAllByTestId("privacy-follow-request")).toHaveLength(1);
  });

  it("puts a refused change back and says why, in its section", async () => {
    await renderRefreshed();
    const locked = await switchNamed("privacy-locked-visual");
    vi.mocked(api.setAccountPrivacy).mockRejectedValue({
      kind: "invalid",
      message: "The server does not allow private accounts",
    });

    await fireEvent.click(locked);
    const alert = await within(section("visual")).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't make your Visual account private.");
    expect(alert.textContent).toContain("The server does not allow private accounts.");
    expect(locked.checked, "never pretend a setting was saved").toBe(false);
    expect(locked.disabled).toBe(false);
    expect(within(section("feed")).queryByRole("alert")).toBeNull();
  });

  it("changes the default audience to what the server answered", async () => {
    await renderRefreshed();
    const select = (await screen.findByTestId("privacy-defaultAudience-feed")) as HTMLSelectElement;
    const answer = deferred<SurfacePrivacy>();
    vi.mocked(api.setAccountPrivacy).mockReturnValue(answer.promise);

    await fireEvent.change(select, { target: { value: "private" } });
    expect(api.setAccountPrivacy).toHaveBeenCalledWith("feed", { setting: "defaultAudience", value: "private" });
    expect(select.value, "not before the server said so").toBe("public");
    expect(select.disabled).toBe(true);

    answer.resolve(feedPrivacy({ ...checked, defaultAudience: "private" }));
    await waitFor(() => expect(select.value).toBe("private"));
    expect(select.disabled).toBe(false);
  });

  it("does not let a slow refresh undo a change the server has since confirmed", async () => {
    const refresh = deferred<PrivacyCenter>();
    vi.mocked(api.refreshPrivacy).mockReturnValue(refresh.promise);
    render(PrivacyView);
    const sensitive = await switchNamed("privacy-sensitiveMedia-feed");

    vi.mocked(api.setAccountPrivacy).mockResolvedValue(feedPrivacy({ ...checked, sensitiveMedia: true }));
    await fireEvent.click(sensitive);
    await waitFor(() => expect(sensitive.checked).toBe(true));

    refresh.resolve(privacyCenter([feedPrivacy(checked), visualPrivacy({ ...checked, locked: true })]));
    await waitFor(() => expect((screen.getByTestId("privacy-locked-visual") as HTMLInputElement).checked).toBe(true));
    expect(sensitive.checked, "the refresh was asked before the change was made").toBe(true);
  });
});

describe("PrivacyView: people", () => {
  it("approves a follow request and shows the requests the server has left", async () => {
    serve(privacyCenter([feedPrivacy({ ...checked, locked: true, followRequests: [ada, alan] }), visualPrivacy()]));
    await renderRefreshed();
    const rows = within(section("feed")).getAllByTestId("privacy-follow-request");
    expect(rows).toHaveLength(2);
    const answer = deferred<SurfacePrivacy>();
    vi.mocked(api.answerFollowRequest).mockReturnValue(answer.promise);

    await fireEvent.click(within(rows[0]!).getByTestId("privacy-approve"));
    expect(api.answerFollowRequest).toHaveBeenCalledWith("feed", "ada", true);
    expect((within(rows[0]!).getByTestId("privacy-reject") as HTMLButtonElement).disabled).toBe(true);
    expect((within(rows[1]!).getByTestId("privacy-approve") as HTMLButtonElement).disabled).toBe(false);

    answer.resolve(feedPrivacy({ ...checked, locked: true, followRequests: [alan] }));
    await waitFor(() => expect(within(section("feed")).getAllByTestId("privacy-follow-request")).toHaveLength(1));
    expect(section("feed").textContent).not.toContain("Ada Lovelace");
  });

  it("shows follow requests only for a private account or when someone is waiting", async () => {
    await renderRefreshed();
    expect(within(section("feed")).queryByRole("heading", { name: /Follow requests/ })).toBeNull();
    expect(section("feed").textContent).toContain("You haven't blocked anyone on Feed.");
    expect(section("feed").textContent).toContain("You haven't muted anyone on Feed.");
  });

  it("unblocks someone, and keeps a muted person listed with the reason when unmuting fails", async () => {
    serve(privacyCenter([feedPrivacy({ ...checked, blocked: [ada], muted: [alan] }), visualPrivacy()]));
    await renderRefreshed();
    vi.mocked(api.unblock).mockResolvedValue(feedPrivacy({ ...checked, muted: [alan] }));
    vi.mocked(api.unmute).mockRejectedValue({ kind: "server", message: "The server is busy" });

    await fireEvent.click(within(screen.getByTestId("privacy-blocked")).getByTestId("privacy-unblock"));
    expect(api.unblock).toHaveBeenCalledWith("feed", "ada");
    await waitFor(() => expect(screen.queryByTestId("privacy-blocked")).toBeNull());

    await fireEvent.click(within(screen.getByTestId("privacy-muted")).getByTestId("privacy-unmute"));
    const alert = await within(section("feed")).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't unmute Alan Turing on Feed.");
    expect(alert.textContent).toContain("The server is busy.");
    expect(screen.getByTestId("privacy-muted").textContent).toContain("Alan Turing");
  });
});

describe("PrivacyView: the privacy log", () => {
  const refused = logEntry(8, {
    surface: "visual",
    label: "Private account",
    accepted: false,
    reason: "The server does not allow private accounts",
  });
  const firstPage: PrivacyLogPage = {
    entries: [refused, logEntry(7, { label: "Default audience", oldValue: "Public", newValue: "Followers only" })],
    older: 7,
  };

  async function openLog(): Promise<HTMLElement> {
    await renderRefreshed();
    const log = screen.getByTestId("privacy-log");
    expect(within(log).queryAllByTestId("privacy-log-entry"), "closed until asked for").toHaveLength(0);
    expect(api.privacyLog).not.toHaveBeenCalled();
    await fireEvent.click(within(log).getByTestId("privacy-log-open"));
    await waitFor(() => expect(within(log).getAllByTestId("privacy-log-entry").length).toBeGreaterThan(0));
    return log;
  }

  it("lists the newest changes, a refusal marked with its reason, and pages back", async () => {
    vi.mocked(api.privacyLog).mockImplementation(async (before) =>
      before === null
        ? firstPage
        : { entries: [logEntry(3, { surface: null, label: "Remove location and camera details" })], older: null },
    );
    const log = await openLog();
    expect(api.privacyLog).toHaveBeenCalledWith(null);
    expect(within(log).getByTestId("privacy-log-open").getAttribute("aria-expanded")).toBe("true");

    const [first, second] = within(log).getAllByTestId("privacy-log-entry");
    expect(first!.dataset.accepted).toBe("false");
    expect(first!.classList.contains("refused")).toBe(true);
    expect(first!.textContent).toContain("Visual");
    expect(first!.textContent).toContain("Refused: The server does not allow private accounts");
    expect(second!.dataset.accepted).toBe("true");
    expect(second!.textContent).toMatch(/Default audience:\s*Public\s*→\s*to\s*Followers only/);
    expect(second!.textContent).not.toContain("Refused");

    await fireEvent.click(within(log).getByRole("button", { name: "Show older" }));
    expect(api.privacyLog).toHaveBeenLastCalledWith(7);
    await waitFor(() => expect(within(log).getAllByTestId("privacy-log-entry")).toHaveLength(3));
    expect(within(log).getAllByTestId("privacy-log-entry")[2]!.textContent).toContain("This computer");
    expect(within(log).queryByRole("button", { name: "Show older" }), "nothing older").toBeNull();
  });

  it("reads the newest page again after a setting change, even a refused one", async () => {
    vi.mocked(api.privacyLog).mockResolvedValue({ entries: [logEntry(7)], older: null });
    const log = await openLog();
    vi.mocked(api.privacyLog).mockResolvedValue(firstPage);
    vi.mocked(api.setAccountPrivacy).mockRejectedValue({
      kind: "invalid",
      message: "The server does not allow private accounts",
    });

    await fireEvent.click(await switchNamed("privacy-locked-visual"));
    await waitFor(() => expect(within(log).getAllByTestId("privacy-log-entry")).toHaveLength(2));
    expect(api.privacyLog).toHaveBeenLastCalledWith(null);
    expect(within(log).getAllByTestId("privacy-log-entry")[0]!.dataset.accepted).toBe("false");
  });

  it("exports the log and says where the file is", async () => {
    render(Notices);
    await renderRefreshed();
    vi.mocked(api.exportPrivacyLog).mockResolvedValue("/home/mara/Downloads/facets-privacy-log.json");

    await fireEvent.click(screen.getByTestId("privacy-log-export"));
    const notice = await screen.findByTestId("notice");
    expect(notice.textContent).toContain("Privacy log exported");
    expect(notice.textContent).toContain("/home/mara/Downloads/facets-privacy-log.json");
  });

  it("says why an export failed", async () => {
    render(Notices);
    await renderRefreshed();
    vi.mocked(api.exportPrivacyLog).mockRejectedValue({ kind: "internal", message: "The Downloads folder is full" });

    await fireEvent.click(screen.getByTestId("privacy-log-export"));
    const notice = await screen.findByTestId("notice");
    expect(notice.textContent).toContain("Couldn't export the privacy log.");
    expect(notice.textContent).toContain("The Downloads folder is full.");
  });
});

describe("PrivacyView: connected apps and sessions", () => {
  const fiveMinutesAgo = () => new Date(Date.now() - 5 * 60_000).toISOString();
  const refused = visualSignIn({ refused: "The access token was revoked" });

  function row(surface: "feed" | "visual"): HTMLElement {
    return screen.getByTestId(`connected-app-${surface}`);
  }

  /** Renders the view and waits until the sign-ins are listed. */
  async function renderSignIns(list: ConnectedApps = connectedApps()): Promise<HTMLElement> {
    vi.mocked(api.connectedApps).mockResolvedValue(list);
    render(PrivacyView);
    const section = await screen.findByTestId("connected-apps");
    await waitFor(() => expect(within(section).queryByTestId("connected-apps-kept-in")).not.toBeNull());
    return section;
  }

  async function openRevoke(surface: "feed" | "visual"): Promise<HTMLElement> {
    const revoke = within(row(surface)).getByTestId(`connected-app-revoke-${surface}`);
    revoke.focus();
    await fireEvent.click(revoke);
    return screen.getByTestId("revoke-confirm");
  }

  it("sits after the accounts' server settings and before this computer's", async () => {
    const signIns = await renderSignIns();
    expect(within(signIns).getByRole("heading", { name: "Connected apps and sessions" })).toBeTruthy();
    const follows = (a: Node, b: Node) => Boolean(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
    expect(follows(section("visual"), signIns)).toBe(true);
    expect(follows(signIns, screen.getByRole("region", { name: "On this computer" }))).toBe(true);
  });

  it("lists each sign-in with its surface, account, what it may do, when it was used, and its state", async () => {
    const lastUsedAt = fiveMinutesAgo();
    await renderSignIns(
      connectedApps([feedSignIn({ lastUsedAt, scopes: ["read", "admin:read"] }), refused]),
    );

    const feed = row("feed");
    expect(within(feed).getByText("Feed")).toBeTruthy();
    expect(feed.textContent).toContain("@mara@mastodon.social");
    expect(feed.textContent).toContain("on mastodon.social");
    expect(feed.textContent, "an unknown scope as the server named it").toContain(
      "May read your posts and messages and admin:read.",
    );
    expect(feed.textContent).toContain(formatSignedIn("2024-05-01T12:00:00Z"));
    expect(feed.textContent).toContain("Last used 5m ago");
    expect(feed.textContent).toContain("Active");
    expect(within(feed).queryByTestId("sign-in-again-feed"), "nothing to sign in again").toBeNull();

    const visual = row("visual");
    expect(within(visual).getByText("Visual")).toBeTruthy();
    expect(visual.textContent).toContain(
      "May read your posts and messages, post and change settings, follow and block, and notify you.",
    );
    expect(visual.textContent).toContain("Not used yet");
    expect(visual.textContent).toContain("pixelfed.social no longer accepts this sign-in");
    expect(visual.textContent).toContain("The access token was revoked");
    expect(visual.textContent).not.toContain("Active");
    expect(within(visual).getByTestId("sign-in-again-visual").textContent?.trim()).toBe("Sign in again");
  });

  it("says where the tokens are kept: the keychain, or memory only", async () => {
    const section = await renderSignIns();
    expect(within(section).getByTestId("connected-apps-kept-in").textContent).toBe(
      "Sign-in tokens are kept in your system keychain, never in Facets' files.",
    );
    cleanup();

    const memoryOnly = await renderSignIns(connectedApps(undefined, { keptIn: "memoryOnly" }));
    expect(within(memoryOnly).getByTestId("connected-apps-kept-in").textContent).toBe(
      "This computer has no keychain Facets can use, so sign-ins are kept in memory only and end when Facets quits.",
    );
    expect((await openRevoke("visual")).textContent).toContain("its token is deleted from this computer's memory.");
  });

  it("revokes after asking, with what was cached when ticked, and lists the surface as signed out", async () => {
    await renderSignIns();
    const dialog = await openRevoke("visual");
    expect(within(dialog).getByRole("heading").textContent).toBe("Revoke this sign-in?");
    expect(dialog.textContent).toContain(
      "Facets signs out of @mara@pixelfed.social: pixelfed.social stops accepting this sign-in and its token is " +
        "deleted from the system keychain.",
    );
    const forget = within(dialog).getByTestId("revoke-forget-cached") as HTMLInputElement;
    expect(forget.checked, "keeps the cache unless asked").toBe(false);
    expect(within(dialog).getByLabelText(/Also remove what Facets has cached from this account/)).toBe(forget);
    const answer = deferred<ConnectedApps>();
    vi.mocked(api.revokeSignIn).mockReturnValue(answer.promise);

    await fireEvent.click(forget);
    const confirm = within(dialog).getByTestId("revoke-confirm-button") as HTMLButtonElement;
    await fireEvent.click(confirm);
    expect(api.revokeSignIn).toHaveBeenCalledWith("sign-in:visual", true);
    expect(confirm.disabled).toBe(true);
    expect(confirm.textContent).toContain("Revoking…");
    expect(screen.queryByTestId("connected-app-visual"), "not before the core revoked it").not.toBeNull();

    answer.resolve(connectedApps([feedSignIn()], { signedOut: ["visual"] }));
    await waitFor(() => expect(screen.queryByTestId("revoke-confirm")).toBeNull());
    expect(screen.queryByTestId("connected-app-visual")).toBeNull();
    expect(screen.getByTestId("signed-out-visual").textContent).toContain("You signed out of Visual.");
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId("sign-in-again-visual")));
  });

  it("keeps the cache when the box is not ticked", async () => {
    await renderSignIns();
    vi.mocked(api.revokeSignIn).mockResolvedValue(connectedApps([visualSignIn()], { signedOut: ["feed"] }));

    await fireEvent.click(within(await openRevoke("feed")).getByTestId("revoke-confirm-button"));
    expect(api.revokeSignIn).toHaveBeenCalledWith("sign-in:feed", false);
    await waitFor(() => expect(screen.queryByTestId("connected-app-feed")).toBeNull());
  });

  it("keeps the sign-in when revoking fails, and offers to try again in the dialog", async () => {
    await renderSignIns();
    const dialog = await openRevoke("visual");
    vi.mocked(api.revokeSignIn).mockRejectedValue({
      kind: "offline",
      message: "pixelfed.social could not be reached; try again when you're back online",
    });

    await fireEvent.click(within(dialog).getByTestId("revoke-forget-cached"));
    await fireEvent.click(within(dialog).getByTestId("revoke-confirm-button"));
    const alert = await within(dialog).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't revoke this sign-in.");
    expect(alert.textContent).toContain("try again when you're back online");
    const retry = within(dialog).getByTestId("revoke-confirm-button") as HTMLButtonElement;
    expect(retry.textContent?.trim()).toBe("Try again");
    expect(retry.disabled).toBe(false);
    expect(screen.getByTestId("revoke-confirm")).toBe(dialog);
    expect(row("visual")).toBeTruthy();

    vi.mocked(api.revokeSignIn).mockResolvedValue(connectedApps([feedSignIn()], { signedOut: ["visual"] }));
    await fireEvent.click(retry);
    expect(api.revokeSignIn).toHaveBeenLastCalledWith("sign-in:visual", true);
    await waitFor(() => expect(screen.queryByTestId("revoke-confirm")).toBeNull());
    expect(screen.queryByTestId("connected-app-visual")).toBeNull();
  });

  it("cancels without revoking", async () => {
    await renderSignIns();
    await openRevoke("visual");
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(screen.queryByTestId("revoke-confirm")).toBeNull();
    expect(api.revokeSignIn).not.toHaveBeenCalled();
    await waitFor(() =>
      expect(document.activeElement).toBe(within(row("visual")).getByTestId("connected-app-revoke-visual")),
    );
  });

  it("signs a refused surface in again", async () => {
    await renderSignIns(connectedApps([feedSignIn(), refused]));
    const answer = deferred<ConnectedApps>();
    vi.mocked(api.signInAgain).mockReturnValue(answer.promise);
    const again = within(row("visual")).getByTestId("sign-in-again-visual") as HTMLButtonElement;

    await fireEvent.click(again);
    expect(api.signInAgain).toHaveBeenCalledWith("visual");
    expect(again.disabled).toBe(true);
    expect(again.textContent?.trim()).toBe("Signing in…");

    answer.resolve(connectedApps([feedSignIn(), visualSignIn({ id: "sign-in:visual-2" })]));
    await waitFor(() => expect(row("visual").textContent).toContain("Active"));
    expect(within(row("visual")).queryByTestId("sign-in-again-visual")).toBeNull();
  });

  it("signs a signed-out surface in again, and says why when it can't", async () => {
    await renderSignIns(connectedApps([feedSignIn()], { signedOut: ["visual"] }));
    vi.mocked(api.signInAgain).mockRejectedValue({ kind: "server", message: "The server is busy" });
    const signedOut = screen.getByTestId("signed-out-visual");

    await fireEvent.click(within(signedOut).getByTestId("sign-in-again-visual"));
    expect(api.signInAgain).toHaveBeenCalledWith("visual");
    const alert = await within(signedOut).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't sign in to Visual again.");
    expect(alert.textContent).toContain("The server is busy.");
    expect((within(signedOut).getByTestId("sign-in-again-visual") as HTMLButtonElement).disabled).toBe(false);
  });

  it("reads the sign-ins again on sign-ins-changed, and the privacy log with them", async () => {
    let signInsChanged = () => {};
    vi.mocked(api.onSignInsChanged).mockImplementation(async (handler) => {
      signInsChanged = handler;
      return () => {};
    });
    vi.mocked(api.privacyLog).mockResolvedValue({ entries: [logEntry(7)], older: null });
    await renderSignIns();
    const log = screen.getByTestId("privacy-log");
    await fireEvent.click(within(log).getByTestId("privacy-log-open"));
    await waitFor(() => expect(api.privacyLog).toHaveBeenCalledTimes(1));

    vi.mocked(api.connectedApps).mockResolvedValue(connectedApps([feedSignIn(), refused]));
    signInsChanged();
    await waitFor(() => expect(row("visual").textContent).toContain("The access token was revoked"));
    await waitFor(() => expect(api.privacyLog).toHaveBeenCalledTimes(2));
  });

  it("says why the sign-ins can't be read, and tries again", async () => {
    vi.mocked(api.connectedApps).mockRejectedValue({ kind: "internal", message: "The cache is read-only" });
    render(PrivacyView);
    const section = await screen.findByTestId("connected-apps");
    const alert = await within(section).findByRole("alert");
    expect(alert.textContent).toContain("Couldn't read the sign-ins Facets holds.");

    vi.mocked(api.connectedApps).mockResolvedValue(connectedApps());
    await fireEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(within(section).queryByTestId("connected-app-feed")).not.toBeNull());
  });
});
