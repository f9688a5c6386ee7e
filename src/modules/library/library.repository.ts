import { CompiledQuery, PostgresAdapter, type Kysely, type Transaction } from 'kysely';
import type { Database, DocumentTable, DocumentVersionTable, ParagraphTable } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export function findVersionByHash(db: Q, contentHash: string) {
  return db
    .selectFrom('document_version')
    .innerJoin('document', 'document.id', 'document_version.document_id')
    .select(['document.id as document_id', 'document.symbol', 'document.language', 'document_version.version', 'document_version.id as version_id'])
    .where('document_version.content_hash', '=', contentHash)
    .executeTakeFirst();
}

export function findDocument(db: Q, symbol: string, language: string): Promise<DocumentTable | undefined> {
  return db.selectFrom('document').selectAll().where('symbol', '=', symbol).where('language', '=', language).executeTakeFirst();
}

export function findDocumentById(db: Q, id: string): Promise<DocumentTable | undefined> {
  return db.selectFrom('document').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertDocument(db: Q, row: DocumentTable): Promise<void> {
  await db.insertInto('document').values(row).execute();
}

export async function updateDocument(db: Q, id: string, changes: Partial<Omit<DocumentTable, 'id'>>): Promise<void> {
  await db.updateTable('document').set(changes).where('id', '=', id).execute();
}

export async function insertVersion(db: Q, row: DocumentVersionTable): Promise<void> {
  await db.insertInto('document_version').values(row).execute();
}

/**
 * Inserts rows in multi-row INSERTs that stay under both engines' bound-parameter limits. The SQL
 * is written here rather than through Kysely's builder, whose cost per value (a node per value,
 * frozen, then visited) exceeded the databases' own work on a bulk ingest. Every row has the
 * first row's keys; an undefined value is stored as NULL.
 */
export async function insertMany<T extends 'paragraph' | 'footnote' | 'citation' | 'correction' | 'paragraph_search'>(
  db: Q,
  table: T,
  rows: Database[T][],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0] as object);
  const size = Math.max(1, Math.floor(30000 / columns.length / 10));
  const numbered = db.getExecutor().adapter instanceof PostgresAdapter;
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  for (let i = 0; i < rows.length; i += size) {
    const parameters: unknown[] = [];
    const tuples: string[] = [];
    for (const row of rows.slice(i, i + size) as unknown as Record<string, unknown>[]) {
      const marks: string[] = [];
      for (const c of columns) {
        parameters.push(row[c] ?? null);
        marks.push(numbered ? `$${parameters.length}` : '?');
      }
      tuples.push(`(${marks.join(', ')})`);
    }
    await db.executeQuery(CompiledQuery.raw(head + tuples.join(', '), parameters));
  }
}

export interface DocumentFilter {
  kind?: string | undefined;
  language?: string | undefined;
  year?: string | undefined;
}

/** Each document with the facts of its latest version. */
export function listDocuments(db: Q, f: DocumentFilter) {
  let q = db
    .selectFrom('document')
    .innerJoin('document_version', (j) =>
      j.onRef('document_version.document_id', '=', 'document.id').onRef('document_version.version', '=', 'document.latest_version'),
    )
    .select([
      'document.id',
      'document.symbol',
      'document.language',
      'document.kind',
      'document.title',
      'document.latest_version',
      'document_version.date',
      'document_version.session',
      'document_version.paragraph_count',
      'document_version.ingested_at',
    ])
    .orderBy('document_version.date', 'desc')
    .orderBy('document.symbol');
  if (f.kind) q = q.where('document.kind', '=', f.kind);
  if (f.language) q = q.where('document.language', '=', f.language);
  if (f.year) q = q.where('document_version.date', 'like', `${f.year}-%`);
  return q.execute();
}

export function findVersion(db: Q, documentId: string, version: number): Promise<DocumentVersionTable | undefined> {
  return db.selectFrom('document_version').selectAll().where('document_id', '=', documentId).where('version', '=', version).executeTakeFirst();
}

export function listVersions(db: Q, documentId: string) {
  return db
    .selectFrom('document_version')
    .select(['id', 'version', 'content_hash', 'source_name', 'ingested_at', 'ingested_by', 'paragraph_count'])
    .where('document_id', '=', documentId)
    .orderBy('version', 'desc')
    .execute();
}

export function paragraphsOf(db: Q, versionId: string): Promise<ParagraphTable[]> {
  return db.selectFrom('paragraph').selectAll().where('version_id', '=', versionId).orderBy('seq').execute();
}

/** A version's footnotes in their printed order (1, 2, … 10; numbers are stored as text). */
export async function footnotesOf(db: Q, versionId: string) {
  const rows = await db.selectFrom('footnote').select(['num', 'text', 'paragraph_eid']).where('version_id', '=', versionId).execute();
  const collator = new Intl.Collator('en', { numeric: true });
  return rows.sort((a, b) => collator.compare(a.num, b.num));
}

export function citationsOf(db: Q, versionId: string) {
  return db.selectFrom('citation').select(['paragraph_eid', 'target_symbol', 'verb', 'target_paragraph']).where('version_id', '=', versionId).execute();
}

export function correctionsOf(db: Q, versionId: string) {
  return db.selectFrom('correction').select(['seq', 'rule', 'original', 'corrected', 'offset']).where('version_id', '=', versionId).orderBy('seq').execute();
}

/** Latest versions of other documents that cite `symbol`, with the citing paragraph. */
export function citedBy(db: Q, symbol: string) {
  return db
    .selectFrom('citation')
    .innerJoin('document_version', 'document_version.id', 'citation.version_id')
    .innerJoin('document', (j) =>
      j.onRef('document.id', '=', 'document_version.document_id').onRef('document.latest_version', '=', 'document_version.version'),
    )
    .select(['document.id as document_id', 'document.symbol', 'document.language', 'document.title', 'citation.paragraph_eid', 'citation.verb', 'citation.target_paragraph'])
    .where('citation.target_symbol', '=', symbol)
    .orderBy('document.symbol')
    .execute();
}

/** Which cited symbols are in the library (same language first), to link them. */
export function documentsBySymbols(db: Q, symbols: string[]) {
  if (symbols.length === 0) return Promise.resolve([]);
  return db.selectFrom('document').select(['id', 'symbol', 'language']).where('symbol', 'in', symbols).execute();
}

/** Each language's document for these symbols with its latest version's id (the framework register's sources). */
export function latestVersionsBySymbols(db: Q, symbols: string[]) {
  if (symbols.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('document')
    .innerJoin('document_version', (j) =>
      j.onRef('document_version.document_id', '=', 'document.id').onRef('document_version.version', '=', 'document.latest_version'),
    )
    .select(['document.id as document_id', 'document.symbol', 'document.language', 'document_version.id as version_id', 'document_version.version', 'document_version.title', 'document_version.date'])
    .where('document.symbol', 'in', symbols)
    .execute();
}
