import type { StateTable } from '../../db/schema.ts';
import { ActionButton } from '../../web/forms.tsx';
import { formatInstant } from '../../web/format.ts';
import { direction, type Language } from '../../web/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { stateName } from '../directory/state.names.ts';
import { groupLabel } from '../directory/states.view.tsx';
import { BarChart, LineChart, type ChartPoint } from './charts.tsx';
import type { ReportCampaign } from './report.repository.ts';
import { OutcomeMap } from './report.map.tsx';
import { MIN_PUBLIC_STATES, type CampaignReport, type HistogramBin, type HistoryRow, type Outcome, type Tally } from './report.service.ts';

// Numbers, percentages and durations in the reader's language (Intl), so no unit needs a catalogue.

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(lang: Language, key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let f = numberFormats.get(`${lang}|${key}`);
  if (!f) {
    f = new Intl.NumberFormat(lang, options);
    numberFormats.set(`${lang}|${key}`, f);
  }
  return f;
}

export function percent(rate: number | null, lang: Language): string {
  return rate === null ? '–' : nf(lang, '%', { style: 'percent', maximumFractionDigits: 1 }).format(rate);
}

/** Under an hour in minutes, under two days in hours, then in days. */
export function duration(seconds: number | null, lang: Language): string {
  if (seconds === null) return '–';
  const [unit, value] = seconds < 3600 ? (['minute', seconds / 60] as const) : seconds < 172_800 ? (['hour', seconds / 3600] as const) : (['day', seconds / 86_400] as const);
  return nf(lang, unit, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: unit === 'minute' ? 0 : 1 }).format(value);
}

const dateOnly = (iso: string, lang: Language) => new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }).format(new Date(iso));
const list = (items: string[], lang: Language) => new Intl.ListFormat(lang, { type: 'unit' }).format(items);

function binLabel(ctx: PageContext, bin: HistogramBin): string {
  const d = (s: number) => duration(s, ctx.lang);
  if (bin.fromSeconds === 0) return ctx.t('reports.bin.under', { to: d(bin.toSeconds!) });
  if (bin.toSeconds === null) return ctx.t('reports.bin.over', { from: d(bin.fromSeconds) });
  return ctx.t('reports.bin.range', { from: d(bin.fromSeconds), to: d(bin.toSeconds) });
}

function RateLine({ ctx, tally }: { ctx: PageContext; tally: Tally }) {
  return <>{ctx.t('reports.rateLine', { checked: tally.checked, acknowledged: String(tally.acknowledged), rate: percent(tally.rate, ctx.lang) })}</>;
}

/** A table of tallies, one row per group, organisation or kind. */
function TallyTable({ ctx, caption, head, rows }: { ctx: PageContext; caption: string; head: string; rows: { key: string; label: string; tally: Tally }[] }) {
  const { t, lang } = ctx;
  return (
    <div class="table-scroll">
      <table class="cr-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{head}</th>
            <th scope="col">{t('reports.col.checked')}</th>
            <th scope="col">{t('reports.col.acknowledged')}</th>
            <th scope="col">{t('reports.col.undeliverable')}</th>
            <th scope="col">{t('reports.col.rate')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-key={r.key} data-rate={r.tally.rate ?? ''} data-withheld={r.tally.withheld ? 'yes' : undefined}>
              <th scope="row">{r.label}</th>
              {r.tally.withheld ? (
                <td colSpan={4}>{t('reports.withheld', { min: MIN_PUBLIC_STATES })}</td>
              ) : (
                <>
                  <td>{r.tally.checked}</td>
                  <td>{r.tally.acknowledged}</td>
                  <td>{r.tally.undeliverable}</td>
                  <td>{percent(r.tally.rate, lang)}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Histogram({ ctx, bins }: { ctx: PageContext; bins: HistogramBin[] }) {
  const { t, lang } = ctx;
  const points: ChartPoint[] = bins.map((b) => ({ label: binLabel(ctx, b), value: b.count, valueLabel: String(b.count) }));
  const summary = list(points.map((p) => `${p.label}: ${p.valueLabel}`), lang);
  return (
    <section aria-labelledby="cr-histogram">
      <h3 id="cr-histogram">{t('reports.histogram.heading')}</h3>
      <div class="chart-scroll">
        <BarChart points={points} label={t('reports.histogram.label', { summary })} rtl={direction(lang) === 'rtl'} tone="chart-mark" />
      </div>
      <div class="table-scroll">
        <table class="cr-table">
          <caption>{t('reports.histogram.heading')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.col.time')}</th>
              <th scope="col">{t('reports.col.acknowledged')}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((p, i) => (
              <tr data-bin={bins[i]!.fromSeconds}>
                <th scope="row">{p.label}</th>
                <td>{p.valueLabel}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** A State's results campaign by campaign: rate and median time, charted oldest to newest, tabled newest first. */
export function History({ ctx, rows, headingLevel = 2 }: { ctx: PageContext; rows: HistoryRow[]; headingLevel?: 2 | 3 }) {
  const { t, lang } = ctx;
  if (rows.length === 0) return <p>{t('reports.history.none')}</p>;
  const rtl = direction(lang) === 'rtl';
  const chronological = [...rows].reverse();
  const rate: ChartPoint[] = chronological.map((r) => ({ label: dateOnly(r.createdAt, lang), value: r.rate === null ? null : r.rate * 100, valueLabel: percent(r.rate, lang) }));
  const time: ChartPoint[] = chronological.map((r) => ({ label: dateOnly(r.createdAt, lang), value: r.medianSeconds, valueLabel: duration(r.medianSeconds, lang) }));
  const summary = (points: ChartPoint[]) => list(points.map((p) => `${p.label}: ${p.valueLabel}`), lang);
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section class="cr-history" aria-labelledby="cr-history">
      <H id="cr-history">{t('reports.history.heading')}</H>
      <p>{t('reports.history.lead')}</p>
      <div class="chart-pair">
        <figure class="chart-scroll">
          <figcaption>{t('reports.col.rate')}</figcaption>
          <BarChart points={rate} max={100} label={t('reports.history.rateChart', { summary: summary(rate) })} rtl={rtl} tone="chart-mark" />
        </figure>
        <figure class="chart-scroll">
          <figcaption>{t('reports.col.median')}</figcaption>
          <LineChart points={time} label={t('reports.history.timeChart', { summary: summary(time) })} rtl={rtl} />
        </figure>
      </div>
      <div class="table-scroll">
        <table class="cr-table">
          <caption>{t('reports.history.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('reports.col.campaign')}</th>
              <th scope="col">{t('reports.col.checked')}</th>
              <th scope="col">{t('reports.col.acknowledged')}</th>
              <th scope="col">{t('reports.col.rate')}</th>
              <th scope="col">{t('reports.col.median')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-campaign={r.campaignId} data-rate={r.rate ?? ''} data-median={r.medianSeconds ?? ''}>
                <th scope="row">
                  <a href={`/checks/${r.campaignId}/report`}>{t('checks.campaignTitle', { date: formatInstant(r.createdAt, lang, ctx.timeZone) })}</a> <span class="badge">{t(`checks.mode.${r.mode}`)}</span>
                </th>
                <td>{r.checked}</td>
                <td>{r.acknowledged}</td>
                <td>{percent(r.rate, lang)}</td>
                <td>{duration(r.medianSeconds, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The Secretariat's switch for the public aggregate, with what it is now. */
export function PublishToggle({ ctx, on, back }: { ctx: PageContext; on: boolean; back?: string | undefined }) {
  const { t } = ctx;
  return (
    <div class="cr-publish notice" data-public={on ? 'on' : 'off'}>
      <p>{t(on ? 'reports.public.on' : 'reports.public.off')}</p>
      <ActionButton ctx={ctx} action={`/checks/reports/public?set=${on ? 'off' : 'on'}${back ? `&campaign=${back}` : ''}`} label={t(on ? 'reports.public.withdraw' : 'reports.public.publish')} variant="secondary" />
    </div>
  );
}

interface ReportPageProps {
  ctx: PageContext;
  report: CampaignReport;
  states: readonly StateTable[];
  /** The Secretariat's view of the setting; undefined for others. */
  publicOn?: boolean | undefined;
  /** The reader's own State's history, for a State. */
  history?: HistoryRow[] | undefined;
}

export function ReportPage({ ctx, report, states, publicOn, history }: ReportPageProps) {
  const { t, lang } = ctx;
  const byIso = new Map(states.map((s) => [s.iso3, s]));
  const name = (iso3: string) => (byIso.get(iso3) ? stateName(byIso.get(iso3)!, lang) : iso3);
  const c = report.campaign;
  const base = `/checks/${c.id}/report`;
  const own = report.audience === 'state' ? report.states?.[0] : undefined;
  return (
    <>
      <p class="lead">
        {t('checks.campaignTitle', { date: formatInstant(c.createdAt, lang, ctx.timeZone) })} <span class="badge">{t(`checks.mode.${c.mode}`)}</span>
      </p>
      <p class="muted">
        {t(`reports.audience.${report.audience}`)} {t('reports.asOf', { date: formatInstant(report.asOf, lang, ctx.timeZone) })}
      </p>
      {publicOn !== undefined && <PublishToggle ctx={ctx} on={publicOn} back={c.id} />}

      <section aria-labelledby="cr-overall" class="cr-overall">
        <h2 id="cr-overall">{t('reports.overall')}</h2>
        {report.overall.withheld ? (
          <p data-withheld="yes">{t('reports.withheld', { min: MIN_PUBLIC_STATES })}</p>
        ) : (
          <>
            <p class="cr-figure-big" data-rate={report.overall.rate ?? ''}>
              <RateLine ctx={ctx} tally={report.overall} />
            </p>
            <p>{t('reports.undeliverableLine', { count: report.overall.undeliverable })}</p>
          </>
        )}
        <h3>{t('reports.time.heading')}</h3>
        {report.time.count === 0 ? (
          <p>{t('reports.time.none')}</p>
        ) : (
          <dl class="cr-time">
            <dt>{t('reports.time.median')}</dt>
            <dd data-seconds={report.time.medianSeconds ?? ''}>{duration(report.time.medianSeconds, lang)}</dd>
            {report.time.p90Seconds !== null && (
              <>
                <dt>{t('reports.time.p90')}</dt>
                <dd data-seconds={report.time.p90Seconds}>{duration(report.time.p90Seconds, lang)}</dd>
              </>
            )}
          </dl>
        )}
        {report.time.count > 0 && <p class="muted">{t('reports.time.count', { count: report.time.count })}</p>}
        {report.histogram && report.time.count > 0 && <Histogram ctx={ctx} bins={report.histogram} />}
      </section>

      <section aria-labelledby="cr-groups">
        <h2 id="cr-groups">{t('reports.byGroup')}</h2>
        <TallyTable ctx={ctx} caption={t('reports.byGroup')} head={t('directory.group')} rows={report.byGroup.map((g) => ({ key: g.group, label: groupLabel(ctx, g.group), tally: g }))} />
      </section>

      {report.byOrganisation && (
        <section aria-labelledby="cr-orgs">
          <h2 id="cr-orgs">{t('reports.byOrganisation')}</h2>
          <p class="hint">{t('reports.byOrganisationHint')}</p>
          <TallyTable
            ctx={ctx}
            caption={t('reports.byOrganisation')}
            head={t('directory.regionalOrganisation')}
            rows={report.byOrganisation.map((o) => ({ key: o.organisation, label: t(`regional.name.${o.organisation}`), tally: o }))}
          />
        </section>
      )}
      {report.byKind && (
        <section aria-labelledby="cr-kinds">
          <h2 id="cr-kinds">{t('reports.byKind')}</h2>
          <TallyTable ctx={ctx} caption={t('reports.byKind')} head={t('directory.kind')} rows={report.byKind.map((k) => ({ key: k.kind, label: t(`directory.kind.${k.kind}`), tally: k }))} />
        </section>
      )}

      {report.audience === 'secretariat' && report.states && (
        <section aria-labelledby="cr-states">
          <h2 id="cr-states">{t('reports.map.heading')}</h2>
          <OutcomeMap ctx={ctx} states={states} outcomes={new Map(report.states.map((s) => [s.iso3, s.outcome]))} />
          <StatesTable ctx={ctx} rows={report.states} name={name} />
        </section>
      )}

      {report.audience === 'state' && (
        <section aria-labelledby="cr-own">
          <h2 id="cr-own">{t('reports.yourState', { state: name(ctx.principal?.state ?? '') })}</h2>
          {own ? (
            <>
              <p data-outcome={own.outcome}>
                <strong>{t(`reports.outcome.${own.outcome}`)}</strong> · <RateLine ctx={ctx} tally={own} /> · {t('reports.col.median')}
                {t('directory.labelSeparator')}
                {duration(own.medianSeconds, lang)}
              </p>
              {report.targets && <TargetsTable ctx={ctx} rows={report.targets} name={name} />}
            </>
          ) : (
            <p>{t('reports.yourStateUnchecked')}</p>
          )}
          {history && <History ctx={ctx} rows={history} headingLevel={3} />}
        </section>
      )}

      {report.audience === 'secretariat' && report.targets && <TargetsTable ctx={ctx} rows={report.targets} name={name} />}

      <p>
        <a href={`${base}.csv`}>{t('reports.exportCsv')}</a> · <a href={`${base}.json`}>{t('reports.exportJson')}</a>
      </p>
    </>
  );
}

function StatesTable({ ctx, rows, name }: { ctx: PageContext; rows: NonNullable<CampaignReport['states']>; name: (iso3: string) => string }) {
  const { t, lang } = ctx;
  const sorted = [...rows].sort((a, b) => name(a.iso3).localeCompare(name(b.iso3), lang));
  return (
    <div class="table-scroll">
      <table class="cr-table">
        <caption>{t('reports.statesCaption', { count: rows.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('directory.state')}</th>
            <th scope="col">{t('reports.col.outcome')}</th>
            <th scope="col">{t('reports.col.checked')}</th>
            <th scope="col">{t('reports.col.acknowledged')}</th>
            <th scope="col">{t('reports.col.rate')}</th>
            <th scope="col">{t('reports.col.median')}</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((s) => (
            <tr data-iso3={s.iso3} data-outcome={s.outcome}>
              <th scope="row">
                <a href={`/checks/states/${s.iso3}`}>{name(s.iso3)}</a>
              </th>
              <td>{t(`reports.outcome.${s.outcome as Outcome}`)}</td>
              <td>{s.checked}</td>
              <td>{s.acknowledged}</td>
              <td>{percent(s.rate, lang)}</td>
              <td>{duration(s.medianSeconds, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function TargetsTable({ ctx, rows, name }: { ctx: PageContext; rows: NonNullable<CampaignReport['targets']>; name: (iso3: string) => string }) {
  const { t, lang } = ctx;
  return (
    <div class="table-scroll">
      <table class="cr-table">
        <caption>{t('reports.targetsCaption', { count: rows.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('directory.state')}</th>
            <th scope="col">{t('directory.name')}</th>
            <th scope="col">{t('directory.kind')}</th>
            <th scope="col">{t('directory.status')}</th>
            <th scope="col">{t('checks.acknowledgedAt')}</th>
            <th scope="col">{t('reports.col.time')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-target={r.targetId} data-status={r.status} data-seconds={r.secondsToAcknowledge ?? ''}>
              <td>{name(r.state)}</td>
              <td>
                <a href={`/directory/entries/${r.pocId}`}>{r.name}</a>
              </td>
              <td>{t(`directory.kind.${r.kind}`)}</td>
              <td>{t(`checks.status.${r.status}`)}</td>
              <td>{r.acknowledgedAt ? `${formatInstant(r.acknowledgedAt, lang, ctx.timeZone)} (${t(`checks.channel.${r.channel}`)})` : '–'}</td>
              <td>{duration(r.secondsToAcknowledge, lang)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReportIndex({ ctx, campaigns, publicOn, ownState }: { ctx: PageContext; campaigns: ReportCampaign[]; publicOn?: boolean | undefined; ownState?: string | undefined }) {
  const { t, lang } = ctx;
  return (
    <>
      <p class="lead">{t('reports.indexLead')}</p>
      {publicOn !== undefined && <PublishToggle ctx={ctx} on={publicOn} />}
      {ownState && (
        <p>
          <a href={`/checks/states/${ownState}`}>{t('reports.history.ownLink')}</a>
        </p>
      )}
      {campaigns.length === 0 ? (
        <p>{t('checks.none')}</p>
      ) : (
        <ul class="plain cr-campaigns">
          {campaigns.map((c) => (
            <li>
              <a href={`/checks/${c.id}/report`}>{t('checks.campaignTitle', { date: formatInstant(c.created_at, lang, ctx.timeZone) })}</a> <span class="badge">{t(`checks.mode.${c.mode}`)}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
