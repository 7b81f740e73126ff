// The privacy log as the Privacy view shows it: closed until asked for, then
// its newest page, older pages on request, and an export to a file.

import * as api from "./api";
import { PagedListState } from "./pagedList.svelte";
import type { PrivacyLogEntry } from "./types";

export class PrivacyLogState extends PagedListState<PrivacyLogEntry> {
  constructor() {
    super({
      read: (before) => api.privacyLog(before),
      exportFile: () => api.exportPrivacyLog(),
      words: {
        readFailed: "read the privacy log",
        olderFailed: "read older entries of the privacy log",
        exportFailed: "export the privacy log",
        exported: "Privacy log exported",
      },
    });
  }
}
