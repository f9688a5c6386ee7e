import type { Kysely } from 'kysely';
import type { Database, RegionalOrganisationTable } from '../../db/schema.ts';
import { referenceCache } from '../../db/reference-cache.ts';

/** The regional organisations; re-read at most once a minute (they change only at `cadre migrate`). */
export const listRegionalOrganisations: (db: Kysely<Database>) => Promise<RegionalOrganisationTable[]> = referenceCache((db) =>
  db.selectFrom('regional_organisation').selectAll().orderBy('id').execute(),
);

export function listMemberships(db: Kysely<Database>, organisationId?: string) {
  let q = db.selectFrom('regional_membership').selectAll().orderBy('organisation_id').orderBy('state_iso3');
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  return q.execute();
}
