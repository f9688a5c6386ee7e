import { appendAuditEvent } from '../../audit/audit.repository.ts';
import { recordSignInFailure } from '../../auth/rate-limit.ts';
import type { SessionUser } from '../../auth/sessions.ts';
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
  await database.db.transaction().execute((trx) =>
    appendAuditEvent(trx, database.engine, {
      actor: user ? { id: user.id, label: user.email } : { id: null, label: 'anonymous' },
      action: 'auth.sign-in.failed',
      targetType: 'user',
      targetId: user?.id ?? null,
      state: user?.state_iso3 ?? null,
      ip: failure.ip,
      details: failure.details,
    }),
  );
  return lock;
}
