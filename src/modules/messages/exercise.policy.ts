import type { PolicyFn } from '../../auth/policy.ts';

export type ExerciseAction =
  /** See the exercises one takes part in (the Secretariat: all). */
  | 'list'
  /** Plan and run exercises: create, add injects, start, end. */
  | 'manage'
  /** See an exercise's scenario, its injects whose time has come, and its after-action report. */
  | 'read';

export interface ExerciseSubject {
  /** The States taking part. */
  states: readonly string[];
}

/**
 * Exercises of POC-to-POC communications: the Secretariat plans and runs them; the users of the
 * participating States see their exercises; nobody else sees anything.
 */
export const exercisePolicy: PolicyFn<ExerciseAction, ExerciseSubject> = (p, action, row) => {
  if (!p) return false;
  if (p.role === 'secretariat') return true;
  if (p.role !== 'poc' && p.role !== 'state-admin') return false;
  if (action === 'manage') return false;
  if (!row) return true;
  return p.state !== null && row.states.includes(p.state);
};
