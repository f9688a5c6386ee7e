import type { Kysely } from 'kysely';

// Frozen in time: never imports application code. POC-to-POC communications on agreed templates
// (A/RES/73/27 norms 1.8 and 1.11; A/68/98 para 26 c): threads between States, their messages
// (content encrypted at rest), each State's part in a thread, and what each reader has seen.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('message_thread')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('from_state', 'varchar(3)', (c) => c.notNull().references('state.iso3'))
    // The template that opened the thread.
    .addColumn('template', 'varchar(32)', (c) => c.notNull())
    .addColumn('urgency', 'varchar(16)', (c) => c.notNull())
    // The most restrictive TLP label of its messages.
    .addColumn('tlp', 'varchar(16)', (c) => c.notNull())
    // sent → acknowledged → answered → closed
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('hide_recipients', 'integer', (c) => c.notNull())
    .addColumn('exercise_id', 'varchar(36)')
    .addColumn('created_by', 'varchar(36)', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('ack_deadline_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('response_deadline_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_activity_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('message_count', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('message_thread_from_idx').on('message_thread').columns(['from_state', 'last_activity_at']).execute();

  await db.schema
    .createTable('thread_party')
    .addColumn('thread_id', 'varchar(36)', (c) => c.notNull().references('message_thread.id').onDelete('cascade'))
    .addColumn('state_iso3', 'varchar(3)', (c) => c.notNull().references('state.iso3'))
    // 'sender' or 'recipient'
    .addColumn('role', 'varchar(16)', (c) => c.notNull())
    // For a recipient State: which of its POCs are addressed (JSON: { kind } or { pocs: [ids] }).
    .addColumn('addressed', 'text', (c) => c.notNull())
    // not-assessed, in-progress, not-applicable, disputed, completed
    .addColumn('response_state', 'varchar(16)', (c) => c.notNull())
    .addColumn('response_reason', 'text')
    .addColumn('own_reference', 'varchar(100)')
    .addColumn('acknowledged_at', 'varchar(32)')
    .addColumn('answered_at', 'varchar(32)')
    .addColumn('alerted_at', 'varchar(32)')
    .addPrimaryKeyConstraint('thread_party_pk', ['thread_id', 'state_iso3'])
    .execute();
  await db.schema.createIndex('thread_party_state_idx').on('thread_party').columns(['state_iso3', 'thread_id']).execute();

  await db.schema
    .createTable('message')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('thread_id', 'varchar(36)', (c) => c.notNull().references('message_thread.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('template', 'varchar(32)', (c) => c.notNull())
    .addColumn('author_id', 'varchar(36)', (c) => c.references('app_user.id'))
    .addColumn('author_state', 'varchar(3)', (c) => c.notNull())
    .addColumn('tlp', 'varchar(16)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    // The template's fields as JSON, encrypted at rest (see src/crypto/content.ts).
    .addColumn('content', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('message_thread_seq_idx').on('message').columns(['thread_id', 'seq']).unique().execute();

  await db.schema
    .createTable('thread_read')
    .addColumn('thread_id', 'varchar(36)', (c) => c.notNull().references('message_thread.id').onDelete('cascade'))
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('seen_seq', 'integer', (c) => c.notNull())
    .addColumn('seen_at', 'varchar(32)', (c) => c.notNull())
    .addPrimaryKeyConstraint('thread_read_pk', ['thread_id', 'user_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['thread_read', 'message', 'thread_party', 'message_thread']) await db.schema.dropTable(table).execute();
}
