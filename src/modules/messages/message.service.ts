import type { Transaction } from 'kysely';
import { appendAuditEvent } from '../../audit/audit.repository.ts';
import { newId } from '../../auth/crypto.ts';
import { authorize } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { decryptContent, encryptContent } from '../../crypto/content.ts';
import type { Database, MessageTable, MessageThreadTable, ThreadPartyTable } from '../../db/schema.ts';
import { CadreError, InvalidFields, type FieldProblem } from '../../errors.ts';
import { cadreNow, type Cadre } from '../../web/types.ts';
import { mostRestrictiveTlp, validateTemplateInput, type TemplateContent } from './template-input.ts';
import { isTemplateId, templateById, type TlpLabel, type Urgency } from './templates.ts';
import { messagePolicy, type ThreadSubject } from './message.policy.ts';
import { enqueueMessageNotices, noticeRecipients } from './message.notify.ts';
import { exerciseProblems } from './exercise.service.ts';
import { attachmentBytes, checkAttachments, listAttachments, storeAttachments, type AttachmentListing, type IncomingAttachment } from './attachments.ts';

const HOUR = 3_600_000;
/** Hours to acknowledge and to answer, by urgency (issue 6: critical 2 h, urgent 24 h, routine 72 h). */
export const DEADLINES: Record<Urgency, { ack: number; response: number }> = {
  critical: { ack: 2, response: 24 },
  urgent: { ack: 24, response: 72 },
  routine: { ack: 72, response: 240 },
};

export interface Recipients {
  states: string[];
  /** All active POCs of this kind in each State (default: both kinds)… */
  kind?: 'diplomatic' | 'technical' | undefined;
  /** …or these named entries (required for TLP:RED). */
  pocs?: string[] | undefined;
}

export interface OpenInput {
  template: string;
  fields: Record<string, unknown>;
  recipients: Recipients;
  hideRecipients?: boolean | undefined;
  /** A running exercise the sender and every recipient State take part in: the thread is an exercise. */
  exerciseId?: string | undefined;
  /** Files sent with the first message (see attachments.ts for what is accepted). */
  attachments?: IncomingAttachment[] | undefined;
}

function validContent(template: string, fields: Record<string, unknown>, now: Date, role: 'opens' | 'replies'): TemplateContent {
  if (!isTemplateId(template) || templateById(template).role !== role) throw new InvalidFields([{ field: 'template', messageKey: 'validation.choice' }]);
  const checked = validateTemplateInput(template, fields, now);
  if (!checked.ok) throw new InvalidFields(checked.problems);
  return checked.value;
}

/**
 * A POC (or admin) of State A writes to other States' POCs: the thread, each State's part, the first
 * message (its fields encrypted at rest) and the audit event (metadata only) in one transaction.
 */
export async function openThread(cadre: Cadre, actor: Principal, input: OpenInput, ip: string | null = null): Promise<MessageThreadTable> {
  authorize('message', messagePolicy, actor, 'send');
  if (!actor.state) throw new CadreError(403, 'error.forbidden');
  const now = cadreNow(cadre);
  if (!isTemplateId(input.template) || templateById(input.template).role !== 'opens') throw new InvalidFields([{ field: 'template', messageKey: 'validation.choice' }]);
  // Every fault at once: the template's fields and the recipients.
  const checked = validateTemplateInput(input.template, input.fields, now);
  const problems: FieldProblem[] = checked.ok ? [] : [...checked.problems];
  const tlp = (checked.ok ? checked.value.fields.tlp : input.fields.tlp) as TlpLabel;
  const db = cadre.database.db;
  const states = [...new Set(input.recipients.states.map((s) => s.toUpperCase()))].filter((s) => s !== actor.state);
  if (states.length === 0) problems.push({ field: 'recipients', messageKey: 'messages.recipientsRequired' });
  const named = input.recipients.pocs ?? [];
  if (tlp === 'RED' && named.length === 0) problems.push({ field: 'recipients', messageKey: 'messages.redNeedsNamed', values: { red: 'TLP:RED' } });
  const addressed = new Map<string, { kind?: string; pocs?: string[] }>();
  for (const state of states) {
    let q = db.selectFrom('poc').select(['id', 'user_id']).where('state_iso3', '=', state).where('status', '=', 'active');
    if (named.length) q = q.where('id', 'in', named);
    else if (input.recipients.kind) q = q.where('kind', '=', input.recipients.kind);
    const reachable = await q.execute();
    if (reachable.length === 0) problems.push({ field: 'recipients', messageKey: 'messages.noActivePoc', values: { state } });
    addressed.set(state, named.length ? { pocs: reachable.map((r) => r.id) } : input.recipients.kind ? { kind: input.recipients.kind } : {});
  }
  if (input.exerciseId) problems.push(...(await exerciseProblems(db, input.exerciseId, actor.state, states)));
  const files = checkAttachments(input.attachments ?? []);
  problems.push(...files.problems);
  if (problems.length || !checked.ok) throw new InvalidFields(problems);
  const content = checked.value;
  const urgency = content.fields.urgency as Urgency;
  const at = now.toISOString();
  const deadlines = DEADLINES[urgency];
  const thread: MessageThreadTable = {
    id: newId(),
    from_state: actor.state,
    template: content.template,
    urgency,
    tlp,
    status: 'sent',
    hide_recipients: input.hideRecipients ? 1 : 0,
    exercise_id: input.exerciseId || null,
    created_by: actor.userId,
    created_at: at,
    ack_deadline_at: new Date(now.getTime() + deadlines.ack * HOUR).toISOString(),
    response_deadline_at: new Date(now.getTime() + deadlines.response * HOUR).toISOString(),
    last_activity_at: at,
    message_count: 1,
  };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('message_thread').values(thread).execute();
    await trx.insertInto('thread_party').values(party(thread.id, actor.state!, 'sender', {})).execute();
    for (const [state, to] of addressed) await trx.insertInto('thread_party').values(party(thread.id, state, 'recipient', to)).execute();
    const message = await insertMessage(trx, cadre, thread, 1, content, actor, tlp, at);
    await storeAttachments(trx, cadre, message, files.accepted);
    // The notices commit with the message (and its files), or none does.
    await enqueueMessageNotices(trx, cadre, thread, message, await noticeRecipients(trx, thread, message));
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: { id: actor.userId, label: actor.email },
      action: 'message.sent',
      targetType: 'message_thread',
      targetId: thread.id,
      state: actor.state,
      ip,
      details: { template: thread.template, urgency, tlp, to: states },
    });
  });
  return thread;
}

function party(threadId: string, state: string, role: 'sender' | 'recipient', addressed: object): ThreadPartyTable {
  return { thread_id: threadId, state_iso3: state, role, addressed: JSON.stringify(addressed), response_state: 'not-assessed', response_reason: null, own_reference: null, acknowledged_at: null, answered_at: null, alerted_at: null };
}

async function insertMessage(trx: Transaction<Database>, cadre: Cadre, thread: MessageThreadTable, seq: number, content: TemplateContent, actor: Principal, tlp: string, at: string): Promise<MessageTable> {
  const id = newId();
  const row: MessageTable = {
    id,
    thread_id: thread.id,
    seq,
    template: content.template,
    author_id: actor.userId,
    author_state: actor.state!,
    tlp,
    created_at: at,
    content: encryptContent(cadre.config.contentKey, JSON.stringify(content.fields), `message:${id}`),
  };
  await trx.insertInto('message').values(row).execute();
  return row;
}

/** The policy's view of a thread: its States, its label and, for RED, the only accounts that read it. */
export async function subjectOf(db: Transaction<Database> | Cadre['database']['db'], thread: MessageThreadTable): Promise<ThreadSubject> {
  const parties = await db.selectFrom('thread_party').select(['state_iso3', 'addressed']).where('thread_id', '=', thread.id).execute();
  let red: string[] = [];
  if (thread.tlp === 'RED') {
    const named = parties.flatMap((p) => (JSON.parse(p.addressed) as { pocs?: string[] }).pocs ?? []);
    const users = named.length ? await db.selectFrom('poc').select('user_id').where('id', 'in', named).execute() : [];
    const authors = await db.selectFrom('message').select('author_id').where('thread_id', '=', thread.id).execute();
    red = [...users.map((u) => u.user_id), ...authors.map((a) => a.author_id).filter((a): a is string => a !== null)];
  }
  return { from_state: thread.from_state, states: parties.map((p) => p.state_iso3), tlp: thread.tlp, red_readers: red };
}

export interface ThreadView {
  thread: MessageThreadTable;
  parties: ThreadPartyTable[];
  /** Decrypted, oldest first; empty for a reader who sees metadata only. */
  messages: (Omit<MessageTable, 'content'> & { fields: Record<string, unknown> | null })[];
  canRead: boolean;
  /** The policy's view of the thread, for the page's further questions (may this reader respond, close). */
  subject: ThreadSubject;
  /** The last message this reader had seen before this visit (0: never looked). */
  seenBefore: number;
  /** The files of the messages this reader reads (none for a reader who sees metadata only). */
  attachments: AttachmentListing[];
}

/**
 * Hidden co-recipients: in such a thread a recipient State sees the sender's messages and parts and
 * its own, never another recipient's. The sender and the Secretariat (metadata) see every State.
 */
function hidesCoRecipients(thread: Pick<MessageThreadTable, 'hide_recipients' | 'from_state'>, actor: Principal): boolean {
  return thread.hide_recipients === 1 && actor.state !== thread.from_state && actor.role !== 'secretariat';
}

/** Whether this reader sees what `state` wrote or did in the thread. */
function seesState(thread: Pick<MessageThreadTable, 'hide_recipients' | 'from_state'>, actor: Principal, state: string): boolean {
  return !hidesCoRecipients(thread, actor) || state === thread.from_state || state === actor.state;
}

/** A thread as this reader may see it; a thread it may not see answers like one that does not exist. */
export async function readThread(cadre: Cadre, actor: Principal, id: string): Promise<ThreadView> {
  const db = cadre.database.db;
  const thread = await db.selectFrom('message_thread').selectAll().where('id', '=', id).executeTakeFirst();
  if (!thread) throw new CadreError(404, 'messages.notFound');
  const subject = await subjectOf(db, thread);
  if (!messagePolicy(actor, 'meta', subject)) throw new CadreError(404, 'messages.notFound');
  const canRead = messagePolicy(actor, 'read', subject);
  const [parties, rows, seen] = await Promise.all([
    db.selectFrom('thread_party').selectAll().where('thread_id', '=', id).orderBy('role', 'desc').orderBy('state_iso3').execute(),
    db.selectFrom('message').selectAll().where('thread_id', '=', id).orderBy('seq').execute(),
    db.selectFrom('thread_read').select('seen_seq').where('thread_id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst(),
  ]);
  const visible = rows.filter((m) => seesState(thread, actor, m.author_state));
  const messages = visible.map(({ content, ...m }) => ({ ...m, fields: canRead ? (JSON.parse(decryptContent(cadre.config.contentKey, content, `message:${m.id}`)) as Record<string, unknown>) : null }));
  // What this reader has seen (content or, for the Secretariat, the metadata): "new" is measured against it.
  {
    const at = cadreNow(cadre).toISOString();
    const last = thread.message_count;
    await db
      .insertInto('thread_read')
      .values({ thread_id: id, user_id: actor.userId, seen_seq: last, seen_at: at })
      .onConflict((oc) => oc.columns(['thread_id', 'user_id']).doUpdateSet({ seen_seq: last, seen_at: at }))
      .execute();
  }
  const shown = new Set(messages.map((m) => m.id));
  const attachments = canRead ? (await listAttachments(db, id)).filter((a) => shown.has(a.message_id)) : [];
  return { thread, parties: parties.filter((p) => seesState(thread, actor, p.state_iso3)), messages, canRead, subject, seenBefore: seen?.seen_seq ?? 0, attachments };
}

/**
 * A file of a thread, for a reader who reads the message it came with; like a missing one
 * otherwise. Only that file is decrypted, and reading it does not count as looking at the thread.
 */
export async function readAttachment(cadre: Cadre, actor: Principal, threadId: string, attachmentId: string) {
  const db = cadre.database.db;
  const thread = await db.selectFrom('message_thread').selectAll().where('id', '=', threadId).executeTakeFirst();
  if (!thread) throw new CadreError(404, 'messages.notFound');
  const subject = await subjectOf(db, thread);
  if (!messagePolicy(actor, 'meta', subject)) throw new CadreError(404, 'messages.notFound');
  const file = messagePolicy(actor, 'read', subject) ? await attachmentBytes(cadre, threadId, attachmentId, (author) => seesState(thread, actor, author)) : undefined;
  if (!file) throw new CadreError(404, 'messages.attachment.notFound');
  return file;
}

/**
 * A reply in a thread: acknowledgement and response by a recipient State (which moves its part and
 * the thread's status), closure by the sending State. Its TLP is the most restrictive of the thread's.
 */
export async function reply(cadre: Cadre, actor: Principal, threadId: string, input: { template: string; fields: Record<string, unknown>; attachments?: IncomingAttachment[] | undefined }, ip: string | null = null): Promise<MessageTable> {
  const db = cadre.database.db;
  const now = cadreNow(cadre);
  // Every fault at once: the template's fields and the files.
  const files = checkAttachments(input.attachments ?? []);
  let content: TemplateContent;
  try {
    content = validContent(input.template, input.fields, now, 'replies');
  } catch (error) {
    if (error instanceof InvalidFields) throw new InvalidFields([...error.fields, ...files.problems]);
    throw error;
  }
  if (files.problems.length) throw new InvalidFields(files.problems);
  const thread = await db.selectFrom('message_thread').selectAll().where('id', '=', threadId).executeTakeFirst();
  if (!thread) throw new CadreError(404, 'messages.notFound');
  const subject = await subjectOf(db, thread);
  if (!messagePolicy(actor, 'read', subject)) throw new CadreError(404, 'messages.notFound');
  const closing = content.template === 'closure';
  if (closing ? !messagePolicy(actor, 'close', subject) : !messagePolicy(actor, 'respond', subject)) throw new CadreError(403, 'messages.notYourTurn');
  if (thread.status === 'closed') throw new CadreError(409, 'messages.closed');
  const tlp = mostRestrictiveTlp([thread.tlp as TlpLabel, content.fields.tlp as TlpLabel])!;
  if (tlp === 'RED' && thread.tlp !== 'RED') throw new InvalidFields([{ field: 'tlp', messageKey: 'messages.redNeedsNamed', values: { red: 'TLP:RED' } }]);
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    const fresh = (await trx.selectFrom('message_thread').select('message_count').where('id', '=', threadId).executeTakeFirstOrThrow()).message_count;
    const message = await insertMessage(trx, cadre, thread, fresh + 1, { ...content, fields: { ...content.fields, tlp } }, actor, tlp, at);
    await storeAttachments(trx, cadre, message, files.accepted);
    await enqueueMessageNotices(trx, cadre, { ...thread, tlp }, message, await noticeRecipients(trx, thread, message));
    let status = thread.status;
    if (closing) status = 'closed';
    else {
      const part = trx.updateTable('thread_party').where('thread_id', '=', threadId).where('state_iso3', '=', actor.state!);
      if (content.template === 'acknowledgement') {
        const reference = typeof content.fields.reference === 'string' ? content.fields.reference.slice(0, 100) : null;
        await part.set({ acknowledged_at: at, ...(reference ? { own_reference: reference } : {}) }).where('acknowledged_at', 'is', null).execute();
        if (status === 'sent') status = 'acknowledged';
      } else {
        await part.set({ answered_at: at }).where('answered_at', 'is', null).execute();
        await trx.updateTable('thread_party').set({ acknowledged_at: at }).where('thread_id', '=', threadId).where('state_iso3', '=', actor.state!).where('acknowledged_at', 'is', null).execute();
        if (status === 'sent' || status === 'acknowledged') status = 'answered';
      }
    }
    await trx.updateTable('message_thread').set({ message_count: fresh + 1, last_activity_at: at, status, tlp }).where('id', '=', threadId).execute();
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: { id: actor.userId, label: actor.email },
      action: `message.${content.template}`,
      targetType: 'message_thread',
      targetId: threadId,
      state: actor.state,
      ip,
      details: { seq: fresh + 1, tlp },
    });
    return message;
  });
}

export const RESPONSE_STATES = ['not-assessed', 'in-progress', 'not-applicable', 'disputed', 'completed'] as const;

/** A recipient State records where its response stands; "disputed" needs a reason. */
export async function setResponseState(cadre: Cadre, actor: Principal, threadId: string, state: string, reason: string | undefined, ip: string | null = null): Promise<void> {
  const db = cadre.database.db;
  const thread = await db.selectFrom('message_thread').selectAll().where('id', '=', threadId).executeTakeFirst();
  if (!thread) throw new CadreError(404, 'messages.notFound');
  const subject = await subjectOf(db, thread);
  if (!messagePolicy(actor, 'read', subject)) throw new CadreError(404, 'messages.notFound');
  if (!messagePolicy(actor, 'respond', subject)) throw new CadreError(403, 'messages.notYourTurn');
  if (!(RESPONSE_STATES as readonly string[]).includes(state)) throw new InvalidFields([{ field: 'responseState', messageKey: 'validation.choice' }]);
  const why = (reason ?? '').trim();
  if (state === 'disputed' && !why) throw new InvalidFields([{ field: 'reason', messageKey: 'messages.disputeReason' }]);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('thread_party').set({ response_state: state as ThreadPartyTable['response_state'], response_reason: why || null }).where('thread_id', '=', threadId).where('state_iso3', '=', actor.state!).execute();
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: { id: actor.userId, label: actor.email },
      action: 'message.response-state',
      targetType: 'message_thread',
      targetId: threadId,
      state: actor.state,
      ip,
      details: { responseState: state },
    });
  });
}

export interface InboxRow extends MessageThreadTable {
  states: string[];
  unread: boolean;
  overdue: boolean;
}

export const INBOX_PAGE_SIZE = 50;

/**
 * The threads the reader's State takes part in (the Secretariat: all, as metadata), newest activity
 * first, a page at a time, with how many match over every page.
 */
export async function inbox(
  cadre: Cadre,
  actor: Principal,
  filter: { state?: string | undefined; status?: string | undefined; urgency?: string | undefined; overdue?: boolean | undefined } = {},
  page = 1,
): Promise<{ rows: InboxRow[]; total: number }> {
  authorize('message', messagePolicy, actor, 'inbox');
  const db = cadre.database.db;
  let q = db.selectFrom('message_thread').selectAll('message_thread');
  if (actor.role !== 'secretariat') q = q.where('message_thread.id', 'in', db.selectFrom('thread_party').select('thread_id').where('state_iso3', '=', actor.state ?? '---'));
  if (filter.state) q = q.where('message_thread.id', 'in', db.selectFrom('thread_party').select('thread_id').where('state_iso3', '=', filter.state.toUpperCase()));
  if (filter.status) q = q.where('message_thread.status', '=', filter.status as MessageThreadTable['status']);
  if (filter.urgency) q = q.where('message_thread.urgency', '=', filter.urgency as Urgency);
  if (filter.overdue) {
    // In SQL, so an overdue thread is found however old its last activity.
    q = q
      .where('message_thread.status', '!=', 'closed')
      .where('message_thread.ack_deadline_at', '<', cadreNow(cadre).toISOString())
      .where('message_thread.id', 'in', db.selectFrom('thread_party').select('thread_id').where('role', '=', 'recipient').where('acknowledged_at', 'is', null));
  }
  const [threads, count] = await Promise.all([
    q.orderBy('message_thread.last_activity_at', 'desc').orderBy('message_thread.id').limit(INBOX_PAGE_SIZE).offset((page - 1) * INBOX_PAGE_SIZE).execute(),
    q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const total = Number(count.n);
  if (threads.length === 0) return { rows: [], total };
  const ids = threads.map((t) => t.id);
  const [parties, reads] = await Promise.all([
    db.selectFrom('thread_party').select(['thread_id', 'state_iso3', 'acknowledged_at', 'role']).where('thread_id', 'in', ids).execute(),
    db.selectFrom('thread_read').select(['thread_id', 'seen_seq']).where('thread_id', 'in', ids).where('user_id', '=', actor.userId).execute(),
  ]);
  const now = cadreNow(cadre).toISOString();
  const seen = new Map(reads.map((r) => [r.thread_id, r.seen_seq]));
  const byThread = new Map<string, typeof parties>();
  for (const p of parties) byThread.set(p.thread_id, [...(byThread.get(p.thread_id) ?? []), p]);
  const rows = threads.map((t) => {
    const mine = byThread.get(t.id) ?? [];
    const overdue = t.status !== 'closed' && mine.some((p) => p.role === 'recipient' && !p.acknowledged_at) && t.ack_deadline_at < now;
    return { ...t, states: mine.map((p) => p.state_iso3).filter((s) => seesState(t, actor, s)), unread: (seen.get(t.id) ?? 0) < t.message_count, overdue };
  });
  return { rows, total };
}
