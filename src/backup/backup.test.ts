import { MIGRATION_NAMES } from '../db/migrate.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { verifyAuditChain } from '../audit/audit.repository.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { eachEngine } from '../testing/engines.ts';
import { BackupError } from './backup-file.ts';
import { rewriteBackup, seedEveryTable, tableContents } from './backup.testing.ts';
import { createBackup, type BackupReport } from './create-backup.ts';
import { restoreBackup } from './restore-backup.ts';

eachEngine('backup and restore', (ctx) => {
  // The middle hop is this block's database: on the postgres run the trip is
  // SQLite → PostgreSQL → SQLite, as an installation moving engines would make it.
  let dir: string;
  let source: Db;
  let sourceBackup: string;
  let sourceReport: BackupReport;
  let sourceContents: Awaited<ReturnType<typeof tableContents>>;
  const opened: Db[] = [];
  const sqliteIn = (name: string) => {
    const database = openDatabase({ dataDir: join(dir, name) });
    opened.push(database);
    return database;
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cadre-backup-'));
    source = sqliteIn('source');
    await migrate(source);
    await seedEveryTable(source, join(dir, 'source'));
    sourceContents = await tableContents(source);
    sourceBackup = join(dir, 'source.cadre-backup.gz');
    sourceReport = await createBackup(source, sourceBackup);
  });
  after(async () => {
    for (const d of opened) await d.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the backup holds every table, parents first, owner-readable only', () => {
    const tables = Object.keys(sourceContents);
    for (const [table, rows] of Object.entries(sourceContents)) assert.ok(rows.length > 0, `seed data must reach ${table}, so the round trip proves it`);
    assert.deepEqual(Object.keys(sourceReport.rows).sort(), tables);
    for (const [table, rows] of Object.entries(sourceContents)) assert.equal(sourceReport.rows[table], rows.length, table);
    const order = Object.keys(sourceReport.rows);
    for (const [parent, child] of [['state', 'app_user'], ['app_user', 'invitation'], ['app_user', 'session'], ['app_user', 'passkey'], ['app_user', 'recovery_code'], ['app_user', 'api_token']] as const) {
      assert.ok(order.indexOf(parent) < order.indexOf(child), `${parent} before ${child}`);
    }
    assert.deepEqual(sourceReport.header.migrations, MIGRATION_NAMES);
    assert.equal(sourceReport.header.engine, 'sqlite');
    assert.equal(statSync(sourceBackup).mode & 0o777, 0o600);
  });

  test('SQLite → this block\'s engine → SQLite keeps every row identical and the audit chain intact', async () => {
    const { database } = ctx();
    const intoMiddle = await restoreBackup(database, sourceBackup);
    assert.deepEqual(intoMiddle.rows, sourceReport.rows);
    const middleBackup = join(dir, 'middle.cadre-backup.gz');
    const middleReport = await createBackup(database, middleBackup);
    assert.equal(middleReport.header.engine, database.engine);
    assert.deepEqual(middleReport.rows, sourceReport.rows);
    // A target never migrated: the restore creates the schema itself.
    const final = sqliteIn('final');
    await restoreBackup(final, middleBackup);

    assert.deepEqual(await tableContents(database), sourceContents);
    assert.deepEqual(await tableContents(final), sourceContents);
    for (const restored of [database, final]) {
      const report = await verifyAuditChain(restored.db);
      assert.equal(report.fault, null);
      assert.equal(report.events, sourceContents.audit_event!.length);
    }
  });

  test('a restore into a database holding data is refused without force, and changes nothing', async () => {
    const { database } = ctx();
    await database.db.deleteFrom('setting').execute();
    const before = await tableContents(database);
    await assert.rejects(restoreBackup(database, sourceBackup), (e: Error) => e instanceof BackupError && /already holds data.*--force/.test(e.message));
    assert.deepEqual(await tableContents(database), before);
    await restoreBackup(database, sourceBackup, { force: true });
    assert.deepEqual(await tableContents(database), sourceContents);
  });

  test('a damaged file is refused before the database is touched', async () => {
    const { database } = ctx();
    await database.db.deleteFrom('setting').execute();
    const before = await tableContents(database);
    const bytes = readFileSync(sourceBackup);
    const damaged: [string, (file: string) => void, RegExp][] = [
      ['altered row', (f) => rewriteBackup(sourceBackup, f, (ls) => ls.map((l) => l.replace('"poc.civ@example.org"', '"poc.civ@example.net"'))), /checksum mismatch/],
      ['truncated file', (f) => writeFileSync(f, bytes.subarray(0, Math.floor(bytes.length / 2))), /incomplete \(truncated\)/],
      ['rows cut at a line end', (f) => rewriteBackup(sourceBackup, f, (ls) => ls.slice(0, ls.length - 40)), /incomplete \(truncated\)/],
      ['flipped compressed byte', (f) => writeFileSync(f, Buffer.from(bytes.map((b, i) => (i === bytes.length >> 1 ? b ^ 0x10 : b)))), /damaged|checksum|incomplete/],
      ['row missing, trailer kept', (f) => rewriteBackup(sourceBackup, f, (ls) => ls.filter((l) => !l.includes('observer@example.org'))), /checksum mismatch/],
      ['data after the trailer', (f) => rewriteBackup(sourceBackup, f, (ls) => [...ls, ls[2]!]), /data after the end/],
      ['not a backup', (f) => writeFileSync(f, 'iso3,name\nFRA,France\n'), /not a Cadre backup/],
      ['missing file', () => undefined, /no such file/],
    ];
    for (const [what, make, message] of damaged) {
      const file = join(dir, `damaged-${what.replaceAll(' ', '-')}.gz`);
      make(file);
      await assert.rejects(restoreBackup(database, file, { force: true }), (e: Error) => e instanceof BackupError && message.test(e.message), what);
      assert.deepEqual(await tableContents(database), before, `${what}: the database is unchanged`);
    }
    // Refused before migrating: an empty target gets no schema either.
    const untouched = sqliteIn('untouched');
    await assert.rejects(restoreBackup(untouched, join(dir, 'damaged-altered-row.gz')), BackupError);
    assert.deepEqual(await untouched.db.introspection.getTables({ withInternalKyselyTables: true }), []);
  });

  test('a file that fails half-way leaves nothing half-written', async () => {
    const { database } = ctx();
    await database.db.deleteFrom('setting').execute();
    const before = await tableContents(database);
    // Checksum and counts recomputed, so only the database can object: the last table's last row
    // appears twice (a duplicate primary key), after every other table has been inserted.
    const file = join(dir, 'duplicate-key.gz');
    rewriteBackup(sourceBackup, file, (ls) => [...ls.slice(0, -1), ls.at(-2)!, ls.at(-1)!], true);
    await assert.rejects(restoreBackup(database, file, { force: true }), (e: Error) => !(e instanceof BackupError));
    assert.deepEqual(await tableContents(database), before);
  });

  test('a backup from a newer Cadre is refused', async () => {
    const { database } = ctx();
    const before = await tableContents(database);
    const file = join(dir, 'newer.gz');
    rewriteBackup(sourceBackup, file, ([header, ...rest]) => [header!.replace(`"${MIGRATION_NAMES.at(-1)}"`, `"${MIGRATION_NAMES.at(-1)}","2999010101_future"`), ...rest], true);
    await assert.rejects(restoreBackup(database, file, { force: true }), /newer Cadre: migration 2999010101_future is unknown/);
    assert.deepEqual(await tableContents(database), before);
  });

  test('backup refuses to replace an existing file and leaves no file behind when it fails', async () => {
    const { database } = ctx();
    const bytes = readFileSync(sourceBackup);
    await assert.rejects(createBackup(database, sourceBackup), /already exists/);
    assert.deepEqual(readFileSync(sourceBackup), bytes);

    const bare = sqliteIn('bare');
    await assert.rejects(createBackup(bare, join(dir, 'bare.gz')), /no Cadre database/);
    assert.throws(() => statSync(join(dir, 'bare.gz')), /ENOENT/);
    // A value that would not come back the same (SQLite lets a blob into a text column) stops the
    // backup mid-way; neither the file nor its temporary remains.
    await migrate(bare);
    await sql`insert into setting (key, value, updated_at) values ('blob', ${Buffer.from([1, 2])}, '2026-01-01T00:00:00.000Z')`.execute(bare.db);
    await assert.rejects(createBackup(bare, join(dir, 'blob.gz')), /setting\.value holds a Buffer value/);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('blob')), []);
  });
});
