import type { StateTable } from '../../../db/schema.ts';
import { ActionButton } from '../../../web/forms.tsx';
import { formatInstant } from '../../../web/format.ts';
import type { PageContext } from '../../../web/page-context.ts';
import { stateName } from '../state.names.ts';
import { groupLabel } from '../states.view.tsx';
import type { StateCounts } from './poc.repository.ts';

export type OverviewFilter = 'all' | 'none' | 'lapsed' | 'pending';

interface OverviewProps {
  ctx: PageContext;
  states: readonly StateTable[];
  counts: Map<string, StateCounts>;
  filter: OverviewFilter;
  /** The State just chased and how many administrators were written to. */
  chased?: { state: string; sent: number } | undefined;
}

const EMPTY = (iso3: string): StateCounts => ({ state_iso3: iso3, pending: 0, active: 0, lapsed: 0, withdrawn: 0, oldest_confirmed_until: null });

/** The Secretariat's view: for every State, its entries by status and how fresh they are. */
export function OverviewPage({ ctx, states, counts, filter, chased }: OverviewProps) {
  const { t, lang } = ctx;
  const rows = states.map((s) => ({ s, c: counts.get(s.iso3) ?? EMPTY(s.iso3) }));
  const taking = rows.filter((r) => r.c.active > 0).length;
  const lapsed = rows.reduce((n, r) => n + r.c.lapsed, 0);
  const pending = rows.reduce((n, r) => n + r.c.pending, 0);
  const shown = rows.filter(({ c }) => (filter === 'none' ? c.active === 0 : filter === 'lapsed' ? c.lapsed > 0 : filter === 'pending' ? c.pending > 0 : true));
  const filters: OverviewFilter[] = ['all', 'none', 'lapsed', 'pending'];
  const chasedState = chased ? states.find((s) => s.iso3 === chased.state) : undefined;
  return (
    <>
      {chased && chasedState && (
        <p class="notice notice-ok" role="status">
          {t('directory.chase.done', { state: stateName(chasedState, lang), count: chased.sent })}
        </p>
      )}
      <p class="actions">
        <a href="/directory/settings">{t('directory.settings.heading')}</a>
        <a href="/directory/imports">{t('directory.import.heading')}</a>
        <a href="/directory?status=withdrawn">{t('directory.withdrawnEntries')}</a>
      </p>
      <ul class="stat-list">
        <li>
          <strong>{taking}</strong> {t('directory.overview.taking', { total: states.length })}
        </li>
        <li>
          <strong>{states.length - taking}</strong> {t('directory.overview.none')}
        </li>
        <li>
          <strong>{lapsed}</strong> {t('directory.overview.lapsed')}
        </li>
        <li>
          <strong>{pending}</strong> {t('directory.overview.pending')}
        </li>
      </ul>
      <nav aria-label={t('directory.overview.filter')}>
        <ul class="inline-list">
          {filters.map((f) => (
            <li>
              <a href={`/directory/overview?show=${f}`} aria-current={f === filter ? 'page' : undefined}>
                {t(`directory.overview.show.${f}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="table-scroll">
        <table>
          <caption>{t('directory.overview.caption', { count: shown.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('directory.state')}</th>
              <th scope="col">{t('directory.group')}</th>
              <th scope="col">{t('directory.status.active')}</th>
              <th scope="col">{t('directory.lapsed')}</th>
              <th scope="col">{t('directory.status.pending')}</th>
              <th scope="col">{t('directory.status.withdrawn')}</th>
              <th scope="col">{t('directory.overview.oldest')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('directory.chase')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map(({ s, c }) => (
              <tr data-state={s.iso3}>
                <th scope="row">
                  <a href={`/directory/states/${s.iso3}`}>{stateName(s, lang)}</a>
                </th>
                <td>{groupLabel(ctx, s.regional_group)}</td>
                <td>{c.active}</td>
                <td>{c.lapsed > 0 ? <span class="badge badge-warn">{c.lapsed}</span> : 0}</td>
                <td>{c.pending}</td>
                <td>{c.withdrawn}</td>
                <td>{c.oldest_confirmed_until ? formatInstant(c.oldest_confirmed_until, lang, ctx.timeZone) : '–'}</td>
                <td>{c.active === 0 && <ActionButton ctx={ctx} action={`/directory/overview/chase/${s.iso3}`} label={t('directory.chase')} ariaLabel={t('directory.chaseState', { state: stateName(s, lang) })} variant="secondary" inline />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
