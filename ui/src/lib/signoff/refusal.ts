// The sign-off panel's wording, as pure functions: why an action is refused, in the reader's
// language, from the rule the core reports (never from its English message, which is kept for
// the record and shown only for a rule this UI does not know yet).
import type { ActionView, RefusalView } from '../ipc/types';
import type { MessageKey } from '../i18n/en';

/** `t` and `tOr` from the i18n module, passed in so that tests need no Svelte runtime. */
export interface Translate {
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  tOr: (key: string, fallback: string) => string;
}

/** Why an action is refused, for people. */
export function refusalText(refusal: RefusalView, { t, tOr }: Translate): string {
  const role = refusal.role ? tOr(`role.${refusal.role}`, refusal.role) : '';
  const state = (s: string) => tOr(`state.${s}`, s);
  switch (refusal.rule) {
    case 'missing_role':
      return t('signoff.refusal.missing_role', { role });
    case 'oversight_role':
      return t('signoff.refusal.oversight_role', { role });
    case 'drafter':
      return t('signoff.refusal.drafter');
    case 'reviewer':
      return t('signoff.refusal.reviewer');
    case 'wrong_state':
      return t('signoff.refusal.wrong_state', {
        state: state(refusal.state ?? ''),
        needs: refusal.needs.map(state).join(t('signoff.or')),
      });
    case 'open_findings':
      return t('signoff.refusal.open_findings', {
        count: refusal.findings.length,
        findings: refusal.findings.map((n) => `#${n}`).join(', '),
      });
    default:
      return refusal.message;
  }
}

/** The action named `action` in the panel's list, if the core reported it. */
export function actionOf(actions: ActionView[], action: string): ActionView | undefined {
  return actions.find((a) => a.action === action);
}
