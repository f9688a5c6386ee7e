import type { Kysely } from 'kysely';
import type { CaughtMailTable, Database } from '../../db/schema.ts';

type Db = Kysely<Database>;

/** The catcher keeps this many messages; older ones go as new ones arrive. */
export const KEEP_CAUGHT_MAIL = 500;

export type CaughtMailSummary = Pick<CaughtMailTable, 'id' | 'received_at' | 'recipients' | 'subject'>;

/** Stores one message and deletes all but the newest KEEP_CAUGHT_MAIL, in one transaction. */
export async function insertCaughtMail(db: Db, row: CaughtMailTable, keep = KEEP_CAUGHT_MAIL): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('caught_mail').values(row).execute();
    const kept = trx.selectFrom('caught_mail').select('id').orderBy('received_at', 'desc').orderBy('id', 'desc').limit(keep);
    await trx.deleteFrom('caught_mail').where('id', 'not in', kept).execute();
  });
}

/** Newest first. */
export function listCaughtMail(db: Db, limit = KEEP_CAUGHT_MAIL): Promise<CaughtMailSummary[]> {
  return db.selectFrom('caught_mail').select(['id', 'received_at', 'recipients', 'subject']).orderBy('received_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export function findCaughtMail(db: Db, id: string): Promise<CaughtMailTable | undefined> {
  return db.selectFrom('caught_mail').selectAll().where('id', '=', id).executeTakeFirst();
}
