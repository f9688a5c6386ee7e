import type { PolicyFn } from '../../auth/policy.ts';

export type MessageAction =
  /** See the threads one takes part in (the Secretariat: every thread's metadata). */
  | 'inbox'
  /** Start a thread, from one's own State. */
  | 'send'
  /** Read a thread's content (and reply in it). */
  | 'read'
  /** See a thread's metadata: who, when, template, status, timings; never content. */
  | 'meta'
  /** Acknowledge, answer and record the response state, as a recipient State. */
  | 'respond'
  /** Close the thread, as its sending State. */
  | 'close';

export interface ThreadSubject {
  from_state: string;
  /** Every State taking part, the sender included. */
  states: readonly string[];
  tlp: string;
  /** For TLP:RED: the only accounts that may read (the author and the named recipients). */
  red_readers: readonly string[];
}

/**
 * POC-to-POC communications. Content is for the users of the sending and receiving States, and a
 * TLP:RED thread for its named people only; the Secretariat sees metadata (for statistics), never
 * content; nobody else sees anything.
 */
export const messagePolicy: PolicyFn<MessageAction, ThreadSubject> = (p, action, row) => {
  if (!p) return false;
  if (p.role === 'secretariat') return action === 'inbox' || action === 'meta';
  if (p.role !== 'poc' && p.role !== 'state-admin') return false;
  if (!row) return action === 'inbox' || action === 'send' || action === 'read' || action === 'meta' || action === 'respond' || action === 'close';
  if (!p.state || !row.states.includes(p.state)) return false;
  if (action === 'meta' || action === 'inbox') return true;
  const reads = row.tlp === 'RED' ? row.red_readers.includes(p.userId) : true;
  if (action === 'read') return reads;
  if (action === 'respond') return reads && p.state !== row.from_state;
  if (action === 'close') return reads && p.state === row.from_state;
  return false;
};
