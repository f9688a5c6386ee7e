import { authorize } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { CadreError } from '../../errors.ts';
import type { Cadre } from '../../web/types.ts';
import { quantile } from '../checks/report.service.ts';
import { exercisePolicy } from './exercise.policy.ts';
import { readExercise } from './exercise.service.ts';
import { messagePolicy } from './message.policy.ts';
import { TEMPLATES } from './templates.ts';

// Statistics of POC-to-POC communications, metadata only (never content). Definitions, stated once:
// - a thread's volume counts it once, by its opening template and its urgency;
// - each recipient State's part in a thread is one "delivery";
// - acknowledged within the deadline: acknowledged_at ≤ the thread's ack_deadline_at;
// - time to acknowledge = acknowledged_at − created_at; time to respond = answered_at − created_at
//   (an answer also acknowledges); medians by linear interpolation (as the checks' reports);
// - a State's view: its own deliveries (how its POCs acknowledged and answered), and apart, the
//   deliveries of the threads it opened (how others answered it); never a co-recipient's timings;
// - exercise threads never count in the real statistics, only in their exercise's after-action report.

export const URGENCIES = ['critical', 'urgent', 'routine'] as const;

export interface Delivery {
  threadId: string;
  /** The State that opened the thread. */
  fromState: string;
  /** The recipient State. */
  state: string;
  template: string;
  urgency: string;
  createdAt: string;
  ackDeadlineAt: string;
  acknowledgedAt: string | null;
  answeredAt: string | null;
}

export interface Timings {
  deliveries: number;
  acknowledgedInTime: number;
  /** acknowledgedInTime ÷ deliveries, 0..1; null when there is none. */
  shareInTime: number | null;
  medianAckSeconds: number | null;
  medianResponseSeconds: number | null;
}

/**
 * The Secretariat's view: every real thread and delivery. A State's view: the threads it took part
 * in, its own deliveries at the top level (its POCs' acknowledgements and answers), and in `sent`
 * the deliveries of the threads it opened (the other States' answers to it).
 */
export interface Statistics extends Timings {
  audience: 'secretariat' | 'state';
  /** The reader's State for a State's view. */
  state: string | null;
  threads: number;
  byTemplate: { template: string; threads: number }[];
  byUrgency: { urgency: string; threads: number }[];
  /** A State's view only: how the recipients of its own threads acknowledged and answered. */
  sent: Timings | null;
}

const seconds = (from: string, to: string | null) => (to === null ? null : Math.round((Date.parse(to) - Date.parse(from)) / 1000));
const sortedTimes = (values: (number | null)[]) => values.filter((v): v is number => v !== null).sort((a, b) => a - b);

export function secondsToAcknowledge(d: Delivery): number | null {
  return seconds(d.createdAt, d.acknowledgedAt);
}
export function secondsToRespond(d: Delivery): number | null {
  return seconds(d.createdAt, d.answeredAt);
}
export const median = (values: (number | null)[]) => quantile(sortedTimes(values), 0.5);

/** Acknowledged within the deadline, and the median times, of a set of deliveries. */
export function timings(deliveries: Delivery[]): Timings {
  const inTime = deliveries.filter((d) => d.acknowledgedAt !== null && d.acknowledgedAt <= d.ackDeadlineAt).length;
  return {
    deliveries: deliveries.length,
    acknowledgedInTime: inTime,
    shareInTime: deliveries.length ? inTime / deliveries.length : null,
    medianAckSeconds: median(deliveries.map(secondsToAcknowledge)),
    medianResponseSeconds: median(deliveries.map(secondsToRespond)),
  };
}

/** Volumes of a set of threads, by opening template and by urgency. */
export function volumes(threads: { id: string; template: string; urgency: string }[]) {
  return {
    threads: threads.length,
    byTemplate: TEMPLATES.filter((t) => t.role === 'opens').map((t) => ({ template: t.id, threads: threads.filter((x) => x.template === t.id).length })),
    byUrgency: URGENCIES.map((u) => ({ urgency: u, threads: threads.filter((x) => x.urgency === u).length })),
  };
}

async function deliveriesOf(cadre: Cadre, where: { exerciseId: string } | { real: true; state: string | null }) {
  const db = cadre.database.db;
  let threads = db.selectFrom('message_thread').select(['id', 'template', 'urgency']);
  threads = 'exerciseId' in where ? threads.where('exercise_id', '=', where.exerciseId) : threads.where('exercise_id', 'is', null);
  if ('real' in where && where.state) threads = threads.where('id', 'in', db.selectFrom('thread_party').select('thread_id').where('state_iso3', '=', where.state));
  const rows = await threads.execute();
  if (rows.length === 0) return { threads: rows, deliveries: [] as Delivery[] };
  const ids = rows.map((r) => r.id);
  const parties = await db
    .selectFrom('thread_party')
    .innerJoin('message_thread', 'message_thread.id', 'thread_party.thread_id')
    .select(['thread_party.thread_id', 'thread_party.state_iso3', 'thread_party.acknowledged_at', 'thread_party.answered_at', 'message_thread.from_state', 'message_thread.template', 'message_thread.urgency', 'message_thread.created_at', 'message_thread.ack_deadline_at'])
    .where('thread_party.role', '=', 'recipient')
    .where('thread_party.thread_id', 'in', ids)
    .orderBy('message_thread.created_at')
    .orderBy('thread_party.state_iso3')
    .execute();
  const deliveries: Delivery[] = parties.map((p) => ({ threadId: p.thread_id, fromState: p.from_state, state: p.state_iso3, template: p.template, urgency: p.urgency, createdAt: p.created_at, ackDeadlineAt: p.ack_deadline_at, acknowledgedAt: p.acknowledged_at, answeredAt: p.answered_at }));
  return { threads: rows, deliveries };
}

/** The real statistics: every thread's metadata for the Secretariat, its own threads for a State. */
export async function messageStatistics(cadre: Cadre, actor: Principal): Promise<Statistics> {
  authorize('message', messagePolicy, actor, 'inbox');
  const secretariat = actor.role === 'secretariat';
  if (!secretariat && !actor.state) throw new CadreError(403, 'error.forbidden');
  const state = secretariat ? null : actor.state;
  const { threads, deliveries } = await deliveriesOf(cadre, { real: true, state });
  if (state === null) return { audience: 'secretariat', state, ...volumes(threads), ...timings(deliveries), sent: null };
  return {
    audience: 'state',
    state,
    ...volumes(threads),
    ...timings(deliveries.filter((d) => d.state === state)),
    sent: timings(deliveries.filter((d) => d.fromState === state)),
  };
}

export interface AfterActionReport {
  exerciseId: string;
  title: string;
  states: { state: string; deliveries: number; medianAckSeconds: number | null; medianResponseSeconds: number | null }[];
  /** One row per recipient State per exercise thread. */
  deliveries: (Delivery & { secondsToAcknowledge: number | null; secondsToRespond: number | null })[];
}

/** Per participating State: its times to acknowledge and to respond in the exercise's threads. */
export async function afterActionReport(cadre: Cadre, actor: Principal, exerciseId: string): Promise<AfterActionReport> {
  const view = await readExercise(cadre, actor, exerciseId);
  authorize('exercise', exercisePolicy, actor, 'read', { states: view.states });
  const { deliveries } = await deliveriesOf(cadre, { exerciseId });
  const visible = new Set(view.threads.map((t) => t.id));
  return {
    exerciseId,
    title: view.exercise.title,
    states: view.states.map((state) => {
      const own = deliveries.filter((d) => d.state === state);
      return { state, deliveries: own.length, medianAckSeconds: median(own.map(secondsToAcknowledge)), medianResponseSeconds: median(own.map(secondsToRespond)) };
    }),
    // Per thread: a State sees the rows of the exercise threads it takes part in (the Secretariat: all).
    deliveries: deliveries.filter((d) => visible.has(d.threadId)).map((d) => ({ ...d, secondsToAcknowledge: secondsToAcknowledge(d), secondsToRespond: secondsToRespond(d) })),
  };
}

// CSV for spreadsheets (UTF-8 with BOM, CRLF, RFC 4180 quoting; a cell starting like a formula is read as text).
const FORMULA_START = /^[=+\-@\t\r]/;
function cell(value: string | number | null): string {
  let s = value === null ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",;\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
const lines = (rows: (string | number | null)[][]) => '\ufeff' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';

export function statisticsCsv(s: Statistics): string {
  return lines([
    ['measure', 'code', 'value'],
    ['threads', '', s.threads],
    ...s.byTemplate.map((t) => ['threads_by_template', t.template, t.threads]),
    ...s.byUrgency.map((u) => ['threads_by_urgency', u.urgency, u.threads]),
    ['deliveries', '', s.deliveries],
    ['acknowledged_in_time', '', s.acknowledgedInTime],
    ['share_in_time', '', s.shareInTime],
    ['median_seconds_to_acknowledge', '', s.medianAckSeconds],
    ['median_seconds_to_respond', '', s.medianResponseSeconds],
    ...(s.sent
      ? [
          ['sent_deliveries', '', s.sent.deliveries],
          ['sent_acknowledged_in_time', '', s.sent.acknowledgedInTime],
          ['sent_share_in_time', '', s.sent.shareInTime],
          ['sent_median_seconds_to_acknowledge', '', s.sent.medianAckSeconds],
          ['sent_median_seconds_to_respond', '', s.sent.medianResponseSeconds],
        ]
      : []),
  ]);
}

/** One row per participating State (its medians), then one per State per exercise thread. */
export function afterActionCsv(r: AfterActionReport): string {
  return lines([
    ['level', 'state', 'thread_id', 'template', 'urgency', 'created_at', 'acknowledged_at', 'answered_at', 'seconds_to_acknowledge', 'seconds_to_respond'],
    ...r.states.map((s) => ['state_median', s.state, null, null, null, null, null, null, s.medianAckSeconds, s.medianResponseSeconds]),
    ...r.deliveries.map((d) => ['thread', d.state, d.threadId, d.template, d.urgency, d.createdAt, d.acknowledgedAt, d.answeredAt, d.secondsToAcknowledge, d.secondsToRespond]),
  ]);
}
