import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

export interface RateResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

/**
 * Counts one hit on `key` in a fixed window kept in the database, so every server process shares
 * the counter. One statement: insert, or reset an expired window, or increment.
 */
export async function hitRateLimit(db: Kysely<Database>, key: string, limit: number, windowSeconds: number): Promise<RateResult> {
  const now = Date.now();
  const nowIso = new Date(now).toISOString();
  const windowFloor = new Date(now - windowSeconds * 1000).toISOString();
  const row = await db
    .insertInto('rate_limit')
    .values({ key, window_start: nowIso, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql`CASE WHEN rate_limit.window_start < ${windowFloor} THEN 1 ELSE rate_limit.count + 1 END`,
        window_start: sql`CASE WHEN rate_limit.window_start < ${windowFloor} THEN ${nowIso} ELSE rate_limit.window_start END`,
      }),
    )
    .returning(['count', 'window_start'])
    .executeTakeFirstOrThrow();
  const windowEnds = Date.parse(row.window_start) + windowSeconds * 1000;
  return {
    allowed: row.count <= limit,
    count: row.count,
    retryAfterSeconds: Math.max(1, Math.ceil((windowEnds - now) / 1000)),
  };
}

const LOCK_AFTER = 5;
const MAX_LOCK_SECONDS = 15 * 60;

/** Seconds the sign-in for `key` is locked for, or 0. */
export async function signInLockedFor(db: Kysely<Database>, key: string): Promise<number> {
  const row = await db.selectFrom('sign_in_throttle').select('locked_until').where('key', '=', key).executeTakeFirst();
  if (!row?.locked_until) return 0;
  const ms = Date.parse(row.locked_until) - Date.now();
  return ms > 0 ? Math.ceil(ms / 1000) : 0;
}

/**
 * A failure grows the delay: after five in a row the account waits 1 s, then 2, 4, 8… up to 15 min.
 * Returns the lock in seconds now in force.
 */
export async function recordSignInFailure(db: Kysely<Database>, key: string): Promise<number> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('sign_in_throttle')
    .values({ key, failures: 1, locked_until: null, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ failures: sql`sign_in_throttle.failures + 1`, updated_at: now }))
    .returning('failures')
    .executeTakeFirstOrThrow();
  if (row.failures < LOCK_AFTER) return 0;
  const seconds = Math.min(2 ** (row.failures - LOCK_AFTER), MAX_LOCK_SECONDS);
  await db
    .updateTable('sign_in_throttle')
    .set({ locked_until: new Date(Date.now() + seconds * 1000).toISOString() })
    .where('key', '=', key)
    .execute();
  return seconds;
}

export async function clearSignInFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', key).execute();
}
