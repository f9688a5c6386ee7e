import type { PolicyFn } from '../../auth/policy.ts';

export type AuditAction = 'list' | 'verify';

/** The audit log is the Secretariat's: it shows every State's activity. */
export const auditPolicy: PolicyFn<AuditAction, unknown> = (p) => p?.role === 'secretariat' && p.via === 'session';
