// Two language versions of one text ("A/RES/73/27 in English and in French"): their words cannot be
// compared, but their structure and what no translation changes can. Paragraphs are aligned in
// order (a translation does not reorder paragraphs) by dynamic programming over: the kind (a
// preambular paragraph never pairs with an operative one), the printed number, the numbers,
// symbols and years a paragraph holds ("73/27", "A/68/98", "2015") and the length ratio of the two
// texts, measured over the whole pair of documents. What one version has and the other lacks
// stands alone, as added or removed. Pure: no database, no request.
import type { ComparableParagraph } from './compare.ts';

export interface TranslationMatch {
  i: number;
  j: number;
  /** 0–1: how sure the alignment is of this pair. */
  score: number;
}

/** Below this a pair is not aligned: each side stands alone. */
const MIN_SCORE = 0.35;
/** What leaving a paragraph unpaired costs, against pairing it (scores are 0–1). */
const GAP = 0.3;

/** Numbers and document symbols, the same in every language ("73/27", "A/68/98", "1.8", "2015"). */
export function anchorsOf(text: string): Set<string> {
  return new Set(text.match(/\b[A-Z]+(?:\/[A-Z0-9.]+)+|\d+(?:[./-]\d+)*/gu) ?? []);
}

function overlap(a: Set<string>, b: Set<string>): number | null {
  if (a.size === 0 && b.size === 0) return null;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / Math.max(a.size, b.size);
}

function pairScore(a: ComparableParagraph, b: ComparableParagraph, anchorsA: Set<string>, anchorsB: Set<string>, ratio: number): number {
  if (a.kind !== b.kind) return 0;
  const parts: [number, number][] = [];
  if (a.num !== null || b.num !== null) parts.push([a.num === b.num ? 1 : 0, 3]);
  const anchors = overlap(anchorsA, anchorsB);
  if (anchors !== null) parts.push([anchors, 2]);
  // The second text's length against the first's, scaled by the documents' own ratio.
  const expected = a.text.length * ratio;
  const lengths = Math.min(expected, b.text.length) / Math.max(expected, b.text.length, 1);
  parts.push([lengths, 1]);
  const weight = parts.reduce((n, [, w]) => n + w, 0);
  return parts.reduce((n, [v, w]) => n + v * w, 0) / weight;
}

/** The pairs of an order-keeping alignment of two language versions, in order. */
export function alignTranslations(a: ComparableParagraph[], b: ComparableParagraph[]): TranslationMatch[] {
  const total = (list: ComparableParagraph[]) => list.reduce((n, p) => n + p.text.length, 0);
  const ratio = total(a) > 0 && total(b) > 0 ? total(b) / total(a) : 1;
  const anchorsA = a.map((p) => anchorsOf(p.text));
  const anchorsB = b.map((p) => anchorsOf(p.text));
  const n = a.length;
  const m = b.length;
  // best[i][j]: the best total over a[i..] and b[j..]; filled from the end.
  const best = Array.from({ length: n + 1 }, () => new Float64Array(m + 1));
  const score = Array.from({ length: n }, () => new Float64Array(m));
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      if (i === n && j === m) continue;
      let value = -Infinity;
      if (i < n) value = Math.max(value, best[i + 1]![j]! - GAP);
      if (j < m) value = Math.max(value, best[i]![j + 1]! - GAP);
      if (i < n && j < m) {
        const s = pairScore(a[i]!, b[j]!, anchorsA[i]!, anchorsB[j]!, ratio);
        score[i]![j] = s;
        if (s >= MIN_SCORE) value = Math.max(value, best[i + 1]![j + 1]! + s);
      }
      best[i]![j] = value;
    }
  }
  const matches: TranslationMatch[] = [];
  let i = 0;
  let j = 0;
  const near = (x: number, y: number) => Math.abs(x - y) < 1e-9;
  while (i < n && j < m) {
    const s = score[i]![j]!;
    if (s >= MIN_SCORE && near(best[i]![j]!, best[i + 1]![j + 1]! + s)) {
      matches.push({ i, j, score: Math.round(s * 1000) / 1000 });
      i++;
      j++;
    } else if (near(best[i]![j]!, best[i + 1]![j]! - GAP)) i++;
    else j++;
  }
  return matches;
}
