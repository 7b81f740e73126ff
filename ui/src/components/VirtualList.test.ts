// @vitest-environment jsdom
// jsdom has no layout: every row is given a height here, and the scroller a
// viewport, so the window the list keeps can be checked at any position.
import { cleanup, render } from "@testing-library/svelte";
import { createRawSnippet, flushSync, tick } from "svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import VirtualList from "./VirtualList.svelte";

interface Item {
  id: string;
}

const ROW_PX = 100;
const VIEWPORT_PX = 800;
/** Rows whose id starts with "tall" are this tall, more than estimated. */
const TALL_PX = 150;

function items(count: number, prefix = "p"): Item[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}${i}` }));
}

/**
 * A scroller with a viewport and a scroll offset, and the boxes a browser
 * would give: the list starts at the top of the scrolled content, and every
 * row is ROW_PX tall.
 */
function scrollerElement(): HTMLElement {
  const element = document.createElement("div");
  let top = 0;
  Object.defineProperty(element, "clientHeight", { get: () => VIEWPORT_PX });
  Object.defineProperty(element, "scrollTop", {
    get: () => top,
    set: (value: number) => {
      top = value;
    },
  });
  vi.spyOn(Element.prototype, "getBoundingClientRect").mockImplementation(function (this: Element) {
    const box = (y: number, height: number) => DOMRect.fromRect({ x: 0, y, width: 600, height });
    if (this.tagName === "OL") return box(-top, 0);
    if (this.tagName === "LI") return box(0, this.textContent?.startsWith("tall") ? TALL_PX : ROW_PX);
    return box(0, 0);
  });
  document.body.appendChild(element);
  return element;
}

const row = createRawSnippet((item: () => Item) => ({
  render: () => `<div class="row">${item().id}</div>`,
}));

function rendered(container: HTMLElement): string[] {
  return Array.from(container.querySelectorAll("li")).map((li) => li.dataset.key ?? "");
}

async function scrollTo(scroller: HTMLElement, top: number): Promise<void> {
  scroller.scrollTop = top;
  scroller.dispatchEvent(new Event("scroll"));
  flushSync();
  await tick();
}

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  document.body.innerHTML = "";
});

describe("VirtualList", () => {
  it("keeps at most about 60 rows in the DOM with 50,000 items, wherever it is scrolled", async () => {
    const scroller = scrollerElement();
    const { container } = render(VirtualList<Item>, {
      target: scroller,
      props: { items: items(50_000), keyOf: (item) => item.id, scroller, estimate: ROW_PX, label: "Posts", row },
    });
    const list = container.querySelector("ol")!;
    expect(rendered(container)[0]).toBe("p0");
    expect(rendered(container).length).toBeLessThanOrEqual(60);

    await scrollTo(scroller, 2_500_000);
    const keys = rendered(container);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.length).toBeLessThanOrEqual(60);
    // The rows around the 25,000th are in the DOM, the space of the rest kept by padding.
    expect(keys).toContain("p25000");
    const first = Number(keys[0]!.slice(1));
    expect(parseFloat(list.style.paddingTop)).toBe(first * ROW_PX);
    expect(parseFloat(list.style.paddingTop) + keys.length * ROW_PX + parseFloat(list.style.paddingBottom)).toBe(
      50_000 * ROW_PX,
    );

    await scrollTo(scroller, 50_000 * ROW_PX - VIEWPORT_PX);
    expect(rendered(container)).toContain("p49999");
    expect(rendered(container).length).toBeLessThanOrEqual(60);
  });

  it("keeps the row being read in place when rows are added above it", async () => {
    const scroller = scrollerElement();
    const view = render(VirtualList<Item>, {
      target: scroller,
      props: { items: items(1_000), keyOf: (item) => item.id, scroller, estimate: ROW_PX, label: "Posts", row },
    });
    await scrollTo(scroller, 500 * ROW_PX + 30);
    await view.rerender({ items: [...items(40, "new"), ...items(1_000)] });
    await tick();
    // p500 was 30 px above the viewport's top; 40 rows above it later, it still is.
    expect(scroller.scrollTop).toBe((40 + 500) * ROW_PX + 30);
    expect(rendered(view.container)).toContain("p500");
  });

  it("keeps the row being read in place when rows above it are let go as the next page arrives below", async () => {
    const scroller = scrollerElement();
    const view = render(VirtualList<Item>, {
      target: scroller,
      props: { items: items(1_000), keyOf: (item) => item.id, scroller, estimate: ROW_PX, label: "Posts", row },
    });
    await scrollTo(scroller, 900 * ROW_PX + 30);
    // Still scrolling: the browser has moved on, and tells the list at the next frame.
    scroller.scrollTop = 950 * ROW_PX + 30;
    await view.rerender({ items: [...items(1_000).slice(100), ...items(20, "older")] });
    await tick();
    // p950 was 30 px above the viewport's top; with 100 rows fewer above it, it still is.
    expect(scroller.scrollTop).toBe((950 - 100) * ROW_PX + 30);
    expect(rendered(view.container)).toContain("p950");
  });

  it("keeps the row being read in place when the next page, taller than estimated, is measured in the same update", async () => {
    const scroller = scrollerElement();
    const view = render(VirtualList<Item>, {
      target: scroller,
      props: { items: items(1_000), keyOf: (item) => item.id, scroller, estimate: ROW_PX, label: "Posts", row },
    });
    // Near the end, as when the next page is read: the new rows come into the overscan at once.
    const top = 1_000 * ROW_PX - VIEWPORT_PX - 300;
    await scrollTo(scroller, top);
    await view.rerender({ items: [...items(1_000).slice(100), ...items(20, "tall")] });
    await tick();
    expect(rendered(view.container)).toContain("tall0");
    expect(scroller.scrollTop).toBe(top - 100 * ROW_PX);
  });

  it("stays at the top when rows arrive while the top is shown", async () => {
    const scroller = scrollerElement();
    const view = render(VirtualList<Item>, {
      target: scroller,
      props: { items: items(100), keyOf: (item) => item.id, scroller, estimate: ROW_PX, label: "Posts", row },
    });
    await view.rerender({ items: [...items(5, "new"), ...items(100)] });
    await tick();
    expect(scroller.scrollTop).toBe(0);
    expect(rendered(view.container)[0]).toBe("new0");
  });
});
