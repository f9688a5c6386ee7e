// Text folding and paragraph similarity for the comparison of two texts. Pure functions.

/** Typographic variants that are not drafting changes: apostrophes, no-break spaces, runs of space. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[’‘ʼ`´]/g, '’')
    .replace(/'/g, '’')
    .replace(/[\u00a0\u202f\u2009\t\r\n ]+/g, ' ')
    .replace(/ ’/g, '’')
    .trim();
}

/** Case and accent folding, so "Etats" (OCR) and "États" count as the same word for alignment. */
export function fold(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

const segmenters = new Map<string, Intl.Segmenter>();

/** Folded words of a text; Chinese (no spaces between words) goes through the word segmenter. */
export function tokens(text: string, language?: string): string[] {
  if (language === 'zh') {
    let seg = segmenters.get(language);
    if (!seg) segmenters.set(language, (seg = new Intl.Segmenter(language, { granularity: 'word' })));
    const out: string[] = [];
    for (const s of seg.segment(text)) if (s.isWordLike) out.push(fold(s.segment));
    return out;
  }
  return (text.match(/[\p{L}\p{N}]+/gu) ?? []).map(fold);
}

/** A multiset of words, counted once per paragraph for the many comparisons of an alignment. */
export interface Bag {
  counts: Map<string, number>;
  size: number;
}

export function bagOf(words: string[]): Bag {
  const counts = new Map<string, number>();
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  return { counts, size: words.length };
}

/**
 * Dice coefficient over word multisets: 1 for the same words, 0 for none in common. Word order is
 * left to the word diff; a recall list that gains one resolution stays close to 1.
 */
export function similarity(a: Bag, b: Bag): number {
  if (a.size === 0 && b.size === 0) return 1;
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.counts.size <= b.counts.size ? [a, b] : [b, a];
  let common = 0;
  for (const [w, n] of small.counts) {
    const m = large.counts.get(w);
    if (m) common += Math.min(n, m);
  }
  return (2 * common) / (a.size + b.size);
}

/**
 * Indices (into `values`) of a heaviest strictly increasing subsequence: the matched pairs that keep
 * their relative order. Those left out are the moved ones. O(n²), n being the matched paragraphs.
 */
export function increasingSubsequence(values: number[], weights: number[]): Set<number> {
  const n = values.length;
  const best = new Array<number>(n).fill(0);
  const prev = new Array<number>(n).fill(-1);
  let end = -1;
  for (let i = 0; i < n; i++) {
    best[i] = weights[i]!;
    for (let j = 0; j < i; j++) {
      if (values[j]! < values[i]! && best[j]! + weights[i]! > best[i]!) {
        best[i] = best[j]! + weights[i]!;
        prev[i] = j;
      }
    }
    if (end < 0 || best[i]! > best[end]!) end = i;
  }
  const keep = new Set<number>();
  for (let i = end; i >= 0; i = prev[i]!) keep.add(i);
  return keep;
}
