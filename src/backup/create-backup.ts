import type { Db } from '../db/database.ts';
import { BACKUP_FORMAT, BACKUP_VERSION, writeBackupFile, type BackupHeader, type TableSource } from './backup-file.ts';
import { applicationTables, appliedMigrations, readRowPages } from './backup.repository.ts';

export interface BackupReport {
  header: BackupHeader;
  /** Rows written per table, in the file's order (parents first). */
  rows: Record<string, number>;
}

/**
 * Writes every application table of `database` to `path`. The database is read as it is, never
 * migrated: a backup taken before an upgrade must show the data as the old version left it.
 * All reads share one snapshot (a read transaction; REPEATABLE READ on PostgreSQL), so a server
 * writing meanwhile cannot leave, say, a session whose user is missing from the file.
 */
export async function createBackup(database: Db, path: string): Promise<BackupReport> {
  return database.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const header: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_VERSION,
        createdAt: new Date().toISOString(),
        engine: database.engine,
        migrations: await appliedMigrations(trx, database.location),
      };
      const tables = await applicationTables(trx, database.engine);
      async function* sources(): AsyncGenerator<TableSource> {
        for (const t of tables) yield { table: t.name, columns: t.columns, pages: readRowPages(trx, t) };
      }
      const rows = await writeBackupFile(path, header, sources());
      return { header, rows };
    });
}
