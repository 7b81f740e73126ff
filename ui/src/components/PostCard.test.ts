// @vitest-environment jsdom
import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { postDeletion } from "../lib/postDeletion.svelte";
import { image, post } from "../lib/testPosts";
import PostCard from "./PostCard.svelte";

vi.mock("../lib/api", () => ({ setFavourite: vi.fn(), deletePost: vi.fn() }));

describe("PostCard", () => {
  it("keeps a content warning's post and media behind Show more", async () => {
    const warned = post("cw", {
      spoilerText: "<b>Spoilers</b> for the finale",
      contentHtml: "<p>The butler did it</p>",
      media: [image("m1")],
    });
    render(PostCard, { post: warned, onopenmedia: vi.fn() });

    // The warning is plain text: markup in it is shown, not interpreted.
    expect(screen.getByText("<b>Spoilers</b> for the finale")).toBeTruthy();
    expect(screen.queryByText("The butler did it")).toBeNull();
    expect(screen.queryByRole("img")).toBeNull();

    const toggle = screen.getByRole("button", { name: "Show more" });
    expect(toggle.getAttribute("aria-expanded")).toBe("false");
    await fireEvent.click(toggle);

    expect(screen.getByText("The butler did it")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Show less" }).getAttribute("aria-expanded")).toBe("true");
  });

  it("opens the thread from a click on the card, but not from its buttons", async () => {
    const onopenthread = vi.fn();
    const plain = post("p", { repliesCount: 3 });
    const { container } = render(PostCard, { post: plain, onopenthread, onopenmedia: vi.fn() });

    await fireEvent.click(screen.getByRole("button", { name: "Favourite" }));
    expect(onopenthread).not.toHaveBeenCalled();

    await fireEvent.click(container.querySelector(".content")!);
    expect(onopenthread).toHaveBeenCalledWith(plain);
  });

  it("blurs sensitive media until revealed, then opens the picture clicked", async () => {
    const onopenmedia = vi.fn();
    const sensitive = post("s", { sensitive: true, media: [image("a"), image("b", { description: null })] });
    render(PostCard, { post: sensitive, onopenmedia });

    await fireEvent.click(screen.getByRole("button", { name: /Sensitive media/ }));
    await fireEvent.click(screen.getByRole("button", { name: "Open picture 2 of 2" }));

    expect(onopenmedia).toHaveBeenCalledWith(sensitive, 1);
    expect(screen.getByAltText("Picture a")).toBeTruthy();
  });

  it("offers Delete only on your own posts, without opening the thread", async () => {
    const onopenthread = vi.fn();
    const { unmount } = render(PostCard, { post: post("theirs"), onopenthread, onopenmedia: vi.fn() });
    expect(screen.queryByTestId("post-delete")).toBeNull();
    unmount();

    const mine = post("mine", { own: true });
    render(PostCard, { post: mine, onopenthread, onopenmedia: vi.fn() });
    await fireEvent.click(screen.getByRole("button", { name: "Delete post" }));

    expect(postDeletion.post).toBe(mine);
    expect(onopenthread).not.toHaveBeenCalled();
    postDeletion.close();
  });
});
