import type { Kysely } from 'kysely';

// Frozen in time: never imports application code. A regional organisation's directory as the
// Secretariat uploaded it, kept server-side between the preview and the confirmation so the
// confirmation applies exactly the file that was previewed.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('directory_import')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('organisation_id', 'varchar(16)', (c) => c.notNull().references('regional_organisation.id'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    // 'csv' or 'json'
    .addColumn('format', 'varchar(8)', (c) => c.notNull())
    // The file's text, as uploaded.
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('created_by', 'varchar(36)', (c) => c.references('app_user.id'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('applied_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('directory_import_org_idx').on('directory_import').columns(['organisation_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('directory_import').execute();
}
