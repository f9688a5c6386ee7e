import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Type } from '@sinclair/typebox';
import pino from 'pino';
import { openDatabase } from '../db/database.ts';
import { eachEngine } from '../testing/engines.ts';
import { claimJobs, enqueueJob } from './job.repository.ts';
import { createRegistry, defineJob, type JobContext } from './registry.ts';
import { createWorker, retryDelayMs, startWorker as start, type JobLogger, type Worker, type WorkerOptions } from './worker.ts';

const ADDRESS = 'poc.fra@example.org';
const Mail = Type.Object({ to: Type.String(), n: Type.Integer() });

/** Starts a second ahead of real time, so jobs just enqueued (at real time) are due. */
function fakeClock() {
  let t = Date.now() + 1000;
  return {
    now: () => new Date(t),
    advanceTo(iso: string) {
      t = Math.max(t, Date.parse(iso));
    },
    advance(ms: number) {
      t += ms;
    },
  };
}

function capturingLogger(): JobLogger & { lines: string[] } {
  const lines: string[] = [];
  const write = (level: string) => (fields: object, message: string) => void lines.push(JSON.stringify({ level, ...fields, message }));
  return { lines, info: write('info'), warn: write('warn'), error: write('error') };
}

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Waits for a condition the test cannot await directly; the limit only turns a hang into a failure. */
async function eventually(what: string, check: () => Promise<boolean>, limitMs = 60_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await sleep(20);
  }
}

describe('job worker without a database', () => {
  test('the retry delay doubles per attempt, is capped, and its jitter stays under a quarter', () => {
    const backoff = { baseSeconds: 10, maxSeconds: 100 };
    assert.deepEqual([1, 2, 3, 4, 5, 9].map((a) => retryDelayMs(a, backoff, () => 0)), [10_000, 20_000, 40_000, 80_000, 100_000, 100_000]);
    assert.equal(retryDelayMs(2, backoff, () => 0.999), Math.round(20_000 * (1 + 0.999 / 4)));
    for (let attempt = 1; attempt < 4; attempt++) {
      assert.ok(retryDelayMs(attempt, backoff, () => 0.999) < retryDelayMs(attempt + 1, backoff, () => 0), 'jitter never reverses the order');
    }
  });

  test('a kind cannot be defined twice', () => {
    const handler = async () => undefined;
    assert.throws(() => createRegistry([defineJob({ kind: 'a', payload: Type.Object({}), handler }), defineJob({ kind: 'a', payload: Type.Object({}), handler })]), /defined twice/);
  });

  test('pino fits the logger the worker takes', () => {
    const logger: JobLogger = pino({ level: 'silent' });
    logger.info({ jobId: 'x' }, 'type check only');
  });
});

eachEngine('job worker', (ctx) => {
  // A test that fails half-way must not leave a worker polling: the process would never exit.
  const running: Worker[] = [];
  const startWorker = (options: WorkerOptions) => {
    const worker = start(options);
    running.push(worker);
    return worker;
  };
  afterEach(() => Promise.all(running.splice(0).map((w) => w.stop())));
  const jobRow = (key: string) => ctx().database.db.selectFrom('job').selectAll().where('idempotency_key', '=', key).executeTakeFirstOrThrow();

  test('a job runs with its payload and context and ends done', async () => {
    const { database } = ctx();
    const seen: Array<{ payload: unknown; ctx: Omit<JobContext, 'signal'> }> = [];
    const mail = defineJob({
      kind: 'test.mail',
      payload: Mail,
      async handler(payload, { signal, ...rest }) {
        assert.equal(signal.aborted, false);
        seen.push({ payload, ctx: rest });
      },
    });
    assert.equal(await mail.enqueue(database.db, { to: ADDRESS, n: 1 }, { idempotencyKey: 'test.mail:1' }), true);
    assert.equal(await mail.enqueue(database.db, { to: ADDRESS, n: 2 }, { idempotencyKey: 'test.mail:1' }), false);
    const worker = createWorker({ database, registry: createRegistry([mail]), workerId: 'w-ok' });
    assert.equal(await worker.drain(), 1);
    const row = await jobRow('test.mail:1');
    assert.deepEqual(seen, [
      { payload: { to: ADDRESS, n: 1 }, ctx: { jobId: row.id, kind: 'test.mail', attempt: 1, maxAttempts: 5, idempotencyKey: 'test.mail:1', workerId: 'w-ok' } },
    ]);
    assert.equal(row.status, 'done');
    assert.equal(row.locked_by, null);
    assert.ok(row.finished_at);
  });

  test('a failing job is retried later and later, then fails for good after max_attempts', async () => {
    const { database } = ctx();
    const clock = fakeClock();
    let calls = 0;
    const bounce = defineJob({
      kind: 'test.bounce',
      payload: Mail,
      maxAttempts: 4,
      async handler(payload) {
        calls++;
        throw new Error(`550 mailbox ${payload.to} unavailable`);
      },
    });
    await bounce.enqueue(database.db, { to: ADDRESS, n: 1 }, { idempotencyKey: 'test.bounce:1' });
    const worker = createWorker({ database, registry: createRegistry([bounce]), clock: clock.now, backoff: { baseSeconds: 10, maxSeconds: 3600 } });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      assert.equal(await worker.runOnce(), 1, `attempt ${attempt} runs`);
      const row = await jobRow('test.bounce:1');
      assert.equal(row.status, 'queued');
      assert.equal(row.attempts, attempt);
      assert.equal(row.last_error, `Error: 550 mailbox ${ADDRESS} unavailable`);
      const delay = Date.parse(row.run_at) - clock.now().getTime();
      const base = 10_000 * 2 ** (attempt - 1);
      assert.ok(delay >= base && delay <= base * 1.25, `delay ${delay} after attempt ${attempt}`);
      delays.push(delay);
      assert.equal(await worker.runOnce(), 0, 'not run again before its time');
      clock.advanceTo(row.run_at);
    }
    assert.ok(delays[0]! < delays[1]! && delays[1]! < delays[2]!);
    assert.equal(await worker.runOnce(), 1);
    const row = await jobRow('test.bounce:1');
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 4);
    assert.equal(row.locked_by, null);
    assert.ok(row.finished_at);
    clock.advance(24 * 3600_000);
    assert.equal(await worker.drain(), 0, 'a failed job is not claimed again');
    assert.equal(calls, 4);
  });

  test('a job that fails once succeeds on its retry', async () => {
    const { database } = ctx();
    const clock = fakeClock();
    const flaky = defineJob({
      kind: 'test.flaky',
      payload: Type.Object({}),
      async handler(_payload, { attempt }) {
        if (attempt === 1) throw new Error('temporary');
      },
    });
    await flaky.enqueue(database.db, {}, { idempotencyKey: 'test.flaky:1' });
    const worker = createWorker({ database, registry: createRegistry([flaky]), clock: clock.now });
    assert.equal(await worker.runOnce(), 1);
    clock.advanceTo((await jobRow('test.flaky:1')).run_at);
    assert.equal(await worker.runOnce(), 1);
    const row = await jobRow('test.flaky:1');
    assert.equal(row.status, 'done');
    assert.equal(row.attempts, 2);
  });

  test('a payload that does not match the schema is refused at enqueue, and fails at once if it got in anyway', async () => {
    const { database } = ctx();
    let calls = 0;
    const strict = defineJob({
      kind: 'test.strict',
      payload: Mail,
      async handler() {
        calls++;
      },
    });
    // The type system already refuses this; the cast stands for data that bypassed it.
    const wrong = { to: ADDRESS, n: 'one' } as unknown as { to: string; n: number };
    await assert.rejects(strict.enqueue(database.db, wrong, { idempotencyKey: 'test.strict:refused' }), /does not match the schema/);
    await enqueueJob(database.db, { kind: 'test.strict', payload: wrong, idempotencyKey: 'test.strict:raw' });
    assert.equal(await createWorker({ database, registry: createRegistry([strict]) }).drain(), 1);
    const row = await jobRow('test.strict:raw');
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error!, /does not match the schema/);
    assert.equal(calls, 0);
  });

  test('a worker takes no job it has no handler for', async () => {
    const { database } = ctx();
    await enqueueJob(database.db, { kind: 'test.unknown', payload: {}, idempotencyKey: 'test.unknown:1' });
    const other = defineJob({ kind: 'test.known', payload: Type.Object({}), handler: async () => undefined });
    assert.equal(await createWorker({ database, registry: createRegistry([other]) }).drain(), 0);
    const idle = startWorker({ database, registry: createRegistry([]) });
    await idle.stop();
    const row = await jobRow('test.unknown:1');
    assert.equal(row.status, 'queued');
    assert.equal(row.attempts, 0);
  });

  test('an expired lease is taken over by another worker, and the first worker’s late success is ignored', async () => {
    const { database } = ctx();
    const clock = fakeClock();
    const entered = deferred();
    const release = deferred();
    const logger = capturingLogger();
    const slow = defineJob({
      kind: 'test.takeover',
      payload: Type.Object({}),
      async handler(_payload, { attempt }) {
        if (attempt === 1) {
          entered.resolve();
          await release.promise;
          return;
        }
        throw new Error('second run failed');
      },
    });
    await slow.enqueue(database.db, {}, { idempotencyKey: 'test.takeover:1' });
    const registry = createRegistry([slow]);
    const first = createWorker({ database, registry, workerId: 'first', clock: clock.now, leaseSeconds: 60, logger });
    const second = createWorker({ database, registry, workerId: 'second', clock: clock.now, leaseSeconds: 60, logger });
    const firstRun = first.runOnce();
    await entered.promise;
    let row;
    try {
      assert.equal(await second.runOnce(), 0, 'the lease is live');
      clock.advance(61_000);
      assert.equal(await second.runOnce(), 1, 'the expired lease is reclaimed');
      row = await jobRow('test.takeover:1');
      assert.equal(row.status, 'queued');
      assert.equal(row.attempts, 2);
    } finally {
      release.resolve();
    }
    assert.equal(await firstRun, 1);
    row = await jobRow('test.takeover:1');
    assert.equal(row.status, 'queued', 'the first worker did not mark it done');
    assert.equal(row.attempts, 2);
    assert.equal(row.last_error, 'Error: second run failed');
    assert.ok(logger.lines.some((l) => l.includes('"workerId":"first"') && l.includes('lease was taken over')));
  });

  test('a job whose worker died during its last attempt is failed, not run again', async () => {
    const { database } = ctx();
    const clock = fakeClock();
    let calls = 0;
    const once = defineJob({
      kind: 'test.last',
      payload: Type.Object({}),
      maxAttempts: 1,
      async handler() {
        calls++;
      },
    });
    await once.enqueue(database.db, {}, { idempotencyKey: 'test.last:1' });
    const [claimed] = await claimJobs(database.db, database.engine, { workerId: 'died', kinds: ['test.last'], leaseSeconds: 60, limit: 1, now: clock.now() });
    assert.ok(claimed);
    clock.advance(61_000);
    assert.equal(await createWorker({ database, registry: createRegistry([once]), clock: clock.now }).drain(), 1);
    const row = await jobRow('test.last:1');
    assert.equal(row.status, 'failed');
    assert.match(row.last_error!, /lease expired during the last attempt/);
    assert.equal(calls, 0);
  });

  test('the lease is renewed while a long job runs', async () => {
    const { database } = ctx();
    const long = defineJob({
      kind: 'test.long',
      payload: Type.Object({}),
      async handler(_payload, { jobId, signal }) {
        const lease = async () => (await database.db.selectFrom('job').select('locked_until').where('id', '=', jobId).executeTakeFirstOrThrow()).locked_until;
        const first = await lease();
        await eventually('the lease to be renewed', async () => (await lease())! > first!, 10_000);
        assert.equal(signal.aborted, false);
      },
    });
    await long.enqueue(database.db, {}, { idempotencyKey: 'test.long:1' });
    // Renewed every 100 ms.
    assert.equal(await createWorker({ database, registry: createRegistry([long]), leaseSeconds: 0.3 }).runOnce(), 1);
    const row = await jobRow('test.long:1');
    assert.equal(row.status, 'done', row.last_error ?? undefined);
    assert.equal(row.attempts, 1);
  });

  test('stop waits for the jobs that are running', async () => {
    const { database } = ctx();
    const entered = deferred();
    const release = deferred();
    const held = defineJob({
      kind: 'test.stop',
      payload: Type.Object({}),
      async handler() {
        entered.resolve();
        await release.promise;
      },
    });
    await held.enqueue(database.db, {}, { idempotencyKey: 'test.stop:1' });
    const worker = startWorker({ database, registry: createRegistry([held]), pollMs: 10 });
    await entered.promise;
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    try {
      await sleep(50);
      assert.equal(stopped, false);
    } finally {
      release.resolve();
    }
    await stopping;
    assert.equal((await jobRow('test.stop:1')).status, 'done');
  });

  test('logs carry neither payloads nor error messages', async () => {
    const { database } = ctx();
    const logger = capturingLogger();
    const clock = fakeClock();
    const leaky = defineJob({
      kind: 'test.leaky',
      payload: Mail,
      maxAttempts: 2,
      async handler(payload) {
        if (payload.n === 1) throw new Error(`relay refused ${payload.to}`);
      },
    });
    await leaky.enqueue(database.db, { to: ADDRESS, n: 1 }, { idempotencyKey: 'test.leaky:1' });
    await leaky.enqueue(database.db, { to: ADDRESS, n: 2 }, { idempotencyKey: 'test.leaky:2' });
    const worker = startWorker({ database, registry: createRegistry([leaky]), clock: clock.now, pollMs: 5, logger });
    await eventually('the first attempts', async () => (await jobRow('test.leaky:1')).status === 'queued' && (await jobRow('test.leaky:2')).status === 'done');
    clock.advance(3600_000);
    await eventually('the last attempt', async () => (await jobRow('test.leaky:1')).status === 'failed');
    await worker.stop();
    assert.match((await jobRow('test.leaky:1')).last_error!, new RegExp(ADDRESS), 'the message is kept in the row');
    const levels = logger.lines.map((l) => (JSON.parse(l) as { level: string }).level);
    assert.ok(levels.includes('info') && levels.includes('warn') && levels.includes('error'), levels.join());
    for (const line of logger.lines) assert.ok(!line.includes(ADDRESS) && !line.includes('relay refused'), line);
  });

  test('two workers on independent connections run each of 300 jobs exactly once', async () => {
    const { database, databaseUrl, dataDir } = ctx();
    const secondPool = openDatabase({ databaseUrl, dataDir });
    const runs = new Map<string, number>();
    const byWorker = new Map<string, number>();
    const bothWorking = deferred();
    const counted = defineJob({
      kind: 'test.exactly-once',
      payload: Mail,
      async handler(_payload, { jobId, workerId }) {
        runs.set(jobId, (runs.get(jobId) ?? 0) + 1);
        byWorker.set(workerId, (byWorker.get(workerId) ?? 0) + 1);
        // Hold the first jobs until the other worker has started one, so the two truly overlap.
        if (byWorker.size < 2) await Promise.race([bothWorking.promise, sleep(10_000, undefined, { ref: false })]);
        else bothWorking.resolve();
        await sleep(Math.random() * 3);
      },
    });
    const total = 300;
    await database.db.transaction().execute(async (trx) => {
      for (let n = 0; n < total; n++) await counted.enqueue(trx, { to: ADDRESS, n }, { idempotencyKey: `test.exactly-once:${n}` });
    });
    const registry = createRegistry([counted]);
    const options = { registry, pollMs: 5, concurrency: 8, leaseSeconds: 60 };
    const workers = [startWorker({ ...options, database, workerId: 'one' }), startWorker({ ...options, database: secondPool, workerId: 'two' })];
    try {
      await eventually('all jobs done', async () => {
        const left = await database.db.selectFrom('job').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'test.exactly-once').where('status', '!=', 'done').executeTakeFirstOrThrow();
        return Number(left.n) === 0;
      });
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await secondPool.close();
    }
    const rows = await database.db.selectFrom('job').selectAll().where('kind', '=', 'test.exactly-once').execute();
    assert.equal(rows.length, total);
    for (const row of rows) {
      assert.equal(runs.get(row.id), 1, `job ${row.idempotency_key} ran ${runs.get(row.id) ?? 0} times`);
      assert.equal(row.status, 'done');
      assert.equal(row.attempts, 1);
    }
    assert.equal(runs.size, total);
    assert.deepEqual([...byWorker.keys()].sort(), ['one', 'two'], 'both workers took part');
  });
});
