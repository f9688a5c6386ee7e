import type { PolicyFn } from '../../auth/policy.ts';

export type FrameworkAction = 'read';

/** The register is public, like the texts it is read from (DESIGN.md: the anonymous public reads it). */
export const frameworkPolicy: PolicyFn<FrameworkAction, unknown> = (_p, action) => action === 'read';
