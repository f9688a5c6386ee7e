import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eachEngine } from '../testing/engines.ts';
import { appendAuditEvent, listAuditEvents, recordAuditEvent, verifyAuditChain } from './audit.repository.ts';

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

  test('events recorded together share a transaction: each resolves once committed, in order, the chain intact', async () => {
    const { database } = ctx();
    const events = await Promise.all(Array.from({ length: 30 }, (_, i) => recordAuditEvent(database, { actor: { id: null, label: 'test' }, action: 'test.recorded', targetId: String(i) })));
    events.forEach((event, i) => {
      assert.equal(event.target_id, String(i));
      if (i > 0) assert.equal(event.seq, events[i - 1]!.seq + 1);
      if (i > 0) assert.equal(event.prev_hash, events[i - 1]!.hash);
    });
    const stored = await listAuditEvents(database.db, { action: 'test.recorded', limit: 100 });
    assert.deepEqual(new Set(stored.map((e) => e.seq)), new Set(events.map((e) => e.seq)));
    assert.equal((await verifyAuditChain(database.db)).fault, null);
  });

  test('an event that cannot be written fails alone: the others recorded with it are committed', async () => {
    const { database } = ctx();
    const broken = { actor: { id: null, label: 'test' }, action: null as unknown as string };
    const results = await Promise.allSettled([
      recordAuditEvent(database, { actor: { id: null, label: 'test' }, action: 'test.beside', targetId: 'a' }),
      recordAuditEvent(database, broken),
      recordAuditEvent(database, { actor: { id: null, label: 'test' }, action: 'test.beside', targetId: 'b' }),
    ]);
    assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
    const stored = await listAuditEvents(database.db, { action: 'test.beside', limit: 10 });
    assert.deepEqual(stored.map((e) => e.target_id).sort(), ['a', 'b']);
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
