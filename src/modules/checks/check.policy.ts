import type { PolicyFn } from '../../auth/policy.ts';

export type CheckAction = 'list' | 'start' | 'view' | 'acknowledge' | 'mine';

export interface CheckSubject {
  /** The account behind the checked entry. */
  user_id: string;
}

/**
 * Communication checks: the Secretariat starts them and follows every campaign; the point of contact
 * a check was sent to acknowledges it (in the portal; by link or reply, the token is the proof).
 */
export const checkPolicy: PolicyFn<CheckAction, CheckSubject> = (p, action, row) => {
  if (!p) return false;
  if (p.role === 'secretariat') return action === 'list' || action === 'start' || action === 'view';
  if (p.role === 'poc' || p.role === 'state-admin') {
    if (action === 'mine') return true;
    if (action === 'acknowledge') return !row || row.user_id === p.userId;
  }
  return false;
};
