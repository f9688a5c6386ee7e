import type { ExpressionBuilder, Kysely } from 'kysely';
import { newId } from '../auth/crypto.ts';
import type { Engine } from '../db/database.ts';
import type { Database, JobTable } from '../db/schema.ts';

// All SQL of the job table. Every function takes `Kysely<Database>`, which a `Transaction<Database>`
// also is, so a caller can enqueue inside the transaction of the change that asks for the job.

export type JobRow = JobTable;

export const DEFAULT_MAX_ATTEMPTS = 5;
const KIND_MAX = 64;
const KEY_MAX = 255;
const LAST_ERROR_MAX = 2000;

export interface NewJob {
  kind: string;
  /** Any JSON value; stored as text. */
  payload: unknown;
  /** Unique forever, across kinds: include the kind and what makes the job unique (`mail.check:<checkId>:<pocId>`). */
  idempotencyKey: string;
  runAt?: Date | undefined;
  maxAttempts?: number | undefined;
}

/**
 * Adds a job unless one with the same idempotency key was ever enqueued (whatever its status).
 * Returns true when this call created it. Pass the caller's transaction so that the job exists
 * exactly when the change that asked for it commits.
 */
export async function enqueueJob(db: Kysely<Database>, job: NewJob, now = new Date()): Promise<boolean> {
  const maxAttempts = job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  if (!job.kind || job.kind.length > KIND_MAX) throw new Error(`job kind must be 1 to ${KIND_MAX} characters`);
  if (!job.idempotencyKey || job.idempotencyKey.length > KEY_MAX) throw new Error(`idempotency key must be 1 to ${KEY_MAX} characters`);
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new Error('maxAttempts must be a positive integer');
  const payload = JSON.stringify(job.payload);
  if (payload === undefined) throw new Error('job payload must be a JSON value');
  const at = now.toISOString();
  const inserted = await db
    .insertInto('job')
    .values({
      id: newId(),
      kind: job.kind,
      payload,
      idempotency_key: job.idempotencyKey,
      status: 'queued',
      attempts: 0,
      max_attempts: maxAttempts,
      run_at: (job.runAt ?? now).toISOString(),
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: at,
      updated_at: at,
      finished_at: null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** The job enqueued under this idempotency key, whatever its status. */
export function findJobByKey(db: Kysely<Database>, idempotencyKey: string): Promise<JobRow | undefined> {
  return db.selectFrom('job').selectAll().where('idempotency_key', '=', idempotencyKey).executeTakeFirst();
}

export interface ClaimRequest {
  workerId: string;
  /** Only jobs of these kinds: a worker never takes a job it has no handler for. */
  kinds: readonly string[];
  leaseSeconds: number;
  limit: number;
  now: Date;
}

/**
 * Takes up to `limit` due jobs for `workerId` in one statement: queued jobs whose time has come and
 * running jobs whose lease expired (their worker died or hung). Each claim adds one attempt; the
 * returned rows carry the new `attempts`, which with `locked_by` fences every later write.
 *
 * PostgreSQL: the candidates are locked FOR UPDATE SKIP LOCKED, so concurrent claimers pass over
 * each other's rows instead of waiting, and a row another claimer has just taken is rechecked
 * against the WHERE and dropped. The candidates sit in a MATERIALIZED CTE because an
 * `IN (SELECT … LIMIT … SKIP LOCKED)` subquery may be re-run by the planner and take more than
 * `limit` rows. SQLite: one writer at a time, and an UPDATE takes the write lock before it reads,
 * so the same statement without row locks is enough.
 */
export async function claimJobs(db: Kysely<Database>, engine: Engine, request: ClaimRequest): Promise<JobRow[]> {
  if (request.kinds.length === 0 || request.limit < 1) return [];
  const now = request.now.toISOString();
  const lockedUntil = new Date(request.now.getTime() + request.leaseSeconds * 1000).toISOString();
  return db
    .with(
      (cte) => cte('claimable').materialized(),
      (qc) => {
        const due = qc
          .selectFrom('job')
          .select('id')
          .where('kind', 'in', request.kinds)
          .where((eb) =>
            eb.or([
              eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]),
              eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
            ]),
          )
          .orderBy('run_at')
          .orderBy('id')
          .limit(request.limit);
        return engine === 'postgres' ? due.forUpdate().skipLocked() : due;
      },
    )
    .updateTable('job')
    .set((eb) => ({
      status: 'running',
      locked_by: request.workerId,
      locked_until: lockedUntil,
      attempts: eb('attempts', '+', 1),
      updated_at: now,
    }))
    .where('id', 'in', (eb) => eb.selectFrom('claimable').select('claimable.id'))
    .returningAll()
    .execute();
}

/** Who holds a job, and through which claim: a later claim of the same job has more attempts. */
export interface Lease {
  id: string;
  lockedBy: string;
  attempts: number;
}

export function leaseOf(row: JobRow): Lease {
  if (row.locked_by === null) throw new Error('job is not claimed');
  return { id: row.id, lockedBy: row.locked_by, attempts: row.attempts };
}

/** Every write after a claim is guarded by this: a worker whose lease was taken over changes nothing. */
function held(lease: Lease) {
  return (eb: ExpressionBuilder<Database, 'job'>) =>
    eb.and({ id: lease.id, status: 'running', locked_by: lease.lockedBy, attempts: lease.attempts });
}

/** Records success. False when the lease was lost: the result belongs to the new owner. */
export async function completeJob(db: Kysely<Database>, lease: Lease, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const result = await db
    .updateTable('job')
    .set({ status: 'done', locked_by: null, locked_until: null, finished_at: at, updated_at: at })
    .where(held(lease))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Records a failed attempt: queued again at `retryAt`, or `failed` for good when `retryAt` is null
 * (the caller decides, from the attempts it claimed with). False when the lease was lost.
 */
export async function failJob(db: Kysely<Database>, lease: Lease, outcome: { error: string; retryAt: Date | null; now: Date }): Promise<boolean> {
  const at = outcome.now.toISOString();
  const lastError = outcome.error.slice(0, LAST_ERROR_MAX);
  const result = await db
    .updateTable('job')
    .set(
      outcome.retryAt
        ? { status: 'queued', run_at: outcome.retryAt.toISOString(), locked_by: null, locked_until: null, last_error: lastError, updated_at: at }
        : { status: 'failed', locked_by: null, locked_until: null, last_error: lastError, finished_at: at, updated_at: at },
    )
    .where(held(lease))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Pushes the lease of a job still being worked on. False when it was lost meanwhile. */
export async function extendLease(db: Kysely<Database>, lease: Lease, leaseSeconds: number, now: Date): Promise<boolean> {
  const result = await db
    .updateTable('job')
    .set({ locked_until: new Date(now.getTime() + leaseSeconds * 1000).toISOString(), updated_at: now.toISOString() })
    .where(held(lease))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
