import type { Kysely, Transaction } from 'kysely';
import type { Database, Role, UserTable } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export function findUserById(db: Q, id: string): Promise<UserTable | undefined> {
  return db.selectFrom('app_user').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findUserByEmail(db: Q, email: string): Promise<UserTable | undefined> {
  return db.selectFrom('app_user').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export interface UserListFilter {
  state?: string | null | undefined;
  role?: Role | undefined;
  limit: number;
  offset: number;
}

export function listUsers(db: Q, f: UserListFilter): Promise<UserTable[]> {
  let q = db.selectFrom('app_user').selectAll().orderBy('email').limit(f.limit).offset(f.offset);
  if (f.state) q = q.where('state_iso3', '=', f.state);
  if (f.role) q = q.where('role', '=', f.role);
  return q.execute();
}

export async function insertUser(db: Q, user: UserTable): Promise<void> {
  await db.insertInto('app_user').values(user).execute();
}

export async function updateUser(db: Q, id: string, changes: Partial<Omit<UserTable, 'id'>>): Promise<void> {
  await db.updateTable('app_user').set(changes).where('id', '=', id).execute();
}

export async function insertInvitation(db: Q, row: Database['invitation']): Promise<void> {
  await db.insertInto('invitation').values(row).execute();
}

export function findInvitationById(db: Q, id: string) {
  return db.selectFrom('invitation').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The user's most recent invitation, open or not. */
export function findLatestInvitation(db: Q, userId: string) {
  return db.selectFrom('invitation').selectAll().where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}

export function findInvitation(db: Q, tokenHash: string) {
  return db.selectFrom('invitation').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Marks the invitation used only if it was still unused: the single-use guarantee under concurrency. */
export async function consumeInvitation(db: Q, id: string, at: string): Promise<boolean> {
  const r = await db.updateTable('invitation').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Any earlier open invitation of the user stops working when a new one is issued. */
export async function expireOpenInvitations(db: Q, userId: string, at: string): Promise<void> {
  await db.updateTable('invitation').set({ expires_at: at }).where('user_id', '=', userId).where('used_at', 'is', null).execute();
}

export async function replaceRecoveryCodes(db: Q, userId: string, hashes: string[]): Promise<void> {
  await db.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
  if (hashes.length === 0) return;
  await db
    .insertInto('recovery_code')
    .values(hashes.map((code_hash) => ({ id: crypto.randomUUID(), user_id: userId, code_hash, used_at: null })))
    .execute();
}

/** Records a TOTP time step as spent; false when it (or a later one) already was. */
export async function spendTotpStep(db: Q, userId: string, step: number): Promise<boolean> {
  const spent = await db.updateTable('app_user').set({ totp_last_step: step }).where('id', '=', userId).where('totp_last_step', '<', step).executeTakeFirst();
  return Number(spent.numUpdatedRows) === 1;
}

/** Uses a recovery code once; true when it was valid and unused. */
export async function useRecoveryCode(db: Q, userId: string, codeHash: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('recovery_code')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function countUnusedRecoveryCodes(db: Q, userId: string): Promise<number> {
  const r = await db
    .selectFrom('recovery_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
