import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Value } from '@sinclair/typebox/value';
import type { Db } from '../db/database.ts';
import { claimJobs, completeJob, extendLease, failJob, leaseOf, type JobRow, type Lease } from './job.repository.ts';
import type { JobContext, JobRegistry } from './registry.ts';

/** The part of pino the worker uses; `app.log.child({ module: 'jobs' })` fits. */
export interface JobLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

const silent: JobLogger = { info() {}, warn() {}, error() {} };

export interface Backoff {
  baseSeconds: number;
  maxSeconds: number;
}

export interface WorkerOptions {
  database: Db;
  registry: JobRegistry;
  /** Unique per process; at most 64 characters. Default: host, pid and a random suffix. */
  workerId?: string;
  /** Wait between claims when nothing was due. */
  pollMs?: number;
  /** How long a claim holds a job; renewed every third of it while the handler runs. */
  leaseSeconds?: number;
  /** Jobs run at the same time by this worker. */
  concurrency?: number;
  backoff?: Backoff;
  /** Never receives payloads or error messages (either may hold e-mail addresses); those stay in the job row. */
  logger?: JobLogger;
  /** For tests. */
  clock?: () => Date;
}

export interface Worker {
  readonly id: string;
  /** Polls until stop(). */
  start(): void;
  /** Stops claiming, then waits for the handlers that are running. */
  stop(): Promise<void>;
  /** One claim (up to `concurrency` jobs) run to the end; for tests and one-shot commands, not with start(). */
  runOnce(): Promise<number>;
  /** runOnce until nothing is due; returns how many jobs ran. */
  drain(): Promise<number>;
}

/**
 * Delay before the next attempt: base·2^(attempt−1), capped, plus up to a quarter more at random so
 * jobs that failed together (an SMTP server down) do not all come back in the same second.
 */
export function retryDelayMs(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const exponential = Math.min(backoff.baseSeconds * 2 ** (attempt - 1), backoff.maxSeconds) * 1000;
  return Math.round(exponential * (1 + random() / 4));
}

export function createWorker(options: WorkerOptions): Worker {
  const { database, registry } = options;
  const id = options.workerId ?? `${hostname().slice(0, 40)}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const pollMs = options.pollMs ?? 1000;
  const leaseSeconds = options.leaseSeconds ?? 300;
  const concurrency = options.concurrency ?? 4;
  const backoff = options.backoff ?? { baseSeconds: 30, maxSeconds: 3600 };
  const logger = options.logger ?? silent;
  const clock = options.clock ?? (() => new Date());
  if (id.length > 64) throw new Error('workerId must be at most 64 characters');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('concurrency must be a positive integer');
  if (!(leaseSeconds > 0) || !(pollMs >= 0)) throw new Error('leaseSeconds must be positive and pollMs not negative');
  const kinds = [...registry.keys()];
  const inFlight = new Set<Promise<void>>();
  let started = false;
  let running = false;
  let loopDone: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  async function claimAndStart(): Promise<{ claimed: number; free: number }> {
    const free = concurrency - inFlight.size;
    if (free < 1 || kinds.length === 0) return { claimed: 0, free };
    const rows = await claimJobs(database.db, database.engine, { workerId: id, kinds, leaseSeconds, limit: free, now: clock() });
    for (const row of rows) {
      const done: Promise<void> = run(row).finally(() => {
        inFlight.delete(done);
        wake?.();
      });
      inFlight.add(done);
    }
    return { claimed: rows.length, free };
  }

  async function run(row: JobRow): Promise<void> {
    const lease = leaseOf(row);
    const fields = { workerId: id, jobId: row.id, kind: row.kind, attempt: row.attempts };
    try {
      const definition = registry.get(row.kind);
      if (!definition) return await settle(lease, fields, { ok: false, error: `no handler for job kind ${row.kind}`, final: true });
      // A claim past max_attempts means the last attempt's worker died holding the lease.
      if (row.attempts > row.max_attempts) {
        return await settle(lease, fields, { ok: false, error: 'lease expired during the last attempt; not run again', final: true });
      }
      let payload: unknown;
      try {
        payload = JSON.parse(row.payload);
      } catch {
        payload = undefined;
      }
      if (payload === undefined || !Value.Check(definition.payload, payload)) {
        return await settle(lease, fields, { ok: false, error: `payload does not match the schema of job ${row.kind}`, final: true });
      }
      const lost = new AbortController();
      const heartbeat = keepLease(lease, lost, fields);
      let outcome: Outcome;
      try {
        const ctx: JobContext = {
          jobId: row.id,
          kind: row.kind,
          attempt: row.attempts,
          maxAttempts: row.max_attempts,
          idempotencyKey: row.idempotency_key,
          workerId: id,
          signal: lost.signal,
        };
        await definition.handler(payload, ctx);
        outcome = { ok: true };
      } catch (err) {
        outcome = { ok: false, error: describe(err), errorName: errorName(err), final: row.attempts >= row.max_attempts };
      } finally {
        heartbeat.stop();
      }
      await settle(lease, fields, outcome);
    } catch (err) {
      // The outcome could not be written (database unreachable): the lease will expire and the job run again.
      logger.error({ ...fields, error: errorName(err) }, 'could not record the outcome of a job');
    }
  }

  type Outcome = { ok: true } | { ok: false; error: string; errorName?: string; final: boolean };

  async function settle(lease: Lease, fields: object, outcome: Outcome): Promise<void> {
    const now = clock();
    if (outcome.ok) {
      if (await completeJob(database.db, lease, now)) logger.info(fields, 'job done');
      else logger.warn(fields, 'job finished after its lease was taken over; its result was not recorded');
      return;
    }
    const retryAt = outcome.final ? null : new Date(now.getTime() + retryDelayMs(lease.attempts, backoff));
    const owned = await failJob(database.db, lease, { error: outcome.error, retryAt, now });
    const logged = { ...fields, error: outcome.errorName, retryAt: retryAt?.toISOString() ?? null };
    if (!owned) logger.warn(logged, 'job failed after its lease was taken over; its result was not recorded');
    else if (retryAt) logger.warn(logged, 'job failed; will retry (message in job.last_error)');
    else logger.error(logged, 'job failed for good (message in job.last_error)');
  }

  /** Renews the lease every third of its length; aborts the handler's signal once it is lost. */
  function keepLease(lease: Lease, lost: AbortController, fields: object): { stop(): void } {
    let stopped = false;
    let busy = false;
    const timer = setInterval(() => {
      if (busy || stopped) return;
      busy = true;
      extendLease(database.db, lease, leaseSeconds, clock())
        .then((owned) => {
          if (owned || stopped) return;
          clearInterval(timer);
          logger.warn(fields, 'lease lost while the job ran; another worker may run it');
          lost.abort(new Error('job lease lost'));
        })
        .catch((err: unknown) => logger.error({ ...fields, error: errorName(err) }, 'could not renew a job lease'))
        .finally(() => {
          busy = false;
        });
    }, (leaseSeconds * 1000) / 3);
    timer.unref();
    return {
      stop() {
        stopped = true;
        clearInterval(timer);
      },
    };
  }

  function pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve();
      }
      wake = done;
    });
  }

  async function loop(): Promise<void> {
    while (running) {
      let more = false;
      try {
        const { claimed, free } = await claimAndStart();
        // A full claim suggests more jobs are due: claim again at once if slots are left.
        more = claimed > 0 && claimed === free;
      } catch (err) {
        logger.error({ workerId: id, error: errorName(err) }, 'could not claim jobs');
      }
      if (running && !more) await pause(pollMs);
    }
  }

  async function runOnce(): Promise<number> {
    if (started) throw new Error('runOnce is for a worker that was not started');
    const { claimed } = await claimAndStart();
    await Promise.all(inFlight);
    return claimed;
  }

  return {
    id,
    start() {
      if (started) throw new Error('worker already started');
      started = true;
      if (kinds.length === 0) return;
      running = true;
      loopDone = loop();
      logger.info({ workerId: id, kinds }, 'job worker started');
    },
    async stop() {
      running = false;
      wake?.();
      await loopDone;
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    runOnce,
    async drain() {
      let total = 0;
      for (let n = await runOnce(); n > 0; n = await runOnce()) total += n;
      return total;
    },
  };
}

export function startWorker(options: WorkerOptions): Worker {
  const worker = createWorker(options);
  worker.start();
  return worker;
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** The error's class and code only: its message may quote a payload. */
function errorName(err: unknown): string {
  if (!(err instanceof Error)) return typeof err;
  const code = 'code' in err ? err.code : undefined;
  return typeof code === 'string' || typeof code === 'number' ? `${err.name} (${code})` : err.name;
}
