import { tokenize } from './stemming.ts';

/** A piece of a paragraph's original text; `mark` pieces are words the query matched. */
export interface Segment {
  text: string;
  mark: boolean;
}

/** What a query marks: words (any of their terms) and phrases (terms in a row, in one analysis). */
export interface Marks {
  words: ReadonlySet<string>;
  phrases: readonly (readonly string[])[];
}

/**
 * Splits the original text into plain and matched pieces: each word is analysed as the index
 * analysed it (same language, same folding and stemming) and marked when it is one of the query's
 * words or part of an occurrence of one of its phrases (so "de" is marked inside "mesures de
 * confiance", not everywhere). The view wraps marked pieces in <mark>; nothing here builds HTML.
 */
export function highlight(text: string, language: string, marks: Marks): Segment[] {
  const tokens = tokenize(text, language);
  const flat: { term: string; token: number }[] = [];
  tokens.forEach((t, token) => {
    for (const term of t.terms) flat.push({ term, token });
  });
  const marked = new Array<boolean>(tokens.length).fill(false);
  for (const f of flat) if (marks.words.has(f.term)) marked[f.token] = true;
  for (const phrase of marks.phrases) {
    if (phrase.length === 0) continue;
    for (let i = 0; i + phrase.length <= flat.length; i++) {
      let k = 0;
      while (k < phrase.length && flat[i + k]!.term === phrase[k]) k++;
      if (k === phrase.length) for (let m = 0; m < k; m++) marked[flat[i + m]!.token] = true;
    }
  }
  const out: Segment[] = [];
  let at = 0;
  tokens.forEach((t, index) => {
    if (!marked[index]) return;
    if (t.start > at) push(out, text.slice(at, t.start), false);
    push(out, text.slice(t.start, t.end), true);
    at = t.end;
  });
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
