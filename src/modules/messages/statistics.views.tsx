import { direction } from '../../web/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { HorizontalBarChart } from '../checks/charts.tsx';
import { duration, percent } from '../checks/report.views.tsx';
import type { Statistics, Timings } from './statistics.service.ts';

/** Volumes and timings of real exchanges (exercises left out): charts with their figures as tables. */
export function StatisticsPage({ ctx, stats }: { ctx: PageContext; stats: Statistics }) {
  const { t, lang } = ctx;
  const rtl = direction(lang) === 'rtl';
  const volumes = (caption: string, rows: { code: string; label: string; threads: number }[]) => {
    const points = rows.map((r) => ({ label: r.label, value: r.threads, valueLabel: String(r.threads) }));
    return (
      <section>
        <h2>{caption}</h2>
        <div class="table-scroll">
          <HorizontalBarChart points={points} label={`${caption}. ${points.map((p) => `${p.label}: ${p.valueLabel}`).join('; ')}`} rtl={rtl} />
        </div>
        <table>
          <caption class="visually-hidden">{caption}</caption>
          <tbody>
            {rows.map((r) => (
              <tr data-code={r.code} data-threads={r.threads}>
                <th scope="row">{r.label}</th>
                <td>{r.threads}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    );
  };
  return (
    <>
      <p class="lead">{t(stats.audience === 'secretariat' ? 'statistics.leadSecretariat' : 'statistics.leadState')}</p>
      <dl class="facts">
        <dt>{t('statistics.threads')}</dt>
        <dd data-threads={stats.threads}>{stats.threads}</dd>
      </dl>
      <TimingFacts ctx={ctx} heading={t(stats.audience === 'secretariat' ? 'statistics.timingsAll' : 'statistics.timingsReceived')} timings={stats} kind="received" />
      {stats.sent && <TimingFacts ctx={ctx} heading={t('statistics.timingsSent')} timings={stats.sent} kind="sent" />}
      {volumes(t('statistics.byTemplate'), stats.byTemplate.map((x) => ({ code: x.template, label: t(`messages.template.${x.template}`), threads: x.threads })))}
      {volumes(t('statistics.byUrgency'), stats.byUrgency.map((x) => ({ code: x.urgency, label: t(`messages.urgency.${x.urgency}`), threads: x.threads })))}
      <p>
        <a href="/messages/statistics.csv">{t('exercises.exportCsv')}</a>
      </p>
    </>
  );
}

/** Share acknowledged within the deadline and median times of one set of deliveries. */
function TimingFacts({ ctx, heading, timings, kind }: { ctx: PageContext; heading: string; timings: Timings; kind: 'received' | 'sent' }) {
  const { t, lang } = ctx;
  return (
    <section aria-labelledby={`timings-${kind}`}>
      <h2 id={`timings-${kind}`}>{heading}</h2>
      <dl class="facts" data-timings={kind} data-deliveries={timings.deliveries} data-in-time={timings.acknowledgedInTime} data-median-ack={timings.medianAckSeconds ?? ''} data-median-response={timings.medianResponseSeconds ?? ''}>
        <dt>{t('statistics.deliveries')}</dt>
        <dd>{timings.deliveries}</dd>
        <dt>{t('statistics.shareInTime')}</dt>
        <dd>
          {percent(timings.shareInTime, lang)} ({timings.acknowledgedInTime} / {timings.deliveries})
        </dd>
        <dt>{t('exercises.medianAck')}</dt>
        <dd>{duration(timings.medianAckSeconds, lang)}</dd>
        <dt>{t('exercises.medianResponse')}</dt>
        <dd>{duration(timings.medianResponseSeconds, lang)}</dd>
      </dl>
    </section>
  );
}
