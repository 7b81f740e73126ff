// @vitest-environment jsdom
import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { person } from "../lib/testPosts";
import ProfileHeader from "./ProfileHeader.svelte";

describe("ProfileHeader", () => {
  it("marks a private account beside the name", () => {
    render(ProfileHeader, { person: person({ locked: true }) });
    const badge = screen.getByTestId("profile-private");
    expect(badge.textContent?.trim()).toBe("Private");
    expect(screen.getByRole("heading", { level: 2 }).contains(badge)).toBe(true);
  });

  it("says nothing for a public account", () => {
    render(ProfileHeader, { person: person({ locked: false }) });
    expect(screen.queryByTestId("profile-private")).toBeNull();
  });
});
