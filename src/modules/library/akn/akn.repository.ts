import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';

/** For cited symbols held in the library: what their Work IRI is built from (latest version). */
export function worksBySymbols(db: Kysely<Database>, symbols: string[]) {
  if (symbols.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('document')
    .innerJoin('document_version', (j) =>
      j.onRef('document_version.document_id', '=', 'document.id').onRef('document_version.version', '=', 'document.latest_version'),
    )
    .select(['document.id', 'document.symbol', 'document_version.kind', 'document_version.date', 'document_version.ingested_at'])
    .where('document.symbol', 'in', symbols)
    .orderBy('document.language')
    .execute();
}
