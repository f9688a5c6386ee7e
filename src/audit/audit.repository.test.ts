import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eachEngine } from '../testing/engines.ts';
import { appendAuditEvent, listAuditEvents, verifyAuditChain } from './audit.repository.ts';

eachEngine('audit log', (ctx) => {
  test('events appended in transactions form an intact chain', async () => {
    const { database } = ctx();
    for (let i = 0; i < 5; i++) {
      await database.db.transaction().execute((trx) =>
        appendAuditEvent(trx, database.engine, { actor: { id: null, label: 'test' }, action: 'test.append', targetId: String(i), details: { i } }),
      );
    }
    const report = await verifyAuditChain(database.db);
    assert.equal(report.fault, null);
    assert.ok(report.events >= 5);
  });

  test('an event in a rolled-back transaction leaves no trace', async () => {
    const { database } = ctx();
    const before = await verifyAuditChain(database.db);
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await appendAuditEvent(trx, database.engine, { actor: { id: null, label: 'test' }, action: 'test.rollback' });
        throw new Error('change failed');
      }),
    );
    const after = await verifyAuditChain(database.db);
    assert.equal(after.events, before.events);
    assert.equal(after.fault, null);
    assert.equal((await listAuditEvents(database.db, { action: 'test.rollback', limit: 10 })).length, 0);
  });

  test('concurrent appends never fork the chain', async () => {
    const { database } = ctx();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        database.db.transaction().execute((trx) => appendAuditEvent(trx, database.engine, { actor: { id: null, label: 'test' }, action: 'test.concurrent', details: { i } })),
      ),
    );
    assert.equal((await verifyAuditChain(database.db)).fault, null);
  });

  test('a hand-edited row is found and named', async () => {
    const { database } = ctx();
    const [victim] = await listAuditEvents(database.db, { action: 'test.append', limit: 1 });
    await sql`UPDATE audit_event SET details = '{"i":99}' WHERE seq = ${victim!.seq}`.execute(database.db);
    const report = await verifyAuditChain(database.db);
    assert.deepEqual(report.fault, { kind: 'hash-mismatch', seq: victim!.seq });
    await sql`UPDATE audit_event SET details = ${victim!.details} WHERE seq = ${victim!.seq}`.execute(database.db);
    assert.equal((await verifyAuditChain(database.db)).fault, null);
  });

  test('a deleted last event is found through the head', async () => {
    const { database } = ctx();
    const head = await database.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    await sql`DELETE FROM audit_event WHERE seq = ${head.seq}`.execute(database.db);
    const report = await verifyAuditChain(database.db);
    assert.equal(report.fault?.kind, 'head-mismatch');
  });
});
