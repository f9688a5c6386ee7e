import type { Kysely, Transaction } from 'kysely';
import type { ApiTokenTable, Database } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type TokenRow = Omit<ApiTokenTable, 'token_hash'> & { email: string };

export function listTokens(db: Q, userId: string | null): Promise<TokenRow[]> {
  let q = db
    .selectFrom('api_token')
    .innerJoin('app_user', 'app_user.id', 'api_token.user_id')
    .select(['api_token.id', 'api_token.user_id', 'api_token.name', 'api_token.scopes', 'api_token.created_at', 'api_token.expires_at', 'api_token.last_used_at', 'api_token.revoked_at', 'app_user.email'])
    .orderBy('api_token.created_at', 'desc');
  if (userId) q = q.where('api_token.user_id', '=', userId);
  return q.execute();
}

export function findToken(db: Q, id: string) {
  return db.selectFrom('api_token').select(['id', 'user_id', 'name', 'revoked_at']).where('id', '=', id).executeTakeFirst();
}

export async function insertToken(db: Q, row: ApiTokenTable): Promise<void> {
  await db.insertInto('api_token').values(row).execute();
}

export async function revokeToken(db: Q, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('api_token').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
