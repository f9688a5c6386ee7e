import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { SESSION_USER_COLUMNS, type SessionUser } from './sessions.ts';
import { preparedQuery } from '../db/prepared.ts';
import { nowIso, sha256Hex } from './crypto.ts';

/** What an API token may be scoped to. Later modules add theirs here. */
export const API_SCOPES = ['states:read', 'directory:read', 'directory:write'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** Prefix makes a leaked token recognisable to secret scanners. */
export const TOKEN_PREFIX = 'cadre_';

// Runs on every API request with a token: compiled once.
const selectToken = preparedQuery(
  (db, hash: string) =>
    db
      .selectFrom('api_token')
      .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
      .select([...SESSION_USER_COLUMNS, 'api_token.id as token_id', 'api_token.scopes', 'api_token.expires_at', 'api_token.revoked_at', 'api_token.last_used_at'])
      .where('api_token.token_hash', '=', hash),
  [''],
);

export async function lookupApiToken(db: Kysely<Database>, token: string): Promise<{ user: SessionUser; scopes: string[]; tokenId: string } | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const [row] = await selectToken(db, sha256Hex(token));
  if (!row || row.revoked_at || row.status !== 'active') return null;
  if (row.expires_at && Date.parse(row.expires_at) <= Date.now()) return null;
  if (!row.last_used_at || Date.now() - Date.parse(row.last_used_at) > 60_000) {
    await db.updateTable('api_token').set({ last_used_at: nowIso() }).where('id', '=', row.token_id).execute();
  }
  const { token_id, scopes, expires_at: _e, revoked_at: _r, last_used_at: _l, ...user } = row;
  return { user, scopes: scopes.split(' ').filter(Boolean), tokenId: token_id };
}
