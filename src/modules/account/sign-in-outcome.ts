import type { Transaction } from 'kysely';
import { appendAuditEvent, recordAuditEvent } from '../../audit/audit.repository.ts';
import { recordSignInFailure } from '../../auth/rate-limit.ts';
import { createSession, destroySession, type NewSession, type SessionUser } from '../../auth/sessions.ts';
import type { Database } from '../../db/schema.ts';
import type { Cadre } from '../../web/types.ts';

/**
 * One failed sign-in, whatever the method: the failure counts toward the growing delay of
 * `throttleKey` and is written to the audit log (never the secret that was tried). Returns the lock
 * now in force, in seconds (0 for none).
 */
export async function recordFailedSignIn(
  cadre: Cadre,
  failure: { user: SessionUser | undefined; throttleKey: string; ip: string; details: Record<string, unknown> },
): Promise<number> {
  const { database } = cadre;
  const { user } = failure;
  const lock = await recordSignInFailure(database.db, failure.throttleKey);
  await recordAuditEvent(database, {
    actor: user ? { id: user.id, label: user.email } : { id: null, label: 'anonymous' },
    action: 'auth.sign-in.failed',
    targetType: 'user',
    targetId: user?.id ?? null,
    state: user?.state_iso3 ?? null,
    ip: failure.ip,
    details: failure.details,
  });
  return lock;
}

/**
 * A successful sign-in, whatever the method, inside the caller's transaction: the session shown
 * before sign-in (if any) ends and a new one is issued (rotation), with its audit event.
 */
export async function openSignedInSession(
  cadre: Cadre,
  trx: Transaction<Database>,
  success: { user: SessionUser; client: { ip: string; userAgent: string }; previousSessionId: string | undefined; details: Record<string, unknown> },
): Promise<NewSession> {
  const { config, database } = cadre;
  const { user, client } = success;
  if (success.previousSessionId) await destroySession(trx, success.previousSessionId);
  const session = await createSession(trx, user.id, { idleSeconds: config.sessionIdleSeconds, absoluteSeconds: config.sessionAbsoluteSeconds }, client);
  await appendAuditEvent(trx, database.engine, {
    actor: { id: user.id, label: user.email },
    action: 'auth.sign-in',
    targetType: 'user',
    targetId: user.id,
    state: user.state_iso3,
    ip: client.ip,
    details: success.details,
  });
  return session;
}
