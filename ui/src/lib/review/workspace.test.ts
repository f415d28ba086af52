import { describe, expect, test } from 'vitest';
import type { FindingView, MarkView, ReasonCodeView, ReviewProgress, ReviewedFindingView } from '../ipc/types';
import { counts } from './model';
import { decisionReasonText, defaultMarkReason, reasonLabel, reviewOf, sliceChars } from './workspace';

function reviewed(id: number, status: string, decisionReason: string | null = null): ReviewedFindingView {
  const finding: FindingView = {
    id, rule: `rule.${id}`, category: 'contact', severity: 'high', confidence: 1, text: '', start: id * 10,
    end: id * 10 + 3, hidden: false, location: '¶1', reason: 'personal_information', note: '',
  };
  return { finding, status, decisionReason, decidedBy: status === 'open' ? null : 'rita' };
}

function mark(id: number, ranges: [number, number][], page: number | null = null): MarkView {
  const rect = page === null ? null : { x: 1, y: 2, width: 3, height: 4 };
  return { id, phrase: 'x', ranges: ranges.map(([start, end]) => ({ start, end })), page, rect, reason: 'sensitive', markedBy: 'rita' };
}

function progress(findings: ReviewedFindingView[], marks: MarkView[] = []): ReviewProgress {
  return { revision: 1, state: 'in_review', findings, marks, access: { canDecide: true, readOnly: null } };
}

describe('reviewOf', () => {
  test('stored statuses become decisions; open findings have none', () => {
    const review = reviewOf(progress([reviewed(1, 'open'), reviewed(2, 'redact', 'state_secret'), reviewed(3, 'keep', 'work_secret: 已公开')]));
    expect([...review.decisions.entries()]).toEqual([
      [2, { kind: 'redact' }],
      [3, { kind: 'keep', reason: 'work_secret: 已公开' }],
    ]);
    expect(review.findings.map((f) => f.id)).toEqual([1, 2, 3]);
  });

  test('every range of every phrase mark highlights; an area mark highlights no text', () => {
    const review = reviewOf(progress([], [mark(7, [[0, 2], [9, 11]]), mark(8, [], 1)]));
    expect(review.manual).toEqual([{ start: 0, end: 2 }, { start: 9, end: 11 }]);
  });

  test('the counts follow the stored decisions', () => {
    const tally = counts(reviewOf(progress([reviewed(1, 'open'), reviewed(2, 'redact'), reviewed(3, 'redact')], [mark(1, [[0, 1]])])));
    expect([tally.open, tally.redact, tally.keep, tally.manual]).toEqual([1, 2, 0, 1]);
    expect(tally.openBySeverity.high).toBe(1);
  });
});

describe('sliceChars', () => {
  test('counts code points, as the core does', () => {
    expect(sliceChars('a𠀀b张三', 1, 3)).toBe('𠀀b');
    expect(sliceChars('通知', 0, 9)).toBe('通知');
  });
});

describe('reason codes', () => {
  const codes: ReasonCodeView[] = [
    { code: 'state_secret', zh: '国家秘密', en: 'state secret' },
    { code: 'sensitive', zh: '敏感信息', en: 'sensitive information' },
  ];

  test('marks default to the catch-all, else the first code', () => {
    expect(defaultMarkReason(codes)).toBe('sensitive');
    expect(defaultMarkReason(codes.slice(0, 1))).toBe('state_secret');
    expect(defaultMarkReason([])).toBe('');
  });

  test('a code is shown by its label in the interface language', () => {
    expect(reasonLabel(codes, 'state_secret', 'zh')).toBe('国家秘密');
    expect(reasonLabel(codes, 'state_secret', 'en')).toBe('state secret');
    expect(reasonLabel(codes, 'custom', 'en')).toBe('custom');
  });

  test('a decision reason shows its code by label, then the note; free text stays as written', () => {
    const check = (reason: string, locale: 'en' | 'zh', expected: string) =>
      expect(decisionReasonText(codes, reason, locale)).toBe(expected);
    check('state_secret', 'zh', '国家秘密');
    check('sensitive: 已在年报中公开', 'en', 'sensitive information — 已在年报中公开');
    check('sensitive: a: b', 'en', 'sensitive information — a: b');
    check('already public: see note', 'en', 'already public: see note');
    check('已公开的民用频段', 'zh', '已公开的民用频段');
  });
});
