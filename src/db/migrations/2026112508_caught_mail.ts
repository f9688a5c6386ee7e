import type { Kysely } from 'kysely';

// Frozen in time: never imports application code. The demo's mail catcher: messages Cadre sent
// while running `--demo` without SMTP_URL, kept so a newcomer can read them (the newest 500).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('caught_mail')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('received_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('mail_from', 'varchar(320)', (c) => c.notNull())
    // JSON array of the envelope's RCPT TO addresses.
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('message_id', 'varchar(998)')
    // The text and HTML parts, each cut at 200 KB.
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('html', 'text')
    .addColumn('raw_size', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('caught_mail_received_idx').on('caught_mail').columns(['received_at', 'id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('caught_mail').execute();
}
