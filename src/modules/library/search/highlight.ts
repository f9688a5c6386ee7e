import { tokenize } from './stemming.ts';

/** A piece of a paragraph's original text; `mark` pieces are words the query matched. */
export interface Segment {
  text: string;
  mark: boolean;
}

/**
 * Splits the original text into plain and matched pieces: each word is analysed as the index
 * analysed it (same language, same folding and stemming), and marked when one of its terms is a
 * query term. The view wraps marked pieces in <mark>; nothing here builds HTML.
 */
export function highlight(text: string, language: string, terms: ReadonlySet<string>): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const t of tokenize(text, language)) {
    if (!t.terms.some((x) => terms.has(x))) continue;
    if (t.start > at) push(out, text.slice(at, t.start), false);
    push(out, text.slice(t.start, t.end), true);
    at = t.end;
  }
  if (at < text.length) push(out, text.slice(at), false);
  return out;
}

function push(out: Segment[], text: string, mark: boolean): void {
  const last = out[out.length - 1];
  const before = out[out.length - 2];
  // Marked words separated only by spaces read as one match: « États Membres ».
  if (mark && last && !last.mark && before?.mark && /^[ \u00a0\u202f]+$/.test(last.text)) {
    out.pop();
    before.text += last.text + text;
  } else out.push({ text, mark });
}
