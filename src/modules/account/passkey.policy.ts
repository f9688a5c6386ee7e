import type { PolicyFn } from '../../auth/policy.ts';

export type PasskeyAction = 'list' | 'register' | 'delete';

/**
 * Passkeys belong to their owner alone: nobody else lists, adds or deletes them, whatever their
 * role or State. (An administrator who must take an account's passkeys away resets the account.)
 */
export const passkeyPolicy: PolicyFn<PasskeyAction, { user_id: string }> = (p, _action, row) => {
  if (!p || p.via !== 'session') return false;
  if (!row) return true;
  return row.user_id === p.userId;
};
