import { createHash } from 'node:crypto';

/** The hash that the first event points back to. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, no spaces: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error('non-finite number in audit details');
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** One stored event, as the database holds it. */
export interface ChainedEvent {
  seq: number;
  time: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  state_iso3: string | null;
  ip: string | null;
  details: string;
  prev_hash: string;
  hash: string;
}

export function hashEvent(event: Omit<ChainedEvent, 'hash'>): string {
  const { seq, time, actor_id, actor_label, action, target_type, target_id, state_iso3, ip, details, prev_hash } = event;
  const body = canonicalJson({ seq, time, actor_id, actor_label, action, target_type, target_id, state_iso3, ip, details, prev_hash });
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export type ChainFault =
  | { kind: 'hash-mismatch'; seq: number }
  | { kind: 'broken-link'; seq: number }
  | { kind: 'gap'; seq: number; expected: number }
  | { kind: 'head-mismatch'; seq: number };

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * Checks events given in seq order: each hash recomputes, each links to the one before, seq runs
 * 1, 2, 3… without a gap, and the last matches the recorded head (so a deleted tail shows too).
 * Returns the first fault, or null for an intact chain.
 */
export function verifyChain(events: Iterable<ChainedEvent>, head: ChainHead): ChainFault | null {
  let expectedSeq = 1;
  let prev = GENESIS_HASH;
  for (const e of events) {
    if (e.seq !== expectedSeq) return { kind: 'gap', seq: e.seq, expected: expectedSeq };
    if (e.prev_hash !== prev) return { kind: 'broken-link', seq: e.seq };
    if (hashEvent(e) !== e.hash) return { kind: 'hash-mismatch', seq: e.seq };
    prev = e.hash;
    expectedSeq++;
  }
  const lastSeq = expectedSeq - 1;
  if (head.seq !== lastSeq || head.hash !== prev) return { kind: 'head-mismatch', seq: Math.max(head.seq, lastSeq) };
  return null;
}

const SECRET_KEY = /pass(word)?|secret|token|otp|recovery|private|hash|cookie|authori[sz]ation/i;

/** Audit details never hold secrets: values under secret-looking keys are replaced before hashing. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redactSecrets(v)]),
    );
  }
  return value;
}
