import { describe, expect, test } from 'vitest';
import { en } from '../i18n/en';
import { zh } from '../i18n/zh';
import { format } from '../i18n/index.svelte';
import type { RefusalView } from '../ipc/types';
import { refusalText, type Translate } from './refusal';

function translate(catalog: Record<string, string>): Translate {
  return {
    t: (key, params = {}) => format(catalog[key], params),
    tOr: (key, fallback) => catalog[key] ?? fallback,
  };
}

function refusal(rule: string, details: Partial<RefusalView> = {}): RefusalView {
  return { rule, role: null, state: null, needs: [], findings: [], message: `core: ${rule}`, ...details };
}

describe('refusalText', () => {
  const check = (r: RefusalView, english: string, chinese: string) => {
    expect(refusalText(r, translate(en))).toBe(english);
    expect(refusalText(r, translate(zh))).toBe(chinese);
  };

  test('names the role a user lacks or the oversight role they hold', () => {
    check(
      refusal('missing_role', { role: 'approver' }),
      'Needs the Approver role, which you do not hold.',
      `需要“${zh['role.approver']}”角色，您没有该角色。`,
    );
    check(
      refusal('oversight_role', { role: 'auditor' }),
      'You are an Auditor: auditors and administrators check the record and never change documents.',
      `您是“${zh['role.auditor']}”：审计员和管理员负责核查记录，从不修改文件。`,
    );
  });

  test('says the drafter and the reviewer are out of the approval, in both languages', () => {
    check(refusal('drafter'), en['signoff.refusal.drafter'], zh['signoff.refusal.drafter']);
    expect(refusalText(refusal('reviewer'), translate(en))).toMatch(/^You reviewed this revision, so you may not approve/);
  });

  test('names the state and every state that would allow the action', () => {
    const r = refusal('wrong_state', { state: 'review_complete', needs: ['approved', 'exported'] });
    check(
      r,
      'State: Review complete. Possible only when the state is Approved or Exported.',
      `此版本当前为“${zh['state.review_complete']}”；只有在“${zh['state.approved']}”或“${zh['state.exported']}”时才可进行此操作。`,
    );
  });

  test('lists the undecided findings', () => {
    const r = refusal('open_findings', { findings: [2, 5] });
    check(r, '2 finding(s) still undecided: #2, #5.', '尚有 2 条发现未决定：#2, #5。');
  });

  test('falls back to the core’s message for a rule it does not know', () => {
    check(refusal('new_rule'), 'core: new_rule', 'core: new_rule');
  });
});
