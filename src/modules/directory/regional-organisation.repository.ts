import type { Kysely } from 'kysely';
import type { Database, RegionalOrganisationTable } from '../../db/schema.ts';

// The regional organisations change only when `cadre migrate` refreshes them; as with the Member
// States, a process re-reads them at most once a minute. No other process depends on this copy.
const TTL_MS = 60_000;
const cache = new WeakMap<Kysely<Database>, { at: number; organisations: Promise<RegionalOrganisationTable[]> }>();

export function listRegionalOrganisations(db: Kysely<Database>): Promise<RegionalOrganisationTable[]> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.organisations;
  const organisations = db.selectFrom('regional_organisation').selectAll().orderBy('id').execute();
  cache.set(db, { at: Date.now(), organisations });
  organisations.catch(() => cache.delete(db));
  return organisations;
}

export function listMemberships(db: Kysely<Database>, organisationId?: string) {
  let q = db.selectFrom('regional_membership').selectAll().orderBy('organisation_id').orderBy('state_iso3');
  if (organisationId) q = q.where('organisation_id', '=', organisationId);
  return q.execute();
}
