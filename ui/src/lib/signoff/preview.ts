// The redacted preview's original side: the text cut into runs that stay and runs the export
// removes, so the removed ones can be drawn black. Offsets are characters (Unicode scalar
// values), as the core counts them, not UTF-16 code units.
import type { PreviewRange } from '../ipc/types';

export interface Piece {
  text: string;
  removed: boolean;
}

/** `text` cut at `ranges` (sorted, merged, within the text, as the shell sends them). */
export function pieces(text: string, ranges: PreviewRange[]): Piece[] {
  const chars = Array.from(text);
  const out: Piece[] = [];
  let at = 0;
  const push = (start: number, end: number, removed: boolean) => {
    if (end > start) out.push({ text: chars.slice(start, end).join(''), removed });
  };
  for (const { start, end } of ranges) {
    const from = Math.max(start, at);
    const to = Math.min(end, chars.length);
    if (to <= from) continue;
    push(at, from, false);
    push(from, to, true);
    at = to;
  }
  push(at, chars.length, false);
  return out;
}
