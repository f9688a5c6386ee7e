import type { Kysely } from 'kysely';

// Frozen in time: never imports application code. Files attached to POC-to-POC messages (logs,
// indicator lists, reports): kept in the database beside their message, so that they commit, back
// up and restore with it, and encrypted at rest like the message itself; never in a web folder.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('message_attachment')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('message_id', 'varchar(36)', (c) => c.notNull().references('message.id').onDelete('cascade'))
    .addColumn('thread_id', 'varchar(36)', (c) => c.notNull().references('message_thread.id').onDelete('cascade'))
    .addColumn('file_name', 'varchar(255)', (c) => c.notNull())
    .addColumn('media_type', 'varchar(100)', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    // The bytes, base64, encrypted under the content key (c1 envelope bound to the attachment id).
    .addColumn('content', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('message_attachment_message_idx').on('message_attachment').columns(['message_id']).execute();
  await db.schema.createIndex('message_attachment_thread_idx').on('message_attachment').columns(['thread_id']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('message_attachment').execute();
}
