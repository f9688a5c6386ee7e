import type { PolicyFn } from '../../auth/policy.ts';

export type StateAction = 'list' | 'view';

/** The list of Member States and their regional groups is public knowledge. */
export const statePolicy: PolicyFn<StateAction, unknown> = (_principal, action) => action === 'list' || action === 'view';
