// Which attachments can be shown as pictures, and how they are laid out.

import type { MediaView, PostView } from "./types";

/** Attachments of a post or message that have a picture to show: images, and the preview frame of videos and GIFs. */
export function visualMedia(post: Pick<PostView, "media">): MediaView[] {
  return post.media.filter(
    (media) => media.kind === "image" || media.kind === "gifv" || media.kind === "video",
  );
}

/** Whether the full-size `url` is itself an image (a video's `url` is not). */
export function isStillImage(media: MediaView): boolean {
  return media.kind === "image";
}

/** Short badge text for moving media shown as a still frame. */
export function motionBadge(media: MediaView): string | null {
  if (media.kind === "gifv") return "GIF";
  if (media.kind === "video") return "Video";
  return null;
}

/**
 * Width ÷ height to reserve for a picture before it loads, kept between
 * portrait 4:5 and landscape 1.91:1 (the range photo apps crop to), and square
 * when the size is unknown.
 */
export function displayAspectRatio(media: Pick<MediaView, "width" | "height">): number {
  const { width, height } = media;
  if (width === null || height === null || width <= 0 || height <= 0) return 1;
  return Math.min(1.91, Math.max(0.8, width / height));
}

export interface GridTile {
  post: PostView;
  cover: MediaView;
  /** Pictures in the post; tiles with more than one show a stacked-pages mark. */
  pictureCount: number;
}

/** The profile grid: one tile per post that has a picture, in timeline order. */
export function gridTiles(posts: readonly PostView[]): GridTile[] {
  const tiles: GridTile[] = [];
  for (const post of posts) {
    const pictures = visualMedia(post);
    const cover = pictures[0];
    if (cover) tiles.push({ post, cover, pictureCount: pictures.length });
  }
  return tiles;
}

/** Splits items into rows of `size`; the last row may be shorter. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  }
  const rows: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    rows.push(items.slice(start, start + size));
  }
  return rows;
}
