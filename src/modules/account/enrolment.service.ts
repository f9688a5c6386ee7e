import { appendAuditEvent, recordAuditEvent } from '../../audit/audit.repository.ts';
import { nowIso, sha256Hex } from '../../auth/crypto.ts';
import { hashPassword, passwordProblems } from '../../auth/password.ts';
import { createSession, type NewSession } from '../../auth/sessions.ts';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, totpStep } from '../../auth/totp.ts';
import type { InvitationTable, UserTable } from '../../db/schema.ts';
import { CadreError } from '../../errors.ts';
import { openTotpSecret, sealTotpSecret } from '../../auth/totp-secret.ts';
import type { Cadre } from '../../web/types.ts';
import * as users from '../users/user.repository.ts';
import { activateEntriesOf } from '../directory/poc/poc.service.ts';

export interface Client {
  ip: string;
  userAgent: string;
}

export interface OpenEnrolment {
  invitation: InvitationTable;
  user: UserTable;
  /** The TOTP secret the user is about to confirm. */
  totpSecret: string;
}

/**
 * Checks an enrolment link. A used, expired or unknown link is refused with its own message and an
 * audit event, so someone replaying links shows in the log.
 */
export async function openEnrolment(cadre: Cadre, token: string, client: Client): Promise<OpenEnrolment> {
  const { database } = cadre;
  const invitation = await users.findInvitation(database.db, sha256Hex(token));
  const refuse = async (key: string, reason: string) => {
    await recordAuditEvent(database, {
      actor: { id: null, label: 'anonymous' },
      action: 'user.enrolment.refused',
      targetType: 'user',
      targetId: invitation?.user_id ?? null,
      ip: client.ip,
      details: { reason },
    });
    return new CadreError(410, key);
  };
  if (!invitation) throw await refuse('enrol.invalidLink', 'unknown');
  if (invitation.used_at) throw await refuse('enrol.usedLink', 'used');
  if (Date.parse(invitation.expires_at) <= Date.now()) throw await refuse('enrol.expiredLink', 'expired');
  const user = await users.findUserById(database.db, invitation.user_id);
  if (!user || user.status === 'disabled') throw await refuse('enrol.invalidLink', 'account-disabled');
  let totpSecret = user.totp_secret ? openTotpSecret(cadre.config.contentKey, user.id, user.totp_secret) : null;
  if (!totpSecret || user.totp_enabled) {
    totpSecret = newTotpSecret();
    await users.updateUser(database.db, user.id, { totp_secret: sealTotpSecret(cadre.config.contentKey, user.id, totpSecret), totp_enabled: 0, updated_at: nowIso() });
  }
  return { invitation, user, totpSecret };
}

export interface EnrolmentInput {
  password: string;
  confirm: string;
  code: string;
}

export interface Enrolled {
  user: UserTable;
  recoveryCodes: string[];
  session: NewSession;
}

/** Sets the password and confirms TOTP in one transaction; the link is spent exactly once. */
export async function completeEnrolment(cadre: Cadre, token: string, input: EnrolmentInput, client: Client): Promise<Enrolled> {
  const open = await openEnrolment(cadre, token, client);
  const { user, invitation, totpSecret } = open;
  const problems = passwordProblems(input.password, user.email);
  if (problems.length) throw new CadreError(400, problems[0]!, { min: 12 }, 'password');
  if (input.password !== input.confirm) throw new CadreError(400, 'password.mismatch', {}, 'confirm');
  const step = totpStep(totpSecret, input.code);
  if (step === null) throw new CadreError(400, 'enrol.badCode', {}, 'code');
  const passwordHash = await hashPassword(input.password);
  const recoveryCodes = newRecoveryCodes();
  const { database, config } = cadre;
  const limits = { idleSeconds: config.sessionIdleSeconds, absoluteSeconds: config.sessionAbsoluteSeconds };
  const session = await database.db.transaction().execute(async (trx) => {
    const now = nowIso();
    if (!(await users.consumeInvitation(trx, invitation.id, now))) throw new CadreError(410, 'enrol.usedLink');
    await users.updateUser(trx, user.id, { password_hash: passwordHash, totp_enabled: 1, totp_last_step: step, status: 'active', updated_at: now });
    await users.replaceRecoveryCodes(trx, user.id, recoveryCodes.map(hashRecoveryCode));
    await trx.deleteFrom('session').where('user_id', '=', user.id).execute();
    // Enrolling proves control of the address: a nominated POC's entries become active.
    await activateEntriesOf(trx, cadre, user);
    await appendAuditEvent(trx, database.engine, {
      actor: { id: user.id, label: user.email },
      action: invitation.purpose === 'reset' ? 'user.re-enrolled' : 'user.enrolled',
      targetType: 'user',
      targetId: user.id,
      state: user.state_iso3,
      ip: client.ip,
    });
    return createSession(trx, user.id, limits, client);
  });
  return { user: { ...user, status: 'active' }, recoveryCodes, session };
}
