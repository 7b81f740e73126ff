import { describe, expect, it } from "vitest";
import { asSentence, CommandFailure, describeError, isCommandError, toCommandFailure } from "./errors";

describe("toCommandFailure", () => {
  it("keeps the kind and message of a CommandError from Rust", () => {
    const failure = toCommandFailure({ kind: "offline", message: "network unreachable" });
    expect(failure).toBeInstanceOf(CommandFailure);
    expect(failure.kind).toBe("offline");
    expect(failure.message).toBe("network unreachable");
  });

  it("treats an unknown kind, a string or an Error as internal", () => {
    expect(toCommandFailure({ kind: "teapot", message: "x" }).kind).toBe("internal");
    expect(toCommandFailure("command not found").message).toBe("command not found");
    expect(toCommandFailure(new TypeError("boom")).kind).toBe("internal");
    expect(toCommandFailure(undefined).message).toBe("");
    expect(toCommandFailure({ kind: "teapot", message: "I'm a teapot" }).message).toBe("I'm a teapot");
  });

  it("knows the invalid kind the compose commands use", () => {
    const failure = toCommandFailure({ kind: "invalid", message: "This draft was already published." });
    expect(failure.kind).toBe("invalid");
    const described = describeError(failure, "publish your post");
    expect(described.detail).toBe("This draft was already published.");
    expect(described.canRetry).toBe(false);
  });

  it("recognises CommandError shapes only", () => {
    expect(isCommandError({ kind: "server", message: "503" })).toBe(true);
    expect(isCommandError({ kind: "server" })).toBe(false);
    expect(isCommandError(null)).toBe(false);
  });
});

describe("asSentence", () => {
  it("capitalises, ends with a full stop and drops everything after the first line", () => {
    expect(asSentence("timed out\n    at fetch (core.rs:12)")).toBe("Timed out.");
    expect(asSentence("Already a sentence!")).toBe("Already a sentence!");
    expect(asSentence("   ")).toBe("");
  });

  it("shortens very long messages", () => {
    const sentence = asSentence("x".repeat(1000));
    expect(sentence.length).toBeLessThanOrEqual(400);
    expect(sentence.endsWith("…")).toBe(true);
  });
});

describe("describeError", () => {
  it("offers a retry for network trouble, in the core's words", () => {
    const described = describeError(
      { kind: "offline", message: "Facets can't reach the server right now. Try again when you're back online." },
      "refresh your feed",
    );
    expect(described.title).toBe("Couldn't refresh your feed.");
    expect(described.detail).toBe(
      "Facets can't reach the server right now. Try again when you're back online.",
    );
    expect(described.canRetry).toBe(true);
  });

  it("never shows a stack trace, only the first line, as a sentence", () => {
    const described = describeError(
      { kind: "internal", message: "database is locked\n  at facets_store::read (read.rs:40)" },
      "open your feed",
    );
    expect(described.detail).toBe("Database is locked.");
  });

  it("does not offer a retry that cannot help", () => {
    expect(describeError({ kind: "unauthorized", message: "" }, "refresh").canRetry).toBe(false);
    expect(describeError({ kind: "notFound", message: "" }, "open the thread").canRetry).toBe(false);
  });

  it("explains the failure and the way forward when the core gave no message", () => {
    const described = describeError({ kind: "server", message: "" }, "refresh");
    expect(described.detail).toBe(
      "The server answered with an error. It may be busy; try again in a moment.",
    );
  });
});
