import { nowIso } from '../../auth/crypto.ts';
import { verifyPassword } from '../../auth/password.ts';
import { clearSignInFailures, hitRateLimit, signInLockedFor } from '../../auth/rate-limit.ts';
import { openSignedInSession, recordFailedSignIn } from './sign-in-outcome.ts';
import type { NewSession } from '../../auth/sessions.ts';
import { hashRecoveryCode } from '../../auth/totp.ts';
import type { UserTable } from '../../db/schema.ts';
import { CadreError } from '../../errors.ts';
import { totpStepOf } from '../../auth/totp-secret.ts';
import type { Cadre } from '../../web/types.ts';
import * as users from '../users/user.repository.ts';
import type { Client } from './enrolment.service.ts';

export interface SignInInput {
  email: string;
  password: string;
  /** A 6-digit TOTP code or a recovery code. */
  code: string;
}

export interface SignedIn {
  user: UserTable;
  session: NewSession;
  usedRecoveryCode: boolean;
}

const IP_LIMIT = 30;
const IP_WINDOW_SECONDS = 600;

/**
 * Password + second factor. Wrong answers grow the delay for that account; each IP has its own
 * ceiling too. Whatever failed, the database records it in the audit log, never the secret.
 */
export async function signInWithPassword(cadre: Cadre, input: SignInInput, client: Client, previousSessionId?: string): Promise<SignedIn> {
  const { database } = cadre;
  const db = database.db;
  const email = input.email.trim().toLowerCase();
  const throttleKey = `email:${email}`;

  const ipHit = await hitRateLimit(db, `sign-in:ip:${client.ip}`, IP_LIMIT, IP_WINDOW_SECONDS);
  if (!ipHit.allowed) throw new CadreError(429, 'signIn.tooMany', { seconds: ipHit.retryAfterSeconds });
  const locked = await signInLockedFor(db, throttleKey);
  if (locked > 0) throw new CadreError(429, 'signIn.locked', { seconds: locked });

  const user = await users.findUserByEmail(db, email);
  const passwordOk = await verifyPassword(user?.password_hash ?? null, input.password);
  const fail = async (reason: string, key: string, field?: string): Promise<never> => {
    const lock = await recordFailedSignIn(cadre, {
      user,
      throttleKey,
      ip: client.ip,
      details: { reason, ...(user ? {} : { attemptedEmail: email.slice(0, 120) }) },
    });
    if (lock > 0) throw new CadreError(429, 'signIn.locked', { seconds: lock });
    throw new CadreError(401, key, {}, field);
  };
  if (!user || !passwordOk) return fail(user ? 'wrong-password' : 'unknown-account', 'signIn.failed');
  if (user.status !== 'active') return fail(`account-${user.status}`, 'signIn.failed');

  let usedRecoveryCode = false;
  const code = input.code.trim();
  if (/^\d{3}\s?\d{3}$/.test(code)) {
    const step = user.totp_enabled && user.totp_secret ? totpStepOf(cadre.config.contentKey, user.id, user.totp_secret, code) : null;
    if (step === null) return fail('wrong-totp', 'signIn.badCode', 'code');
    // A code is spent once: only a later time step than the last accepted one counts (RFC 6238 §5.2).
    if (!(await users.spendTotpStep(db, user.id, step))) return fail('reused-totp', 'signIn.badCode', 'code');
  } else if (code.length >= 10) {
    usedRecoveryCode = await users.useRecoveryCode(db, user.id, hashRecoveryCode(code), nowIso());
    if (!usedRecoveryCode) return fail('wrong-recovery-code', 'signIn.badCode', 'code');
  } else {
    return fail('missing-code', 'signIn.badCode', 'code');
  }

  await clearSignInFailures(db, throttleKey);
  const session = await db.transaction().execute((trx) =>
    openSignedInSession(cadre, trx, { user, client, previousSessionId, details: { method: usedRecoveryCode ? 'password+recovery-code' : 'password+totp' } }),
  );
  return { user, session, usedRecoveryCode };
}
