import type { Kysely } from 'kysely';

// Frozen in time: never imports application code. Communication checks ("ping tests",
// A/77/275 annex, para 16 c): campaigns, and one target per point of contact checked.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('check_campaign')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    // 'routine' or 'exercise'
    .addColumn('mode', 'varchar(16)', (c) => c.notNull())
    // JSON: { kind?, group?, organisation?, states? } — what the Secretariat chose; empty = every active POC.
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('deadline_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('target_count', 'integer', (c) => c.notNull())
    // JSON: hours before the deadline when unanswered POCs are reminded, e.g. [24].
    .addColumn('reminders', 'text', (c) => c.notNull())
    // A recurring campaign starts again this many months after it started (null: once).
    .addColumn('recurrence_months', 'integer')
    .addColumn('next_run_at', 'varchar(32)')
    // Set when the deadline has passed and the follow-up (grades, States told) is done.
    .addColumn('closed_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('check_campaign_next_idx').on('check_campaign').column('next_run_at').execute();
  await db.schema.createIndex('check_campaign_created_idx').on('check_campaign').column('created_at').execute();

  await db.schema
    .createTable('check_target')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('campaign_id', 'varchar(36)', (c) => c.notNull().references('check_campaign.id').onDelete('cascade'))
    .addColumn('poc_id', 'varchar(36)', (c) => c.notNull().references('poc.id'))
    .addColumn('state_iso3', 'varchar(3)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    // The address the check went to, as it was when the campaign started.
    .addColumn('address', 'varchar(320)', (c) => c.notNull())
    .addColumn('language', 'varchar(8)', (c) => c.notNull())
    // queued → sent | undeliverable; acknowledged (by link, reply or portal)
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('sent_at', 'varchar(32)')
    .addColumn('acknowledged_at', 'varchar(32)')
    .addColumn('channel', 'varchar(16)')
    .addColumn('failure', 'text')
    .execute();
  await db.schema.createIndex('check_target_campaign_idx').on('check_target').columns(['campaign_id', 'status']).execute();
  await db.schema.createIndex('check_target_poc_idx').on('check_target').columns(['poc_id', 'acknowledged_at']).execute();

  // Every entry carries the result of its checks, for all who may see it: verified, overdue,
  // suspect (bounced, or silent twice), invalid (undeliverable twice); null until first checked.
  await db.schema.alterTable('poc').addColumn('check_grade', 'varchar(16)').execute();
  await db.schema.alterTable('poc').addColumn('check_verified_at', 'varchar(32)').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('poc').dropColumn('check_verified_at').execute();
  await db.schema.alterTable('poc').dropColumn('check_grade').execute();
  await db.schema.dropTable('check_target').execute();
  await db.schema.dropTable('check_campaign').execute();
}
