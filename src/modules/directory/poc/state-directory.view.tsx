import { listOf } from './names.ts';
import { renderToString } from 'preact-render-to-string';
import type { PocTable, StateTable } from '../../../db/schema.ts';
import { formatInstant } from '../../../web/format.ts';
import type { PageContext } from '../../../web/page-context.ts';
import { renderKept } from '../../../web/render.tsx';
import { languageName } from './contact.ts';
import { EntryBadges } from './directory.view.tsx';
import { AvailabilityText, PhoneLine } from './entry.view.tsx';
import { sourceRow, type ReadEntry } from './poc.read.ts';
import type { StateRevisionRow } from './poc.repository.ts';
import { RevisionsTable } from './revisions.view.tsx';
import { POC_KINDS } from './types.ts';

interface StateDirectoryProps {
  ctx: PageContext;
  state: StateTable;
  entries: ReadEntry[];
  /** The State takes part: it has at least one active entry. */
  participates: boolean;
  /** The reader sees this State's contact details (false: a non-participating reader, or another State's pending entries). */
  canNominate: boolean;
  /** The latest changes to the State's entries, for readers of its history (its own State, the Secretariat). */
  history: readonly StateRevisionRow[] | null;
}

const renderedCards = new WeakMap<PocTable, Map<string, string>>();

/**
 * An entry's card as HTML. A card shows its entry (its row, addresses in use), the reader's
 * language and time zone, and the badges that follow the clock: while the directory keeps the row
 * (sourceRow), its card is rendered once for each of these and reused.
 */
function cardHtml(ctx: PageContext, e: ReadEntry): string {
  const row = sourceRow(e);
  if (!row) return renderToString(<PocCard ctx={ctx} entry={e} />);
  let cards = renderedCards.get(row);
  if (!cards) renderedCards.set(row, (cards = new Map()));
  const key = `${ctx.lang}|${ctx.timeZone}|${e.lapsed}|${e.reachableNow}`;
  let html = cards.get(key);
  if (html === undefined) {
    html = renderKept(<PocCard ctx={ctx} entry={e} />);
    cards.set(key, html);
  }
  return html;
}

function PocCard({ ctx, entry: e }: { ctx: PageContext; entry: ReadEntry }) {
  const { t, lang } = ctx;
  return (
    <article class="poc-card" aria-labelledby={`poc-${e.id}`}>
      <h3 id={`poc-${e.id}`}>
        <a href={`/directory/entries/${e.id}`}>{e.name}</a> <span class="muted">· {t(`directory.rank.${e.rank}`)}</span>
      </h3>
      <p>
        <EntryBadges ctx={ctx} entry={e} />
      </p>
      {(e.title || e.organisation) && <p>{[e.title, e.organisation].filter(Boolean).join(', ')}</p>}
      <ul class="plain">
        {e.emails.map((a) => (
          <li>
            <a href={`mailto:${a}`} dir="ltr">
              {a}
            </a>
          </li>
        ))}
        {e.phones.map((p) => (
          <PhoneLine ctx={ctx} phone={p} />
        ))}
      </ul>
      <p>
        {listOf(e.languages.map((l) => languageName(l, lang)), lang)} · <span dir="ltr">{e.timeZone}</span>
      </p>
      <AvailabilityText ctx={ctx} availability={e.availability} />
      <p class="muted">{t('directory.confirmedUntilLine', { date: formatInstant(e.confirmedUntil, lang, ctx.timeZone) })}</p>
    </article>
  );
}

/** A State's points of contact: diplomatic and technical, how current each is, and how to reach them. */
export function StateDirectoryPage({ ctx, state, entries, participates, canNominate, history }: StateDirectoryProps) {
  const { t } = ctx;
  const current = entries.filter((e) => e.status !== 'withdrawn');
  const withdrawn = entries.filter((e) => e.status === 'withdrawn');
  return (
    <>
      <p class="lead">{participates ? t('directory.stateTakesPart') : t('directory.stateNotTakingPart')}</p>
      {canNominate && (
        <p>
          <a class="button" href="/directory/nominate">
            {t('directory.nominate')}
          </a>
        </p>
      )}
      {current.length === 0 && <p>{t('directory.noEntriesShown')}</p>}
      {POC_KINDS.map((kind) => {
        const ofKind = current.filter((e) => e.kind === kind);
        if (ofKind.length === 0) return null;
        return (
          <section aria-labelledby={`kind-${kind}`}>
            <h2 id={`kind-${kind}`}>{t(`directory.kindPlural.${kind}`)}</h2>
            <div class="poc-cards" dangerouslySetInnerHTML={{ __html: ofKind.map((e) => cardHtml(ctx, e)).join('') }} />
          </section>
        );
      })}
      {withdrawn.length > 0 && (
        <section aria-labelledby="withdrawn-h">
          <h2 id="withdrawn-h">{t('directory.withdrawnEntries')}</h2>
          <ul>
            {withdrawn.map((e) => (
              <li>
                <a href={`/directory/entries/${e.id}`}>{e.name}</a> — {t(`directory.kind.${e.kind}`)}, {t('directory.nominationLine', { ref: e.nominationRef, date: e.nominationDate })}
              </li>
            ))}
          </ul>
        </section>
      )}
      {history && history.length > 0 && <StateHistory ctx={ctx} history={history} />}
      <p>
        <a href={`/directory?state=${state.iso3}`}>{t('directory.searchThisState')}</a>
      </p>
    </>
  );
}

/** The latest changes to the State's entries: when, which entry, what, by whom, on which note verbale. */
function StateHistory({ ctx, history }: { ctx: PageContext; history: readonly StateRevisionRow[] }) {
  const { t } = ctx;
  return (
    <section aria-labelledby="state-history-h">
      <h2 id="state-history-h">{t('directory.stateHistory')}</h2>
      <p class="muted">{t('directory.stateHistoryNote', { count: history.length })}</p>
      <RevisionsTable ctx={ctx} revisions={{ of: 'state', rows: history }} />
    </section>
  );
}
