// Which items of a long list to put in the DOM: those around the viewport, with
// the space of the rest kept by padding, so scrolling past 50,000 posts costs
// what scrolling past 50 does. Heights are measured once an item has been
// shown and estimated before.

/** The items to render, `start` included and `end` not, and the space above and below them. */
export interface VirtualWindow {
  start: number;
  end: number;
  before: number;
  after: number;
}

/** `offsets[i]` is the top of item `i` in the list; the last entry is the whole height. */
export function offsetsOf(count: number, heightOf: (index: number) => number): Float64Array {
  const offsets = new Float64Array(count + 1);
  for (let index = 0; index < count; index += 1) offsets[index + 1] = offsets[index]! + heightOf(index);
  return offsets;
}

/** The item under a point `y` of the list (the last one below the end, the first above the top). */
export function indexAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1;
  if (count <= 0) return 0;
  let low = 0;
  let high = count - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (offsets[middle]! <= y) low = middle;
    else high = middle - 1;
  }
  return low;
}

/**
 * The items that meet the band from `top` to `bottom` (list coordinates), at
 * most `maxItems` of them counted from the top of the band, and at least one
 * when there are any.
 */
export function windowOf(offsets: Float64Array, top: number, bottom: number, maxItems: number): VirtualWindow {
  const count = offsets.length - 1;
  const total = offsets[count] ?? 0;
  if (count <= 0) return { start: 0, end: 0, before: 0, after: 0 };
  const start = indexAt(offsets, Math.max(0, top));
  let last = indexAt(offsets, Math.max(top, bottom));
  // An item that starts where the band ends is not in it.
  if (last > start && offsets[last]! >= bottom) last -= 1;
  let end = last + 1;
  end = Math.min(count, Math.max(start + 1, Math.min(end, start + maxItems)));
  return { start, end, before: offsets[start]!, after: total - offsets[end]! };
}
