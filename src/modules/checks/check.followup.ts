import { Type } from '@sinclair/typebox';
import { appendAuditEvent, SYSTEM_ACTOR } from '../../audit/audit.repository.ts';
import type { CheckCampaignTable, CheckTargetTable } from '../../db/schema.ts';
import { defineJob, type JobDefinition } from '../../jobs/registry.ts';
import { cadreNow, type Cadre } from '../../web/types.ts';
import { regrade } from './check.grade.ts';
import { checkMailJob } from './check.jobs.ts';
import { enqueueNotice } from './check.notice.ts';
import { launchCampaign, type CheckScope } from './check.service.ts';

const HOUR = 3_600_000;

/**
 * A check could not be delivered (a permanent SMTP refusal or a bounce): the target says why, the
 * entry's grade drops, and the State's admins and the Secretariat are told. Nothing is disabled.
 */
export async function markUndeliverable(cadre: Cadre, target: CheckTargetTable, reason: string): Promise<void> {
  const db = cadre.database.db;
  await db.transaction().execute(async (trx) => {
    const changed = await trx.updateTable('check_target').set({ status: 'undeliverable', failure: reason.slice(0, 400) }).where('id', '=', target.id).where('status', 'in', ['queued', 'sent']).executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 0) return;
    await regrade(trx, target.poc_id, cadreNow(cadre));
    const readers = await trx
      .selectFrom('app_user')
      .select(['id', 'locale'])
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('role', '=', 'secretariat'), eb.and([eb('role', '=', 'state-admin'), eb('state_iso3', '=', target.state_iso3)])]))
      .execute();
    for (const r of readers) {
      await enqueueNotice(trx, cadre, { kind: 'undeliverable', campaignId: target.campaign_id, state: target.state_iso3, userId: r.id, count: 1, language: r.locale }, `undeliverable:${target.id}:${r.id}`);
    }
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: SYSTEM_ACTOR,
      action: 'check.undeliverable',
      targetType: 'check_target',
      targetId: target.id,
      state: target.state_iso3,
      details: { campaign: target.campaign_id, reason: reason.slice(0, 200) },
    });
  });
}

/**
 * The deadline has passed: every unanswered entry's grade is worked out again, and each State with
 * unanswered entries has its diplomatic POCs and admins told how many; once per campaign.
 */
export async function closeCampaign(cadre: Cadre, campaign: CheckCampaignTable): Promise<number> {
  const db = cadre.database.db;
  const now = cadreNow(cadre);
  return db.transaction().execute(async (trx) => {
    const claimed = await trx.updateTable('check_campaign').set({ closed_at: now.toISOString() }).where('id', '=', campaign.id).where('closed_at', 'is', null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) return 0;
    const open = await trx.selectFrom('check_target').select(['poc_id', 'state_iso3']).where('campaign_id', '=', campaign.id).where('status', 'in', ['queued', 'sent']).execute();
    for (const t of open) await regrade(trx, t.poc_id, now);
    const byState = new Map<string, number>();
    for (const t of open) byState.set(t.state_iso3, (byState.get(t.state_iso3) ?? 0) + 1);
    for (const [state, count] of byState) {
      const diplomatic = trx.selectFrom('poc').select('user_id').where('state_iso3', '=', state).where('kind', '=', 'diplomatic').where('status', '=', 'active');
      const people = await trx
        .selectFrom('app_user')
        .select(['id', 'locale'])
        .where('status', '=', 'active')
        .where((eb) => eb.or([eb.and([eb('role', '=', 'state-admin'), eb('state_iso3', '=', state)]), eb('id', 'in', diplomatic)]))
        .execute();
      for (const p of people) await enqueueNotice(trx, cadre, { kind: 'unanswered', campaignId: campaign.id, state, userId: p.id, count, language: p.locale }, `unanswered:${campaign.id}:${state}:${p.id}`);
    }
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: SYSTEM_ACTOR,
      action: 'check.closed',
      targetType: 'check_campaign',
      targetId: campaign.id,
      details: { unanswered: open.length, states: byState.size },
    });
    return open.length;
  });
}

export interface FollowUpReport {
  reminders: number;
  closed: number;
  restarted: number;
}

/** Reminders before each deadline, the follow-up after it, and recurring campaigns started again. */
export async function followUpChecks(cadre: Cadre): Promise<FollowUpReport> {
  const db = cadre.database.db;
  const now = cadreNow(cadre);
  const at = now.toISOString();
  const report: FollowUpReport = { reminders: 0, closed: 0, restarted: 0 };
  const open = await db.selectFrom('check_campaign').selectAll().where('closed_at', 'is', null).execute();
  const job = checkMailJob(cadre);
  for (const c of open) {
    const deadline = Date.parse(c.deadline_at);
    if (deadline <= now.getTime()) {
      await closeCampaign(cadre, c);
      report.closed++;
      continue;
    }
    for (const h of JSON.parse(c.reminders) as number[]) {
      if (now.getTime() < deadline - h * HOUR) continue;
      const waiting = await db.selectFrom('check_target').select('id').where('campaign_id', '=', c.id).where('status', '=', 'sent').execute();
      for (const t of waiting) if (await job.enqueue(db, { targetId: t.id, reminder: h }, { idempotencyKey: `mail.check:${t.id}:reminder:${h}` })) report.reminders++;
    }
  }
  const due = await db.selectFrom('check_campaign').selectAll().where('next_run_at', '<=', at).execute();
  for (const c of due) {
    // Claimed by clearing next_run_at: one restart per period, however many servers run this.
    const claimed = await db.updateTable('check_campaign').set({ next_run_at: null }).where('id', '=', c.id).where('next_run_at', '=', c.next_run_at).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) === 0) continue;
    const hours = Math.round((Date.parse(c.deadline_at) - Date.parse(c.created_at)) / HOUR);
    try {
      await launchCampaign(
        cadre,
        { id: c.created_by, label: 'recurring check' },
        { mode: c.mode, scope: JSON.parse(c.scope) as CheckScope, deadlineHours: hours, reminders: JSON.parse(c.reminders) as number[], recurrenceMonths: c.recurrence_months, note: c.note },
      );
      report.restarted++;
    } catch (error) {
      // Nobody to check, or no mail: try again a period later, and say so in the log of record.
      const next = new Date(now.getTime() + (c.recurrence_months ?? 6) * 30 * 24 * HOUR).toISOString();
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('check_campaign').set({ next_run_at: next }).where('id', '=', c.id).execute();
        await appendAuditEvent(trx, cadre.database.engine, {
          actor: SYSTEM_ACTOR,
          action: 'check.recurrence-failed',
          targetType: 'check_campaign',
          targetId: c.id,
          details: { reason: error instanceof Error ? error.message : String(error), next },
        });
      });
    }
  }
  return report;
}

export const FOLLOW_UP_KIND = 'checks.follow-up';

/** The follow-up as a job that queues its own next run, every quarter of an hour. */
export function followUpJob(cadre: Cadre): JobDefinition {
  return defineJob({
    kind: FOLLOW_UP_KIND,
    payload: Type.Object({}, { additionalProperties: false }),
    maxAttempts: 3,
    async handler() {
      await followUpChecks(cadre);
      await scheduleFollowUp(cadre, new Date(Date.now() + QUARTER));
    },
  });
}

const QUARTER = 15 * 60_000;

export async function scheduleFollowUp(cadre: Cadre, at: Date = new Date()): Promise<boolean> {
  const slot = new Date(Math.floor(at.getTime() / QUARTER) * QUARTER);
  return followUpJob(cadre).enqueue(cadre.database.db, {}, { idempotencyKey: `${FOLLOW_UP_KIND}:${slot.toISOString()}`, runAt: slot });
}
