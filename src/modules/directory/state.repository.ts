import type { Kysely } from 'kysely';
import type { Database, StateTable } from '../../db/schema.ts';
import { referenceCache } from '../../db/reference-cache.ts';

/** The Member States, by English name; re-read at most once a minute (they change only at `cadre migrate`). */
export const listStates: (db: Kysely<Database>) => Promise<StateTable[]> = referenceCache((db) => db.selectFrom('state').selectAll().orderBy('name_en').execute());

export async function findState(db: Kysely<Database>, iso3: string): Promise<StateTable | undefined> {
  const code = iso3.toUpperCase();
  return (await listStates(db)).find((s) => s.iso3 === code);
}
