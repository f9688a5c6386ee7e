import type { PolicyFn } from '../../auth/policy.ts';

export type TokenAction = 'list' | 'create' | 'revoke';

export interface TokenSubject {
  user_id: string;
}

/**
 * API tokens are for regional organisations' clients: such a user creates and revokes its own; the
 * Secretariat sees and revokes any. Tokens are managed in a signed-in session, never with a token.
 */
export const tokenPolicy: PolicyFn<TokenAction, TokenSubject> = (p, action, row) => {
  if (!p || p.via !== 'session') return false;
  if (p.role === 'secretariat') return action !== 'create';
  if (p.role === 'regional-org') return !row || row.user_id === p.userId;
  return false;
};
