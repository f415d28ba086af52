import { describe, expect, test } from 'vitest';
import type { FindingView, SeverityView } from '../ipc/types';
import {
  addManual,
  charLength,
  counts,
  groupFindings,
  segments,
  step,
  type Decision,
  type ManualRange,
  type Review,
} from './model';

function finding(id: number, start: number, end: number, severity: SeverityView = 'high', category = 'personal_identifier'): FindingView {
  return {
    id, rule: `rule.${id}`, category, severity, confidence: 1, text: '', start, end,
    hidden: false, location: '¶1', reason: 'personal_information', note: '',
  };
}

function review(findings: FindingView[], decisions: [number, Decision][] = [], manual: ManualRange[] = []): Review {
  return { findings, decisions: new Map(decisions), manual };
}

const redact: Decision = { kind: 'redact' };
const keep: Decision = { kind: 'keep', reason: 'public already' };

describe('segments', () => {
  // Each segment is written as [text, mark] so a case reads like the highlighted text.
  const check = (text: string, r: Review, expected: [string, string | null][]) =>
    expect(segments(text, r).map((s) => [s.text, s.mark])).toEqual(expected);

  test('plain text is one unmarked run', () => {
    check('hello', review([]), [['hello', null]]);
  });

  test('a finding splits the text and carries its decision', () => {
    check('call 123 now', review([finding(1, 5, 8)]), [['call ', null], ['123', 'open'], [' now', null]]);
    check('call 123 now', review([finding(1, 5, 8)], [[1, redact]]), [['call ', null], ['123', 'redact'], [' now', null]]);
    check('call 123 now', review([finding(1, 5, 8)], [[1, keep]]), [['call ', null], ['123', 'keep'], [' now', null]]);
  });

  test('offsets count characters, not UTF-16 units', () => {
    // "𠀀" is two UTF-16 units but one character, as the core counts.
    check('𠀀张三x', review([finding(1, 1, 3)]), [['𠀀', null], ['张三', 'open'], ['x', null]]);
  });

  test('overlaps split at every boundary and the strongest mark wins', () => {
    const r = review([finding(1, 0, 4), finding(2, 2, 6)], [[2, redact]]);
    check('abcdefg', r, [['ab', 'open'], ['cd', 'redact'], ['ef', 'redact'], ['g', null]]);
    expect(segments('abcdefg', r).map((s) => s.findingIds)).toEqual([[1], [1, 2], [2], []]);
  });

  test('hand-marked ranges are highlighted', () => {
    check('abcdef', review([], [], [{ start: 1, end: 3 }]), [['a', null], ['bc', 'manual'], ['def', null]]);
  });

  test('hidden and out-of-range findings are not drawn in the visible text', () => {
    const hidden = { ...finding(1, 0, 2), hidden: true };
    check('abc', review([hidden, finding(2, 5, 9), finding(3, 2, 9)]), [['ab', null], ['c', 'open']]);
  });

  test('empty text has no runs', () => {
    check('', review([finding(1, 0, 1)]), []);
  });
});

describe('counts', () => {
  test('each finding is counted once by its state, open ones by severity', () => {
    const r = review(
      [finding(1, 0, 1, 'critical'), finding(2, 1, 2, 'low'), finding(3, 2, 3), finding(4, 3, 4, 'low')],
      [[1, redact], [3, keep]],
      [{ start: 5, end: 6 }],
    );
    expect(counts(r)).toEqual({
      open: 2, redact: 1, keep: 1, manual: 1,
      openBySeverity: { critical: 0, high: 0, medium: 0, low: 2 },
    });
  });
});

describe('groupFindings', () => {
  test('groups by category, most severe group first, then by severity and position', () => {
    const groups = groupFindings([
      finding(1, 0, 1, 'low', 'contact'),
      finding(2, 1, 2, 'medium', 'personal_identifier'),
      finding(3, 2, 3, 'critical', 'classification'),
      finding(4, 3, 4, 'high', 'personal_identifier'),
      finding(5, 4, 5, 'high', 'personal_identifier'),
    ]);
    expect(groups.map((g) => [g.category, g.findings.map((f) => f.id)])).toEqual([
      ['classification', [3]],
      ['personal_identifier', [4, 5, 2]],
      ['contact', [1]],
    ]);
  });
});

describe('step', () => {
  // Walk order here: 2 (critical), then 1, 3 (high, by position).
  const findings = [finding(1, 0, 1), finding(2, 1, 2, 'critical'), finding(3, 2, 3)];

  test('walks the panel order and wraps', () => {
    const r = review(findings);
    expect(step(r, null, 1)).toBe(2);
    expect(step(r, 2, 1)).toBe(1);
    expect(step(r, 3, 1)).toBe(2);
    expect(step(r, 2, -1)).toBe(3);
    expect(step(r, null, -1)).toBe(3);
  });

  test('skips decided findings while any is open', () => {
    expect(step(review(findings, [[1, redact]]), 2, 1)).toBe(3);
    expect(step(review(findings, [[1, redact], [3, keep]]), 2, 1)).toBe(2);
  });

  test('walks everything once all are decided, and nothing when there is nothing', () => {
    expect(step(review(findings, [[1, redact], [2, redact], [3, keep]]), 2, 1)).toBe(1);
    expect(step(review([]), null, 1)).toBe(null);
  });
});

describe('addManual', () => {
  const check = (ranges: ManualRange[], added: ManualRange, expected: [number, number][]) =>
    expect(addManual(ranges, added).map((r) => [r.start, r.end])).toEqual(expected);

  test('merges overlapping and touching ranges, ignores empty ones', () => {
    check([], { start: 2, end: 4 }, [[2, 4]]);
    check([{ start: 2, end: 4 }], { start: 6, end: 8 }, [[2, 4], [6, 8]]);
    check([{ start: 2, end: 4 }], { start: 3, end: 8 }, [[2, 8]]);
    check([{ start: 2, end: 4 }], { start: 4, end: 5 }, [[2, 5]]);
    check([{ start: 2, end: 4 }, { start: 6, end: 8 }], { start: 0, end: 9 }, [[0, 9]]);
    check([{ start: 2, end: 4 }], { start: 5, end: 5 }, [[2, 4]]);
  });
});

test('charLength counts code points', () => {
  expect([charLength(''), charLength('abc'), charLength('张三'), charLength('𠀀a')]).toEqual([0, 3, 2, 2]);
});
