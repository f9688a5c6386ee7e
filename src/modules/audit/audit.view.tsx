import type { VerifyReport } from '../../audit/audit.repository.ts';
import type { AuditEventTable } from '../../db/schema.ts';
import { formatInstant } from '../../web/format.ts';
import { hrefWith, type PageContext } from '../../web/page-context.ts';
import type { AuditQuery } from './audit.routes.tsx';

interface Props {
  ctx: PageContext;
  events: AuditEventTable[];
  query: AuditQuery;
  pageSize: number;
  chain: VerifyReport;
}

export function AuditList({ ctx, events, query, pageSize, chain }: Props) {
  const { t } = ctx;
  const keep: Record<string, string> = {};
  for (const k of ['action', 'state', 'actor', 'target', 'since', 'until'] as const) if (query[k]) keep[k] = String(query[k]);
  const last = events[events.length - 1];
  return (
    <>
      {chain.fault ? (
        <p class="notice notice-warn" role="alert">
          {t('audit.chainBroken', { seq: chain.fault.seq })}
        </p>
      ) : (
        <p class="notice notice-ok">{t('audit.chainIntact', { count: chain.events })}</p>
      )}
      <form method="get" action="/audit" class="filter-bar">
        <div class="field">
          <label for="action">{t('audit.action')}</label>
          <input id="action" name="action" value={query.action} dir="ltr" />
        </div>
        <div class="field">
          <label for="state">{t('audit.state')}</label>
          <input id="state" name="state" value={query.state} size={4} maxLength={3} dir="ltr" />
        </div>
        <div class="field">
          <label for="actor">{t('audit.actorId')}</label>
          <input id="actor" name="actor" value={query.actor} dir="ltr" />
        </div>
        <div class="field">
          <label for="since">{t('audit.since')}</label>
          <input id="since" name="since" type="date" value={query.since} />
        </div>
        <div class="field">
          <label for="until">{t('audit.until')}</label>
          <input id="until" name="until" type="date" value={query.until} />
        </div>
        <button type="submit">{t('form.filter')}</button>
      </form>
      {events.length === 0 ? (
        <p>{t('audit.none')}</p>
      ) : (
        <div class="table-scroll">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('audit.time')}</th>
              <th scope="col">{t('audit.actor')}</th>
              <th scope="col">{t('audit.action')}</th>
              <th scope="col">{t('audit.target')}</th>
              <th scope="col">{t('audit.state')}</th>
              <th scope="col">{t('audit.details')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr>
                <td class="mono">{e.seq}</td>
                <td>{formatInstant(e.time, ctx.lang, ctx.timeZone)}</td>
                <td class="mono">{e.actor_label}</td>
                <td class="mono">
                  <a href={hrefWith('/audit', {}, { action: e.action })}>{e.action}</a>
                </td>
                <td class="mono">{[e.target_type, e.target_id].filter(Boolean).join(' ')}</td>
                <td class="mono">{e.state_iso3 ?? ''}</td>
                <td class="mono">{e.details === '{}' ? '' : e.details}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {events.length === pageSize && last && (
        <nav class="pager" aria-label={t('form.pagination')}>
          <a href={hrefWith('/audit', keep, { before: String(last.seq) })}>{t('form.older')}</a>
        </nav>
      )}
    </>
  );
}
