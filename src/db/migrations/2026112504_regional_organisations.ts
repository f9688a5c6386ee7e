import type { Kysely } from 'kysely';

// Frozen in time: never imports application code. Regional organisations and their members
// (A/77/275 annex, para 16 b: the global directory builds on the regional ones).

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('regional_organisation')
    .addColumn('id', 'varchar(16)', (c) => c.primaryKey())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('as_of', 'varchar(10)', (c) => c.notNull())
    // Members that are not UN Member States (Holy See, Palestine, the EU in the ARF…): JSON array of codes.
    .addColumn('non_un_members', 'text', (c) => c.notNull())
    .addColumn('notes', 'text')
    .addColumn('source', 'text')
    .execute();

  await db.schema
    .createTable('regional_membership')
    .addColumn('organisation_id', 'varchar(16)', (c) => c.notNull().references('regional_organisation.id').onDelete('cascade'))
    .addColumn('state_iso3', 'varchar(3)', (c) => c.notNull().references('state.iso3'))
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addPrimaryKeyConstraint('regional_membership_pk', ['organisation_id', 'state_iso3'])
    .execute();
  await db.schema.createIndex('regional_membership_state_idx').on('regional_membership').column('state_iso3').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('regional_membership').execute();
  await db.schema.dropTable('regional_organisation').execute();
}
