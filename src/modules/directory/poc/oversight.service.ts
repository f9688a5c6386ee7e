import { appendAuditEvent } from '../../../audit/audit.repository.ts';
import { authorize } from '../../../auth/policy.ts';
import type { Principal } from '../../../auth/principal.ts';
import { CadreError } from '../../../errors.ts';
import { cadreNow, type Cadre } from '../../../web/types.ts';
import { findState } from '../state.repository.ts';
import { forgetDirectorySettings, readDirectorySettings, writeDirectorySettings, type DirectorySettings } from './directory.settings.ts';
import { enqueueDirectoryMail } from './directory.jobs.ts';
import { pocPolicy } from './poc.policy.ts';
import { stateParticipates } from './poc.repository.ts';

/**
 * The Secretariat chases a State that has no active point of contact: each of its active
 * administrators gets an e-mail asking for a nomination, at most once a day.
 */
export async function chaseState(cadre: Cadre, actor: Principal, iso3: string, ip: string | null): Promise<number> {
  authorize('poc', pocPolicy, actor, 'oversee');
  const db = cadre.database.db;
  const state = await findState(db, iso3.toUpperCase());
  if (!state) throw new CadreError(404, 'directory.unknownState', { state: iso3.toUpperCase() });
  if (await stateParticipates(db, state.iso3)) throw new CadreError(409, 'directory.chase.participates');
  if (!cadre.config.smtpUrl) throw new CadreError(409, 'directory.chase.noMail');
  const admins = await db.selectFrom('app_user').select(['id', 'locale']).where('state_iso3', '=', state.iso3).where('role', '=', 'state-admin').where('status', '=', 'active').execute();
  if (admins.length === 0) throw new CadreError(409, 'directory.chase.noAdmin');
  const day = cadreNow(cadre).toISOString().slice(0, 10);
  return db.transaction().execute(async (trx) => {
    let sent = 0;
    for (const a of admins) if (await enqueueDirectoryMail(trx, cadre, { kind: 'chase', userId: a.id, state: state.iso3, language: a.locale }, `chase:${state.iso3}:${day}:${a.id}`)) sent++;
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: { id: actor.userId, label: actor.email },
      action: 'directory.chased',
      targetType: 'state',
      targetId: state.iso3,
      state: state.iso3,
      ip,
      details: { recipients: sent },
    });
    return sent;
  });
}

/** The Secretariat changes the directory's settings; the change is audited with before and after. */
export async function changeDirectorySettings(cadre: Cadre, actor: Principal, next: DirectorySettings, ip: string | null): Promise<void> {
  authorize('poc', pocPolicy, actor, 'oversee');
  const problems: string[] = [];
  if (!Number.isInteger(next.confirmMonths) || next.confirmMonths < 1 || next.confirmMonths > 36) problems.push('confirmMonths');
  if (!Number.isInteger(next.reminderDays) || next.reminderDays < 1 || next.reminderDays > 180) problems.push('reminderDays');
  if (problems.length) throw new CadreError(400, 'validation.range', {}, problems[0]);
  const db = cadre.database.db;
  const before = await readDirectorySettings(db);
  await db.transaction().execute(async (trx) => {
    await writeDirectorySettings(trx, next);
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: { id: actor.userId, label: actor.email },
      action: 'directory.settings.changed',
      targetType: 'setting',
      targetId: 'directory',
      ip,
      details: { before, after: next },
    });
  });
  forgetDirectorySettings(db);
}
