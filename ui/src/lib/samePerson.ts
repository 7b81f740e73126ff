// Telling the inbox that two accounts are one person, or two: the core
// remembers it and the inbox is read again, and a notice offers to take it
// back (which makes the core follow the profiles' own links again).

import * as api from "./api";
import { toCommandFailure } from "./errors";
import type { PersonPair } from "./inbox";
import { inbox } from "./inbox.svelte";
import { notices } from "./notices.svelte";

/** What the notice says once the inbox shows the change. */
export const SAID_TITLE = { same: "Conversations gathered", apart: "Shown apart" } as const;

/**
 * Says the pair is one person (`same`) or two, reads the inbox again and
 * shows a notice with Undo. Rejects, changing nothing on screen, when the
 * core refused.
 */
export async function saySamePerson(pair: PersonPair, same: boolean): Promise<void> {
  await api.setSamePerson(pair.feedId, pair.visualId, same);
  await inbox.load();
  notices.show(same ? SAID_TITLE.same : SAID_TITLE.apart, "", { label: "Undo", run: () => forget(pair) });
}

/** Undo: back to what the profiles say. A failure becomes a notice, the one still on screen being gone. */
async function forget(pair: PersonPair): Promise<void> {
  try {
    await api.setSamePerson(pair.feedId, pair.visualId, null);
    await inbox.load();
  } catch (raw) {
    notices.showError(toCommandFailure(raw), "undo that");
  }
}
