import { describe, expect, test } from 'vitest';
import { pieces } from './preview';

describe('pieces', () => {
  const check = (text: string, ranges: [number, number][], expected: [string, boolean][]) =>
    expect(pieces(text, ranges.map(([start, end]) => ({ start, end }))).map((p) => [p.text, p.removed])).toEqual(expected);

  test('cuts the text into kept and removed runs', () => {
    check('abcdef', [], [['abcdef', false]]);
    check('abcdef', [[1, 3]], [['a', false], ['bc', true], ['def', false]]);
    check('abcdef', [[0, 2], [4, 6]], [['ab', true], ['cd', false], ['ef', true]]);
    check('', [], []);
  });

  test('counts characters, not UTF-16 units', () => {
    check('𠀀张三电话', [[1, 3]], [['𠀀', false], ['张三', true], ['电话', false]]);
  });

  test('ignores what lies outside the text or overlaps a run already cut', () => {
    check('abc', [[2, 9]], [['ab', false], ['c', true]]);
    check('abc', [[5, 9]], [['abc', false]]);
    check('abcdef', [[1, 4], [2, 5]], [['a', false], ['bcd', true], ['e', true], ['f', false]]);
  });
});
