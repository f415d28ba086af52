// The page view's geometry, as pure functions: where each page sits in the scrolled column,
// which pages are worth rendering, where a highlight box or a drawn area goes, and how the
// keyboard moves an area. Components hold the state and call these; the tests read as the
// spec of what is rendered when.
//
// Units: page boxes and areas are in page units (PDF points, or pixels for a photo), origin at
// the top left of the page as shown. Screen positions are CSS pixels = page units × scale.
import type { PageBox, PageSize } from '../ipc/types';

/** An axis-aligned box in page units. */
export interface Area {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the pages sit in the scrolled column, in CSS pixels. */
export interface Column {
  /** Top of each page. */
  tops: number[];
  /** Height of each page. */
  heights: number[];
  /** Height of the whole column, gaps included. */
  total: number;
}

/** Lays the pages out top to bottom at `scale`, `gap` pixels apart (and before the first). */
export function column(pages: PageSize[], scale: number, gap: number): Column {
  const tops: number[] = [];
  const heights: number[] = [];
  let y = gap;
  for (const page of pages) {
    tops.push(y);
    const height = page.height * scale;
    heights.push(height);
    y += height + gap;
  }
  return { tops, heights, total: y };
}

/** The scale at which the widest page fills `available` pixels, within [min, max]. */
export function fitWidth(pages: PageSize[], available: number, min = 0.25, max = 3): number {
  const widest = Math.max(0, ...pages.map((p) => p.width));
  if (!(widest > 0) || !(available > 0)) return 1;
  return Math.min(max, Math.max(min, available / widest));
}

/** The indices of the pages that intersect the viewport [scrollTop, scrollTop + height), plus
 * `margin` pages on each side, so the next page is ready before it scrolls in. */
export function pagesToRender(layout: Column, scrollTop: number, height: number, margin = 1): number[] {
  const n = layout.tops.length;
  if (n === 0) return [];
  const bottom = scrollTop + Math.max(height, 1);
  // The first page whose bottom is below the viewport's top (binary search: 300 pages).
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (layout.tops[mid] + layout.heights[mid] <= scrollTop) lo = mid + 1;
    else hi = mid;
  }
  let last = lo;
  while (last + 1 < n && layout.tops[last + 1] < bottom) last++;
  const result: number[] = [];
  for (let i = Math.max(0, lo - margin); i <= Math.min(n - 1, last + margin); i++) result.push(i);
  return result;
}

/** The page most of the viewport shows (0-based), for the "page 3 of 300" indicator. */
export function currentPage(layout: Column, scrollTop: number, height: number): number {
  let best = 0;
  let bestShown = -1;
  for (const i of pagesToRender(layout, scrollTop, height, 0)) {
    const shown =
      Math.min(layout.tops[i] + layout.heights[i], scrollTop + height) - Math.max(layout.tops[i], scrollTop);
    if (shown > bestShown) [best, bestShown] = [i, shown];
  }
  return best;
}

/** The scroll position that puts `box` (on its 1-based page) in the middle of the viewport. */
export function scrollToBox(layout: Column, box: PageBox, scale: number, viewport: number): number {
  const top = layout.tops[box.page - 1];
  if (top === undefined) return 0;
  const middle = top + (box.y + box.height / 2) * scale;
  return Math.max(0, Math.min(layout.total - viewport, middle - viewport / 2));
}

/** A box as CSS percentages of its page, so it stays in place at any zoom. */
export function percentStyle(box: Area, page: PageSize): string {
  const pct = (v: number, of: number) => `${((v / of) * 100).toFixed(4)}%`;
  return (
    `left:${pct(box.x, page.width)};top:${pct(box.y, page.height)};` +
    `width:${pct(box.width, page.width)};height:${pct(box.height, page.height)}`
  );
}

/** The area between two points of a drag (page units), clipped to the page; null when it is
 * too small to be meant (a click, or a slip under `minimum` units across). */
export function dragArea(
  from: { x: number; y: number },
  to: { x: number; y: number },
  page: PageSize,
  minimum = 2,
): Area | null {
  const clip = (v: number, max: number) => Math.min(max, Math.max(0, v));
  const x0 = clip(Math.min(from.x, to.x), page.width);
  const x1 = clip(Math.max(from.x, to.x), page.width);
  const y0 = clip(Math.min(from.y, to.y), page.height);
  const y1 = clip(Math.max(from.y, to.y), page.height);
  if (x1 - x0 < minimum || y1 - y0 < minimum) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The area a keyboard user starts from: a quarter of the page's width and a tenth of its
 * height, in its middle. */
export function startingArea(page: PageSize): Area {
  const width = page.width / 4;
  const height = page.height / 10;
  return { x: (page.width - width) / 2, y: (page.height - height) / 2, width, height };
}

/** The area after an arrow key: moved by `step` units, or with Shift resized (right/down
 * grow it, left/up shrink it), never leaving the page nor shrinking below one step. */
export function nudgeArea(area: Area, key: string, resize: boolean, step: number, page: PageSize): Area {
  const dx = key === 'ArrowRight' ? step : key === 'ArrowLeft' ? -step : 0;
  const dy = key === 'ArrowDown' ? step : key === 'ArrowUp' ? -step : 0;
  if (resize) {
    const width = Math.min(page.width - area.x, Math.max(step, area.width + dx));
    const height = Math.min(page.height - area.y, Math.max(step, area.height + dy));
    return { ...area, width, height };
  }
  const x = Math.min(page.width - area.width, Math.max(0, area.x + dx));
  const y = Math.min(page.height - area.height, Math.max(0, area.y + dy));
  return { ...area, x, y };
}

/** Rounds an area to two decimals, so what is stored and shown is what was drawn, without
 * float noise from the division by the scale. */
export function roundArea(area: Area): Area {
  const r = (v: number) => Math.round(v * 100) / 100;
  return { x: r(area.x), y: r(area.y), width: r(area.width), height: r(area.height) };
}
