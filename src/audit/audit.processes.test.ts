import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { verifyAuditChain } from './audit.repository.ts';

const run = promisify(execFile);
const WRITER = fileURLToPath(new URL('../testing/audit-writer.process.ts', import.meta.url));
const EACH = 400;

// Several processes on one SQLite file (two `cadre serve`, or one and the CLI) append to one audit
// chain. Each append reads the chain's head, then writes: a transaction begun with a plain `begin`
// failed with SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT when the other process had written in between,
// and the event was lost (PostgreSQL locks the head row FOR UPDATE and never had the fault).
test('three processes appending to one SQLite audit chain: every event written, the chain whole', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadre-audit-processes-'));
  try {
    const database = openDatabase({ dataDir });
    await migrate(database);
    const before = (await verifyAuditChain(database.db)).events;
    await database.close();
    const outputs = await Promise.all([1, 2, 3].map(() => run(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(EACH)], { timeout: 120_000 })));
    for (const { stdout } of outputs) assert.equal(stdout.trim(), `WROTE ${EACH} FAILED 0`);
    const reopened = openDatabase({ dataDir });
    try {
      const report = await verifyAuditChain(reopened.db);
      assert.equal(report.fault, null);
      assert.equal(report.events, before + 3 * EACH);
    } finally {
      await reopened.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
