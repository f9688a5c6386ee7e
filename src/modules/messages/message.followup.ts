// Acknowledgement deadlines (issue 6): a reminder to the addressed POCs once half the time is gone,
// and once the deadline has passed, the recipient State's diplomatic POCs and admins alerted, once.
import { Type } from '@sinclair/typebox';
import { appendAuditEvent, SYSTEM_ACTOR } from '../../audit/audit.repository.ts';
import { defineJob, type JobDefinition } from '../../jobs/registry.ts';
import { cadreNow, type Cadre } from '../../web/types.ts';
import { addressedPocs, enqueueMessageNotice } from './message.notify.ts';

export interface MessageFollowUpReport {
  reminders: number;
  alerts: number;
}

/** One pass over the threads still waiting for an acknowledgement. */
export async function followUpMessages(cadre: Cadre): Promise<MessageFollowUpReport> {
  const db = cadre.database.db;
  const now = cadreNow(cadre);
  const report: MessageFollowUpReport = { reminders: 0, alerts: 0 };
  const waiting = await db
    .selectFrom('thread_party')
    .innerJoin('message_thread', 'message_thread.id', 'thread_party.thread_id')
    .select(['thread_party.thread_id', 'thread_party.state_iso3', 'thread_party.addressed', 'message_thread.created_at', 'message_thread.ack_deadline_at'])
    .where('thread_party.role', '=', 'recipient')
    .where('thread_party.acknowledged_at', 'is', null)
    .where('thread_party.alerted_at', 'is', null)
    .where('message_thread.status', '!=', 'closed')
    .execute();
  for (const w of waiting) {
    const created = Date.parse(w.created_at);
    const deadline = Date.parse(w.ack_deadline_at);
    if (now.getTime() >= deadline) {
      if (await alertOverdue(cadre, w.thread_id, w.state_iso3)) report.alerts++;
    } else if (now.getTime() >= created + (deadline - created) / 2) {
      for (const poc of await addressedPocs(db, w.state_iso3, w.addressed)) {
        if (await enqueueMessageNotice(db, cadre, { kind: 'reminder', threadId: w.thread_id, state: w.state_iso3, userId: poc.user_id }, `${w.thread_id}:${w.state_iso3}:${poc.user_id}`)) report.reminders++;
      }
    }
  }
  return report;
}

/** Claims the alert by setting alerted_at (one alert per State and thread, however many servers run this), then tells its diplomatic POCs and admins. */
async function alertOverdue(cadre: Cadre, threadId: string, state: string): Promise<boolean> {
  const at = cadreNow(cadre).toISOString();
  return cadre.database.db.transaction().execute(async (trx) => {
    const claimed = await trx.updateTable('thread_party').set({ alerted_at: at }).where('thread_id', '=', threadId).where('state_iso3', '=', state).where('alerted_at', 'is', null).where('acknowledged_at', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return false;
    // A/77/275 annex para 16 b: the diplomatic POC is the channel when the technical one does not answer.
    const diplomatic = trx.selectFrom('poc').select('user_id').where('state_iso3', '=', state).where('kind', '=', 'diplomatic').where('status', '=', 'active');
    const people = await trx
      .selectFrom('app_user')
      .select('id')
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb.and([eb('role', '=', 'state-admin'), eb('state_iso3', '=', state)]), eb('id', 'in', diplomatic)]))
      .execute();
    for (const p of people) await enqueueMessageNotice(trx, cadre, { kind: 'overdue', threadId, state, userId: p.id }, `${threadId}:${state}:${p.id}`);
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: SYSTEM_ACTOR,
      action: 'message.overdue',
      targetType: 'message_thread',
      targetId: threadId,
      state,
      details: { alerted: people.length },
    });
    return true;
  });
}

export const MESSAGE_FOLLOW_UP_KIND = 'messages.follow-up';
const QUARTER = 15 * 60_000;

/** The follow-up as a job that queues its own next run, every quarter of an hour. */
export function messageFollowUpJob(cadre: Cadre): JobDefinition {
  return defineJob({
    kind: MESSAGE_FOLLOW_UP_KIND,
    payload: Type.Object({}, { additionalProperties: false }),
    maxAttempts: 3,
    async handler() {
      await followUpMessages(cadre);
      await scheduleMessageFollowUp(cadre, new Date(Date.now() + QUARTER));
    },
  });
}

export async function scheduleMessageFollowUp(cadre: Cadre, at: Date = new Date()): Promise<boolean> {
  const slot = new Date(Math.floor(at.getTime() / QUARTER) * QUARTER);
  return messageFollowUpJob(cadre).enqueue(cadre.database.db, {}, { idempotencyKey: `${MESSAGE_FOLLOW_UP_KIND}:${slot.toISOString()}`, runAt: slot });
}
