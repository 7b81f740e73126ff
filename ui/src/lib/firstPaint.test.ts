import { describe, expect, it, vi } from "vitest";

const api = vi.hoisted(() => ({ firstPaint: vi.fn(async (_marks: unknown) => {}) }));
vi.mock("./api", () => api);

describe("reportFirstPaint", () => {
  it("tells the shell once, after the frame that shows the posts, when each moment of startup happened", async () => {
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => frames.push(callback));
    const { markStartup } = await import("./startupMarks");
    const { reportFirstPaint } = await import("./firstPaint");

    markStartup("script");
    markStartup("page-requested");
    markStartup("page-answered");
    const firstAnswer = performance.getEntriesByName("facets:page-answered")[0]?.startTime;
    // A later page is not startup.
    markStartup("page-answered");
    expect(performance.getEntriesByName("facets:page-answered")).toHaveLength(1);

    reportFirstPaint();
    reportFirstPaint();
    expect(frames).toHaveLength(1);
    frames.shift()!(0);
    expect(api.firstPaint).not.toHaveBeenCalled();
    frames.shift()!(16);
    expect(api.firstPaint).toHaveBeenCalledTimes(1);
    const marks = api.firstPaint.mock.calls[0]?.[0] as Record<string, number>;
    const { script = -1, pageRequested = -1, pageAnswered = -1, painted = -1 } = marks;
    expect(marks.timeOrigin).toBe(performance.timeOrigin);
    expect(marks.pageAnswered).toBe(firstAnswer);
    expect(script).toBeGreaterThanOrEqual(0);
    expect(script).toBeLessThanOrEqual(pageRequested);
    expect(pageRequested).toBeLessThanOrEqual(pageAnswered);
    expect(pageAnswered).toBeLessThanOrEqual(painted);

    reportFirstPaint();
    expect(frames).toHaveLength(0);
    vi.unstubAllGlobals();
  });

  it("reports a moment that never happened as null", async () => {
    vi.resetModules();
    performance.clearMarks();
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (callback: FrameRequestCallback) => frames.push(callback));
    api.firstPaint.mockClear();
    const { reportFirstPaint } = await import("./firstPaint");
    reportFirstPaint();
    frames.shift()!(0);
    frames.shift()!(16);
    expect(api.firstPaint).toHaveBeenCalledWith(expect.objectContaining({ script: null, pageRequested: null }));
    vi.unstubAllGlobals();
  });
});
