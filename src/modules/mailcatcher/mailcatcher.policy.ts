import type { PolicyFn } from '../../auth/policy.ts';

export type CaughtMailAction = 'list' | 'view';

/**
 * Caught mail holds every message the demo sent (enrolment links included): the Secretariat's
 * alone, in a browser session. Deny by default.
 */
export const caughtMailPolicy: PolicyFn<CaughtMailAction, unknown> = (p, action) =>
  p?.role === 'secretariat' && p.via === 'session' && (action === 'list' || action === 'view');
