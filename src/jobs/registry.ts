import type { Static, TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { enqueueJob } from './job.repository.ts';

export interface JobContext {
  jobId: string;
  kind: string;
  /** 1 on the first run; a retry or a run after an expired lease counts up. */
  attempt: number;
  maxAttempts: number;
  /** Stable across retries: a handler can pass it on (e.g. as the Message-ID) so the far side drops duplicates. */
  idempotencyKey: string;
  workerId: string;
  /** Aborted when this worker lost the lease (another worker may now run the job): stop before the next side effect. */
  signal: AbortSignal;
}

/**
 * One kind of job. Handlers MUST be idempotent: the idempotency key stops a second enqueue, and the
 * lease with fenced completion stops two workers from both recording a result, but a worker can die
 * (or lose its lease) after the side effect and before recording it, and then the job runs again.
 *
 * There is no version field: an incompatible payload change is a new kind (`mail.invitation.v2`),
 * and the old definition stays registered until its queued jobs are gone, since a worker only
 * claims kinds it has a handler for.
 */
export interface JobSpec<S extends TSchema> {
  kind: string;
  /** TypeBox schema of the payload: checked at enqueue and again before the handler runs. */
  payload: S;
  /** Runs before a job counts as failed; the default is the repository's. */
  maxAttempts?: number;
  // Method syntax on purpose: definitions of different payloads fit in one registry.
  handler(payload: Static<S>, ctx: JobContext): Promise<void>;
}

export interface JobDefinition<S extends TSchema = TSchema> extends JobSpec<S> {
  /** Checks the payload and enqueues; pass the caller's transaction. True when the job is new. */
  enqueue(db: Kysely<Database>, payload: Static<S>, options: { idempotencyKey: string; runAt?: Date }): Promise<boolean>;
}

export function defineJob<S extends TSchema>(spec: JobSpec<S>): JobDefinition<S> {
  return {
    ...spec,
    async enqueue(db, payload, options) {
      if (!Value.Check(spec.payload, payload)) throw new Error(`payload does not match the schema of job ${spec.kind}`);
      return enqueueJob(db, { kind: spec.kind, payload, idempotencyKey: options.idempotencyKey, runAt: options.runAt, maxAttempts: spec.maxAttempts });
    },
  };
}

export type JobRegistry = ReadonlyMap<string, JobDefinition>;

/** The jobs a worker runs, by kind. An empty registry is valid: that worker claims nothing. */
export function createRegistry(definitions: readonly JobDefinition[]): JobRegistry {
  const registry = new Map<string, JobDefinition>();
  for (const definition of definitions) {
    if (registry.has(definition.kind)) throw new Error(`job kind ${definition.kind} is defined twice`);
    registry.set(definition.kind, definition);
  }
  return registry;
}
