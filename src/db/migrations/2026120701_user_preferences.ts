import type { Kysely } from 'kysely';

// Frozen in time: never imports application code. A user's own time zone (IANA name), in which
// every page shows instants such as message deadlines (stored as UTC); null shows them in UTC.
// The language preference already has its column (app_user.locale).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('app_user').addColumn('time_zone', 'varchar(64)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('app_user').dropColumn('time_zone').execute();
}
