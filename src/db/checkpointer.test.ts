import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { recordAuditEvent, verifyAuditChain } from '../audit/audit.repository.ts';
import { SAFETY_CHECKPOINT_PAGES, startCheckpointer } from './checkpointer.ts';
import { openDatabase } from './database.ts';
import { migrate } from './migrate.ts';

// SQLite's checkpoints on a thread of their own: the server's connection leaves them to it (past a
// safety net), and the thread keeps copying the write-ahead log back while the connection writes.

test('a checkpoint thread copies the write-ahead log back while the connection writes, never waiting on it', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadre-checkpoints-'));
  const database = openDatabase({ dataDir, checkpoints: 'thread' });
  const checkpointer = startCheckpointer(database.location, 50);
  try {
    await migrate(database);
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db);
    assert.equal(rows[0]?.wal_autocheckpoint, SAFETY_CHECKPOINT_PAGES, 'the connection checkpoints only as a safety net');
    for (let round = 0; round < 20; round++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => recordAuditEvent(database, { actor: { id: null, label: 'test' }, action: 'test.checkpoint', details: { round, i, padding: 'x'.repeat(400) } })));
    }
    const until = Date.now() + 10_000;
    while (!(checkpointer.last && checkpointer.last.log > 0 && checkpointer.last.checkpointed === checkpointer.last.log)) {
      if (Date.now() > until) throw new Error(`no complete checkpoint: ${JSON.stringify(checkpointer.last)} after ${checkpointer.runs} runs`);
      await sleep(20);
    }
    assert.ok(statSync(join(dataDir, 'cadre.sqlite')).size > 400 * 1000, 'the events reached the database file');
    const report = await verifyAuditChain(database.db);
    assert.equal(report.fault, null);
    assert.ok(report.events >= 1000);
  } finally {
    await checkpointer.stop();
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
