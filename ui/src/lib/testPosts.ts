// Builders for test data. Only imported by *.test.ts files.

import type { MediaView, PersonView, PostView } from "./types";

export function person(overrides: Partial<PersonView> = {}): PersonView {
  return {
    id: "p1",
    displayName: "Ada Lovelace",
    handle: "ada@feed.example",
    avatarUrl: null,
    avatarLargeUrl: null,
    noteHtml: "",
    followersCount: 10,
    followingCount: 5,
    statusesCount: 42,
    headerUrl: null,
    locked: false,
    ...overrides,
  };
}

export function image(id: string, overrides: Partial<MediaView> = {}): MediaView {
  return {
    id,
    kind: "image",
    url: `facets-media://localhost/full/${id}`,
    thumbUrl: `facets-media://localhost/thumb/${id}`,
    width: 800,
    height: 600,
    description: `Picture ${id}`,
    blurhash: null,
    ...overrides,
  };
}

export function post(remoteId: string, overrides: Partial<PostView> = {}): PostView {
  return {
    key: `feed:${remoteId}`,
    surface: "feed",
    remoteId,
    url: null,
    author: person(),
    createdAt: "2024-05-01T12:00:00Z",
    editedAt: null,
    contentHtml: `<p>Post ${remoteId}</p>`,
    spoilerText: "",
    sensitive: false,
    visibility: "public",
    media: [],
    repliesCount: 0,
    reblogsCount: 0,
    favouritesCount: 0,
    favourited: false,
    inReplyToId: null,
    alsoOn: [],
    own: false,
    ...overrides,
  };
}

export function keys(posts: readonly PostView[]): string[] {
  return posts.map((item) => item.key);
}
