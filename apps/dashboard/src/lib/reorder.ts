/**
 * Reordering a list by pointer and by keyboard: pure helpers, so the rules are tested without a browser.
 */

/** `items` with the item at `from` moved to `to` (indexes, clamped to the list). */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const out = items.slice();
  if (from < 0 || from >= out.length) return out;
  const [item] = out.splice(from, 1);
  out.splice(Math.max(0, Math.min(to, out.length)), 0, item!);
  return out;
}

/**
 * Where a dragged item lands: how many of the other items have their middle above the pointer. `middles` are
 * the items' vertical middles (page coordinates) as they stood when the drag started, in list order.
 */
export function dropIndex(middles: readonly number[], from: number, pointerY: number): number {
  let index = 0;
  middles.forEach((middle, i) => {
    if (i !== from && middle < pointerY) index++;
  });
  return index;
}

/** The place a key moves a picked-up item to (index), or null when the key does not move it. */
export function keyTarget(key: string, current: number, count: number): number | null {
  const last = count - 1;
  const clamp = (n: number) => Math.max(0, Math.min(last, n));
  switch (key) {
    case 'ArrowUp':
      return clamp(current - 1);
    case 'ArrowDown':
      return clamp(current + 1);
    case 'PageUp':
      return clamp(current - 10);
    case 'PageDown':
      return clamp(current + 10);
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return null;
  }
}

/** How far from the viewport's edge (px) a drag starts scrolling the page, and the most it scrolls a frame. */
export const EDGE = 80;
export const MAX_SCROLL_STEP = 24;

/** Pixels to scroll this frame while dragging at `y` in a viewport `height` tall (negative: up). */
export function edgeScroll(y: number, height: number): number {
  if (y < EDGE) return -Math.ceil(((EDGE - Math.max(0, y)) / EDGE) * MAX_SCROLL_STEP);
  if (y > height - EDGE) return Math.ceil(((Math.min(height, y) - (height - EDGE)) / EDGE) * MAX_SCROLL_STEP);
  return 0;
}
