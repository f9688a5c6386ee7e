import type { Kysely } from 'kysely';

// Frozen in time: never imports application code. The global directory of points of contact
// (A/77/275 annex, para 16 a–b): entries, their addresses, their history, and what each entry
// consents to share with which regional organisation.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('poc')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('state_iso3', 'varchar(3)', (c) => c.notNull().references('state.iso3'))
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('rank', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('organisation', 'text', (c) => c.notNull())
    // The account that proved control of the primary address by enrolling.
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('app_user.id'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    // JSON: phones [{number,label}], languages ["fr"], availability {always}|{always:false,hours}.
    .addColumn('phones', 'text', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
    .addColumn('availability', 'text', (c) => c.notNull())
    .addColumn('pgp_key', 'text')
    .addColumn('pgp_fingerprint', 'varchar(64)')
    .addColumn('pgp_expires_at', 'varchar(32)')
    .addColumn('notes', 'text', (c) => c.notNull())
    .addColumn('nomination_ref', 'text', (c) => c.notNull())
    .addColumn('nomination_date', 'varchar(10)', (c) => c.notNull())
    .addColumn('confirmed_until', 'varchar(32)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // Where the entry came from: 'un' (nominated here) or the regional organisation it was imported from.
    .addColumn('source', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('activated_at', 'varchar(32)')
    .addColumn('withdrawn_at', 'varchar(32)')
    .addColumn('reminded_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('poc_state_idx').on('poc').columns(['state_iso3', 'status']).execute();
  await db.schema.createIndex('poc_user_idx').on('poc').column('user_id').execute();
  await db.schema.createIndex('poc_confirmed_idx').on('poc').columns(['status', 'confirmed_until']).execute();

  await db.schema
    .createTable('poc_email')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('poc_id', 'varchar(36)', (c) => c.notNull().references('poc.id').onDelete('cascade'))
    .addColumn('state_iso3', 'varchar(3)', (c) => c.notNull())
    .addColumn('address', 'varchar(320)', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('verified_at', 'varchar(32)')
    // The address this one takes over from once verified (the old one is told, then retired).
    .addColumn('replaces_id', 'varchar(36)')
    .addColumn('token_hash', 'varchar(64)')
    .addColumn('token_expires_at', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('retired_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('poc_email_poc_idx').on('poc_email').column('poc_id').execute();
  await db.schema.createIndex('poc_email_address_idx').on('poc_email').columns(['state_iso3', 'address']).execute();
  await db.schema.createIndex('poc_email_token_idx').on('poc_email').column('token_hash').execute();

  await db.schema
    .createTable('poc_revision')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('poc_id', 'varchar(36)', (c) => c.notNull().references('poc.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('time', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor_id', 'varchar(36)')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('change', 'varchar(32)', (c) => c.notNull())
    .addColumn('nomination_ref', 'text')
    // JSON: the entry as it stood after the change.
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('poc_revision_poc_idx').on('poc_revision').columns(['poc_id', 'version']).execute();

  await db.schema
    .createTable('poc_consent')
    .addColumn('poc_id', 'varchar(36)', (c) => c.notNull().references('poc.id').onDelete('cascade'))
    .addColumn('organisation_id', 'varchar(16)', (c) => c.notNull().references('regional_organisation.id'))
    .addColumn('granted_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('granted_by', 'varchar(36)')
    .addPrimaryKeyConstraint('poc_consent_pk', ['poc_id', 'organisation_id'])
    .execute();
  await db.schema.createIndex('poc_consent_org_idx').on('poc_consent').column('organisation_id').execute();

  // A regional organisation's API client belongs to its organisation, not to a State.
  await db.schema
    .alterTable('app_user')
    .addColumn('organisation_id', 'varchar(16)', (c) => c.references('regional_organisation.id'))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('app_user').dropColumn('organisation_id').execute();
  for (const table of ['poc_consent', 'poc_revision', 'poc_email', 'poc']) await db.schema.dropTable(table).execute();
}
