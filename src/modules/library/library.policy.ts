import type { PolicyFn } from '../../auth/policy.ts';

export type LibraryAction = 'read' | 'ingest';

/** The texts are public (DESIGN.md: the anonymous public reads the library); only the Secretariat publishes. */
export const libraryPolicy: PolicyFn<LibraryAction, unknown> = (p, action) => {
  if (action === 'read') return true;
  return p?.role === 'secretariat' && p.via === 'session';
};
