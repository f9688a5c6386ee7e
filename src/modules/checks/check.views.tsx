import { REGIONAL_GROUPS, type CheckCampaignTable, type RegionalOrganisationTable, type StateTable } from '../../db/schema.ts';
import { ActionButton, CsrfField, ErrorSummary, Field, Select, type FieldErrors } from '../../web/forms.tsx';
import { formatInstant } from '../../web/format.ts';
import type { PageContext } from '../../web/page-context.ts';
import { stateName } from '../directory/state.names.ts';
import { groupLabel } from '../directory/states.view.tsx';
import { POC_KINDS } from '../directory/poc/types.ts';
import type { StatusCounts } from './check.repository.ts';
import { CHECK_MODES } from './check.service.ts';

const SEGMENTS = ['acknowledged', 'sent', 'queued', 'undeliverable'] as const;

/** A campaign's progress as a stacked bar (SVG, no script, no inline style) with the counts in words beside it. */
export function ProgressBar({ ctx, counts, total }: { ctx: PageContext; counts: StatusCounts; total: number }) {
  const { t } = ctx;
  let x = 0;
  const width = 300;
  const label = t('checks.progressLabel', { acknowledged: counts.acknowledged, total });
  return (
    <div class="check-progress">
      <svg viewBox={`0 0 ${width} 16`} width={width} height="16" role="img" aria-label={label} class="progress-bar">
        <rect x="0" y="0" width={width} height="16" class="seg-empty" />
        {SEGMENTS.map((s) => {
          const w = total ? (counts[s] / total) * width : 0;
          const rect = <rect x={x.toFixed(1)} y="0" width={w.toFixed(1)} height="16" class={`seg-${s}`} />;
          x += w;
          return rect;
        })}
      </svg>
      <ul class="inline-list counts">
        {SEGMENTS.map((s) => (
          <li>
            <span class={`swatch seg-${s}`} aria-hidden="true" /> {t(`checks.status.${s}`)}
            {t('directory.labelSeparator')}
            {counts[s]}
          </li>
        ))}
        {counts.overdue > 0 && (
          <li>
            <strong>{t('checks.status.overdue')}
              {t('directory.labelSeparator')}
              {counts.overdue}</strong>
          </li>
        )}
      </ul>
    </div>
  );
}

export function CampaignList({ ctx, campaigns, counts }: { ctx: PageContext; campaigns: CheckCampaignTable[]; counts: Map<string, StatusCounts> }) {
  const { t, lang } = ctx;
  return (
    <>
      <p class="lead">{t('checks.lead')}</p>
      <p class="actions">
        <a class="button" href="/checks/new">
          {t('checks.start')}
        </a>
        <a href="/checks/reports">{t('reports.indexHeading')}</a>
      </p>
      {campaigns.length === 0 ? (
        <p>{t('checks.none')}</p>
      ) : (
        <ul class="plain campaign-list">
          {campaigns.map((c) => (
            <li class="poc-card">
              <h2>
                <a href={`/checks/${c.id}`}>{t('checks.campaignTitle', { date: formatInstant(c.created_at, lang, ctx.timeZone) })}</a> <span class="badge">{t(`checks.mode.${c.mode}`)}</span>
              </h2>
              <p class="muted">{t('checks.deadlineLine', { date: formatInstant(c.deadline_at, lang, ctx.timeZone) })}</p>
              <ProgressBar ctx={ctx} counts={counts.get(c.id)!} total={c.target_count} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

interface NewCampaignProps {
  ctx: PageContext;
  states: readonly StateTable[];
  organisations: RegionalOrganisationTable[];
  values: Record<string, string | string[] | undefined>;
  errors?: FieldErrors | undefined;
}

export function NewCampaignForm({ ctx, states, organisations, values: given, errors }: NewCampaignProps) {
  const { t, lang } = ctx;
  const chosenStates = ([] as string[]).concat(given.states ?? []);
  const values = Object.fromEntries(Object.entries(given).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])) as Record<string, string | undefined>;
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/checks" class="stacked">
        <CsrfField ctx={ctx} />
        <Select name="mode" label={t('checks.modeLabel')} value={values.mode ?? 'routine'} errors={errors} options={CHECK_MODES.map((m) => ({ value: m, label: t(`checks.mode.${m}`) }))} />
        <fieldset class="field">
          <legend>{t('checks.scope')}</legend>
          <p class="hint">{t('checks.scopeHint')}</p>
          <Select name="kind" label={t('directory.kind')} value={values.kind} errors={errors} includeEmpty={t('directory.any')} options={POC_KINDS.map((k) => ({ value: k, label: t(`directory.kind.${k}`) }))} />
          <Select name="group" label={t('directory.group')} value={values.group} errors={errors} includeEmpty={t('directory.any')} options={REGIONAL_GROUPS.map((g) => ({ value: g, label: groupLabel(ctx, g) }))} />
          <Select
            name="organisation"
            label={t('directory.regionalOrganisation')}
            value={values.organisation}
            errors={errors}
            includeEmpty={t('directory.any')}
            options={organisations.map((o) => ({ value: o.id, label: t(`regional.name.${o.id}`) }))}
          />
          <div class="field">
            <label for="states">{t('checks.states')}</label>
            <p id="states-hint" class="hint">
              {t('checks.statesHint')}
            </p>
            <select id="states" name="states" multiple size={8} aria-describedby="states-hint">
              {states.map((s) => (
                <option value={s.iso3} selected={chosenStates.includes(s.iso3)}>
                  {stateName(s, lang)}
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <Field name="deadlineHours" label={t('checks.deadlineHours')} type="number" value={values.deadlineHours ?? '48'} errors={errors} inputMode="numeric" hint={t('checks.deadlineHint')} />
        <Field name="reminders" label={t('checks.reminders')} value={values.reminders ?? '24'} errors={errors} hint={t('checks.remindersHint')} />
        <Select
          name="recurrenceMonths"
          label={t('checks.recurrence')}
          value={values.recurrenceMonths}
          errors={errors}
          includeEmpty={t('checks.recurrenceOnce')}
          options={[3, 6, 12].map((m) => ({ value: String(m), label: t('checks.recurrenceEvery', { months: m }) }))}
        />
        <Field name="note" label={t('checks.note')} value={values.note} errors={errors} hint={t('checks.noteHint')} />
        <button type="submit">{t('checks.startSubmit')}</button>
      </form>
    </>
  );
}

interface TargetRow {
  id: string;
  state_iso3: string;
  kind: string;
  status: string;
  acknowledged_at: string | null;
  channel: string | null;
  name: string;
  poc_id: string;
}

export function CampaignPage({ ctx, campaign, counts, targets, states, overdue }: { ctx: PageContext; campaign: CheckCampaignTable; counts: StatusCounts; targets: TargetRow[]; states: readonly StateTable[]; overdue: boolean }) {
  const { t, lang } = ctx;
  const byIso = new Map(states.map((s) => [s.iso3, s]));
  return (
    <>
      <p class="lead">
        <span class="badge">{t(`checks.mode.${campaign.mode}`)}</span> {t('checks.deadlineLine', { date: formatInstant(campaign.deadline_at, lang, ctx.timeZone) })}
      </p>
      {campaign.note && <p>{campaign.note}</p>}
      {campaign.next_run_at && <p>{t('checks.nextRun', { date: formatInstant(campaign.next_run_at, lang, ctx.timeZone) })}</p>}
      <p>
        <a href={`/checks/${campaign.id}/report`}>{t('reports.open')}</a>
      </p>
      <ProgressBar ctx={ctx} counts={counts} total={campaign.target_count} />
      <div class="table-scroll">
        <table>
          <caption>{t('checks.targetsCaption', { count: targets.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('directory.state')}</th>
              <th scope="col">{t('directory.name')}</th>
              <th scope="col">{t('directory.kind')}</th>
              <th scope="col">{t('directory.status')}</th>
              <th scope="col">{t('checks.acknowledgedAt')}</th>
            </tr>
          </thead>
          <tbody>
            {targets.map((r) => (
              <tr data-status={r.status}>
                <td>{byIso.get(r.state_iso3) ? stateName(byIso.get(r.state_iso3)!, lang) : r.state_iso3}</td>
                <td>
                  <a href={`/directory/entries/${r.poc_id}`}>{r.name}</a>
                </td>
                <td>{t(`directory.kind.${r.kind}`)}</td>
                <td>{overdue && (r.status === 'sent' || r.status === 'queued') ? <strong>{t('checks.status.overdue')}</strong> : t(`checks.status.${r.status}`)}</td>
                <td>{r.acknowledged_at ? `${formatInstant(r.acknowledged_at, lang, ctx.timeZone)} (${t(`checks.channel.${r.channel}`)})` : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

export function AckPage({ ctx, token, mode, deadline }: { ctx: PageContext; token: string; mode: string; deadline: string }) {
  const { t, lang } = ctx;
  return (
    <>
      <p class="lead">{t(`checks.ack.lead.${mode}`)}</p>
      <p>{t('checks.deadlineLine', { date: formatInstant(deadline, lang, ctx.timeZone) })}</p>
      <form method="post" action={`/checks/ack/${token}`}>
        <CsrfField ctx={ctx} />
        <button type="submit">{t('checks.ack.submit')}</button>
      </form>
    </>
  );
}

export function MyChecks({ ctx, open, done }: { ctx: PageContext; open: { id: string; mode: string; deadline_at: string; name: string }[]; done: boolean }) {
  const { t, lang } = ctx;
  return (
    <>
      {done && (
        <p class="notice notice-ok" role="status">
          {t('checks.ack.done')}
        </p>
      )}
      <p>
        <a href="/checks/reports">{t('reports.indexHeading')}</a>
      </p>
      {open.length === 0 ? (
        <p>{t('checks.mine.none')}</p>
      ) : (
        <ul class="plain">
          {open.map((o) => (
            <li class="poc-card">
              <p>
                <strong>{o.name}</strong> · <span class="badge">{t(`checks.mode.${o.mode}`)}</span> · {t('checks.deadlineLine', { date: formatInstant(o.deadline_at, lang, ctx.timeZone) })}
              </p>
              <ActionButton ctx={ctx} action={`/checks/targets/${o.id}/acknowledge`} label={t('checks.ack.submit')} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
