import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';

/** Every citation made by the latest version of each document: who cites what, from which paragraph. */
export function latestCitations(db: Kysely<Database>) {
  return db
    .selectFrom('citation')
    .innerJoin('document_version', 'document_version.id', 'citation.version_id')
    .innerJoin('document', (j) =>
      j.onRef('document.id', '=', 'document_version.document_id').onRef('document.latest_version', '=', 'document_version.version'),
    )
    .select(['document.id as document_id', 'citation.paragraph_eid', 'citation.target_symbol'])
    .orderBy('document.id')
    .orderBy('citation.paragraph_eid')
    .execute();
}
