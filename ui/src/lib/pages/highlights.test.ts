import { expect, test } from 'vitest';
import type { PageBox } from '../ipc/types';
import { boxesByPage, currentBox, missingRanges, remember, type Highlight } from './highlights';

const box = (page: number, x: number): PageBox => ({ page, x, y: 10, width: 20, height: 10 });

test('only ranges not asked yet are asked for, once each, in text order', () => {
  const known = new Map([['0:5', [box(1, 0)]]]);
  const highlights: Highlight[] = [
    { start: 9, end: 12, kind: 'open' },
    { start: 0, end: 5, kind: 'redact' },
    { start: 9, end: 12, kind: 'manual' },
    { start: 7, end: 7, kind: 'open' },
    { start: 6, end: 8, kind: 'keep' },
  ];
  expect(missingRanges(highlights, known)).toEqual([{ start: 6, end: 8 }, { start: 9, end: 12 }]);
});

test('boxes are grouped by page, the current highlight last so it is drawn on top', () => {
  const known = new Map<string, PageBox[]>();
  remember(known, [
    { start: 0, end: 5, boxes: [box(1, 0), box(2, 0)] },
    { start: 6, end: 8, boxes: [box(2, 50)] },
    { start: 9, end: 10, boxes: [] },
  ]);
  const highlights: Highlight[] = [
    { start: 6, end: 8, kind: 'open', current: true },
    { start: 0, end: 5, kind: 'redact' },
    { start: 9, end: 10, kind: 'open' },
  ];
  const pages = boxesByPage(highlights, known);
  expect([...pages.keys()].sort()).toEqual([1, 2]);
  expect(pages.get(2)?.map((p) => [p.start, p.kind, p.current, p.box.x])).toEqual([
    [0, 'redact', false, 0],
    [6, 'open', true, 50],
  ]);
  expect(currentBox(highlights, known)).toEqual(box(2, 50));
  expect(currentBox([{ start: 9, end: 10, kind: 'open', current: true }], known)).toBeNull();
});
