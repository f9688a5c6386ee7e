import type { Transaction } from 'kysely';
import { newId, randomToken, sha256Hex } from '../../../auth/crypto.ts';
import type { Database, PocEmailTable, PocTable } from '../../../db/schema.ts';
import { CadreError } from '../../../errors.ts';
import { cadreNow, type Cadre } from '../../../web/types.ts';
import type { Language } from '../../../web/i18n.ts';
import { enqueueDirectoryMail, sealVerificationToken } from './directory.jobs.ts';
import * as repo from './poc.repository.ts';
import { record } from './poc.service.ts';

/** How long a verification link works. */
export const VERIFY_DAYS = 7;

/**
 * Sends a new address its single-use verification link (the address is used once its holder
 * follows it). Without SMTP the link is handed back, for the State's admin to deliver, as with
 * enrolment links.
 */
export async function issueVerification(trx: Transaction<Database>, cadre: Cadre, row: Pick<PocEmailTable, 'id' | 'poc_id'>, language: Language | undefined): Promise<string | null> {
  const token = randomToken();
  const expires = new Date(cadreNow(cadre).getTime() + VERIFY_DAYS * 86_400_000).toISOString();
  const hash = sha256Hex(token);
  await repo.updateEmail(trx, row.id, { token_hash: hash, token_expires_at: expires });
  const mailed = await enqueueDirectoryMail(
    trx,
    cadre,
    { kind: 'verify', emailId: row.id, pocId: row.poc_id, sealedToken: sealVerificationToken(cadre, row.id, token), language: language ?? null },
    `verify:${row.id}:${hash.slice(0, 16)}`,
  );
  return mailed ? null : `${cadre.config.baseUrl}/directory/verify/${token}`;
}

export interface PendingAddress {
  row: PocEmailTable;
  entry: PocTable;
}

/** The address a verification link is for, or a 410 saying why the link no longer works. */
export async function openVerification(cadre: Cadre, token: string): Promise<PendingAddress> {
  const db = cadre.database.db;
  const row = await db.selectFrom('poc_email').selectAll().where('token_hash', '=', sha256Hex(token)).executeTakeFirst();
  if (!row || row.retired_at) throw new CadreError(410, 'directory.verify.invalidLink');
  if (row.verified_at) throw new CadreError(410, 'directory.verify.usedLink');
  if (!row.token_expires_at || Date.parse(row.token_expires_at) <= cadreNow(cadre).getTime()) throw new CadreError(410, 'directory.verify.expiredLink');
  const entry = await repo.findPoc(db, row.poc_id);
  if (!entry || entry.status === 'withdrawn') throw new CadreError(410, 'directory.verify.invalidLink');
  return { row, entry };
}

/**
 * The holder of a new address proved it: the address is used from now on, the address it replaces
 * is retired and told of the change, and a new primary address becomes the account's sign-in.
 */
export async function verifyAddress(cadre: Cadre, token: string, ip: string | null): Promise<PocTable> {
  const { row, entry } = await openVerification(cadre, token);
  const at = cadreNow(cadre).toISOString();
  return cadre.database.db.transaction().execute(async (trx) => {
    const fresh = await trx.selectFrom('poc_email').select(['verified_at', 'token_hash']).where('id', '=', row.id).executeTakeFirst();
    if (!fresh || fresh.verified_at || fresh.token_hash !== row.token_hash) throw new CadreError(410, 'directory.verify.usedLink');
    await repo.updateEmail(trx, row.id, { verified_at: at, token_hash: null, token_expires_at: null });
    if (row.replaces_id) {
      const old = await trx.selectFrom('poc_email').selectAll().where('id', '=', row.replaces_id).executeTakeFirst();
      if (old && !old.retired_at) {
        await repo.updateEmail(trx, old.id, { retired_at: at });
        const user = await trx.selectFrom('app_user').select(['id', 'email', 'locale']).where('id', '=', entry.user_id).executeTakeFirst();
        await enqueueDirectoryMail(trx, cadre, { kind: 'changed', emailId: old.id, pocId: entry.id, language: user?.locale ?? null }, `changed:${old.id}`);
        // The account signs in with the primary address: it follows the entry's new one.
        if (user && user.email === old.address && !(await trx.selectFrom('app_user').select('id').where('email', '=', row.address).executeTakeFirst())) {
          await trx.updateTable('app_user').set({ email: row.address, updated_at: at }).where('id', '=', user.id).execute();
        }
      }
    }
    const updated: PocTable = { ...entry, version: entry.version + 1, updated_at: at };
    await repo.updatePocRow(trx, entry.id, { version: updated.version, updated_at: at });
    await record(trx, cadre, null, updated, 'emailVerified', at, { ip });
    return updated;
  });
}

/** A fresh id for an address row (kept here so the service and imports build rows alike). */
export function addressRow(entry: Pick<PocTable, 'id' | 'state_iso3' | 'updated_at'>, address: string, position: number, verifiedAt: string | null): PocEmailTable {
  return {
    id: newId(),
    poc_id: entry.id,
    state_iso3: entry.state_iso3,
    address,
    position,
    verified_at: verifiedAt,
    replaces_id: null,
    token_hash: null,
    token_expires_at: null,
    created_at: entry.updated_at,
    retired_at: null,
  };
}
