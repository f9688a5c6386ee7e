import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.ts';

type Db = Kysely<Database>;

/** Regional organisations a State belongs to (member or associate; not suspended, not former), by id. */
export async function organisationsOfState(db: Db, state: string): Promise<string[]> {
  const rows = await db
    .selectFrom('regional_membership')
    .select('organisation_id')
    .where('state_iso3', '=', state)
    .where('status', 'in', ['member', 'associate'])
    .orderBy('organisation_id')
    .execute();
  return rows.map((r) => r.organisation_id);
}

/** Replaces what an entry consents to share: the rows of `organisations`, and only those. */
export async function replaceConsents(db: Db, pocId: string, organisations: readonly string[], at: string, by: string | null): Promise<void> {
  await db.deleteFrom('poc_consent').where('poc_id', '=', pocId).execute();
  if (organisations.length === 0) return;
  await db
    .insertInto('poc_consent')
    .values(organisations.map((organisation_id) => ({ poc_id: pocId, organisation_id, granted_at: at, granted_by: by })))
    .execute();
}
