import type { StateTable } from '../../db/schema.ts';
import { ActionButton, CsrfField, ErrorSummary, Field, Select, type FieldErrors } from '../../web/forms.tsx';
import { formatInstant } from '../../web/format.ts';
import { direction } from '../../web/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { BarChart } from '../checks/charts.tsx';
import { duration } from '../checks/report.views.tsx';
import { stateName } from '../directory/state.names.ts';
import type { ExerciseRow, ExerciseView } from './exercise.service.ts';
import type { AfterActionReport } from './statistics.service.ts';
import { TEMPLATES } from './templates.ts';

const nameOf = (byIso: Map<string, StateTable>, iso3: string, ctx: PageContext) => (byIso.get(iso3) ? stateName(byIso.get(iso3)!, ctx.lang) : iso3);

/** The mark on every page showing a thread opened within an exercise: text, not colour alone. */
export function ExerciseBadge({ ctx }: { ctx: PageContext }) {
  return <strong class="badge badge-warn">{ctx.t('exercises.mark')}</strong>;
}

export function ExerciseList({ ctx, rows, states, canManage }: { ctx: PageContext; rows: ExerciseRow[]; states: readonly StateTable[]; canManage: boolean }) {
  const { t, lang } = ctx;
  const byIso = new Map(states.map((s) => [s.iso3, s]));
  return (
    <>
      <p class="lead">{t('exercises.lead')}</p>
      {canManage && (
        <p class="actions">
          <a class="button" href="/exercises/new">
            {t('exercises.new')}
          </a>
        </p>
      )}
      {rows.length === 0 ? (
        <p>{t('exercises.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">{t('exercises.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('exercises.title')}</th>
                <th scope="col">{t('exercises.startsAt')}</th>
                <th scope="col">{t('exercises.statusHeading')}</th>
                <th scope="col">{t('exercises.states')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-exercise={r.id}>
                  <td>
                    <a href={`/exercises/${r.id}`}>{r.title}</a>
                  </td>
                  <td>{formatInstant(r.starts_at, lang, ctx.timeZone)}</td>
                  <td>{t(`exercises.status.${r.status}`)}</td>
                  <td>{r.states.map((s) => nameOf(byIso, s, ctx)).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export type ExerciseFormValues = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export function NewExercisePage({ ctx, states, values, errors }: { ctx: PageContext; states: readonly StateTable[]; values: ExerciseFormValues; errors?: FieldErrors | undefined }) {
  const { t, lang } = ctx;
  const chosen = ([] as string[]).concat(values.states ?? []);
  return (
    <form method="post" action="/exercises" class="stacked" novalidate>
      <ErrorSummary ctx={ctx} errors={errors} />
      <CsrfField ctx={ctx} />
      <Field name="title" label={t('exercises.title')} value={one(values.title)} errors={errors} required />
      <div class={errors?.scenario ? 'field field-error' : 'field'}>
        <label for="scenario">{t('exercises.scenario')}</label>
        {errors?.scenario && (
          <p id="scenario-error" class="error-message">
            {errors.scenario}
          </p>
        )}
        <textarea id="scenario" name="scenario" rows={8} required aria-invalid={errors?.scenario ? 'true' : undefined}>
          {one(values.scenario)}
        </textarea>
      </div>
      <Field name="startsAt" type="datetime-local" label={t('exercises.startsAtIn', { zone: ctx.timeZone })} value={one(values.startsAt)} errors={errors} required />
      <Field name="endsAt" type="datetime-local" label={t('exercises.endsAtIn', { zone: ctx.timeZone })} value={one(values.endsAt)} errors={errors} required />
      <div class={errors?.states ? 'field field-error' : 'field'}>
        <label for="states">{t('exercises.states')}</label>
        {errors?.states && (
          <p id="states-error" class="error-message">
            {errors.states}
          </p>
        )}
        <select id="states" name="states" multiple size={8}>
          {states.map((s) => (
            <option value={s.iso3} selected={chosen.includes(s.iso3)}>
              {stateName(s, lang)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit">{t('exercises.create')}</button>
    </form>
  );
}

export function ExercisePage({ ctx, view, states, canManage, values, errors }: { ctx: PageContext; view: ExerciseView; states: readonly StateTable[]; canManage: boolean; values?: ExerciseFormValues; errors?: FieldErrors | undefined }) {
  const { t, lang } = ctx;
  const { exercise } = view;
  const byIso = new Map(states.map((s) => [s.iso3, s]));
  return (
    <>
      <p class="lead">
        <ExerciseBadge ctx={ctx} /> {t(`exercises.status.${exercise.status}`)}
      </p>
      <dl class="facts">
        <dt>{t('exercises.startsAt')}</dt>
        <dd>{formatInstant(exercise.starts_at, lang, ctx.timeZone)}</dd>
        <dt>{t('exercises.endsAt')}</dt>
        <dd>{formatInstant(exercise.ends_at, lang, ctx.timeZone)}</dd>
        <dt>{t('exercises.states')}</dt>
        <dd data-states={view.states.join(' ')}>{view.states.map((s) => nameOf(byIso, s, ctx)).join(', ')}</dd>
      </dl>
      <h2>{t('exercises.scenario')}</h2>
      <p class="pre-line" data-scenario="">
        {exercise.scenario}
      </p>
      {canManage && exercise.status !== 'ended' && (
        <ActionButton ctx={ctx} action={`/exercises/${exercise.id}/${exercise.status === 'planned' ? 'start' : 'end'}`} label={t(exercise.status === 'planned' ? 'exercises.start' : 'exercises.end')} variant="secondary" />
      )}
      <h2>{t('exercises.injects')}</h2>
      {view.injects.length === 0 ? (
        <p>{t('exercises.noInjects')}</p>
      ) : (
        <ol class="plain timeline">
          {view.injects.map((i) => (
            <li class="message" data-inject={i.id}>
              <h3>
                {formatInstant(i.at, lang, ctx.timeZone)} — {nameOf(byIso, i.to_state, ctx)}
              </h3>
              <p class="pre-line">{i.note}</p>
              {ctx.principal?.state === i.to_state && exercise.status === 'running' ? (
                <p>
                  <a href={`/messages/new?template=${i.template}&exercise=${exercise.id}`}>{t(`messages.template.${i.template}`)}</a>
                </p>
              ) : (
                <p class="muted">{t(`messages.template.${i.template}`)}</p>
              )}
            </li>
          ))}
        </ol>
      )}
      {canManage && exercise.status !== 'ended' && (
        <form method="post" action={`/exercises/${exercise.id}/injects`} class="stacked" novalidate>
          <h3>{t('exercises.addInject')}</h3>
          <ErrorSummary ctx={ctx} errors={errors} />
          <CsrfField ctx={ctx} />
          <Field name="at" type="datetime-local" label={t('exercises.injectAtIn', { zone: ctx.timeZone })} value={one(values?.at)} errors={errors} required />
          <Select name="toState" label={t('exercises.injectTo')} value={one(values?.toState)} errors={errors} options={view.states.map((s) => ({ value: s, label: nameOf(byIso, s, ctx) }))} />
          <Select name="template" label={t('exercises.injectTemplate')} value={one(values?.template)} errors={errors} options={TEMPLATES.filter((x) => x.role === 'opens').map((x) => ({ value: x.id, label: t(`messages.template.${x.id}`) }))} />
          <Field name="note" label={t('exercises.injectNote')} value={one(values?.note)} errors={errors} required />
          <button type="submit">{t('exercises.addInject')}</button>
        </form>
      )}
      <h2>{t('exercises.threads')}</h2>
      {view.threads.length === 0 ? (
        <p>{t('exercises.noThreads')}</p>
      ) : (
        <ul class="plain">
          {view.threads.map((th) => (
            <li>
              <a href={`/messages/${th.id}`}>{t(`messages.template.${th.template}`)}</a> — {nameOf(byIso, th.from_state, ctx)}, {formatInstant(th.created_at, lang, ctx.timeZone)} · {t(`messages.status.${th.status}`)}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={`/exercises/${exercise.id}/report`}>{t('exercises.report')}</a>
      </p>
    </>
  );
}

export function AfterActionPage({ ctx, report, states }: { ctx: PageContext; report: AfterActionReport; states: readonly StateTable[] }) {
  const { t, lang } = ctx;
  const byIso = new Map(states.map((s) => [s.iso3, s]));
  const rtl = direction(lang) === 'rtl';
  const chart = (key: 'medianAckSeconds' | 'medianResponseSeconds', label: string) => {
    const points = report.states.map((s) => ({ label: s.state, value: s[key], valueLabel: duration(s[key], lang) }));
    // Nothing measured yet: a sentence, not an empty frame.
    if (points.every((p) => p.value === null)) return <p class="muted">{t('exercises.nothingMeasured')}</p>;
    const described = points.map((p) => `${nameOf(byIso, p.label, ctx)}: ${p.valueLabel}`).join('; ');
    return <BarChart points={points} label={`${label}. ${described}`} rtl={rtl} />;
  };
  return (
    <>
      <p class="lead">
        <ExerciseBadge ctx={ctx} /> {report.title}
      </p>
      <h2>{t('exercises.medianAck')}</h2>
      <div class="table-scroll">{chart('medianAckSeconds', t('exercises.medianAck'))}</div>
      <h2>{t('exercises.medianResponse')}</h2>
      <div class="table-scroll">{chart('medianResponseSeconds', t('exercises.medianResponse'))}</div>
      <div class="table-scroll">
        <table>
          <caption>{t('exercises.byState')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('directory.state')}</th>
              <th scope="col">{t('exercises.deliveries')}</th>
              <th scope="col">{t('exercises.medianAck')}</th>
              <th scope="col">{t('exercises.medianResponse')}</th>
            </tr>
          </thead>
          <tbody>
            {report.states.map((s) => (
              <tr data-state={s.state} data-ack={s.medianAckSeconds ?? ''} data-response={s.medianResponseSeconds ?? ''}>
                <th scope="row">{nameOf(byIso, s.state, ctx)}</th>
                <td>{s.deliveries}</td>
                <td>{duration(s.medianAckSeconds, lang)}</td>
                <td>{duration(s.medianResponseSeconds, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="table-scroll">
        <table>
          <caption>{t('exercises.perThread')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('directory.state')}</th>
              <th scope="col">{t('messages.inbox.thread')}</th>
              <th scope="col">{t('exercises.timeToAck')}</th>
              <th scope="col">{t('exercises.timeToRespond')}</th>
            </tr>
          </thead>
          <tbody>
            {report.deliveries.map((d) => (
              <tr data-thread={d.threadId} data-state={d.state}>
                <th scope="row">{nameOf(byIso, d.state, ctx)}</th>
                <td>
                  <a href={`/messages/${d.threadId}`}>{t(`messages.template.${d.template}`)}</a> {formatInstant(d.createdAt, lang, ctx.timeZone)}
                </td>
                <td>{duration(d.secondsToAcknowledge, lang)}</td>
                <td>{duration(d.secondsToRespond, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p>
        <a href={`/exercises/${report.exerciseId}/report.csv`}>{t('exercises.exportCsv')}</a>
      </p>
    </>
  );
}
