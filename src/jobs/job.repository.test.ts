import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../db/database.ts';
import { eachEngine } from '../testing/engines.ts';
import { claimJobs, completeJob, enqueueJob, extendLease, failJob, leaseOf } from './job.repository.ts';

const MINUTE = 60_000;

eachEngine('job repository', (ctx) => {
  const at = (offsetMs: number) => new Date(Date.now() + offsetMs);
  const rowsOf = (kind: string) => ctx().database.db.selectFrom('job').selectAll().where('kind', '=', kind).execute();

  test('enqueue is idempotent: a second job with the same key is not added', async () => {
    const { db } = ctx().database;
    assert.equal(await enqueueJob(db, { kind: 'test.idem', payload: { n: 1 }, idempotencyKey: 'test.idem:1' }), true);
    assert.equal(await enqueueJob(db, { kind: 'test.idem', payload: { n: 2 }, idempotencyKey: 'test.idem:1' }), false);
    const rows = await rowsOf('test.idem');
    assert.equal(rows.length, 1);
    assert.deepEqual(JSON.parse(rows[0]!.payload), { n: 1 });
    assert.equal(rows[0]!.status, 'queued');
    assert.equal(rows[0]!.attempts, 0);
  });

  test('a job enqueued in a rolled-back transaction does not exist; in a committed one it does', async () => {
    const { db } = ctx().database;
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        assert.equal(await enqueueJob(trx, { kind: 'test.trx', payload: {}, idempotencyKey: 'test.trx:rolled-back' }), true);
        throw new Error('the change failed');
      }),
      /the change failed/,
    );
    await db.transaction().execute((trx) => enqueueJob(trx, { kind: 'test.trx', payload: {}, idempotencyKey: 'test.trx:committed' }));
    assert.deepEqual((await rowsOf('test.trx')).map((r) => r.idempotency_key), ['test.trx:committed']);
    // The rolled-back key is free again.
    assert.equal(await enqueueJob(db, { kind: 'test.trx', payload: {}, idempotencyKey: 'test.trx:rolled-back' }), true);
  });

  test('claim takes only due jobs of the given kinds, up to the limit, and adds an attempt', async () => {
    const { db, engine } = ctx().database;
    for (let i = 0; i < 3; i++) await enqueueJob(db, { kind: 'test.claim', payload: { i }, idempotencyKey: `test.claim:${i}` });
    await enqueueJob(db, { kind: 'test.claim', payload: {}, idempotencyKey: 'test.claim:later', runAt: at(10 * MINUTE) });
    await enqueueJob(db, { kind: 'test.other', payload: {}, idempotencyKey: 'test.other:1' });
    const now = new Date();
    const first = await claimJobs(db, engine, { workerId: 'w1', kinds: ['test.claim'], leaseSeconds: 3600, limit: 2, now });
    assert.equal(first.length, 2);
    for (const row of first) {
      assert.equal(row.status, 'running');
      assert.equal(row.locked_by, 'w1');
      assert.equal(row.attempts, 1);
      assert.equal(row.locked_until, new Date(now.getTime() + 3_600_000).toISOString());
    }
    const second = await claimJobs(db, engine, { workerId: 'w1', kinds: ['test.claim'], leaseSeconds: 3600, limit: 10, now });
    assert.equal(second.length, 1, 'the future job and the other kind stay queued');
    assert.deepEqual(await claimJobs(db, engine, { workerId: 'w1', kinds: [], leaseSeconds: 3600, limit: 10, now }), []);
    // The leases taken above (an hour) are still live eleven minutes on.
    const later = await claimJobs(db, engine, { workerId: 'w1', kinds: ['test.claim'], leaseSeconds: 3600, limit: 10, now: at(11 * MINUTE) });
    assert.deepEqual(later.map((r) => r.idempotency_key), ['test.claim:later']);
  });

  test('an expired lease is reclaimed, and the old owner can no longer complete, fail or extend', async () => {
    const { db, engine } = ctx().database;
    await enqueueJob(db, { kind: 'test.lease', payload: {}, idempotencyKey: 'test.lease:1' });
    const t0 = new Date();
    const [old] = await claimJobs(db, engine, { workerId: 'old', kinds: ['test.lease'], leaseSeconds: 60, limit: 1, now: t0 });
    assert.ok(old);
    assert.deepEqual(await claimJobs(db, engine, { workerId: 'new', kinds: ['test.lease'], leaseSeconds: 60, limit: 1, now: at(30_000) }), [], 'a live lease is respected');
    const [taken] = await claimJobs(db, engine, { workerId: 'new', kinds: ['test.lease'], leaseSeconds: 60, limit: 1, now: at(61_000) });
    assert.equal(taken?.id, old.id);
    assert.equal(taken.attempts, 2);

    assert.equal(await completeJob(db, leaseOf(old), at(62_000)), false);
    assert.equal(await failJob(db, leaseOf(old), { error: 'late', retryAt: null, now: at(62_000) }), false);
    assert.equal(await extendLease(db, leaseOf(old), 600, at(62_000)), false);
    // Same worker name, earlier claim: the attempt count fences it too.
    assert.equal(await completeJob(db, { ...leaseOf(old), lockedBy: 'new' }, at(62_000)), false);
    let [row] = await rowsOf('test.lease');
    assert.equal(row!.status, 'running');
    assert.equal(row!.locked_by, 'new');
    assert.equal(row!.locked_until, taken.locked_until);

    assert.equal(await extendLease(db, leaseOf(taken), 600, at(63_000)), true);
    assert.equal(await completeJob(db, leaseOf(taken), at(64_000)), true);
    [row] = await rowsOf('test.lease');
    assert.equal(row!.status, 'done');
    assert.equal(row!.locked_by, null);
    assert.ok(row!.finished_at);
    assert.equal(await completeJob(db, leaseOf(taken), at(65_000)), false, 'a job completes once');
  });

  test('fail queues the job again at the given time, or ends it', async () => {
    const { db, engine } = ctx().database;
    await enqueueJob(db, { kind: 'test.fail', payload: {}, idempotencyKey: 'test.fail:1', maxAttempts: 2 });
    const [first] = await claimJobs(db, engine, { workerId: 'w', kinds: ['test.fail'], leaseSeconds: 60, limit: 1, now: new Date() });
    const retryAt = at(5 * MINUTE);
    assert.equal(await failJob(db, leaseOf(first!), { error: 'x'.repeat(5000), retryAt, now: new Date() }), true);
    let [row] = await rowsOf('test.fail');
    assert.equal(row!.status, 'queued');
    assert.equal(row!.run_at, retryAt.toISOString());
    assert.equal(row!.last_error!.length, 2000);
    assert.deepEqual(await claimJobs(db, engine, { workerId: 'w', kinds: ['test.fail'], leaseSeconds: 60, limit: 1, now: new Date() }), []);
    const [second] = await claimJobs(db, engine, { workerId: 'w', kinds: ['test.fail'], leaseSeconds: 60, limit: 1, now: at(6 * MINUTE) });
    assert.equal(await failJob(db, leaseOf(second!), { error: 'again', retryAt: null, now: at(6 * MINUTE) }), true);
    [row] = await rowsOf('test.fail');
    assert.equal(row!.status, 'failed');
    assert.equal(row!.attempts, 2);
    assert.equal(row!.last_error, 'again');
    assert.ok(row!.finished_at);
  });

  test('concurrent claims through two independent connections never take one job twice', async () => {
    const { database, databaseUrl, dataDir } = ctx();
    const other = openDatabase({ databaseUrl, dataDir });
    try {
      const total = 200;
      for (let i = 0; i < total; i++) await enqueueJob(database.db, { kind: 'test.race', payload: { i }, idempotencyKey: `test.race:${i}` });
      const claimed = new Map<string, number>();
      const now = new Date();
      // 60 claims of up to 5 in flight at once, alternating between the two pools.
      const batches = await Promise.all(
        Array.from({ length: 60 }, (_, i) => {
          const db = i % 2 === 0 ? database : other;
          return claimJobs(db.db, db.engine, { workerId: `w${i}`, kinds: ['test.race'], leaseSeconds: 60, limit: 5, now });
        }),
      );
      for (const row of batches.flat()) {
        assert.equal(row.attempts, 1);
        claimed.set(row.id, (claimed.get(row.id) ?? 0) + 1);
      }
      for (const batch of batches) assert.ok(batch.length <= 5, 'the limit holds under contention');
      const twice = [...claimed].filter(([, n]) => n > 1);
      assert.deepEqual(twice, [], 'no job is claimed by two claimers');
      const rest = await claimJobs(database.db, database.engine, { workerId: 'last', kinds: ['test.race'], leaseSeconds: 60, limit: total, now });
      for (const row of rest) assert.equal(claimed.has(row.id), false);
      assert.equal(claimed.size + rest.length, total);
    } finally {
      await other.close();
    }
  });
});
