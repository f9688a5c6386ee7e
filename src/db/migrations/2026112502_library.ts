import type { Kysely } from 'kysely';

// Frozen in time: never imports application code. The document library: texts, their versions,
// paragraphs (with Akoma Ntoso eIds), footnotes, citations and the OCR corrections applied.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('document')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    // The UN symbol (A/RES/73/27); null for a text without one, which is then its own document.
    .addColumn('symbol', 'varchar(100)')
    .addColumn('language', 'varchar(2)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('document_symbol_language_idx').on('document').columns(['symbol', 'language']).unique().execute();

  await db.schema
    .createTable('document_version')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('document_id', 'varchar(36)', (c) => c.notNull().references('document.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('media_type', 'varchar(64)', (c) => c.notNull())
    .addColumn('original_text', 'text', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('session', 'varchar(32)')
    .addColumn('agenda_item', 'varchar(64)')
    .addColumn('date', 'varchar(10)')
    .addColumn('sponsors', 'text', (c) => c.notNull())
    .addColumn('warnings', 'text', (c) => c.notNull())
    .addColumn('paragraph_count', 'integer', (c) => c.notNull())
    .addColumn('ingested_by', 'text', (c) => c.notNull())
    .addColumn('ingested_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('document_version_doc_idx').on('document_version').columns(['document_id', 'version']).unique().execute();

  await db.schema
    .createTable('paragraph')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('version_id', 'varchar(36)', (c) => c.notNull().references('document_version.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('eid', 'varchar(200)', (c) => c.notNull())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('num', 'varchar(32)')
    .addColumn('parent_eid', 'varchar(200)')
    .addColumn('opening_word', 'varchar(100)')
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('footnotes', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('paragraph_version_eid_idx').on('paragraph').columns(['version_id', 'eid']).unique().execute();
  await db.schema.createIndex('paragraph_version_seq_idx').on('paragraph').columns(['version_id', 'seq']).execute();

  await db.schema
    .createTable('footnote')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('version_id', 'varchar(36)', (c) => c.notNull().references('document_version.id').onDelete('cascade'))
    .addColumn('num', 'varchar(16)', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('paragraph_eid', 'varchar(200)')
    .execute();
  await db.schema.createIndex('footnote_version_idx').on('footnote').column('version_id').execute();

  await db.schema
    .createTable('citation')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('version_id', 'varchar(36)', (c) => c.notNull().references('document_version.id').onDelete('cascade'))
    .addColumn('paragraph_eid', 'varchar(200)', (c) => c.notNull())
    .addColumn('target_symbol', 'varchar(100)', (c) => c.notNull())
    .addColumn('verb', 'varchar(100)')
    .addColumn('target_paragraph', 'varchar(64)')
    .execute();
  await db.schema.createIndex('citation_version_idx').on('citation').column('version_id').execute();
  await db.schema.createIndex('citation_target_idx').on('citation').column('target_symbol').execute();

  await db.schema
    .createTable('correction')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('version_id', 'varchar(36)', (c) => c.notNull().references('document_version.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('rule', 'varchar(64)', (c) => c.notNull())
    .addColumn('original', 'text', (c) => c.notNull())
    .addColumn('corrected', 'text', (c) => c.notNull())
    .addColumn('offset', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('correction_version_idx').on('correction').column('version_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['correction', 'citation', 'footnote', 'paragraph', 'document_version', 'document']) {
    await db.schema.dropTable(table).execute();
  }
}
