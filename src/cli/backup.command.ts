import { parseArgs } from 'node:util';
import { createBackup } from '../backup/create-backup.ts';
import { restoreBackup } from '../backup/restore-backup.ts';
import { openDatabase } from '../db/database.ts';
import type { CliIo, Command } from './main.ts';

// Failures (a damaged file, a database holding data…) are thrown with a message written for the
// operator; main() prints it and exits 1.

export const backupCommand: Command = {
  name: 'backup',
  usage: 'backup FILE',
  summary: 'Write all data to FILE (gzip; restores on either engine); FILE must not exist',
  async run({ args, config, io }) {
    const { positionals } = parseArgs({ args, options: {}, allowPositionals: true, strict: true });
    const file = singleFile(io, backupCommand, positionals);
    if (!file) return 2;
    // Not open(): a backup reads the database as it is, never migrates it first.
    const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const report = await createBackup(database, file);
      io.out(`Backup of ${database.engine} ${database.location} written to ${file} (owner-only: it holds password hashes and TOTP secrets):`);
      printCounts(io, report.rows);
      return 0;
    } finally {
      await database.close();
    }
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  usage: 'restore FILE [--force]',
  summary: 'Replace all data with the backup in FILE; --force when the database holds data',
  async run({ args, config, io }) {
    const { values, positionals } = parseArgs({ args, options: { force: { type: 'boolean' } }, allowPositionals: true, strict: true });
    const file = singleFile(io, restoreCommand, positionals);
    if (!file) return 2;
    // Not open(): restoreBackup checks the whole file before it migrates anything.
    const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const report = await restoreBackup(database, file, { force: values.force === true });
      const { createdAt, engine, migrations } = report.header;
      io.out(`Restored ${file} (taken ${createdAt} on ${engine}, schema ${migrations.at(-1) ?? 'none'}) into ${database.engine} ${database.location}:`);
      printCounts(io, report.rows);
      return 0;
    } finally {
      await database.close();
    }
  },
};

function singleFile(io: CliIo, command: Command, positionals: string[]): string | undefined {
  if (positionals.length === 1 && positionals[0]) return positionals[0];
  io.err(`cadre ${command.name}: ${positionals.length ? 'only one FILE' : 'FILE is required'}\nUsage: cadre ${command.usage}`);
  return undefined;
}

function printCounts(io: CliIo, rows: Record<string, number>): void {
  const entries = Object.entries(rows);
  const width = Math.max(5, ...entries.map(([t]) => t.length));
  for (const [table, count] of entries) io.out(`  ${table.padEnd(width)} ${String(count).padStart(8)}`);
  const total = entries.reduce((n, [, c]) => n + c, 0);
  io.out(`  ${'total'.padEnd(width)} ${String(total).padStart(8)} rows in ${entries.length} tables`);
}
