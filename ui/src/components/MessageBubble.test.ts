// @vitest-environment jsdom
import { fireEvent, render } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { forgetFailedPictures } from "../lib/failedPictures.svelte";
import { message } from "../lib/testInbox";
import { image } from "../lib/testPosts";
import MessageBubble from "./MessageBubble.svelte";

const withPicture = message("feed:1", { media: [image("harbour", { description: "Boats on the mud" })] });

beforeEach(() => forgetFailedPictures());

describe("MessageBubble", () => {
  it("shows a message's picture, and the missing-picture icon in its place once it fails, here and in the next bubble", async () => {
    const first = render(MessageBubble, { message: withPicture, onopenmedia: vi.fn() });
    const img = first.container.querySelector(".pictures img");
    expect(img?.getAttribute("src")).toBe(withPicture.media[0]!.thumbUrl);
    expect(img?.getAttribute("alt")).toBe("Boats on the mud");

    await fireEvent.error(img!);
    expect(first.getByRole("img", { name: "Boats on the mud" }).tagName).toBe("SPAN");
    expect(first.getByRole("button", { name: "Open picture: Boats on the mud" }), "still opens").toBeTruthy();

    // The same picture in a bubble scrolled back into view, without a way to open it.
    const again = render(MessageBubble, { message: withPicture });
    expect(again.container.querySelector(".pictures img"), "not asked for again").toBeNull();
    expect(again.container.querySelector(".pictures [role=img]")?.getAttribute("aria-label")).toBe("Boats on the mud");
  });
});
