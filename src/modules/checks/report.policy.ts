import type { PolicyFn, RoutePolicy } from '../../auth/policy.ts';
import { policy } from '../../auth/policy.ts';

export type ReportAction =
  /** Every figure, every State, every target (and per-target exports). */
  | 'readAll'
  /** One State's own detail: its targets and its history across campaigns. */
  | 'readState'
  /** The public aggregate (overall, by regional group, median time); the route still needs the setting on. */
  | 'readPublic'
  /** Turn the public aggregate on or off. */
  | 'publish';

export interface ReportSubject {
  state_iso3: string;
}

/**
 * Reports of communication checks (issue 5): the Secretariat sees everything, a State's admin and
 * points of contact their own State's detail, anyone the aggregate once the Secretariat publishes it.
 * Only a signed-in session reaches beyond the aggregate: API tokens carry no checks scope.
 * Deny by default.
 */
export const reportPolicy: PolicyFn<ReportAction, ReportSubject> = (p, action, row) => {
  if (action === 'readPublic') return true;
  if (!p || p.via !== 'session') return false;
  if (p.role === 'secretariat') return action === 'readAll' || action === 'readState' || action === 'publish';
  if ((p.role === 'state-admin' || p.role === 'poc') && p.state) return action === 'readState' && (!row || row.state_iso3 === p.state);
  return false;
};

/**
 * The route policy of pages everyone may ask for (the report, its exports, the list): the handler
 * then answers by what the principal may read, and 404 to the public while the setting is off.
 * A token holder reads them like anyone else (no scope needed, as for other public routes).
 */
export const reportReadPolicy: RoutePolicy = { ...policy('check-report', reportPolicy, 'readPublic'), needsSignIn: false };
