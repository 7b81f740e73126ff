// @vitest-environment jsdom
import { describe, expect, it } from "vitest";
import { isTypingTarget, opensCompose } from "./shortcuts";

function key(key: string, target: EventTarget | null, modifiers: Partial<KeyboardEvent> = {}) {
  return {
    key,
    target,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    defaultPrevented: false,
    isComposing: false,
    ...modifiers,
  };
}

describe("opensCompose", () => {
  const body = document.body;
  const textarea = document.createElement("textarea");
  const search = Object.assign(document.createElement("input"), { type: "search" });
  const checkbox = Object.assign(document.createElement("input"), { type: "checkbox" });

  it("opens on a bare n outside text fields", () => {
    expect(opensCompose(key("n", body))).toBe(true);
    expect(opensCompose(key("n", checkbox))).toBe(true);
  });

  it("leaves n alone where it types a letter", () => {
    expect(opensCompose(key("n", textarea))).toBe(false);
    expect(opensCompose(key("n", search))).toBe(false);
    expect(opensCompose(key("N", body, { shiftKey: true }))).toBe(false);
    expect(opensCompose(key("n", body, { isComposing: true }))).toBe(false);
  });

  it("opens on Ctrl/Cmd+Shift+N even while typing, but not on Ctrl+N", () => {
    expect(opensCompose(key("N", textarea, { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(opensCompose(key("N", textarea, { metaKey: true, shiftKey: true }))).toBe(true);
    expect(opensCompose(key("n", body, { ctrlKey: true }))).toBe(false);
    expect(opensCompose(key("n", body, { altKey: true }))).toBe(false);
  });

  it("respects a key someone else already handled", () => {
    expect(opensCompose(key("n", body, { defaultPrevented: true }))).toBe(false);
  });

  it("treats editable content as a text field", () => {
    const editable = document.createElement("div");
    editable.setAttribute("contenteditable", "true");
    const inside = document.createElement("span");
    editable.append(inside);
    expect(isTypingTarget(inside)).toBe(true);
    expect(isTypingTarget(document.createElement("button"))).toBe(false);
  });
});
