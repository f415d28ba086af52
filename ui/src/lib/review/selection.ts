// Maps a DOM selection in the text view back to character offsets of the document.
//
// The text view renders each run of text in an element carrying `data-start`, its character
// offset; a selection point is that offset plus the characters before it in its text node.

/** The character range selected inside `container`, or null when nothing (or something
 * outside it) is selected. */
export function selectedRange(container: HTMLElement, selection: Selection | null): { start: number; end: number } | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  const start = offsetOf(container, range.startContainer, range.startOffset);
  const end = offsetOf(container, range.endContainer, range.endOffset);
  if (start === null || end === null || end <= start) return null;
  return { start, end };
}

function offsetOf(container: HTMLElement, node: Node, offset: number): number | null {
  if (!container.contains(node)) return null;
  if (node.nodeType !== Node.TEXT_NODE) {
    // A point between children: use the start of the child after it, or the end of the last.
    const child = node.childNodes[offset];
    if (child) return offsetOf(container, firstTextNode(child) ?? child, 0);
    const last = node.childNodes[node.childNodes.length - 1];
    const text = last ? lastTextNode(last) : null;
    return text ? offsetOf(container, text, text.data.length) : null;
  }
  const run = (node.parentElement as HTMLElement | null)?.closest<HTMLElement>('[data-start]');
  if (!run || !container.contains(run)) return null;
  const base = Number(run.dataset.start);
  if (!Number.isInteger(base)) return null;
  // Characters of this run before the point: earlier text nodes of the run, then this one.
  let before = '';
  const walker = document.createTreeWalker(run, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n === node) {
      before += (n as Text).data.slice(0, offset);
      break;
    }
    before += (n as Text).data;
  }
  return base + Array.from(before).length;
}

function firstTextNode(node: Node): Text | null {
  if (node.nodeType === Node.TEXT_NODE) return node as Text;
  for (const child of node.childNodes) {
    const found = firstTextNode(child);
    if (found) return found;
  }
  return null;
}

function lastTextNode(node: Node): Text | null {
  if (node.nodeType === Node.TEXT_NODE) return node as Text;
  for (let i = node.childNodes.length - 1; i >= 0; i--) {
    const found = lastTextNode(node.childNodes[i]);
    if (found) return found;
  }
  return null;
}
