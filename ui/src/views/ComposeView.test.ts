// @vitest-environment jsdom
// Compose against a stand-in for the core: the wiring between the fields, the
// composer store and the commands.
import { screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { draft, draftMedia, feedLimits, outboxEntry, variant, visualLimits } from "../lib/testDrafts";
import { localSettings } from "../lib/testPrivacy";

const api = vi.hoisted(() => ({
  composeLimits: vi.fn<typeof import("../lib/api").composeLimits>(),
  draftList: vi.fn<typeof import("../lib/api").draftList>(),
  draftNew: vi.fn<typeof import("../lib/api").draftNew>(),
  draftSave: vi.fn<typeof import("../lib/api").draftSave>(),
  draftDelete: vi.fn<typeof import("../lib/api").draftDelete>(),
  draftAttachMedia: vi.fn<typeof import("../lib/api").draftAttachMedia>(),
  draftRemoveMedia: vi.fn<typeof import("../lib/api").draftRemoveMedia>(),
  publish: vi.fn<typeof import("../lib/api").publish>(),
  outboxList: vi.fn<typeof import("../lib/api").outboxList>(),
  outboxRetry: vi.fn<typeof import("../lib/api").outboxRetry>(),
  outboxCancel: vi.fn<typeof import("../lib/api").outboxCancel>(),
  onOutboxChanged: vi.fn<typeof import("../lib/api").onOutboxChanged>(),
  privacySettings: vi.fn<typeof import("../lib/api").privacySettings>(),
}));
vi.mock("../lib/api", () => api);

// The composer store lives as long as the app, so each test loads a fresh one.
let unmount = () => {};
let fireEvent: typeof import("@testing-library/svelte").fireEvent;

async function renderCompose(): Promise<void> {
  vi.resetModules();
  const [testing, { default: ComposeView }] = await Promise.all([
    import("@testing-library/svelte"),
    import("./ComposeView.svelte"),
  ]);
  fireEvent = testing.fireEvent;
  unmount = testing.cleanup;
  testing.render(ComposeView);
}

afterEach(() => unmount());

beforeEach(() => {
  api.composeLimits.mockResolvedValue([feedLimits, visualLimits]);
  api.draftList.mockResolvedValue([]);
  api.draftNew.mockResolvedValue(draft({ id: "fresh" }));
  api.draftSave.mockImplementation(async (saved) => saved);
  api.outboxList.mockResolvedValue([]);
  api.onOutboxChanged.mockResolvedValue(() => {});
  api.privacySettings.mockResolvedValue(localSettings());
});

async function textBox(): Promise<HTMLTextAreaElement> {
  return (await screen.findByTestId("compose-text")) as HTMLTextAreaElement;
}

describe("ComposeView", () => {
  it("says a public Visual post also goes to Feed when the Privacy setting asks", async () => {
    api.privacySettings.mockResolvedValue(localSettings({ shareVisualToFeed: true }));
    const visualOnly = [variant("feed", { enabled: false }), variant("visual")];
    api.draftNew.mockResolvedValue(draft({ id: "fresh", variants: visualOnly, media: [draftMedia("m1")] }));
    await renderCompose();
    const note = await screen.findByTestId("compose-shared-to-feed");
    expect(note.textContent).toContain("and to Feed as your Privacy settings ask");
  });

  it("counts what is left as you type, and turns red when over", async () => {
    await renderCompose();
    const text = await textBox();
    await waitFor(() => expect(screen.getByTitle("Characters left on Feed").textContent).toContain("500"));

    await fireEvent.input(text, { target: { value: "Look: https://example.com/a/long/link @ada@feed.example" } });
    // 6 + 23 + 1 + 4 = 34 characters.
    const counter = screen.getByTitle("Characters left on Feed");
    expect(counter.textContent).toContain("466");
    expect(counter.classList.contains("over")).toBe(false);

    await fireEvent.input(text, { target: { value: "x".repeat(503) } });
    expect(counter.textContent).toContain("-3");
    expect(counter.classList.contains("over")).toBe(true);
  });

  it("disables Publish and says why when no target is on", async () => {
    await renderCompose();
    await fireEvent.input(await textBox(), { target: { value: "Hello" } });
    const publish = screen.getByTestId("compose-publish") as HTMLButtonElement;
    expect(publish.disabled).toBe(false);

    await fireEvent.click(screen.getByTestId("compose-target-feed"));
    expect(publish.disabled).toBe(true);
    expect(document.getElementById("compose-publish-reason")?.textContent).toContain(
      "Choose where to post",
    );
  });

  it("publishes with Ctrl+Enter after saving, and lists the entry in the outbox", async () => {
    api.publish.mockResolvedValue([outboxEntry("o1", { draftId: "fresh", summary: "Hello there" })]);
    await renderCompose();
    const text = await textBox();
    await fireEvent.input(text, { target: { value: "Hello there" } });
    await fireEvent.keyDown(text, { key: "Enter", ctrlKey: true });

    await waitFor(() => expect(api.publish).toHaveBeenCalledWith("fresh"));
    expect(api.draftSave).toHaveBeenCalledWith(expect.objectContaining({ id: "fresh", text: "Hello there" }));
    const entry = await screen.findByTestId("outbox-entry");
    expect(within(entry).getByText("Queued")).toBeTruthy();
  });

  it("tells the truth about a public post from a private account", async () => {
    api.composeLimits.mockResolvedValue([
      { ...feedLimits, privateAccount: "approvesFollowers" },
      { ...visualLimits, privateAccount: "followersOnly" },
    ]);
    api.draftNew.mockResolvedValue(draft({ id: "fresh", variants: [variant("feed"), variant("visual")] }));
    await renderCompose();
    await textBox();
    const sentence = () => document.querySelector(".audience-sentence")?.textContent ?? "";
    await waitFor(() => expect(sentence()).toContain("new followers need your approval"));
    expect(sentence()).toMatch(/^Anyone can see this/);

    await fireEvent.click(screen.getByRole("tab", { name: /Visual/ }));
    expect(sentence()).toBe("Your Visual account is private, so only the followers you approved will see this.");
  });

  it("offers to resume the newest unsent draft", async () => {
    api.draftList.mockResolvedValue([
      draft({ id: "a", text: "Holiday photos caption", updatedAt: new Date().toISOString() }),
      draft({ id: "b", text: "Older idea", updatedAt: "2020-01-01T00:00:00Z" }),
    ]);
    await renderCompose();

    expect(await screen.findByText(/You have an unsent draft from just now/)).toBeTruthy();
    expect(screen.getAllByTestId("draft-entry")).toHaveLength(2);
    expect(api.draftNew).not.toHaveBeenCalled();

    await fireEvent.click(screen.getByRole("button", { name: "Resume draft" }));
    expect((await textBox()).value).toBe("Holiday photos caption");
    expect(screen.getAllByTestId("draft-entry")).toHaveLength(1);
  });

  it("marks images without alt text and saves the alt text typed", async () => {
    api.draftNew.mockResolvedValue(
      draft({ id: "fresh", media: [draftMedia("m1", { description: "" }), draftMedia("m2")] }),
    );
    await renderCompose();
    await textBox();
    expect(screen.getAllByText("No alt text")).toHaveLength(1);

    await fireEvent.input(screen.getByTestId("compose-alt-0"), { target: { value: "A red kite" } });
    expect(screen.queryByText("No alt text")).toBeNull();
    await waitFor(() =>
      expect(api.draftSave).toHaveBeenCalledWith(
        expect.objectContaining({ media: [expect.objectContaining({ id: "m1", description: "A red kite" }), expect.anything()] }),
      ),
    );
  });

  it("shows a failed entry's reason and retries it", async () => {
    const failed = outboxEntry("o1", { state: "failed", lastError: "The server is busy." });
    api.outboxList.mockResolvedValue([failed]);
    api.outboxRetry.mockResolvedValue({ ...failed, state: "queued" });
    await renderCompose();

    const entry = await screen.findByTestId("outbox-entry");
    expect(within(entry).getByText("Failed: The server is busy")).toBeTruthy();
    await fireEvent.click(within(entry).getByRole("button", { name: "Retry" }));
    expect(api.outboxRetry).toHaveBeenCalledWith("o1");
    await waitFor(() => expect(within(screen.getByTestId("outbox-entry")).getByText("Queued")).toBeTruthy());
  });
});
