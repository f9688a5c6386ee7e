import type { Kysely } from 'kysely';
import { openDatabase, type Db } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { ensureSearchIndex } from '../modules/library/search/search.repository.ts';
import type { Database } from '../db/schema.ts';
import { BackupError, inspectBackupFile, readBackupFile, type BackupHeader, type Cell, type TableSection } from './backup-file.ts';
import {
  applicationTables,
  appliedMigrations,
  countRows,
  deleteAllRows,
  insertRows,
  lockTables,
  type ApplicationTable,
} from './backup.repository.ts';

export interface RestoreOptions {
  /** Replace a database that already holds data. */
  force?: boolean;
}

export interface RestoreReport {
  header: BackupHeader;
  /** Rows restored per table, in the file's order. */
  rows: Record<string, number>;
}

/** Below both engines' limit on parameters in one statement (SQLite 32766, PostgreSQL 65535). */
const MAX_PARAMETERS = 30_000;
const MAX_BATCH_ROWS = 500;

/**
 * Replaces the content of `database` with the backup at `path`, all or nothing:
 *  1. the whole file is read and checked (structure, row counts, checksum) before the database
 *     is touched, so a damaged file changes nothing, not even the schema;
 *  2. the database is migrated, and the backup refused if it needs a migration this build lacks;
 *  3. in ONE transaction: refuse if the database holds data (unless `force`), empty every
 *     application table, insert the backup's rows parents first, check the counts. The file is
 *     read and its checksum checked again as it is inserted; any failure rolls everything back.
 * A backup from an older build is restored into the current schema by column name: columns added
 * since take their defaults.
 */
export async function restoreBackup(database: Db, path: string, options: RestoreOptions = {}): Promise<RestoreReport> {
  const backup = await inspectBackupFile(path);
  await migrate(database);
  const known = new Set(await appliedMigrations(database.db, database.location));
  const unknown = backup.header.migrations.filter((m) => !known.has(m));
  if (unknown.length) {
    throw new BackupError(`${path} comes from a newer Cadre: migration ${unknown.join(', ')} is unknown to this one; restore it with that version or later`);
  }
  const tables = await applicationTables(database.db, database.engine);
  const byName = new Map(tables.map((t) => [t.name, t]));
  for (const s of backup.sections) checkFits(path, s, byName.get(s.table));
  const baseline = await freshRowCounts();

  return database.db.transaction().execute(async (trx) => {
    await lockTables(trx, database.engine, tables.map((t) => t.name));
    if (!options.force) {
      const holding = await tablesHoldingData(trx, tables, baseline);
      if (holding.length) {
        throw new BackupError(
          `the ${database.engine} database at ${database.location} already holds data (${holding.join(', ')}); ` +
            'a restore replaces all of it: use --force to do so',
        );
      }
    }
    for (const t of [...tables].reverse()) await deleteAllRows(trx, t.name);

    let section: TableSection | undefined;
    let batch: Cell[][] = [];
    let batchRows = MAX_BATCH_ROWS;
    const flush = async () => {
      if (section && batch.length) await insertRows(trx, section.table, section.columns, batch);
      batch = [];
    };
    let rows: Record<string, number> = {};
    for await (const record of readBackupFile(path)) {
      if (record.kind === 'table') {
        await flush();
        // Checked again: the file could have been replaced since it was inspected.
        checkFits(path, record.section, byName.get(record.section.table));
        section = record.section;
        batchRows = Math.max(1, Math.min(MAX_BATCH_ROWS, Math.floor(MAX_PARAMETERS / section.columns.length)));
      } else if (record.kind === 'row') {
        batch.push(record.values);
        if (batch.length >= batchRows) await flush();
      } else if (record.kind === 'end') {
        await flush();
        rows = record.rows;
      }
    }
    for (const t of tables) {
      const count = await countRows(trx, t.name);
      if (count !== (rows[t.name] ?? 0)) throw new Error(`${t.name}: ${count} rows after restore, ${rows[t.name] ?? 0} in ${path}`);
    }
    // The search index is derived, never in a backup: rebuilt from the restored paragraphs.
    await ensureSearchIndex(trx);
    return { header: backup.header, rows };
  });
}

function checkFits(path: string, section: TableSection, table: ApplicationTable | undefined): void {
  if (!table) throw new BackupError(`${path} holds table ${section.table}, which this database does not have`);
  const missing = section.columns.filter((c) => !table.columns.includes(c));
  if (missing.length) throw new BackupError(`${path} holds ${section.table}.${missing.join(', ')}, which this database does not have`);
}

/**
 * A database "holds data" when some table has more rows than a freshly migrated one: migrations
 * and reference data (the Member States, the audit chain's genesis head) do not count, so a
 * restore goes into a new installation without --force.
 */
async function tablesHoldingData(db: Kysely<Database>, tables: readonly ApplicationTable[], baseline: ReadonlyMap<string, number>): Promise<string[]> {
  const holding: string[] = [];
  for (const t of tables) {
    const count = await countRows(db, t.name);
    if (count > (baseline.get(t.name) ?? 0)) holding.push(`${t.name}: ${count} row${count === 1 ? '' : 's'}`);
  }
  return holding;
}

let baselineCounts: Promise<Map<string, number>> | undefined;

/** Row counts of a brand-new database of this build, made once in memory (migrations are valid on both engines). */
function freshRowCounts(): Promise<Map<string, number>> {
  baselineCounts ??= (async () => {
    const fresh = openDatabase({ dataDir: '.', sqliteFile: ':memory:' });
    try {
      await migrate(fresh);
      const counts = new Map<string, number>();
      for (const t of await applicationTables(fresh.db, fresh.engine)) counts.set(t.name, await countRows(fresh.db, t.name));
      return counts;
    } finally {
      await fresh.close();
    }
  })().catch((e: unknown) => {
    baselineCounts = undefined;
    throw e;
  });
  return baselineCounts;
}
