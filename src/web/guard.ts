import { recordAuditEvent } from '../audit/audit.repository.ts';
import { hitRateLimit } from '../auth/rate-limit.ts';
import type { Req, Reply } from './types.ts';

export { CadreError as HttpProblem } from '../errors.ts';
import { CadreError as HttpProblem } from '../errors.ts';

/**
 * Runs before any handler: the route's policy must allow the principal, else the request is
 * refused. No policy means refused: deny by default.
 */
export async function enforcePolicy(req: Req, reply: Reply): Promise<void> {
  if (req.is404) return;
  const policy = req.routeOptions.config.policy;
  const principal = req.principal;
  if (policy && policy.allows(principal)) {
    if (principal?.via !== 'token') return;
    // A public route needs no scope: a token holder reads it like anyone else.
    if (!policy.needsSignIn) return;
    if (policy.scope && principal.scopes?.includes(policy.scope)) return;
  }
  if (!principal && (!policy || policy.needsSignIn)) {
    if (req.url.startsWith('/api/')) throw new HttpProblem(401, req.sessionExpired ? 'error.sessionExpired' : 'error.signInRequired');
    const next = encodeURIComponent(req.url);
    return reply.redirect(`/sign-in?next=${next}${req.sessionExpired ? '&expired=1' : ''}`, 303);
  }
  await recordRefusal(req, policy?.name ?? 'none');
  throw new HttpProblem(403, 'error.forbidden');
}

/** Refusals go to the audit log so probing shows, at most one a minute per principal and route. */
export async function recordRefusal(req: Req, policyName: string): Promise<void> {
  const { database } = req.server.cadre;
  const who = req.principal?.userId ?? `ip:${req.ip}`;
  const route = `${req.method} ${req.routeOptions.url ?? req.url}`;
  const hit = await hitRateLimit(database.db, `refusal:${who}:${route}`, 1, 60);
  if (!hit.allowed) return;
  await recordAuditEvent(database, {
    actor: req.principal ? { id: req.principal.userId, label: req.principal.email } : { id: null, label: 'anonymous' },
    action: 'access.denied',
    targetType: 'route',
    targetId: route.slice(0, 128),
    state: req.principal?.state ?? null,
    ip: req.ip,
    details: { policy: policyName, path: req.url.slice(0, 200) },
  });
}
