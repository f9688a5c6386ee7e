import type { Kysely } from 'kysely';
import type { Database, StateTable } from '../../db/schema.ts';

export function listStates(db: Kysely<Database>): Promise<StateTable[]> {
  return db.selectFrom('state').selectAll().orderBy('name_en').execute();
}

export function findState(db: Kysely<Database>, iso3: string): Promise<StateTable | undefined> {
  return db.selectFrom('state').selectAll().where('iso3', '=', iso3.toUpperCase()).executeTakeFirst();
}
