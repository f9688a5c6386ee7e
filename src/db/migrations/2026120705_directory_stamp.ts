import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code. Valid on SQLite and PostgreSQL.
// The directory's stamp: a random value that every change to what directory reads show (entries,
// their addresses and consents, regional memberships, Member States) replaces, through triggers,
// in the same transaction as the change. A process keeps the answers of directory reads while the
// stamp is the one they were read under. A random value rather than a counter: a stamp stands for
// one state of the data, so restoring a backup brings back its stamp with its data.

const WATCHED = ['poc', 'poc_email', 'poc_consent', 'regional_membership', 'state'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('directory_stamp')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('stamp', 'varchar(32)', (c) => c.notNull())
    .execute();
  await sql`insert into directory_stamp (id, stamp) values (1, 'initial')`.execute(db);
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`
      create function cadre_directory_changed() returns trigger language plpgsql as $$
      begin
        update directory_stamp set stamp = md5(random()::text || clock_timestamp()::text) where id = 1;
        return null;
      end $$`.execute(db);
    for (const table of WATCHED) {
      // Deferred to the end of the transaction: the stamp's row is locked last, after every other
      // lock the transaction takes, so two transactions never wait on each other through it.
      await sql`create constraint trigger ${sql.id(`${table}_stamps_directory`)} after insert or update or delete on ${sql.table(table)} deferrable initially deferred for each row execute function cadre_directory_changed()`.execute(db);
    }
    return;
  }
  for (const table of WATCHED) {
    for (const event of ['insert', 'update', 'delete']) {
      await sql`create trigger ${sql.id(`${table}_${event}_stamps_directory`)} after ${sql.raw(event)} on ${sql.table(table)} begin update directory_stamp set stamp = lower(hex(randomblob(8))) where id = 1; end`.execute(db);
    }
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    for (const table of WATCHED) await sql`drop trigger ${sql.id(`${table}_stamps_directory`)} on ${sql.table(table)}`.execute(db);
    await sql`drop function cadre_directory_changed()`.execute(db);
  } else {
    for (const table of WATCHED) for (const event of ['insert', 'update', 'delete']) await sql`drop trigger ${sql.id(`${table}_${event}_stamps_directory`)}`.execute(db);
  }
  await db.schema.dropTable('directory_stamp').execute();
}
