// The workspace review as the shared review model sees it: the stored decisions and marks of a
// `ReviewProgress` become the `Review` that `model.ts` highlights, counts and walks; and the
// choices the screen makes from them (which key does what, what a selection is).
import type { ReasonCodeView, ReviewProgress } from '../ipc/types';
import type { Decision, ManualRange, Review } from './model';

/** The review model of what the workspace stored: each decided finding's decision, and every
 * range of every manual mark (area marks have none and do not highlight text). */
export function reviewOf(progress: ReviewProgress): Review {
  const decisions = new Map<number, Decision>();
  for (const reviewed of progress.findings) {
    if (reviewed.status === 'redact') decisions.set(reviewed.finding.id, { kind: 'redact' });
    else if (reviewed.status === 'keep') {
      decisions.set(reviewed.finding.id, { kind: 'keep', reason: reviewed.decisionReason ?? '' });
    }
  }
  const manual: ManualRange[] = progress.marks.flatMap((mark) => mark.ranges.map(({ start, end }) => ({ start, end })));
  return { findings: progress.findings.map((reviewed) => reviewed.finding), decisions, manual };
}

/** Characters `start..end` of `text`, counted in code points as the core counts them. */
export function sliceChars(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join('');
}

/** The reason code manual marks get until the reviewer picks another: the catch-all
 * `sensitive` when the workspace has it, else its first code. */
export function defaultMarkReason(codes: ReasonCodeView[]): string {
  return codes.find((c) => c.code === 'sensitive')?.code ?? codes[0]?.code ?? '';
}

/** A reason code's label in the interface language, falling back to the code itself. */
export function reasonLabel(codes: ReasonCodeView[], code: string, locale: 'en' | 'zh'): string {
  const known = codes.find((c) => c.code === code);
  return known ? known[locale] : code;
}

/** A stored decision reason for people: a redaction's code by its label; a keep's leading code
 * (the review screen records a keep as `code: note`, see src-tauri/src/review.rs) by its
 * label, then the note. Reasons typed on the CLI, with no known code, are shown as written. */
export function decisionReasonText(codes: ReasonCodeView[], reason: string, locale: 'en' | 'zh'): string {
  const at = reason.indexOf(': ');
  const [code, note] = at < 0 ? [reason, ''] : [reason.slice(0, at), reason.slice(at + 2)];
  const known = codes.find((c) => c.code === code);
  if (!known) return reason;
  return note ? `${known[locale]} — ${note}` : known[locale];
}
