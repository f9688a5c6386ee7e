import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: never imports application code. Valid on SQLite and PostgreSQL.
// Full-text search over the paragraphs of each document's latest version. `stems` holds the
// paragraph's index terms (lower-cased, folded, Snowball-stemmed, space-separated), made by the
// application: SQL cannot stem, so paragraphs ingested before this migration are indexed at
// start-up (ensureSearchIndex, after migrate), not here.
//
// SQLite: an external-content FTS5 table over `stems`, kept in step by triggers. Its tokenizer
// does not fold diacritics (remove_diacritics 0): folding is done once, before stemming, by the
// application for both engines, and a second fold by SQLite alone (й → и) would make the engines
// disagree. PostgreSQL: a generated tsvector of the same terms ('simple': no further analysis)
// with a GIN index.

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = await isPostgres(db);
  let table = db.schema
    .createTable('paragraph_search')
    .addColumn('paragraph_id', 'varchar(36)', (c) => c.primaryKey().references('paragraph.id').onDelete('cascade'))
    .addColumn('version_id', 'varchar(36)', (c) => c.notNull().references('document_version.id').onDelete('cascade'))
    .addColumn('document_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('language', 'varchar(2)', (c) => c.notNull())
    .addColumn('kind', 'varchar(32)', (c) => c.notNull())
    .addColumn('year', 'integer')
    .addColumn('paragraph_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('stems', 'text', (c) => c.notNull());
  if (postgres) table = table.addColumn('tsv', sql`tsvector`, (c) => c.generatedAlwaysAs(sql`to_tsvector('simple', stems)`).stored());
  await table.execute();
  await db.schema.createIndex('paragraph_search_version_idx').on('paragraph_search').column('version_id').execute();
  await db.schema.createIndex('paragraph_search_document_idx').on('paragraph_search').column('document_id').execute();

  if (postgres) {
    await sql`create index paragraph_search_tsv_idx on paragraph_search using gin (tsv)`.execute(db);
    return;
  }
  await sql`create virtual table paragraph_fts using fts5(stems, content='paragraph_search', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0')`.execute(db);
  await sql`create trigger paragraph_search_ai after insert on paragraph_search begin
    insert into paragraph_fts(rowid, stems) values (new.rowid, new.stems);
  end`.execute(db);
  await sql`create trigger paragraph_search_ad after delete on paragraph_search begin
    insert into paragraph_fts(paragraph_fts, rowid, stems) values ('delete', old.rowid, old.stems);
  end`.execute(db);
  await sql`create trigger paragraph_search_au after update on paragraph_search begin
    insert into paragraph_fts(paragraph_fts, rowid, stems) values ('delete', old.rowid, old.stems);
    insert into paragraph_fts(rowid, stems) values (new.rowid, new.stems);
  end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(await isPostgres(db))) {
    for (const t of ['paragraph_search_ai', 'paragraph_search_ad', 'paragraph_search_au']) await sql`drop trigger if exists ${sql.id(t)}`.execute(db);
    await sql`drop table if exists paragraph_fts`.execute(db);
  }
  await db.schema.dropTable('paragraph_search').execute();
}

async function isPostgres(db: Kysely<unknown>): Promise<boolean> {
  // Asked of the dialect, not by a failing query (which would abort PostgreSQL's transaction).
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
