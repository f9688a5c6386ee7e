import type { PolicyFn } from '../../auth/policy.ts';
import { ROLE_RANK } from '../../auth/principal.ts';
import type { Role } from '../../db/schema.ts';

export type UserAction = 'list' | 'view' | 'invite' | 'reset' | 'disable' | 'enable';

/** The part of a user row (or of a proposed user) the policy looks at. */
export interface UserSubject {
  id?: string;
  role: Role;
  state_iso3: string | null;
}

/**
 * Users: the Secretariat manages every account; a State's admin manages the points of contact of
 * its own State, and only accounts ranked below its own (it can never reset a secretariat account
 * nor another State's). Nobody disables their own account here.
 */
export const userPolicy: PolicyFn<UserAction, UserSubject> = (p, action, row) => {
  if (!p || p.via !== 'session') return false;
  if (p.role === 'secretariat') {
    if (!row) return true;
    if ((action === 'disable' || action === 'reset') && row.id === p.userId) return false;
    return true;
  }
  if (p.role === 'state-admin') {
    if (!row) return action === 'list' || action === 'invite' || action === 'view' || action === 'reset' || action === 'disable' || action === 'enable';
    if (row.state_iso3 !== p.state) return false;
    if (ROLE_RANK[row.role] >= ROLE_RANK['state-admin']) return action === 'view' || action === 'list';
    return row.role === 'poc';
  }
  return false;
};
