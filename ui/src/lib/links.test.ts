// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { keepLinksInApp } from "./links";

function click(target: Element): MouseEvent {
  const event = new MouseEvent("click", { bubbles: true, cancelable: true });
  target.dispatchEvent(event);
  return event;
}

describe("keepLinksInApp", () => {
  it("stops links inside from navigating, and nothing else, until destroyed", () => {
    const content = document.createElement("div");
    content.innerHTML = '<p>see <a href="https://example.com/"><span>this</span></a> and more</p>';
    document.body.append(content);
    let bubbled = 0;
    document.body.addEventListener("click", () => bubbled++);
    const action = keepLinksInApp(content);

    expect(click(content.querySelector("span")!).defaultPrevented, "a click inside a link").toBe(true);
    expect(click(content.querySelector("p")!).defaultPrevented, "a click on text").toBe(false);
    expect(bubbled, "clicks still reach the card").toBe(2);

    action?.destroy?.();
    expect(click(content.querySelector("a")!).defaultPrevented).toBe(false);
  });
});
