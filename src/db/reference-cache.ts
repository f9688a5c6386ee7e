import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Reference data that changes only when `cadre migrate` refreshes it (the Member States, the
 * regional organisations): a process re-reads it at most once per `ttlMs`, per database. No other
 * process depends on this copy. A failed read is tried again next time rather than remembered.
 */
export function referenceCache<T>(load: (db: Kysely<Database>) => Promise<T>, ttlMs = 60_000): (db: Kysely<Database>) => Promise<T> {
  const cache = new WeakMap<Kysely<Database>, { at: number; value: Promise<T> }>();
  return (db) => {
    const hit = cache.get(db);
    if (hit && Date.now() - hit.at < ttlMs) return hit.value;
    const value = load(db);
    cache.set(db, { at: Date.now(), value });
    value.catch(() => cache.delete(db));
    return value;
  };
}
