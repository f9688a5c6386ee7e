import type { Cadre } from '../../../web/types.ts';
import { documentPath } from '../library.service.ts';
import { highlight, type Marks, type Segment } from './highlight.ts';
import { allMatches, countMatches, documentIdsFor, paragraphsForResults, rankedMatchIds, type MatchRow, type SearchFilter } from './search.repository.ts';
import { STEMMED_LANGUAGES, fold, queryTerms, term, tokenize } from './stemming.ts';

/**
 * Up to POOL matches, every match is ranked here, alike on both engines. Beyond, ranking them all
 * in JS would cost more than the search itself: the engine's own order is used (bm25 on SQLite,
 * ts_rank on PostgreSQL), the same paragraphs in a possibly different order.
 */
export const POOL = 100;
export const PAGE_SIZE = 10;
const MAX_QUERY = 200;
const MAX_GROUPS = 12;

/** One part of a query: a word (any of its analyses) or a phrase (its words in order, in one of its analyses). */
type Group = { type: 'word'; terms: string[] } | { type: 'phrase'; variants: string[][] };

export interface ParsedQuery {
  groups: Group[];
  /** Every term a result may contain. */
  terms: Set<string>;
  /** What highlighting marks. */
  marks: Marks;
  fts: string;
  tsquery: string;
}

const QUOTES = /[“”«»„"]/g;

/** Terms of a run of words in one analysis (language null: folded only). */
function analyse(text: string, language: string | null): string[] {
  return tokenize(text, language ?? 'none').flatMap((t) => t.terms);
}

/**
 * A user's query in the index's terms. Quoted text is a phrase; an unquoted chunk of several
 * words ("l’État", "73/27", a Han run) is a phrase too; other words are required, each matching
 * any of its analyses (French, English, Spanish, Russian stems, or folded only) since a query
 * has no language of its own. Null when nothing searchable is left.
 */
export function parseQuery(q: string): ParsedQuery | null {
  const input = q.slice(0, MAX_QUERY).replace(QUOTES, '"');
  const groups: Group[] = [];
  for (const m of input.matchAll(/"([^"]*)"?|([^\s"]+)/g)) {
    const quoted = m[1];
    const chunk = quoted ?? m[2] ?? '';
    const words = tokenize(chunk, 'none');
    if (words.length === 0) continue;
    if (quoted === undefined && words.length === 1 && words[0]!.terms.length === 1) {
      const word = chunk.slice(words[0]!.start, words[0]!.end);
      groups.push({ type: 'word', terms: queryTerms(word, null) });
      continue;
    }
    const variants = new Map<string, string[]>();
    for (const language of [...STEMMED_LANGUAGES, null]) {
      const terms = analyse(chunk, language);
      variants.set(terms.join(' '), terms);
    }
    groups.push({ type: 'phrase', variants: [...variants.values()] });
  }
  if (groups.length === 0) return null;
  const kept = groups.slice(0, MAX_GROUPS);
  const terms = new Set<string>();
  for (const g of kept) for (const t of g.type === 'word' ? g.terms : g.variants.flat()) terms.add(t);
  const ftsTerm = (t: string) => `"${t.replace(/"/g, '""')}"`;
  const pgTerm = (t: string) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  const fts = kept
    .map((g) => (g.type === 'word' ? g.terms.map(ftsTerm) : g.variants.map((v) => ftsTerm(v.join(' ')))).join(' OR '))
    .map((x) => `(${x})`)
    .join(' AND ');
  const tsquery = kept
    .map((g) => (g.type === 'word' ? g.terms.map(pgTerm) : g.variants.map((v) => `(${v.map(pgTerm).join(' <-> ')})`)).join(' | '))
    .map((x) => `(${x})`)
    .join(' & ');
  const marks: Marks = {
    words: new Set(kept.flatMap((g) => (g.type === 'word' ? g.terms : []))),
    phrases: kept.flatMap((g) => (g.type === 'phrase' ? g.variants : [])),
  };
  return { groups: kept, terms, marks, fts, tsquery };
}

const SPACE = 32;

/** How many times `t` stands as a whole term in the space-separated `terms`. */
export function countTerm(terms: string, t: string): number {
  if (t === '') return 0;
  let n = 0;
  for (let i = terms.indexOf(t); i !== -1; i = terms.indexOf(t, i + t.length)) {
    const end = i + t.length;
    if ((i === 0 || terms.charCodeAt(i - 1) === SPACE) && (end === terms.length || terms.charCodeAt(end) === SPACE)) n++;
  }
  return n;
}

/** How many terms a space-separated list holds. */
export function countTerms(terms: string): number {
  if (terms === '') return 0;
  let n = 1;
  for (let i = terms.indexOf(' '); i !== -1; i = terms.indexOf(' ', i + 1)) n++;
  return n;
}

/**
 * One score for both engines (BM25 with equal weights per part of the query, since every result
 * holds every part), computed here from the stored terms, so SQLite and PostgreSQL order alike.
 */
function rank(rows: MatchRow[], query: ParsedQuery): MatchRow[] {
  const k1 = 1.2;
  const b = 0.75;
  // Which part of the query each term belongs to (a term in two parts counts for the first).
  const partOf = new Map<string, number>();
  query.groups.forEach((g, i) => {
    for (const t of g.type === 'word' ? g.terms : g.variants.flat()) if (!partOf.has(t)) partOf.set(t, i);
  });
  const parts = query.groups.length;
  // Counted in place (native string scans), not by splitting every paragraph's terms: a page of
  // a hundred long paragraphs would otherwise allocate tens of thousands of strings per search.
  const counted = rows.map((r) => {
    const tf = new Array<number>(parts).fill(0);
    for (const [t, i] of partOf) tf[i]! += countTerm(r.stems, t);
    return { r, tf, length: countTerms(r.stems) };
  });
  const avg = counted.reduce((a, c) => a + c.length, 0) / Math.max(1, counted.length) || 1;
  const scored = counted.map(({ r, tf, length }) => {
    let score = 0;
    for (const n of tf) score += (n * (k1 + 1)) / (n + k1 * (1 - b + (b * length) / avg));
    return { r, score: Math.round(score * 1e9) / 1e9 };
  });
  scored.sort(
    (x, y) => y.score - x.score || (y.r.year ?? 0) - (x.r.year ?? 0) || x.r.seq - y.r.seq || (x.r.stems < y.r.stems ? -1 : x.r.stems > y.r.stems ? 1 : 0),
  );
  return scored.map((s) => s.r);
}

export interface SearchInput {
  q: string;
  document?: string | undefined;
  kind?: string | undefined;
  year?: number | undefined;
  paragraphKind?: string | undefined;
  language?: string | undefined;
  page?: number | undefined;
}

export interface SearchHit {
  documentId: string;
  symbol: string | null;
  language: string;
  title: string | null;
  documentKind: string;
  date: string | null;
  version: number;
  eId: string;
  kind: string;
  num: string | null;
  href: string;
  segments: Segment[];
}

export type SearchOutcome =
  | { status: 'empty' }
  | { status: 'ok'; total: number; page: number; pages: number; hits: SearchHit[]; ranking: 'shared' | 'engine' };

/** Searches the latest version of every document; results link to their paragraph's permalink. */
export async function searchLibrary(cadre: Cadre, input: SearchInput): Promise<SearchOutcome> {
  const query = parseQuery(input.q);
  if (!query) return { status: 'empty' };
  const db = cadre.database.db;
  const filter: SearchFilter = { kind: input.kind, year: input.year, paragraphKind: input.paragraphKind, language: input.language };
  if (input.document) filter.documentIds = await documentIdsFor(db, input.document.trim());
  const total = await countMatches(db, query, filter);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const page = Math.min(Math.max(1, input.page ?? 1), pages);
  const shared = total <= POOL;
  const ids =
    total === 0
      ? []
      : shared
        ? rank(await allMatches(db, query, filter), query)
            .slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE)
            .map((r) => r.paragraph_id)
        : await rankedMatchIds(db, query, filter, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const found = new Map((await paragraphsForResults(db, ids)).map((p) => [p.id, p]));
  const hits: SearchHit[] = [];
  for (const id of ids) {
    const p = found.get(id);
    if (!p) continue;
    hits.push({
      documentId: p.document_id,
      symbol: p.symbol,
      language: p.language,
      title: p.title,
      documentKind: p.document_kind,
      date: p.date,
      version: p.version,
      eId: p.eid,
      kind: p.kind,
      num: p.num,
      href: `${documentPath({ id: p.document_id, symbol: p.symbol, language: p.language })}#${p.eid}`,
      segments: highlight(p.text, p.language, query.marks),
    });
  }
  return { status: 'ok', total, page, pages, hits, ranking: shared ? 'shared' : 'engine' };
}

// Exposed for tests and the benchmark.
export { fold, term };
