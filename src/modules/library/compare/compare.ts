// Comparison of two texts paragraph by paragraph ("what changed from last year's draft"): paragraphs
// are aligned by what they say, not by their number, since a draft that inserts one preambular
// paragraph renumbers nothing in substance. Pure: no database, no request.
import { diffWords, diffWordsWithSpace } from 'diff';
import { bagOf, fold, increasingSubsequence, normaliseText, similarity, tokens, type Bag } from './similarity.ts';
import { alignTranslations } from './translation.ts';

export interface ComparableParagraph {
  eid: string;
  kind: string;
  num: string | null;
  openingWord: string | null;
  text: string;
}

export type PairStatus = 'unchanged' | 'modified' | 'added' | 'removed' | 'moved' | 'aligned';
export const PAIR_STATUSES: readonly PairStatus[] = ['unchanged', 'modified', 'moved', 'added', 'removed', 'aligned'];
/** The statuses a comparison of this mode can give. */
export const STATUSES_OF: Record<Comparison['mode'], readonly PairStatus[]> = {
  text: ['unchanged', 'modified', 'moved', 'added', 'removed'],
  translation: ['aligned', 'added', 'removed'],
};

export interface WordOp {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

export interface VerbChange {
  from: string;
  to: string;
}

export interface ComparedPair {
  status: PairStatus;
  /** eId in the first text; absent for an added paragraph. */
  a?: string;
  /** eId in the second text; absent for a removed paragraph. */
  b?: string;
  /** 0–1, word overlap of the two paragraphs (across languages, the alignment's confidence); 0 for added and removed ones. */
  similarity: number;
  /** Word-level differences, when the two texts of a pair differ (a moved pair may also be edited). */
  words?: WordOp[];
  /** The opening verb or phrase changed ("Se félicite" → "Accueille favorablement"). */
  verbChange?: VerbChange;
}

export interface Comparison {
  /**
   * text: the same language, paragraphs paired by what they say, with word differences;
   * translation: two languages, paragraphs `aligned` by structure, numbers and symbols, without.
   */
  mode: 'text' | 'translation';
  /** Rows in reading order of the second text, removed paragraphs where they stood in the first. */
  pairs: ComparedPair[];
  summary: Record<PairStatus, number>;
  verbChanges: (VerbChange & { a: string; b: string })[];
}

export interface CompareOptions {
  /** Below this word overlap two paragraphs are not the same paragraph (default 0.5). */
  threshold?: number;
  /** Language of each text, for word segmentation (Chinese). */
  languages?: [string | undefined, string | undefined];
}

const VERB_KINDS = new Set(['preambular', 'operative']);
/** Paragraph kinds that may pair with each other; a heading pairs only with a heading. */
const KIND_FAMILY: Record<string, string> = { heading: 'heading' };
/** Words that come before the verb and belong to the opening phrase ("Se félicite", "Deeply concerned"). */
const LEAD_WORDS = new Set(['se', 's', 'ne', 'deeply', 'strongly', 'further', 'also', 'вновь', 'также', 'profondement', 'tambien']);

interface Prepared {
  p: ComparableParagraph;
  text: string;
  bag: Bag;
  position: number;
}

function prepare(list: ComparableParagraph[], language: string | undefined): Prepared[] {
  return list.map((p, i) => {
    const text = normaliseText(p.text);
    return { p, text, bag: bagOf(tokens(text, language)), position: list.length > 1 ? i / (list.length - 1) : 0 };
  });
}

function kindWeight(a: string, b: string): number {
  if (a === b) return 1;
  if ((KIND_FAMILY[a] ?? 'text') !== (KIND_FAMILY[b] ?? 'text')) return 0;
  // An operative paragraph that became preambular (or a point that became a paragraph) is still
  // the same paragraph, but a same-kind candidate of equal wording wins.
  return 0.85;
}

/**
 * Pairs of paragraphs, best first: every candidate above the threshold sorted by similarity (a
 * paragraph near its old relative position wins a tie), then taken greedily, each paragraph once.
 */
function assign(a: Prepared[], b: Prepared[], threshold: number): { i: number; j: number; sim: number }[] {
  const candidates: { i: number; j: number; sim: number; score: number }[] = [];
  for (let i = 0; i < a.length; i++) {
    for (let j = 0; j < b.length; j++) {
      const w = kindWeight(a[i]!.p.kind, b[j]!.p.kind);
      if (w === 0) continue;
      const sim = a[i]!.text === b[j]!.text ? 1 : similarity(a[i]!.bag, b[j]!.bag);
      const score = sim * w;
      if (score < threshold) continue;
      candidates.push({ i, j, sim, score: score - 0.05 * Math.abs(a[i]!.position - b[j]!.position) });
    }
  }
  candidates.sort((x, y) => y.score - x.score || x.i - y.i || x.j - y.j);
  const usedA = new Set<number>();
  const usedB = new Set<number>();
  const matches: { i: number; j: number; sim: number }[] = [];
  for (const c of candidates) {
    if (usedA.has(c.i) || usedB.has(c.j)) continue;
    usedA.add(c.i);
    usedB.add(c.j);
    matches.push(c);
  }
  return matches;
}

/**
 * Word-level differences of two paragraph texts, whitespace folded, punctuation its own token. Each
 * side is exactly its equal and changed parts (spaces are tokens too), and a run of changed words
 * reads as one phrase ("Se félicite du" → "Accueille favorablement le"), not word by word.
 */
export function wordDiff(a: string, b: string, language?: string): WordOp[] {
  // Chinese has no spaces: its words come from the segmenter, which only diffWords takes.
  const changes =
    language === 'zh'
      ? diffWords(normaliseText(a), normaliseText(b), { intlSegmenter: new Intl.Segmenter('zh', { granularity: 'word' }) })
      : diffWordsWithSpace(normaliseText(a), normaliseText(b));
  const ops: WordOp[] = [];
  const push = (op: WordOp['op'], text: string) => {
    const last = ops[ops.length - 1];
    if (last && last.op === op) last.text += text;
    else if (text) ops.push({ op, text });
  };
  let deleted = '';
  let inserted = '';
  const flush = () => {
    push('delete', deleted);
    push('insert', inserted);
    deleted = inserted = '';
  };
  changes.forEach((c, k) => {
    if (c.removed) deleted += c.value;
    else if (c.added) inserted += c.value;
    else if ((deleted || inserted) && /^\s+$/.test(c.value) && (changes[k + 1]?.added || changes[k + 1]?.removed)) {
      // A space between two changed words belongs to the changed phrase on both sides.
      deleted += c.value;
      inserted += c.value;
    } else {
      flush();
      push('equal', c.value);
    }
  });
  flush();
  return ops;
}

/** The opening verb or phrase: the parser's, or the first word (with "Se", "Deeply"…) of the text. */
export function openingOf(p: ComparableParagraph): string | null {
  if (!VERB_KINDS.has(p.kind)) return null;
  if (p.openingWord) return p.openingWord;
  const words = normaliseText(p.text).match(/[\p{L}’-]+/gu) ?? [];
  if (words.length === 0) return null;
  const lead = fold(words[0]!).replace(/’$/, '');
  return LEAD_WORDS.has(lead) && words[1] ? `${words[0]} ${words[1]}` : words[0]!;
}

function verbChangeOf(a: ComparableParagraph, b: ComparableParagraph): VerbChange | undefined {
  const from = openingOf(a);
  const to = openingOf(b);
  if (!from || !to || fold(normaliseText(from)) === fold(normaliseText(to))) return undefined;
  return { from, to };
}

export function compareDocuments(aList: ComparableParagraph[], bList: ComparableParagraph[], options: CompareOptions = {}): Comparison {
  const threshold = options.threshold ?? 0.5;
  const [langA, langB] = options.languages ?? [undefined, undefined];
  if (langA && langB && langA !== langB) return compareTranslations(aList, bList);
  const a = prepare(aList, langA);
  const b = prepare(bList, langB);
  const matches = assign(a, b, threshold);

  // Moves: the matched pairs that keep their relative order form the heaviest increasing run of
  // second-text positions taken in first-text order; identical paragraphs weigh a little more, so a
  // swap marks the edited one as moved rather than the untouched one.
  matches.sort((x, y) => x.i - y.i);
  const inOrder = increasingSubsequence(
    matches.map((m) => m.j),
    matches.map((m) => 1 + m.sim / 10),
  );
  const byB = new Map<number, { i: number; sim: number; moved: boolean }>();
  const matchedA = new Set<number>();
  matches.forEach((m, k) => {
    byB.set(m.j, { i: m.i, sim: m.sim, moved: !inOrder.has(k) });
    matchedA.add(m.i);
  });

  const pairs: ComparedPair[] = [];
  let nextA = 0;
  const flushRemovedBefore = (limit: number) => {
    for (; nextA < limit; nextA++) {
      if (!matchedA.has(nextA)) pairs.push({ status: 'removed', a: a[nextA]!.p.eid, similarity: 0 });
    }
  };
  for (let j = 0; j < b.length; j++) {
    const m = byB.get(j);
    const pb = b[j]!;
    if (!m) {
      pairs.push({ status: 'added', b: pb.p.eid, similarity: 0 });
      continue;
    }
    const pa = a[m.i]!;
    if (!m.moved) flushRemovedBefore(m.i + 1);
    const same = pa.text === pb.text;
    const pair: ComparedPair = {
      status: m.moved ? 'moved' : same ? 'unchanged' : 'modified',
      a: pa.p.eid,
      b: pb.p.eid,
      similarity: Math.round(m.sim * 1000) / 1000,
    };
    if (!same) pair.words = wordDiff(pa.text, pb.text, langB ?? langA);
    const verbChange = verbChangeOf(pa.p, pb.p);
    if (verbChange) pair.verbChange = verbChange;
    pairs.push(pair);
  }
  flushRemovedBefore(a.length);

  const verbChanges = pairs.filter((p) => p.verbChange).map((p) => ({ a: p.a!, b: p.b!, ...p.verbChange! }));
  return { mode: 'text', pairs, summary: summarise(pairs), verbChanges };
}

function summarise(pairs: ComparedPair[]): Record<PairStatus, number> {
  const summary = { unchanged: 0, modified: 0, moved: 0, added: 0, removed: 0, aligned: 0 } satisfies Record<PairStatus, number>;
  for (const p of pairs) summary[p.status]++;
  return summary;
}

/** Two language versions: aligned in order, what stands in one only as added or removed; no word differences. */
function compareTranslations(a: ComparableParagraph[], b: ComparableParagraph[]): Comparison {
  const pairs: ComparedPair[] = [];
  let i = 0;
  let j = 0;
  for (const m of [...alignTranslations(a, b), { i: a.length, j: b.length, score: 0 }]) {
    for (; i < m.i; i++) pairs.push({ status: 'removed', a: a[i]!.eid, similarity: 0 });
    for (; j < m.j; j++) pairs.push({ status: 'added', b: b[j]!.eid, similarity: 0 });
    if (m.i < a.length && m.j < b.length) {
      pairs.push({ status: 'aligned', a: a[m.i]!.eid, b: b[m.j]!.eid, similarity: m.score });
      i = m.i + 1;
      j = m.j + 1;
    }
  }
  return { mode: 'translation', pairs, summary: summarise(pairs), verbChanges: [] };
}
