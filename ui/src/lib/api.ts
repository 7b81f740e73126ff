// The typed IPC layer: the only module that talks to the Rust shell.
//
// Views and stores call these functions; none of them imports `invoke` or
// `listen`, so command names and argument shapes live in this one file and
// match the commands registered in `src-tauri`. Every rejection is turned into
// a `CommandFailure` ({ kind, message }).

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { CommandFailure, toCommandFailure } from "./errors";
import type {
  AppStatus,
  CacheChanged,
  PersonView,
  PostView,
  Surface,
  SyncReport,
  ThreadView,
  TimelineKind,
  TimelinePage,
} from "./types";

// Opening the UI in a plain browser (`npm run dev`) has no core to talk to;
// say so instead of surfacing the bridge's TypeError. The webview's IPC bridge
// is the global that `invoke` itself needs.
function insideTheApp(): boolean {
  return "__TAURI_INTERNALS__" in globalThis;
}

function outsideTheApp(): CommandFailure {
  return new CommandFailure(
    "internal",
    "This window is not running inside the Facets app, so it cannot reach the Facets core",
  );
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  if (!insideTheApp()) throw outsideTheApp();
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toCommandFailure(raw);
  }
}

export function appStatus(): Promise<AppStatus> {
  return call("app_status");
}

/** Reads one page from the local cache: instant, and works offline. `cursor: null` = newest. */
export function timelinePage(
  surface: Surface,
  timeline: TimelineKind,
  cursor: string | null,
  limit: number,
): Promise<TimelinePage> {
  return call("timeline_page", { surface, timeline, cursor, limit });
}

/** Pulls new posts from the network into the cache. */
export function refresh(surface: Surface): Promise<SyncReport[]> {
  return call("refresh", { surface });
}

export function openThread(key: string): Promise<ThreadView> {
  return call("open_thread", { key });
}

export function setFavourite(key: string, favourited: boolean): Promise<PostView> {
  return call("set_favourite", { key, favourited });
}

/** The signed-in identity on a surface. */
export function profile(surface: Surface): Promise<PersonView> {
  return call("profile", { surface });
}

/** Subscribes to `cache-changed`, emitted after sync writes to the cache. */
export async function onCacheChanged(
  handler: (change: CacheChanged) => void,
): Promise<UnlistenFn> {
  if (!insideTheApp()) throw outsideTheApp();
  try {
    return await listen<CacheChanged>("cache-changed", (event) => handler(event.payload));
  } catch (raw) {
    throw toCommandFailure(raw);
  }
}
