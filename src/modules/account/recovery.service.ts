import { appendAuditEvent } from '../../audit/audit.repository.ts';
import type { Principal } from '../../auth/principal.ts';
import { hashRecoveryCode, newRecoveryCodes } from '../../auth/totp.ts';
import { totpStepOf } from '../../auth/totp-secret.ts';
import { CadreError } from '../../errors.ts';
import type { Cadre } from '../../web/types.ts';
import * as users from '../users/user.repository.ts';

/** New recovery codes replace the old ones, after the current TOTP code proves the authenticator is at hand. */
export async function regenerateRecoveryCodes(cadre: Cadre, principal: Principal, code: string, ip: string): Promise<string[]> {
  const { database } = cadre;
  const user = await users.findUserById(database.db, principal.userId);
  const step = user?.totp_secret && user.totp_enabled ? totpStepOf(cadre.config.contentKey, user.id, user.totp_secret, code) : null;
  if (!user || step === null) throw new CadreError(400, 'signIn.badCode', {}, 'code');
  // As at sign-in, a code is spent once (RFC 6238 §5.2): one seen over the shoulder cannot be replayed here.
  if (!(await users.spendTotpStep(database.db, user.id, step))) throw new CadreError(400, 'signIn.badCode', {}, 'code');
  const codes = newRecoveryCodes();
  await database.db.transaction().execute(async (trx) => {
    await users.replaceRecoveryCodes(trx, user.id, codes.map(hashRecoveryCode));
    await appendAuditEvent(trx, database.engine, {
      actor: { id: user.id, label: user.email },
      action: 'user.recovery-codes.regenerated',
      targetType: 'user',
      targetId: user.id,
      state: user.state_iso3,
      ip,
    });
  });
  return codes;
}
