// The review of one document, as pure functions over plain data: which passages are decided,
// what the counts are, and where the highlights go. Components hold
// the state and call these; tests read them as the spec of the review screen.
//
// Offsets are character offsets (Unicode scalar values), as the core reports them. JavaScript
// strings count UTF-16 code units, so text is split into code points before slicing: a "𠀀"
// (outside the Basic Multilingual Plane) is one character here, as in Rust.
import type { FindingView, SeverityView } from '../ipc/types';

export type Decision = { kind: 'redact' } | { kind: 'keep'; reason: string };
export type FindingState = 'open' | 'redact' | 'keep';

/** A passage the reviewer marked by selecting it. */
export interface ManualRange {
  start: number;
  end: number;
}

export interface Review {
  findings: FindingView[];
  decisions: Map<number, Decision>;
  manual: ManualRange[];
}

export const SEVERITIES: SeverityView[] = ['critical', 'high', 'medium', 'low'];
const SEVERITY_RANK: Record<SeverityView, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function stateOf(review: Review, findingId: number): FindingState {
  return review.decisions.get(findingId)?.kind ?? 'open';
}

export interface Counts {
  open: number;
  redact: number;
  keep: number;
  manual: number;
  /** Open findings per severity. */
  openBySeverity: Record<SeverityView, number>;
}

export function counts(review: Review): Counts {
  const result: Counts = {
    open: 0,
    redact: 0,
    keep: 0,
    manual: review.manual.length,
    openBySeverity: { critical: 0, high: 0, medium: 0, low: 0 },
  };
  for (const finding of review.findings) {
    const state = stateOf(review, finding.id);
    result[state] += 1;
    if (state === 'open') result.openBySeverity[finding.severity] += 1;
  }
  return result;
}

export interface FindingGroup {
  category: string;
  findings: FindingView[];
}

/** Findings grouped by category; groups ordered by their most severe finding, then name;
 * findings inside a group by severity, then position. */
export function groupFindings(findings: FindingView[]): FindingGroup[] {
  const groups = new Map<string, FindingView[]>();
  for (const finding of findings) {
    const group = groups.get(finding.category) ?? [];
    group.push(finding);
    groups.set(finding.category, group);
  }
  const bySeverityThenPosition = (a: FindingView, b: FindingView) =>
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.start - b.start || a.id - b.id;
  return [...groups.entries()]
    .map(([category, members]) => ({ category, findings: members.sort(bySeverityThenPosition) }))
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.findings[0].severity] - SEVERITY_RANK[b.findings[0].severity] ||
        a.category.localeCompare(b.category),
    );
}

/** The order j/k walk in: the panel's order, so the keyboard and the eye agree. */
export function walkOrder(findings: FindingView[]): number[] {
  return groupFindings(findings).flatMap((group) => group.findings.map((f) => f.id));
}

/** The finding after (step 1) or before (step -1) `current` in walk order, preferring open
 * findings; wraps around. With nothing open, walks through all of them. */
export function step(review: Review, current: number | null, direction: 1 | -1): number | null {
  const order = walkOrder(review.findings);
  if (order.length === 0) return null;
  const open = order.filter((id) => stateOf(review, id) === 'open');
  const candidates = open.length > 0 ? open : order;
  const at = current === null ? -1 : order.indexOf(current);
  if (at === -1) return direction === 1 ? candidates[0] : candidates[candidates.length - 1];
  for (let i = 1; i <= order.length; i++) {
    const id = order[(at + direction * i + order.length * i) % order.length];
    if (candidates.includes(id)) return id;
  }
  return null;
}

export type MarkKind = 'open' | 'redact' | 'keep' | 'manual';

/** One run of text with everything that covers it. */
export interface Segment {
  start: number;
  text: string;
  findingIds: number[];
  /** The strongest mark over the run: redact > manual > open > keep. */
  mark: MarkKind | null;
}

const MARK_STRENGTH: Record<MarkKind, number> = { redact: 3, manual: 2, open: 1, keep: 0 };

/** Splits the visible text into runs at every highlight boundary. Hidden findings (beyond the
 * visible text) and out-of-range offsets are ignored rather than trusted. */
export function segments(text: string, review: Review): Segment[] {
  const chars = Array.from(text);
  const length = chars.length;
  const marks: { start: number; end: number; kind: MarkKind; findingId?: number }[] = [];
  for (const finding of review.findings) {
    if (finding.hidden || finding.start >= length || finding.end <= finding.start) continue;
    marks.push({ start: finding.start, end: Math.min(finding.end, length), kind: stateOf(review, finding.id), findingId: finding.id });
  }
  for (const range of review.manual) {
    if (range.start >= length || range.end <= range.start) continue;
    marks.push({ start: range.start, end: Math.min(range.end, length), kind: 'manual' });
  }
  const cuts = new Set<number>([0, length]);
  for (const mark of marks) {
    cuts.add(mark.start);
    cuts.add(mark.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const result: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [start, end] = [points[i], points[i + 1]];
    const covering = marks.filter((m) => m.start <= start && m.end >= end);
    let mark: MarkKind | null = null;
    for (const m of covering) if (mark === null || MARK_STRENGTH[m.kind] > MARK_STRENGTH[mark]) mark = m.kind;
    result.push({
      start,
      text: chars.slice(start, end).join(''),
      findingIds: covering.flatMap((m) => (m.findingId === undefined ? [] : [m.findingId])),
      mark,
    });
  }
  return result;
}

/** Adds a hand-marked range, merging it with ranges it overlaps or touches. */
export function addManual(ranges: ManualRange[], added: ManualRange): ManualRange[] {
  if (added.end <= added.start) return ranges;
  const all = [...ranges, added].sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: ManualRange[] = [];
  for (const range of all) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/** Number of characters (code points) in `s`. */
export function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
