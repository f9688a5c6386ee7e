import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../auth/policy.ts';
import { InvalidFields } from '../../errors.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { Problem } from '../../web/problem-schema.ts';
import { sendPage } from '../../web/render.tsx';
import type { App, Req, Reply } from '../../web/types.ts';
import { listStates } from '../directory/state.repository.ts';
import { sortByName } from '../directory/state.names.ts';
import { exercisePolicy } from './exercise.policy.ts';
import { addInject, createExercise, listExercises, readExercise, setExerciseStatus } from './exercise.service.ts';
import { AfterActionPage, ExerciseList, ExercisePage, NewExercisePage, type ExerciseFormValues } from './exercise.views.tsx';
import { afterActionCsv, afterActionReport } from './statistics.service.ts';
import { problemMessages } from '../../web/forms.tsx';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const FormBody = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 25_000 }), Type.Array(Type.String({ maxLength: 300 }), { maxItems: 200 })]));
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';
const list = (v: string | string[] | undefined) => ([] as string[]).concat(v ?? []).flatMap((x) => x.split(/[\s,;]+/)).filter(Boolean);

/** Exercises: the Secretariat plans and runs them; participating States see theirs; after-action reports. */
export async function exerciseRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const db = cadre.database.db;
  const listPolicy = policy('exercise', exercisePolicy, 'list');
  const manage = policy('exercise', exercisePolicy, 'manage');
  const read = policy('exercise', exercisePolicy, 'read');

  app.get('/exercises', { config: { policy: listPolicy } }, async (req, res) => {
    const ctx = pageContext(req);
    const rows = await listExercises(cadre, req.principal!);
    return sendPage(res, <Layout ctx={ctx} title={ctx.t('exercises.heading')}><ExerciseList ctx={ctx} rows={rows} states={await listStates(db)} canManage={exercisePolicy(req.principal, 'manage')} /></Layout>);
  });

  const renderNew = async (req: Req, res: Reply, values: ExerciseFormValues, errors?: Record<string, string>, status = 200) => {
    const ctx = pageContext(req);
    return sendPage(res, <Layout ctx={ctx} title={ctx.t('exercises.new')}><NewExercisePage ctx={ctx} states={sortByName(await listStates(db), req.lang)} values={values} errors={errors} /></Layout>, status);
  };
  app.get('/exercises/new', { config: { policy: manage } }, (req, res) => renderNew(req, res, {}));
  app.post<{ Body: Static<typeof FormBody> }>('/exercises', { config: { policy: manage }, schema: { body: FormBody } }, async (req, res) => {
    const b = req.body;
    try {
      const exercise = await createExercise(cadre, req.principal!, { title: one(b.title), scenario: one(b.scenario), startsAt: one(b.startsAt), endsAt: one(b.endsAt), states: list(b.states), timeZone: req.principal!.timeZone ?? 'UTC' }, req.ip);
      return res.redirect(`/exercises/${exercise.id}`, 303);
    } catch (error) {
      if (error instanceof InvalidFields) return renderNew(req, res, b, problemMessages(error.fields, req.t), 400);
      throw error;
    }
  });

  const renderExercise = async (req: Req, res: Reply, id: string, values?: ExerciseFormValues, errors?: Record<string, string>, status = 200) => {
    const view = await readExercise(cadre, req.principal, id);
    const ctx = pageContext(req);
    return sendPage(
      res,
      <Layout ctx={ctx} title={view.exercise.title}>
        <ExercisePage ctx={ctx} view={view} states={await listStates(db)} canManage={exercisePolicy(req.principal, 'manage', { states: view.states })} values={values} errors={errors} />
      </Layout>,
      status,
    );
  };
  app.get<{ Params: Static<typeof IdParams> }>('/exercises/:id', { config: { policy: read }, schema: { params: IdParams } }, (req, res) => renderExercise(req, res, req.params.id));
  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof FormBody> }>('/exercises/:id/injects', { config: { policy: manage }, schema: { params: IdParams, body: FormBody } }, async (req, res) => {
    const b = req.body;
    try {
      await addInject(cadre, req.principal!, req.params.id, { at: one(b.at), toState: one(b.toState), template: one(b.template), note: one(b.note), timeZone: req.principal!.timeZone ?? 'UTC' }, req.ip);
      return res.redirect(`/exercises/${req.params.id}`, 303);
    } catch (error) {
      if (error instanceof InvalidFields) return renderExercise(req, res, req.params.id, b, problemMessages(error.fields, req.t), 400);
      throw error;
    }
  });
  for (const [path, status] of [['start', 'running'], ['end', 'ended']] as const) {
    app.post<{ Params: Static<typeof IdParams> }>(`/exercises/:id/${path}`, { config: { policy: manage }, schema: { params: IdParams } }, async (req, res) => {
      await setExerciseStatus(cadre, req.principal!, req.params.id, status, req.ip);
      return res.redirect(`/exercises/${req.params.id}`, 303);
    });
  }

  app.get<{ Params: Static<typeof IdParams> }>('/exercises/:id/report', { config: { policy: read }, schema: { params: IdParams } }, async (req, res) => {
    const report = await afterActionReport(cadre, req.principal!, req.params.id);
    const ctx = pageContext(req);
    return sendPage(res, <Layout ctx={ctx} title={ctx.t('exercises.report')}><AfterActionPage ctx={ctx} report={report} states={await listStates(db)} /></Layout>);
  });
  app.get<{ Params: Static<typeof IdParams> }>('/exercises/:id/report.csv', { config: { policy: read }, schema: { params: IdParams } }, async (req, res) =>
    res
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="cadre-exercise-${req.params.id}.csv"`)
      .header('cache-control', 'no-store')
      .send(afterActionCsv(await afterActionReport(cadre, req.principal!, req.params.id))),
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/exercises/:id/report',
    { config: { policy: read }, schema: { tags: ['messages'], summary: 'An exercise’s after-action report: per participating State, times to acknowledge and to respond (median and per thread)', params: IdParams, response: { 404: Problem } } },
    async (req, res) => res.header('cache-control', 'no-store').send(await afterActionReport(cadre, req.principal!, req.params.id)),
  );
}
