import { DEFAULT_MIGRATION_TABLE, sql, type Kysely } from 'kysely';
import type { Engine } from '../db/database.ts';
import type { Database } from '../db/schema.ts';
import { BackupError, type Cell } from './backup-file.ts';
import { parentsFirst } from './table-order.ts';

// Every table is handled by name, found by introspection, so a table added by a later migration
// is backed up without a change here. Identifiers go through sql.id, values as parameters.

export interface ApplicationTable {
  name: string;
  /** In the database's own column order. */
  columns: string[];
  primaryKey: string[];
  /** Tables referenced by this one's foreign keys. */
  parents: string[];
}

interface TableColumn {
  table: string;
  column: string;
}

interface TableLink {
  table: string;
  parent: string;
}

/**
 * Derived tables, never backed up: the search index (its table, and SQLite's FTS5 tables), rebuilt
 * at start-up; the directory's stamp, which the restored rows' triggers replace.
 */
const DERIVED = /^(paragraph_(search|fts)|directory_stamp$)/;

/**
 * Every application table, parents before children. Kysely's migration bookkeeping is left out:
 * a backup records the migration names instead, and the target's own migrations fill it.
 */
export async function applicationTables(db: Kysely<Database>, engine: Engine): Promise<ApplicationTable[]> {
  const schema = engine === 'postgres' ? (await sql<{ name: string }>`select current_schema() as name`.execute(db)).rows[0]?.name : undefined;
  const found = (await db.introspection.getTables({ withInternalKyselyTables: false })).filter(
    (t) => !t.isView && (schema === undefined || t.schema === schema) && !DERIVED.test(t.name),
  );
  const { primaryKeys, links } = engine === 'postgres' ? await postgresKeys(db) : await sqliteKeys(db);
  const tables = found.map((t) => {
    const primaryKey = primaryKeys.filter((k) => k.table === t.name).map((k) => k.column);
    // Keyset paging and a stable order need a key; every Cadre table has one.
    if (primaryKey.length === 0) throw new Error(`table ${t.name} has no primary key; a backup cannot page through it`);
    return {
      name: t.name,
      columns: t.columns.map((c) => c.name),
      primaryKey,
      parents: [...new Set(links.filter((l) => l.table === t.name).map((l) => l.parent))],
    };
  });
  return parentsFirst(tables);
}

async function sqliteKeys(db: Kysely<Database>) {
  const primaryKeys = await sql<TableColumn>`
    select m.name as "table", p.name as "column"
    from sqlite_master m join pragma_table_info(m.name) p
    where m.type = 'table' and p.pk > 0
    order by m.name, p.pk`.execute(db);
  const links = await sql<TableLink>`
    select m.name as "table", f."table" as "parent"
    from sqlite_master m join pragma_foreign_key_list(m.name) f
    where m.type = 'table'`.execute(db);
  return { primaryKeys: primaryKeys.rows, links: links.rows };
}

async function postgresKeys(db: Kysely<Database>) {
  const primaryKeys = await sql<TableColumn>`
    select c.relname as "table", a.attname as "column"
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
    where i.indisprimary and n.nspname = current_schema()
    order by c.relname, array_position(i.indkey::int2[], a.attnum)`.execute(db);
  const links = await sql<TableLink>`
    select c.relname as "table", p.relname as "parent"
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = current_schema()`.execute(db);
  return { primaryKeys: primaryKeys.rows, links: links.rows };
}

/** Names of the migrations applied to this database, in the order Kysely applies them (by name). */
export async function appliedMigrations(db: Kysely<Database>, location: string): Promise<string[]> {
  const tables = await db.introspection.getTables({ withInternalKyselyTables: true });
  if (!tables.some((t) => t.name === DEFAULT_MIGRATION_TABLE)) {
    throw new BackupError(`no Cadre database at ${location}: it has no migrations applied`);
  }
  const { rows } = await sql<{ name: string }>`select name from ${sql.id(DEFAULT_MIGRATION_TABLE)} order by name`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * The rows of a table a page at a time, in primary-key order, each in `columns` order. Paging by
 * key (not OFFSET) keeps every page query as cheap as the first on a large table.
 */
export async function* readRowPages(db: Kysely<Database>, table: ApplicationTable, pageSize = 1000): AsyncGenerator<Cell[][]> {
  const columns = sql.join(table.columns.map((c) => sql.id(c)));
  const key = sql.join(table.primaryKey.map((c) => sql.id(c)));
  const keyIndexes = table.primaryKey.map((c) => table.columns.indexOf(c));
  let after: Cell[] | undefined;
  for (;;) {
    const where = after ? sql`where (${key}) > (${sql.join(after)})` : sql``;
    const { rows } = await sql<Record<string, Cell>>`
      select ${columns} from ${sql.id(table.name)} ${where} order by ${key} limit ${pageSize}`.execute(db);
    if (rows.length === 0) return;
    const page = rows.map((r) => table.columns.map((c) => r[c] as Cell));
    yield page;
    if (rows.length < pageSize) return;
    const last = page[page.length - 1]!;
    after = keyIndexes.map((i) => last[i]!);
  }
}

/** One multi-row INSERT; the caller keeps rows × columns under the engines' parameter limits. */
export async function insertRows(db: Kysely<Database>, table: string, columns: readonly string[], rows: readonly Cell[][]): Promise<void> {
  if (rows.length === 0) return;
  await sql`insert into ${sql.id(table)} (${sql.join(columns.map((c) => sql.id(c)))})
    values ${sql.join(rows.map((r) => sql`(${sql.join(r)})`))}`.execute(db);
}

export async function deleteAllRows(db: Kysely<Database>, table: string): Promise<void> {
  await sql`delete from ${sql.id(table)}`.execute(db);
}

export async function countRows(db: Kysely<Database>, table: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from ${sql.id(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/**
 * On PostgreSQL, keeps every other connection (a server left running) away from the tables until
 * the restore commits. SQLite needs nothing: its first write takes the database's write lock.
 */
export async function lockTables(db: Kysely<Database>, engine: Engine, tables: readonly string[]): Promise<void> {
  if (engine !== 'postgres' || tables.length === 0) return;
  await sql`lock table ${sql.join(tables.map((t) => sql.id(t)))} in access exclusive mode`.execute(db);
}
