// Words for the identity switcher and the Add account dialog.

import { formatHandle } from "./format";
import type { Dialect, IdentityView } from "./types";

export { SURFACE_LABEL } from "./compose";

const SOFTWARE: Record<Dialect, string> = {
  mastodon: "Mastodon",
  pixelfed: "Pixelfed",
  gotosocial: "GoToSocial",
  akkoma: "Akkoma",
};

/** The server software as its makers write it. */
export function softwareName(dialect: Dialect): string {
  return SOFTWARE[dialect] ?? dialect;
}

/** How an identity is named in the switcher: "Demo", or its accounts' handles. */
export function identityName(identity: IdentityView): string {
  if (identity.profile.kind === "demo") return "Demo";
  if (identity.handles.length === 0) return "An identity with no account yet";
  return identity.handles.map(formatHandle).join(" · ");
}

/** What the identity is, under its name. */
export function identityDetail(identity: IdentityView): string {
  if (identity.profile.kind === "demo") return "Sample people and posts from Facets' built-in demo servers";
  const count = identity.handles.length;
  return count === 1 ? "Your account" : `Your ${count} accounts`;
}

/** Stable key of an identity, for lists and test ids. */
export function identityKey(identity: IdentityView): string {
  return identity.profile.kind === "demo" ? "demo" : identity.profile.id;
}
