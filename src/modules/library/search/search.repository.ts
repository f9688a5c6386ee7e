import { sql, type CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { PostgresAdapter } from 'kysely';
import type { Database, ParagraphSearchTable } from '../../../db/schema.ts';
import { insertMany } from '../library.repository.ts';
import { indexText } from './stemming.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface VersionToIndex {
  versionId: string;
  documentId: string;
  language: string;
  kind: string;
  date: string | null;
  paragraphs: { id: string; seq: number; kind: string; text: string }[];
}

function isPostgres(db: Q): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Makes `v` the searched version of its document: the document's earlier rows leave the index and
 * v's paragraphs enter it. Called inside the ingestion's transaction, so both commit together.
 */
export async function indexVersion(db: Q, v: VersionToIndex): Promise<void> {
  await db.deleteFrom('paragraph_search').where('document_id', '=', v.documentId).execute();
  const year = v.date && /^\d{4}/.test(v.date) ? Number(v.date.slice(0, 4)) : null;
  const rows: ParagraphSearchTable[] = v.paragraphs.map((p) => ({
    paragraph_id: p.id,
    version_id: v.versionId,
    document_id: v.documentId,
    language: v.language,
    kind: v.kind,
    year,
    paragraph_kind: p.kind,
    seq: p.seq,
    stems: indexText(p.text, v.language),
  }));
  await insertMany(db, 'paragraph_search', rows);
}

/** Indexes one stored version again from its paragraphs (after a change of analysis, or a backfill). */
export async function reindexVersion(db: Q, versionId: string): Promise<void> {
  const v = await db
    .selectFrom('document_version')
    .innerJoin('document', 'document.id', 'document_version.document_id')
    .select(['document_version.id', 'document_version.document_id', 'document_version.kind', 'document_version.date', 'document.language'])
    .where('document_version.id', '=', versionId)
    .executeTakeFirstOrThrow();
  const paragraphs = await db.selectFrom('paragraph').select(['id', 'seq', 'kind', 'text']).where('version_id', '=', versionId).orderBy('seq').execute();
  await indexVersion(db, { versionId: v.id, documentId: v.document_id, language: v.language, kind: v.kind, date: v.date, paragraphs });
}

/**
 * Idempotent backfill, run after every migrate: each document whose latest version has
 * paragraphs but no index rows (ingested before the index existed, or restored from a backup,
 * which leaves this derived table out) is indexed. Returns how many versions were indexed.
 */
export async function ensureSearchIndex(db: Q): Promise<number> {
  const missing = await db
    .selectFrom('document')
    .innerJoin('document_version as v', (j) => j.onRef('v.document_id', '=', 'document.id').onRef('v.version', '=', 'document.latest_version'))
    .select('v.id')
    .where('v.paragraph_count', '>', 0)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('paragraph_search as ps').select('ps.paragraph_id').whereRef('ps.version_id', '=', 'v.id'))))
    .execute();
  for (const { id } of missing) {
    if (db.isTransaction) await reindexVersion(db, id);
    else await (db as Kysely<Database>).transaction().execute((trx) => reindexVersion(trx, id));
  }
  return missing.length;
}

/** Rebuilds the whole index (every document's latest version). */
export async function rebuildSearchIndex(db: Kysely<Database>): Promise<number> {
  await db.deleteFrom('paragraph_search').execute();
  return ensureSearchIndex(db);
}

export interface SearchFilter {
  documentIds?: string[] | undefined;
  kind?: string | undefined;
  year?: number | undefined;
  paragraphKind?: string | undefined;
  language?: string | undefined;
}

export interface MatchRow {
  paragraph_id: string;
  stems: string;
  year: number | null;
  seq: number;
}

export interface IndexQuery {
  fts: string;
  tsquery: string;
}

function conditionsOf(f: SearchFilter) {
  const conditions = [];
  if (f.documentIds) conditions.push(f.documentIds.length ? sql`ps.document_id in (${sql.join(f.documentIds)})` : sql`1 = 0`);
  if (f.kind) conditions.push(sql`ps.kind = ${f.kind}`);
  if (f.year !== undefined) conditions.push(sql`ps.year = ${f.year}`);
  if (f.paragraphKind) conditions.push(sql`ps.paragraph_kind = ${f.paragraphKind}`);
  if (f.language) conditions.push(sql`ps.language = ${f.language}`);
  return conditions.length ? sql` and ${sql.join(conditions, sql` and `)}` : sql``;
}

/** How many paragraphs match (no ranking: cheap on both engines). */
export async function countMatches(db: Q, query: IndexQuery, f: SearchFilter): Promise<number> {
  const extra = conditionsOf(f);
  const filtered = Object.values(f).some((v) => v !== undefined);
  const counted = isPostgres(db)
    ? await sql<{ n: number }>`select count(*) as n from paragraph_search ps where ps.tsv @@ cast(${query.tsquery} as tsquery)${extra}`.execute(db)
    : filtered
      ? await sql<{ n: number }>`select count(*) as n from paragraph_fts f join paragraph_search ps on ps.rowid = f.rowid where paragraph_fts match ${query.fts}${extra}`.execute(db)
      : // Without a filter the FTS5 table alone answers (every row of it is a paragraph_search row).
        await sql<{ n: number }>`select count(*) as n from paragraph_fts where paragraph_fts match ${query.fts}`.execute(db);
  return Number(counted.rows[0]?.n ?? 0);
}

/** Every matching paragraph with its terms, unordered: the caller ranks them. */
export async function allMatches(db: Q, query: IndexQuery, f: SearchFilter): Promise<MatchRow[]> {
  const extra = conditionsOf(f);
  const rows = isPostgres(db)
    ? await sql<MatchRow>`select ps.paragraph_id, ps.stems, ps.year, ps.seq from paragraph_search ps where ps.tsv @@ cast(${query.tsquery} as tsquery)${extra}`.execute(db)
    : await sql<MatchRow>`
        select ps.paragraph_id, ps.stems, ps.year, ps.seq
        from paragraph_fts f join paragraph_search ps on ps.rowid = f.rowid
        where paragraph_fts match ${query.fts}${extra}`.execute(db);
  return rows.rows.map((r) => ({ ...r, year: r.year === null ? null : Number(r.year), seq: Number(r.seq) }));
}

/** One page of matches in the engine's own order (bm25 on SQLite, ts_rank normalised by length on PostgreSQL: ts_rank_cd costs 2–3 times more). */
export async function rankedMatchIds(db: Q, query: IndexQuery, f: SearchFilter, limit: number, offset: number): Promise<string[]> {
  const extra = conditionsOf(f);
  const rows = isPostgres(db)
    ? await sql<{ paragraph_id: string }>`
        select ps.paragraph_id from paragraph_search ps
        where ps.tsv @@ cast(${query.tsquery} as tsquery)${extra}
        order by ts_rank(ps.tsv, cast(${query.tsquery} as tsquery), 1) desc, ps.paragraph_id
        limit ${limit} offset ${offset}`.execute(db)
    : !Object.values(f).some((v) => v !== undefined)
      ? await rankedWithoutFilter(db, query, limit, offset)
      : // FTS5 sorts by rank fastest when rank is the only key.
        await sql<{ paragraph_id: string }>`
        select ps.paragraph_id
        from paragraph_fts f join paragraph_search ps on ps.rowid = f.rowid
        where paragraph_fts match ${query.fts}${extra}
        order by f.rank
        limit ${limit} offset ${offset}`.execute(db);
  return rows.rows.map((r) => r.paragraph_id);
}

/** SQLite without a filter: ranked on the FTS5 table alone, then only the page's rows looked up. */
async function rankedWithoutFilter(db: Q, query: IndexQuery, limit: number, offset: number) {
  const ranked = await sql<{ id: number }>`select rowid as id from paragraph_fts where paragraph_fts match ${query.fts} order by rank limit ${limit} offset ${offset}`.execute(db);
  if (ranked.rows.length === 0) return { rows: [] as { paragraph_id: string }[] };
  const found = await sql<{ id: number; paragraph_id: string }>`select rowid as id, paragraph_id from paragraph_search where rowid in (${sql.join(ranked.rows.map((r) => r.id))})`.execute(db);
  const byRow = new Map(found.rows.map((r) => [Number(r.id), r.paragraph_id]));
  return { rows: ranked.rows.flatMap((r) => (byRow.has(Number(r.id)) ? [{ paragraph_id: byRow.get(Number(r.id))! }] : [])) };
}

function resultsQuery(db: Q, ids: readonly string[]) {
  return db
    .selectFrom('paragraph_search as ps')
    .innerJoin('paragraph as p', 'p.id', 'ps.paragraph_id')
    .innerJoin('document as d', 'd.id', 'ps.document_id')
    .innerJoin('document_version as v', 'v.id', 'ps.version_id')
    .select(['p.id', 'p.eid', 'p.kind', 'p.num', 'p.text', 'p.seq', 'd.id as document_id', 'd.symbol', 'd.language', 'v.title', 'v.version', 'v.date', 'v.kind as document_kind'])
    .where('p.id', 'in', ids);
}
type ResultRow = Awaited<ReturnType<ReturnType<typeof resultsQuery>['execute']>>[number];

/** Compiled once per database and number of ids (a page holds at most a few), as src/db/prepared.ts does. */
const compiledResults = new WeakMap<Q, Map<number, CompiledQuery<ResultRow>>>();

/** What a result shows: the paragraph, its document and its permalink parts. */
export async function paragraphsForResults(db: Q, ids: string[]): Promise<ResultRow[]> {
  if (ids.length === 0) return [];
  let byCount = compiledResults.get(db);
  if (!byCount) compiledResults.set(db, (byCount = new Map()));
  let query = byCount.get(ids.length);
  if (!query) {
    query = resultsQuery(db, ids.map(() => '')).compile();
    if (query.parameters.length !== ids.length) throw new Error('paragraphsForResults: parameter count differs');
    byCount.set(ids.length, query);
  }
  return (await db.executeQuery<ResultRow>({ ...query, parameters: ids })).rows;
}

/** Ids of the documents a filter names: a symbol (any language) or an id. */
export async function documentIdsFor(db: Q, ref: string): Promise<string[]> {
  const rows = await db
    .selectFrom('document')
    .select('id')
    .where((eb) => eb.or([eb('symbol', '=', ref.toUpperCase()), eb('id', '=', ref)]))
    .execute();
  return rows.map((r) => r.id);
}
