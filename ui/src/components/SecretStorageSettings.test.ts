// @vitest-environment jsdom
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as api from "../lib/api";
import { CommandFailure } from "../lib/errors";
import type { SecretStorage } from "../lib/types";
import SecretStorageSettings from "./SecretStorageSettings.svelte";

vi.mock("../lib/api", () => ({
  secretStorage: vi.fn(),
  chooseSecretStore: vi.fn(),
}));

afterEach(() => vi.clearAllMocks());

const noKeychain: SecretStorage = {
  choice: "keychain",
  keptIn: "memoryOnly",
  keychainAvailable: false,
  fileExists: false,
  locked: false,
  setByEnvironment: false,
};

async function type(testid: string, value: string) {
  await fireEvent.input(screen.getByTestId(testid), { target: { value } });
}

describe("SecretStorageSettings", () => {
  it("says nothing where the keychain keeps sign-ins", async () => {
    vi.mocked(api.secretStorage).mockResolvedValue({ ...noKeychain, keptIn: "keychain", keychainAvailable: true });
    render(SecretStorageSettings);
    await waitFor(() => expect(api.secretStorage).toHaveBeenCalled());
    await Promise.resolve();
    expect(screen.queryByTestId("secret-storage")).toBeNull();
  });

  it("seals sign-ins in a new file only with a passphrase long enough and typed twice alike", async () => {
    vi.mocked(api.secretStorage).mockResolvedValue(noKeychain);
    vi.mocked(api.chooseSecretStore).mockResolvedValue({
      ...noKeychain,
      choice: "encryptedFile",
      keptIn: "encryptedFile",
      fileExists: true,
    });
    render(SecretStorageSettings);
    const save = (await screen.findByTestId("secret-storage-save")) as HTMLButtonElement;
    expect((screen.getByTestId("secret-storage-memory") as HTMLInputElement).checked).toBe(true);
    expect(save.disabled).toBe(true);

    await fireEvent.click(screen.getByTestId("secret-storage-file"));
    expect(save.textContent?.trim()).toBe("Seal them in a file");
    await type("secret-storage-passphrase", "short");
    expect(screen.getByTestId("secret-storage-problem").textContent).toBe("A passphrase of at least 8 characters.");
    expect(save.disabled).toBe(true);
    await type("secret-storage-passphrase", "tide tables at six");
    await type("secret-storage-repeat", "tide tables at 6");
    expect(screen.getByTestId("secret-storage-problem").textContent).toBe("The two passphrases differ.");
    await type("secret-storage-repeat", "tide tables at six");
    expect(save.disabled).toBe(false);

    await fireEvent.click(save);
    expect(api.chooseSecretStore).toHaveBeenCalledWith("encryptedFile", "tide tables at six");
  });

  it("unlocks a sealed file with its passphrase, and says so when it is the wrong one", async () => {
    vi.mocked(api.secretStorage).mockResolvedValue({
      ...noKeychain,
      choice: "encryptedFile",
      fileExists: true,
      locked: true,
    });
    vi.mocked(api.chooseSecretStore).mockRejectedValue(
      new CommandFailure("invalid", "That passphrase does not open Facets' secrets. Try again."),
    );
    render(SecretStorageSettings);
    await screen.findByTestId("secret-storage-locked");
    expect(screen.queryByTestId("secret-storage-repeat")).toBeNull();
    const save = screen.getByTestId("secret-storage-save") as HTMLButtonElement;
    expect(save.textContent?.trim()).toBe("Unlock");
    await type("secret-storage-passphrase", "low tide");
    await fireEvent.click(save);
    expect(api.chooseSecretStore).toHaveBeenCalledWith("encryptedFile", "low tide");
    expect((await screen.findByRole("alert")).textContent).toContain("does not open Facets' secrets");
  });

  it("keeps sign-ins in memory again without asking for a passphrase", async () => {
    vi.mocked(api.secretStorage).mockResolvedValue({
      ...noKeychain,
      choice: "encryptedFile",
      keptIn: "encryptedFile",
      fileExists: true,
    });
    vi.mocked(api.chooseSecretStore).mockResolvedValue({ ...noKeychain, choice: "memoryOnly" });
    render(SecretStorageSettings);
    const save = (await screen.findByTestId("secret-storage-save")) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    await fireEvent.click(screen.getByTestId("secret-storage-memory"));
    expect(screen.queryByTestId("secret-storage-passphrase")).toBeNull();
    await fireEvent.click(save);
    expect(api.chooseSecretStore).toHaveBeenCalledWith("memoryOnly", null);
  });
});
