import { describe, expect, test } from 'vitest';
import {
  column, currentPage, dragArea, fitWidth, nudgeArea, pagesToRender, percentStyle, roundArea, scrollToBox,
  startingArea,
} from './geometry';

const a4 = { width: 600, height: 800 };
// Ten A4-ish pages at scale 0.5, 10 px apart: page i spans [10 + 410 i, 410 + 410 i).
const ten = column(Array(10).fill(a4), 0.5, 10);

describe('column', () => {
  test('stacks pages with a gap before each and after the last', () => {
    const c = column([a4, { width: 600, height: 400 }], 0.5, 10);
    expect(c).toEqual({ tops: [10, 420], heights: [400, 200], total: 630 });
  });
});

describe('fitWidth', () => {
  const check = (available: number, expected: number) =>
    expect(fitWidth([a4, { width: 300, height: 300 }], available)).toBe(expected);
  test('the widest page fills the width, within bounds', () => {
    check(900, 1.5);
    check(60000, 3);
    check(10, 0.25);
    check(0, 1);
  });
  test('no pages: scale 1', () => expect(fitWidth([], 900)).toBe(1));
});

describe('pagesToRender', () => {
  const check = (scrollTop: number, height: number, expected: number[]) =>
    expect(pagesToRender(ten, scrollTop, height)).toEqual(expected);
  test('the first page at once, with the next one ready', () => check(0, 500, [0, 1, 2]));
  test('the visible pages and one on each side', () => check(830, 400, [1, 2, 3]));
  test('a viewport over a gap still renders its neighbours', () => check(412, 5, [0, 1, 2]));
  test('the end of the column', () => check(3700, 500, [8, 9]));
  test('no pages', () => expect(pagesToRender(column([], 1, 10), 0, 500)).toEqual([]));
  test('300 pages: only a handful are rendered wherever the view is', () => {
    const many = column(Array(300).fill(a4), 1, 10);
    expect(pagesToRender(many, 150 * 810 + 20, 800)).toEqual([149, 150, 151]);
  });
});

test('currentPage is the page most of the viewport shows', () => {
  expect(currentPage(ten, 0, 500)).toBe(0);
  expect(currentPage(ten, 300, 400)).toBe(1);
});

test('scrollToBox centres the box, within the column', () => {
  expect(scrollToBox(ten, { page: 3, x: 0, y: 400, width: 10, height: 20 }, 0.5, 200)).toBe(830 + 205 - 100);
  expect(scrollToBox(ten, { page: 1, x: 0, y: 0, width: 10, height: 10 }, 0.5, 200)).toBe(0);
  expect(scrollToBox(ten, { page: 99, x: 0, y: 0, width: 10, height: 10 }, 0.5, 200)).toBe(0);
});

test('percentStyle places a box relative to its page', () => {
  expect(percentStyle({ x: 60, y: 200, width: 300, height: 8 }, a4)).toBe(
    'left:10.0000%;top:25.0000%;width:50.0000%;height:1.0000%',
  );
});

describe('dragArea', () => {
  const check = (from: [number, number], to: [number, number], expected: object | null) =>
    expect(dragArea({ x: from[0], y: from[1] }, { x: to[0], y: to[1] }, a4)).toEqual(expected);
  test('either direction of drag gives the same box', () => {
    check([10, 20], [110, 70], { x: 10, y: 20, width: 100, height: 50 });
    check([110, 70], [10, 20], { x: 10, y: 20, width: 100, height: 50 });
  });
  test('a drag past the edge is clipped to the page', () => check([550, 780], [700, 900], { x: 550, y: 780, width: 50, height: 20 }));
  test('a click is not an area', () => check([10, 10], [11, 40], null));
  test('a drag wholly off the page is not an area', () => check([-50, -50], [-10, -10], null));
});

describe('keyboard areas', () => {
  const area = { x: 100, y: 100, width: 50, height: 20 };
  const check = (key: string, resize: boolean, expected: object) =>
    expect(nudgeArea(area, key, resize, 10, a4)).toEqual(expected);
  test('arrows move', () => {
    check('ArrowRight', false, { ...area, x: 110 });
    check('ArrowUp', false, { ...area, y: 90 });
  });
  test('shift-arrows resize, never below one step', () => {
    check('ArrowRight', true, { ...area, width: 60 });
    check('ArrowUp', true, { ...area, height: 10 });
    expect(nudgeArea({ ...area, height: 10 }, 'ArrowUp', true, 10, a4).height).toBe(10);
  });
  test('the area never leaves the page', () => {
    expect(nudgeArea({ ...area, x: 545 }, 'ArrowRight', false, 10, a4).x).toBe(550);
    expect(nudgeArea({ ...area, x: 545 }, 'ArrowRight', true, 10, a4).width).toBe(55);
    expect(nudgeArea({ ...area, y: 5 }, 'ArrowUp', false, 10, a4).y).toBe(0);
  });
  test('the starting area sits in the middle of the page', () =>
    expect(startingArea(a4)).toEqual({ x: 225, y: 360, width: 150, height: 80 }));
});

test('roundArea drops float noise', () =>
  expect(roundArea({ x: 10.000001, y: 1 / 3, width: 2.005, height: 7 })).toEqual({ x: 10, y: 0.33, width: 2.01, height: 7 }));
