import { describe, expect, it, vi } from "vitest";

const api = vi.hoisted(() => ({ firstPaint: vi.fn(async () => {}) }));
vi.mock("./api", () => api);

describe("reportFirstPaint", () => {
  it("tells the shell once, after the frame that shows the posts has been painted", async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => frames.push(callback));
    const { reportFirstPaint } = await import("./firstPaint");

    reportFirstPaint();
    reportFirstPaint();
    expect(frames).toHaveLength(1);
    frames.shift()!(0);
    expect(api.firstPaint).not.toHaveBeenCalled();
    frames.shift()!(16);
    expect(api.firstPaint).toHaveBeenCalledTimes(1);

    reportFirstPaint();
    expect(frames).toHaveLength(0);
    vi.unstubAllGlobals();
  });
});
