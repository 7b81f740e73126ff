import { describe, expect, it } from "vitest";
import {
  formatLastUsed,
  keptInSentence,
  notSyncingSentence,
  passphraseProblem,
  revokeExplanation,
  scopesInWords,
  storageChoiceOffered,
} from "./signIns";
import type { SecretStorage } from "./types";

describe("scopesInWords", () => {
  it("says what each known scope lets Facets do, in one sentence", () => {
    expect(scopesInWords(["read", "write", "follow", "push"], "en")).toBe(
      "May read your posts and messages, post and change settings, follow and block, and notify you.",
    );
    expect(scopesInWords(["read"], "en")).toBe("May read your posts and messages.");
  });

  it("shows an unknown scope as the server named it, and nothing for none", () => {
    expect(scopesInWords(["read", "admin:read"], "en")).toBe("May read your posts and messages and admin:read.");
    expect(scopesInWords([], "en")).toBe("");
  });
});

describe("formatLastUsed", () => {
  const now = new Date("2024-05-10T12:00:00Z");

  it("says how long ago, or that it never was", () => {
    expect(formatLastUsed("2024-05-10T11:59:40Z", now)).toBe("Last used just now");
    expect(formatLastUsed("2024-05-10T11:55:00Z", now)).toBe("Last used 5m ago");
    expect(formatLastUsed("2024-04-01T12:00:00Z", now, "en-US")).toBe("Last used on Apr 1");
    expect(formatLastUsed(null, now)).toBe("Not used yet");
  });
});

describe("sign-in sentences", () => {
  it("says where tokens are kept", () => {
    expect(keptInSentence("keychain")).toContain("system keychain");
    expect(keptInSentence("memoryOnly")).toContain("end when Facets quits");
    expect(keptInSentence("encryptedFile")).toContain("sealed with your passphrase");
  });

  it("says what revoking does, and where the token is deleted from", () => {
    const app = { handle: "mara@pixelfed.social", server: "pixelfed.social" };
    expect(revokeExplanation(app, "keychain")).toBe(
      "Facets signs out of @mara@pixelfed.social: pixelfed.social stops accepting this sign-in and its token is " +
        "deleted from the system keychain.",
    );
    expect(revokeExplanation(app, "memoryOnly")).toContain("deleted from this computer's memory.");
    expect(revokeExplanation(app, "encryptedFile")).toContain("deleted from your passphrase-sealed secrets file.");
  });

  it("says why a surface isn't syncing", () => {
    expect(notSyncingSentence("visual", "refused")).toBe(
      "Visual's server no longer accepts Facets' sign-in, so Visual isn't syncing.",
    );
    expect(notSyncingSentence("feed", "signedOut")).toBe("You signed out of Feed, so it isn't syncing.");
  });
});

describe("where sign-ins are kept", () => {
  const storage = (overrides: Partial<SecretStorage>): SecretStorage => ({
    choice: "keychain",
    keptIn: "keychain",
    keychainAvailable: true,
    fileExists: false,
    locked: false,
    setByEnvironment: false,
    ...overrides,
  });

  it("offers a choice only where the keychain is missing or was not chosen, and never against FACETS_SECRETS", () => {
    expect(storageChoiceOffered(storage({}))).toBe(false);
    expect(storageChoiceOffered(storage({ keychainAvailable: false, keptIn: "memoryOnly" }))).toBe(true);
    expect(storageChoiceOffered(storage({ choice: "encryptedFile", keptIn: "encryptedFile" }))).toBe(true);
    expect(storageChoiceOffered(storage({ choice: "encryptedFile", keptIn: "memoryOnly", locked: true }))).toBe(true);
    expect(storageChoiceOffered(storage({ keychainAvailable: false, setByEnvironment: true }))).toBe(false);
  });

  it("asks a new file's passphrase twice and long enough, an existing file's once", () => {
    expect(passphraseProblem("", "", true)).toBe("Choose a passphrase.");
    expect(passphraseProblem("short", "short", true)).toBe("A passphrase of at least 8 characters.");
    expect(passphraseProblem("tide tables", "tide table", true)).toBe("The two passphrases differ.");
    expect(passphraseProblem("tide tables", "tide tables", true)).toBeNull();
    expect(passphraseProblem("", "", false)).toBe("Type the file's passphrase.");
    expect(passphraseProblem("x", "", false)).toBeNull();
    // Characters, not bytes: eight accented letters are enough.
    expect(passphraseProblem("éééééééé", "éééééééé", true)).toBeNull();
  });
});
