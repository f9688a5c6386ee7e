import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db, Engine } from '../db/database.ts';
import { preparedQuery } from '../db/prepared.ts';
import type { AuditEventTable, Database } from '../db/schema.ts';
import { hashEvent, redactSecrets, canonicalJson, verifyChain, type ChainFault } from './chain.ts';

export interface AuditActor {
  id: string | null;
  label: string;
}

export interface AuditInput {
  actor: AuditActor;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  state?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export const SYSTEM_ACTOR: AuditActor = { id: null, label: 'system' };

// Every change and every view of contact details appends an event: the three statements are prepared.
const selectHead = (engine: Engine) => (engine === 'postgres' ? selectHeadForUpdate : selectHeadShared);
const selectHeadShared = preparedQuery((db) => db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', sql.lit(1)), []);
const selectHeadForUpdate = preparedQuery((db) => db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', sql.lit(1)).forUpdate(), []);
const EVENT_COLUMNS = ['seq', 'time', 'actor_id', 'actor_label', 'action', 'target_type', 'target_id', 'state_iso3', 'ip', 'details', 'prev_hash', 'hash'] as const satisfies readonly (keyof AuditEventTable)[];
const insertEvent = preparedQuery(
  (db, ...values: unknown[]) => db.insertInto('audit_event').values(Object.fromEntries(EVENT_COLUMNS.map((column, i) => [column, values[i]])) as unknown as AuditEventTable),
  EVENT_COLUMNS.map((): unknown => ''),
);
const updateHead = preparedQuery((db, seq: number, hash: string) => db.updateTable('audit_head').set({ seq, hash }).where('id', '=', sql.lit(1)), [0, '']);

/**
 * Appends one event to the chain inside the caller's transaction, so the event and the change it
 * records commit or roll back together. The head row is locked so concurrent writers queue
 * (FOR UPDATE on PostgreSQL; on SQLite, transactions take the write lock as they begin).
 */
export async function appendAuditEvent(trx: Transaction<Database>, engine: Engine, input: AuditInput): Promise<AuditEventTable> {
  return (await appendAuditEvents(trx, engine, [input]))[0]!;
}

/** Appends events to the chain in the caller's transaction, in order: the head is read and moved once. */
async function appendAuditEvents(trx: Transaction<Database>, engine: Engine, inputs: readonly AuditInput[]): Promise<AuditEventTable[]> {
  const [head] = await selectHead(engine)(trx);
  if (!head) throw new Error('the audit chain has no head row');
  const events: AuditEventTable[] = [];
  let previous = head;
  for (const input of inputs) {
    const row = {
      seq: previous.seq + 1,
      time: new Date().toISOString(),
      actor_id: input.actor.id,
      actor_label: input.actor.label,
      action: input.action,
      target_type: input.targetType ?? null,
      target_id: input.targetId ?? null,
      state_iso3: input.state ?? null,
      ip: input.ip ?? null,
      details: canonicalJson(redactSecrets(input.details ?? {})),
      prev_hash: previous.hash,
    };
    const event: AuditEventTable = { ...row, hash: hashEvent(row) };
    await insertEvent(trx, ...EVENT_COLUMNS.map((column) => event[column]));
    events.push(event);
    previous = event;
  }
  await updateHead(trx, previous.seq, previous.hash);
  return events;
}

interface Waiting {
  input: AuditInput;
  resolve: (event: AuditEventTable) => void;
  reject: (error: unknown) => void;
}
const waitingFor = new WeakMap<Db, Waiting[]>();

/**
 * An event that records no change of its own (a view of contact details, a refusal, a failed
 * sign-in): appended in a transaction of its own, and resolved once that has committed. The events
 * recorded while the process handles one round of requests share one transaction (a directory
 * under load records a view per page); if it fails, each is tried again alone, so that a fault
 * fails only its own event.
 */
export function recordAuditEvent(database: Db, input: AuditInput): Promise<AuditEventTable> {
  return new Promise((resolve, reject) => {
    const waiting = waitingFor.get(database);
    if (waiting) {
      waiting.push({ input, resolve, reject });
      return;
    }
    const batch: Waiting[] = [{ input, resolve, reject }];
    waitingFor.set(database, batch);
    setImmediate(() => {
      waitingFor.delete(database);
      void commitBatch(database, batch);
    });
  });
}

async function commitBatch(database: Db, batch: Waiting[]): Promise<void> {
  const inputs = batch.map((w) => w.input);
  let events: AuditEventTable[];
  try {
    events = await database.db.transaction().execute((trx) => appendAuditEvents(trx, database.engine, inputs));
  } catch (error) {
    if (batch.length === 1) return batch[0]!.reject(error);
    for (const w of batch) {
      await database.db
        .transaction()
        .execute((trx) => appendAuditEvent(trx, database.engine, w.input))
        .then(w.resolve, w.reject);
    }
    return;
  }
  batch.forEach((w, i) => w.resolve(events[i]!));
}

export interface AuditFilter {
  action?: string | undefined;
  actorId?: string | undefined;
  state?: string | undefined;
  targetId?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  beforeSeq?: number | undefined;
  limit: number;
}

export async function listAuditEvents(db: Kysely<Database>, f: AuditFilter): Promise<AuditEventTable[]> {
  let q = db.selectFrom('audit_event').selectAll().orderBy('seq', 'desc').limit(f.limit);
  if (f.action) q = q.where('action', 'like', `${f.action.replace(/[%_]/g, '')}%`);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.state) q = q.where('state_iso3', '=', f.state);
  if (f.targetId) q = q.where('target_id', '=', f.targetId);
  if (f.since) q = q.where('time', '>=', f.since);
  if (f.until) q = q.where('time', '<', f.until);
  if (f.beforeSeq) q = q.where('seq', '<', f.beforeSeq);
  return q.execute();
}

export interface VerifyReport {
  events: number;
  fault: ChainFault | null;
}

/** Walks the whole chain in pages, in seq order. */
export async function verifyAuditChain(db: Kysely<Database>): Promise<VerifyReport> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
  const events: AuditEventTable[] = [];
  for (let after = 0; ; ) {
    const page = await db.selectFrom('audit_event').selectAll().where('seq', '>', after).orderBy('seq').limit(1000).execute();
    if (page.length === 0) break;
    events.push(...page);
    after = page[page.length - 1]!.seq;
  }
  return { events: events.length, fault: verifyChain(events, head) };
}
