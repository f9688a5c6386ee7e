import type { Kysely } from 'kysely';
import type { Database, StateTable } from '../../db/schema.ts';

// The Member States change only when `cadre migrate` refreshes them; a process re-reads them at
// most once a minute. No other process depends on this copy.
const TTL_MS = 60_000;
const cache = new WeakMap<Kysely<Database>, { at: number; states: Promise<StateTable[]> }>();

export function listStates(db: Kysely<Database>): Promise<StateTable[]> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.states;
  const states = db.selectFrom('state').selectAll().orderBy('name_en').execute();
  cache.set(db, { at: Date.now(), states });
  states.catch(() => cache.delete(db));
  return states;
}

export async function findState(db: Kysely<Database>, iso3: string): Promise<StateTable | undefined> {
  const code = iso3.toUpperCase();
  return (await listStates(db)).find((s) => s.iso3 === code);
}
