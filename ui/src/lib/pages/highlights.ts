// Which highlight boxes go on which page. The core says where a character range is drawn
// (`pages_boxes`); the page view asks once per distinct range and keeps the answers, so
// deciding a finding (which changes its colour, not its place) asks nothing new.
import type { CharRange, PageBox, RangeBoxes } from '../ipc/types';

/** A passage to highlight: a finding (its state as `kind`) or a hand-marked range. */
export interface Highlight {
  start: number;
  end: number;
  /** `open`, `redact`, `keep` or `manual`: the colour. */
  kind: string;
  /** True for the finding j/k are on: drawn on top, outlined, and scrolled to. */
  current?: boolean;
}

/** A highlight's box on one page. */
export interface PlacedBox {
  start: number;
  end: number;
  kind: string;
  current: boolean;
  box: PageBox;
}

export function rangeKey(range: { start: number; end: number }): string {
  return `${range.start}:${range.end}`;
}

/** The distinct ranges of `highlights` whose boxes are not known yet, in text order. */
export function missingRanges(highlights: Highlight[], known: ReadonlyMap<string, PageBox[]>): CharRange[] {
  const seen = new Set<string>();
  const missing: CharRange[] = [];
  for (const h of highlights) {
    const key = rangeKey(h);
    if (known.has(key) || seen.has(key) || !(h.end > h.start)) continue;
    seen.add(key);
    missing.push({ start: h.start, end: h.end });
  }
  return missing.sort((a, b) => a.start - b.start || a.end - b.end);
}

/** Adds the core's answers to what is known. */
export function remember(known: Map<string, PageBox[]>, answers: RangeBoxes[]): void {
  for (const answer of answers) known.set(rangeKey(answer), answer.boxes);
}

/** The boxes of every highlight, grouped by 1-based page; on each page the current one comes
 * last, so it is drawn on top. */
export function boxesByPage(highlights: Highlight[], known: ReadonlyMap<string, PageBox[]>): Map<number, PlacedBox[]> {
  const pages = new Map<number, PlacedBox[]>();
  for (const h of highlights) {
    for (const box of known.get(rangeKey(h)) ?? []) {
      const placed = { start: h.start, end: h.end, kind: h.kind, current: h.current === true, box };
      const list = pages.get(box.page) ?? [];
      list.push(placed);
      pages.set(box.page, list);
    }
  }
  for (const list of pages.values()) list.sort((a, b) => Number(a.current) - Number(b.current));
  return pages;
}

/** The first box of the current highlight, if its boxes are known. */
export function currentBox(highlights: Highlight[], known: ReadonlyMap<string, PageBox[]>): PageBox | null {
  const current = highlights.find((h) => h.current);
  return (current && known.get(rangeKey(current))?.[0]) ?? null;
}
