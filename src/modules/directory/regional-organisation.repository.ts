import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export function listRegionalOrganisations(db: Kysely<Database>) {
  return db.selectFrom('regional_organisation').selectAll().orderBy('id').execute();
}

export function listMemberships(db: Kysely<Database>, organisationId?: string) {
  let q = db.selectFrom('regional_membership').selectAll().orderBy('organisation_id').orderBy('state_iso3');
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  return q.execute();
}
