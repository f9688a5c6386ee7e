import { appendAuditEvent } from '../../audit/audit.repository.ts';
import { newId } from '../../auth/crypto.ts';
import { authorize } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import type { ExerciseInjectTable, ExerciseTable, MessageThreadTable } from '../../db/schema.ts';
import { CadreError, InvalidFields, type FieldProblem } from '../../errors.ts';
import { cadreNow, type Cadre } from '../../web/types.ts';
import { exercisePolicy } from './exercise.policy.ts';
import { isTemplateId, templateById } from './templates.ts';
import { instantOfLocalTime } from './template-input.ts';

type Db = Cadre['database']['db'];

export interface ExerciseInput {
  title: string;
  scenario: string;
  /** Instants: ISO 8601 with an offset, or `YYYY-MM-DDTHH:MM` read in `timeZone`. */
  startsAt: string;
  endsAt: string;
  states: string[];
  /** The zone a time without offset is read in (the author's own, from the form); UTC when absent. */
  timeZone?: string | undefined;
}

export interface InjectInput {
  /** As ExerciseInput's instants. */
  at: string;
  timeZone?: string | undefined;
  toState: string;
  template: string;
  note: string;
}

/**
 * An instant as written in a form (datetime-local, read in the author's time zone, UTC by default)
 * or in the API (ISO 8601 with its offset); null if not one, or if the time does not exist there.
 */
export function formInstant(value: string, timeZone = 'UTC'): string | null {
  const v = value.trim();
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?$/.test(v)) return null;
  if (/(Z|[+-]\d{2}:\d{2})$/.test(v)) {
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d.toISOString();
  }
  return instantOfLocalTime(v.slice(0, 16), timeZone)?.toISOString() ?? null;
}

async function statesOf(db: Db, exerciseId: string): Promise<string[]> {
  return (await db.selectFrom('exercise_state').select('state_iso3').where('exercise_id', '=', exerciseId).orderBy('state_iso3').execute()).map((r) => r.state_iso3);
}

/** The Secretariat plans an exercise: its scenario, its window and the States taking part. */
export async function createExercise(cadre: Cadre, actor: Principal, input: ExerciseInput, ip: string | null = null): Promise<ExerciseTable> {
  authorize('exercise', exercisePolicy, actor, 'manage');
  const db = cadre.database.db;
  const problems: FieldProblem[] = [];
  const title = input.title.trim();
  const scenario = input.scenario.trim();
  if (!title || title.length > 200) problems.push({ field: 'title', messageKey: title ? 'validation.maxLength' : 'validation.required', values: { limit: 200 } });
  if (!scenario || scenario.length > 20_000) problems.push({ field: 'scenario', messageKey: scenario ? 'validation.maxLength' : 'validation.required', values: { limit: 20_000 } });
  const startsAt = formInstant(input.startsAt, input.timeZone);
  const endsAt = formInstant(input.endsAt, input.timeZone);
  if (!startsAt) problems.push({ field: 'startsAt', messageKey: 'validation.required' });
  if (!endsAt) problems.push({ field: 'endsAt', messageKey: 'validation.required' });
  else if (startsAt && endsAt <= startsAt) problems.push({ field: 'endsAt', messageKey: 'exercises.endsAfterStart' });
  const wanted = [...new Set(input.states.map((s) => s.toUpperCase()))];
  const known = wanted.length ? (await db.selectFrom('state').select('iso3').where('iso3', 'in', wanted).execute()).map((r) => r.iso3) : [];
  if (known.length < 2 || known.length !== wanted.length) problems.push({ field: 'states', messageKey: 'exercises.statesRequired' });
  if (problems.length) throw new InvalidFields(problems);
  const exercise: ExerciseTable = { id: newId(), title, scenario, created_by: actor.userId, created_at: cadreNow(cadre).toISOString(), starts_at: startsAt!, ends_at: endsAt!, status: 'planned' };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('exercise').values(exercise).execute();
    for (const state of known) await trx.insertInto('exercise_state').values({ exercise_id: exercise.id, state_iso3: state }).execute();
    await appendAuditEvent(trx, cadre.database.engine, { actor: { id: actor.userId, label: actor.email }, action: 'exercise.created', targetType: 'exercise', targetId: exercise.id, state: null, ip, details: { states: known } });
  });
  return exercise;
}

async function managed(cadre: Cadre, actor: Principal, id: string): Promise<{ exercise: ExerciseTable; states: string[] }> {
  const db = cadre.database.db;
  const exercise = await db.selectFrom('exercise').selectAll().where('id', '=', id).executeTakeFirst();
  if (!exercise) throw new CadreError(404, 'exercises.notFound');
  const states = await statesOf(db, id);
  if (!exercisePolicy(actor, 'read', { states })) throw new CadreError(404, 'exercises.notFound');
  authorize('exercise', exercisePolicy, actor, 'manage', { states });
  return { exercise, states };
}

/** A timed inject: at its time, the participating State's POCs are prompted to open a thread on the template. */
export async function addInject(cadre: Cadre, actor: Principal, exerciseId: string, input: InjectInput, ip: string | null = null): Promise<ExerciseInjectTable> {
  const { exercise, states } = await managed(cadre, actor, exerciseId);
  if (exercise.status === 'ended') throw new CadreError(409, 'exercises.ended');
  const problems: FieldProblem[] = [];
  const at = formInstant(input.at, input.timeZone);
  if (!at) problems.push({ field: 'at', messageKey: 'validation.required' });
  const toState = input.toState.toUpperCase();
  if (!states.includes(toState)) problems.push({ field: 'toState', messageKey: 'validation.choice' });
  if (!isTemplateId(input.template) || templateById(input.template).role !== 'opens') problems.push({ field: 'template', messageKey: 'validation.choice' });
  const note = input.note.trim();
  if (!note || note.length > 5000) problems.push({ field: 'note', messageKey: note ? 'validation.maxLength' : 'validation.required', values: { limit: 5000 } });
  if (problems.length) throw new InvalidFields(problems);
  const inject: ExerciseInjectTable = { id: newId(), exercise_id: exerciseId, at: at!, to_state: toState, template: input.template, note };
  await cadre.database.db.transaction().execute(async (trx) => {
    await trx.insertInto('exercise_inject').values(inject).execute();
    await appendAuditEvent(trx, cadre.database.engine, { actor: { id: actor.userId, label: actor.email }, action: 'exercise.inject', targetType: 'exercise', targetId: exerciseId, state: toState, ip, details: { at, template: input.template } });
  });
  return inject;
}

/** planned → running → ended, and only forwards. */
export async function setExerciseStatus(cadre: Cadre, actor: Principal, exerciseId: string, status: string, ip: string | null = null): Promise<void> {
  const { exercise } = await managed(cadre, actor, exerciseId);
  const next = exercise.status === 'planned' ? 'running' : exercise.status === 'running' ? 'ended' : null;
  if (status !== next) throw new CadreError(409, 'exercises.badTransition');
  await cadre.database.db.transaction().execute(async (trx) => {
    await trx.updateTable('exercise').set({ status: next }).where('id', '=', exerciseId).execute();
    await appendAuditEvent(trx, cadre.database.engine, { actor: { id: actor.userId, label: actor.email }, action: `exercise.${next}`, targetType: 'exercise', targetId: exerciseId, state: null, ip, details: {} });
  });
}

export interface ExerciseRow extends ExerciseTable {
  states: string[];
}

/** The exercises this reader sees: all for the Secretariat, its State's for a State. */
export async function listExercises(cadre: Cadre, actor: Principal): Promise<ExerciseRow[]> {
  authorize('exercise', exercisePolicy, actor, 'list');
  const db = cadre.database.db;
  let q = db.selectFrom('exercise').selectAll();
  if (actor.role !== 'secretariat') q = q.where('id', 'in', db.selectFrom('exercise_state').select('exercise_id').where('state_iso3', '=', actor.state ?? '---'));
  const rows = await q.orderBy('starts_at', 'desc').execute();
  const states = rows.length ? await db.selectFrom('exercise_state').selectAll().where('exercise_id', 'in', rows.map((r) => r.id)).orderBy('state_iso3').execute() : [];
  return rows.map((r) => ({ ...r, states: states.filter((s) => s.exercise_id === r.id).map((s) => s.state_iso3) }));
}

export interface ExerciseView {
  exercise: ExerciseTable;
  states: string[];
  /** The Secretariat: every inject; a State: those to it whose time has come. */
  injects: ExerciseInjectTable[];
  threads: Pick<MessageThreadTable, 'id' | 'from_state' | 'template' | 'urgency' | 'status' | 'created_at'>[];
}

/** An exercise as this reader may see it; one it may not see answers like one that does not exist. */
export async function readExercise(cadre: Cadre, actor: Principal | null, id: string): Promise<ExerciseView> {
  const db = cadre.database.db;
  const exercise = await db.selectFrom('exercise').selectAll().where('id', '=', id).executeTakeFirst();
  if (!exercise) throw new CadreError(404, 'exercises.notFound');
  const states = await statesOf(db, id);
  if (!exercisePolicy(actor, 'read', { states })) throw new CadreError(404, 'exercises.notFound');
  let q = db.selectFrom('exercise_inject').selectAll().where('exercise_id', '=', id);
  if (actor!.role !== 'secretariat') q = q.where('to_state', '=', actor!.state ?? '---').where('at', '<=', cadreNow(cadre).toISOString());
  let threads = db.selectFrom('message_thread').select(['id', 'from_state', 'template', 'urgency', 'status', 'created_at']).where('exercise_id', '=', id);
  if (actor!.role !== 'secretariat') threads = threads.where('id', 'in', db.selectFrom('thread_party').select('thread_id').where('state_iso3', '=', actor!.state ?? '---'));
  return { exercise, states, injects: await q.orderBy('at').execute(), threads: await threads.orderBy('created_at').execute() };
}

/** Running exercises the State takes part in (a new thread may belong to one). */
export async function runningExercisesOf(db: Db, state: string | null): Promise<ExerciseRow[]> {
  if (!state) return [];
  const rows = await db.selectFrom('exercise').selectAll().where('status', '=', 'running').where('id', 'in', db.selectFrom('exercise_state').select('exercise_id').where('state_iso3', '=', state)).orderBy('starts_at').execute();
  const states = rows.length ? await db.selectFrom('exercise_state').selectAll().where('exercise_id', 'in', rows.map((r) => r.id)).orderBy('state_iso3').execute() : [];
  return rows.map((r) => ({ ...r, states: states.filter((s) => s.exercise_id === r.id).map((s) => s.state_iso3) }));
}

/** Injects to the State, in its running exercises, whose time has come: the inbox banner. */
export async function dueInjects(cadre: Cadre, state: string | null): Promise<(ExerciseInjectTable & { title: string })[]> {
  if (!state) return [];
  return cadre.database.db
    .selectFrom('exercise_inject')
    .innerJoin('exercise', 'exercise.id', 'exercise_inject.exercise_id')
    .selectAll('exercise_inject')
    .select('exercise.title')
    .where('exercise.status', '=', 'running')
    .where('exercise_inject.to_state', '=', state)
    .where('exercise_inject.at', '<=', cadreNow(cadre).toISOString())
    .orderBy('exercise_inject.at', 'desc')
    .limit(20)
    .execute();
}

/**
 * Problems with opening a thread within an exercise: it must be running, and the sender and every
 * recipient State must take part in it. Empty when all is well.
 */
export async function exerciseProblems(db: Db, exerciseId: string, fromState: string, toStates: readonly string[]): Promise<FieldProblem[]> {
  const exercise = await db.selectFrom('exercise').select('status').where('id', '=', exerciseId).executeTakeFirst();
  if (!exercise || exercise.status !== 'running') return [{ field: 'exerciseId', messageKey: 'exercises.notRunning' }];
  const states = await statesOf(db, exerciseId);
  if (![fromState, ...toStates].every((s) => states.includes(s))) return [{ field: 'exerciseId', messageKey: 'exercises.notParticipating' }];
  return [];
}
