import type { PocRevisionTable } from '../../../db/schema.ts';
import { formatInstant } from '../../../web/format.ts';
import type { PageContext } from '../../../web/page-context.ts';
import type { StateRevisionRow } from './poc.repository.ts';

type Revisions = { of: 'entry'; rows: readonly PocRevisionTable[] } | { of: 'state'; rows: readonly StateRevisionRow[] };

/**
 * Changes to entries, newest first: when, what, by whom, on which note verbale. One entry's history
 * numbers its versions; a State's names the entry each change was made to, with a link to its own.
 */
export function RevisionsTable({ ctx, revisions }: { ctx: PageContext; revisions: Revisions }) {
  const { t, lang } = ctx;
  const rows: readonly (PocRevisionTable & Partial<Pick<StateRevisionRow, 'name' | 'kind'>>)[] = revisions.rows;
  return (
    <div class="table-scroll">
      <table>
        <thead>
          <tr>
            {revisions.of === 'entry' && <th scope="col">{t('directory.version')}</th>}
            <th scope="col">{t('directory.when')}</th>
            {revisions.of === 'state' && <th scope="col">{t('directory.stateHistoryEntry')}</th>}
            <th scope="col">{t('directory.change')}</th>
            <th scope="col">{t('directory.by')}</th>
            <th scope="col">{t('directory.nominationRef')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              {revisions.of === 'entry' && <td>{r.version}</td>}
              <td>{formatInstant(r.time, lang, ctx.timeZone)}</td>
              {revisions.of === 'state' && (
                <td>
                  <a href={`/directory/entries/${r.poc_id}#history-h`}>{r.name}</a> <span class="muted">· {t(`directory.kind.${r.kind}`)}</span>
                </td>
              )}
              <td>{t(`directory.change.${r.change}`)}</td>
              <td>
                <span dir="ltr">{r.actor_label}</span>
              </td>
              <td>{r.nomination_ref ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
