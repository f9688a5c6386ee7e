import type { Kysely } from 'kysely';
import type { Database, UserTable } from '../db/schema.ts';

/** What a request needs to know of its user: never the password hash or TOTP secret. */
export type SessionUser = Pick<UserTable, 'id' | 'email' | 'display_name' | 'role' | 'state_iso3' | 'organisation_id' | 'status' | 'locale' | 'time_zone'>;
export const SESSION_USER_COLUMNS = ['app_user.id', 'app_user.email', 'app_user.display_name', 'app_user.role', 'app_user.state_iso3', 'app_user.organisation_id', 'app_user.status', 'app_user.locale', 'app_user.time_zone'] as const;
import { nowIso, randomToken, sha256Hex } from './crypto.ts';
import { preparedQuery } from '../db/prepared.ts';

export interface SessionLimits {
  idleSeconds: number;
  absoluteSeconds: number;
}

/** Only touch last_seen_at once a minute, so reads stay reads. */
const TOUCH_AFTER_MS = 60_000;

export interface NewSession {
  /** The cookie value; the database holds only its hash. */
  token: string;
  id: string;
}

export async function createSession(
  db: Kysely<Database>,
  userId: string,
  limits: SessionLimits,
  client: { ip: string; userAgent: string },
): Promise<NewSession> {
  const token = randomToken();
  const id = sha256Hex(token);
  const now = nowIso();
  await db
    .insertInto('session')
    .values({
      id,
      user_id: userId,
      created_at: now,
      last_seen_at: now,
      expires_at: nowIso(limits.absoluteSeconds),
      ip: client.ip.slice(0, 64),
      user_agent: client.userAgent.slice(0, 300),
    })
    .execute();
  return { token, id };
}

// Runs on every request: compiled once.
const selectSession = preparedQuery(
  (db, id: string) =>
    db
      .selectFrom('session')
      .innerJoin('app_user', 'app_user.id', 'session.user_id')
      .select([...SESSION_USER_COLUMNS, 'session.last_seen_at', 'session.expires_at'])
      .where('session.id', '=', id),
  [''],
);

export type SessionLookup =
  | { status: 'valid'; sessionId: string; user: SessionUser }
  | { status: 'expired'; user: SessionUser }
  | { status: 'none' };

/** Resolves a cookie token to its active user, enforcing the idle and absolute timeouts. */
export async function lookupSession(db: Kysely<Database>, token: string, limits: SessionLimits): Promise<SessionLookup> {
  const id = sha256Hex(token);
  const [row] = await selectSession(db, id);
  if (!row) return { status: 'none' };
  const now = Date.now();
  const idleDeadline = Date.parse(row.last_seen_at) + limits.idleSeconds * 1000;
  if (now >= Date.parse(row.expires_at) || now >= idleDeadline || row.status !== 'active') {
    await db.deleteFrom('session').where('id', '=', id).execute();
    const { last_seen_at: _s, expires_at: _e, ...user } = row;
    return { status: 'expired', user };
  }
  if (now - Date.parse(row.last_seen_at) > TOUCH_AFTER_MS) {
    await db.updateTable('session').set({ last_seen_at: new Date(now).toISOString() }).where('id', '=', id).execute();
  }
  const { last_seen_at: _seen, expires_at: _expires, ...user } = row;
  return { status: 'valid', sessionId: id, user };
}

export async function destroySession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('session').where('id', '=', sessionId).execute();
}

/** "Sign out everywhere": every session of the user, returns how many ended. */
export async function destroyUserSessions(db: Kysely<Database>, userId: string): Promise<number> {
  const result = await db.deleteFrom('session').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listUserSessions(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('session')
    .select(['id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .orderBy('last_seen_at', 'desc')
    .execute();
}
