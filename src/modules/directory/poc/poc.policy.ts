import type { PolicyFn } from '../../../auth/policy.ts';
import type { PocStatus } from './types.ts';

export type PocAction =
  /** Search and browse entries (which ones: each row answers for itself). */
  | 'list'
  /** Read one entry's contact details. */
  | 'view'
  /** Read an entry's history of changes. */
  | 'history'
  | 'nominate'
  | 'update'
  | 'withdraw'
  /** Confirm the entry is still current ("confirmed until" moves on). */
  | 'confirm'
  /** Choose which regional organisations may see the entry. */
  | 'consent'
  /** Download entries (vCard, CSV, JSON, print). */
  | 'export'
  /** Every State's entries by status and freshness, and chasing States that have none. */
  | 'oversee'
  /** Bring in a regional organisation's directory (CSV or JSON), with its provenance: review and apply. */
  | 'import'
  /** Upload a regional organisation's directory for review: the Secretariat, or the organisation itself. */
  | 'submit';

/** What the policy looks at: the entry, and whether the viewer's own State takes part. */
export interface PocSubject {
  state_iso3: string;
  user_id: string;
  status: PocStatus;
  /** Regional organisations the entry consents to be shared with. */
  shared_with: readonly string[];
  /**
   * The viewer's State has an active entry of its own (or reciprocity is off). Reciprocity
   * (A/77/275 annex, para 16 a: a directory of States that take part): a State that has nominated
   * nobody sees who takes part, not how to reach them.
   */
  viewer_participates: boolean;
}

const READS: readonly PocAction[] = ['list', 'view', 'export'];

/**
 * The directory. The Secretariat oversees every State's entries but nominates nobody; a State's
 * admin nominates, updates, withdraws and confirms its own State's entries and chooses what they
 * share; a POC confirms its own entry. Contact details of another State are for the admins and
 * POCs of States that take part, and only while the entry is active; a regional organisation's
 * client reads the active entries that consented to share with it. Stakeholders and the public
 * see none (they see which States take part, a separate public resource).
 */
export const pocPolicy: PolicyFn<PocAction, PocSubject> = (p, action, row) => {
  if (!p) return false;
  switch (p.role) {
    case 'secretariat':
      return READS.includes(action) || action === 'history' || action === 'oversee' || action === 'import' || action === 'submit';
    case 'state-admin':
    case 'poc': {
      if (action === 'oversee') return false;
      const admin = p.role === 'state-admin';
      if (!row) return READS.includes(action) || action === 'history' || action === 'confirm' || (admin && ['nominate', 'update', 'withdraw', 'consent'].includes(action));
      const own = row.state_iso3 === p.state;
      if (own) {
        if (READS.includes(action) || action === 'history') return true;
        if (action === 'confirm') return row.status === 'active' && (admin || row.user_id === p.userId);
        if (action === 'update' || action === 'consent') return admin && row.status !== 'withdrawn';
        return admin && (action === 'nominate' || (action === 'withdraw' && row.status !== 'withdrawn'));
      }
      return READS.includes(action) && row.status === 'active' && row.viewer_participates;
    }
    case 'regional-org':
      // Its own directory, for the Secretariat to review: the service holds it to its organisation.
      if (action === 'submit') return p.organisation !== null;
      if (!READS.includes(action)) return false;
      if (!row) return p.organisation !== null;
      return row.status === 'active' && p.organisation !== null && row.shared_with.includes(p.organisation);
    default:
      return false;
  }
};
