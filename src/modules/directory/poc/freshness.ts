import { appendAuditEvent, SYSTEM_ACTOR } from '../../../audit/audit.repository.ts';
import { defineJob, type JobDefinition } from '../../../jobs/registry.ts';
import { Type } from '@sinclair/typebox';
import { cadreNow, type Cadre } from '../../../web/types.ts';
import { readDirectorySettings } from './directory.settings.ts';
import { enqueueDirectoryMail } from './directory.jobs.ts';
import { PGP_WARN_DAYS } from './pgp-warning.ts';

export interface SweepReport {
  due: number;
  lapsed: number;
  pgp: number;
}

const DAY = 86_400_000;

/**
 * Freshness: an entry whose "confirmed until" comes within the reminder window gets a reminder to
 * its POC and its State's admins; once it has passed, a lapse notice. A key about to expire warns
 * its owner. Each mail goes once per entry, stage and date (the job's key), however often this runs.
 */
export async function sweepFreshness(cadre: Cadre): Promise<SweepReport> {
  const db = cadre.database.db;
  const now = cadreNow(cadre);
  const settings = await readDirectorySettings(db);
  const report: SweepReport = { due: 0, lapsed: 0, pgp: 0 };
  const dueBefore = new Date(now.getTime() + settings.reminderDays * DAY).toISOString();
  const entries = await db
    .selectFrom('poc')
    .selectAll()
    .where('status', '=', 'active')
    .where((eb) => eb.or([eb('confirmed_until', '<', dueBefore), eb('pgp_expires_at', '<', new Date(now.getTime() + PGP_WARN_DAYS * DAY).toISOString())]))
    .execute();
  for (const entry of entries) {
    const admins = await db.selectFrom('app_user').select(['id', 'locale']).where('state_iso3', '=', entry.state_iso3).where('role', '=', 'state-admin').where('status', '=', 'active').execute();
    const poc = await db.selectFrom('app_user').select(['id', 'locale']).where('id', '=', entry.user_id).executeTakeFirst();
    await db.transaction().execute(async (trx) => {
      if (entry.confirmed_until < dueBefore) {
        const stage = Date.parse(entry.confirmed_until) < now.getTime() ? 'lapsed' : 'due';
        let sent = 0;
        for (const user of [...(poc ? [poc] : []), ...admins]) {
          const key = `${stage}:${entry.id}:${entry.confirmed_until}:${user.id}`;
          if (await enqueueDirectoryMail(trx, cadre, { kind: stage, userId: user.id, pocId: entry.id, until: entry.confirmed_until, language: user.locale }, key)) sent++;
        }
        if (sent > 0) {
          report[stage]++;
          await trx.updateTable('poc').set({ reminded_at: now.toISOString() }).where('id', '=', entry.id).execute();
          await appendAuditEvent(trx, cadre.database.engine, {
            actor: SYSTEM_ACTOR,
            action: stage === 'due' ? 'poc.reminded' : 'poc.lapsed',
            targetType: 'poc',
            targetId: entry.id,
            state: entry.state_iso3,
            details: { confirmedUntil: entry.confirmed_until, recipients: sent },
          });
        }
      }
      if (entry.pgp_expires_at && poc && Date.parse(entry.pgp_expires_at) < now.getTime() + PGP_WARN_DAYS * DAY) {
        const key = `pgp:${entry.id}:${entry.pgp_expires_at}`;
        if (await enqueueDirectoryMail(trx, cadre, { kind: 'pgp', userId: poc.id, pocId: entry.id, until: entry.pgp_expires_at, language: poc.locale }, key)) report.pgp++;
      }
    });
  }
  return report;
}

export const FRESHNESS_JOB_KIND = 'directory.freshness';
const HOUR = 3_600_000;

/** The sweep as a job that queues its own next run, an hour on: one chain, however many servers start it. */
export function freshnessJob(cadre: Cadre): JobDefinition {
  const job: JobDefinition = defineJob({
    kind: FRESHNESS_JOB_KIND,
    payload: Type.Object({}, { additionalProperties: false }),
    maxAttempts: 3,
    async handler() {
      await sweepFreshness(cadre);
      await scheduleFreshness(cadre, new Date(Date.now() + HOUR));
    },
  });
  return job;
}

/** Queues the sweep for the hour `at` falls in (a second call for the same hour is a no-op). */
export async function scheduleFreshness(cadre: Cadre, at: Date = new Date()): Promise<boolean> {
  const hour = new Date(Math.floor(at.getTime() / HOUR) * HOUR);
  return freshnessJob(cadre).enqueue(cadre.database.db, {}, { idempotencyKey: `${FRESHNESS_JOB_KIND}:${hour.toISOString()}`, runAt: hour });
}
