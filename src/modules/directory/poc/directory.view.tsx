import { listOf } from './names.ts';
import { REGIONAL_GROUPS, type RegionalOrganisationTable, type StateTable } from '../../../db/schema.ts';
import { Select } from '../../../web/forms.tsx';
import { renderKept } from '../../../web/render.tsx';
import type { Language } from '../../../web/i18n.ts';
import { LANGUAGES } from '../../../web/i18n.ts';
import { hrefWith, type PageContext } from '../../../web/page-context.ts';
import { stateName } from '../state.names.ts';
import { groupLabel } from '../states.view.tsx';
import { languageName } from './contact.ts';
import { DIRECTORY_PAGE_SIZE, type DirectoryQuery, type ListedEntry } from './poc.read.ts';
import { POC_KINDS } from './types.ts';

interface DirectoryPageProps {
  ctx: PageContext;
  found: { entries: ListedEntry[]; total: number };
  page: number;
  query: DirectoryQuery;
  states: readonly StateTable[];
  organisations: RegionalOrganisationTable[];
  /** The reader's State takes part (or the reader is the Secretariat). */
  participates: boolean;
  canNominate: boolean;
  canOversee: boolean;
}

/** Search and browse the directory: who to reach, where, in which language, and who answers now. */
export function DirectoryPage({ ctx, found, page, query, states, organisations, participates, canNominate, canOversee }: DirectoryPageProps) {
  const { t, principal } = ctx;
  const { entries, total } = found;
  const pages = Math.max(1, Math.ceil(total / DIRECTORY_PAGE_SIZE));
  const exportQuery = Object.fromEntries(Object.entries(ctx.query).filter(([k]) => k !== 'page'));
  return (
    <>
      <p class="lead">{t('directory.lead')}</p>
      {!participates && principal?.state && (
        <p class="notice notice-warn" role="note">
          {t('directory.reciprocityNotice')} <a href="/directory/participation">{t('directory.participationLink')}</a>
        </p>
      )}
      <p class="actions">
        {canNominate && principal?.state && (
          <a class="button" href="/directory/nominate">
            {t('directory.nominate')}
          </a>
        )}
        {principal?.state && <a href={`/directory/states/${principal.state}`}>{t('directory.ownState')}</a>}
        {canOversee && <a href="/directory/overview">{t('directory.overview')}</a>}
        <a href="/directory/participation">{t('directory.participationLink')}</a>
      </p>
      <form method="get" action="/directory" class="filter-bar directory-filters" role="search" dangerouslySetInnerHTML={{ __html: filterFields(ctx, query, states, organisations) }} />
      <p role="status">
        {t('directory.resultCount', { count: total })} {pages > 1 && t('directory.pageOf', { page, pages })}
      </p>
      {entries.length > 0 && (
        <div class="table-scroll">
          <table class="directory-table">
            <caption class="visually-hidden">{t('directory.resultsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('directory.name')}</th>
                <th scope="col">{t('directory.state')}</th>
                <th scope="col">{t('directory.kind')}</th>
                <th scope="col">{t('directory.languages')}</th>
                <th scope="col">{t('directory.status')}</th>
              </tr>
            </thead>
            <tbody dangerouslySetInnerHTML={{ __html: resultRows(ctx, entries, states) }} />
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav class="pager" aria-label={t('directory.pages')}>
          {page > 1 && <a href={hrefWith('/directory', ctx.query, { page: String(page - 1) })}>{t('form.previous')}</a>}
          {page < pages && <a href={hrefWith('/directory', ctx.query, { page: String(page + 1) })}>{t('form.next')}</a>}
        </nav>
      )}
      {entries.length > 0 && (
        <p class="actions">
          {t('directory.export')}
          {t('directory.labelSeparator')}
          <a href={hrefWith('/directory/export.csv', exportQuery, {})}>CSV</a> · <a href={hrefWith('/directory/export.json', exportQuery, {})}>JSON</a> ·{' '}
          <a href={hrefWith('/directory/export.vcf', exportQuery, {})}>vCard</a> · <a href={hrefWith('/directory/print', exportQuery, {})}>{t('directory.print')}</a>
        </p>
      )}
    </>
  );
}

const filterFieldsHtml = new Map<string, string>();

/**
 * The fields of the search form, with the reader's choices, as HTML: they show nothing but the
 * page's language, the query, the States (one list per language and length, as stateOptions
 * keeps them) and the regional organisations, so each combination is rendered once.
 */
function filterFields(ctx: PageContext, query: DirectoryQuery, states: readonly StateTable[], organisations: RegionalOrganisationTable[]): string {
  const key = JSON.stringify([ctx.lang, states.length, organisations.map((o) => o.id), query.q, query.state, query.group, query.organisation, query.sharedWith, query.kind, query.language, query.status, query.reachableNow]);
  let html = filterFieldsHtml.get(key);
  if (html === undefined) {
    html = renderKept(<FilterFields ctx={ctx} query={query} states={states} organisations={organisations} />);
    if (filterFieldsHtml.size >= 500) filterFieldsHtml.clear();
    filterFieldsHtml.set(key, html);
  }
  return html;
}

function FilterFields({ ctx, query, states, organisations }: { ctx: PageContext; query: DirectoryQuery; states: readonly StateTable[]; organisations: RegionalOrganisationTable[] }) {
  const { t, lang } = ctx;
  return (
    <>
      <div class="field">
        <label for="q">{t('directory.search')}</label>
        <input id="q" name="q" type="search" value={query.q ?? ''} />
      </div>
      <div class="field">
        <label for="state">{t('directory.state')}</label>
        <select id="state" name="state" dangerouslySetInnerHTML={{ __html: stateOptions(states, lang, t('directory.any'), query.state) }} />
      </div>
      <Select name="group" label={t('directory.group')} value={query.group} includeEmpty={t('directory.any')} options={REGIONAL_GROUPS.map((g) => ({ value: g, label: groupLabel(ctx, g) }))} />
      <Select
        name="organisation"
        label={t('directory.regionalOrganisation')}
        value={query.organisation}
        includeEmpty={t('directory.any')}
        options={organisations.map((o) => ({ value: o.id, label: t(`regional.name.${o.id}`) }))}
      />
      <Select
        name="sharedWith"
        label={t('directory.sharedWithFilter')}
        value={query.sharedWith}
        includeEmpty={t('directory.any')}
        options={organisations.map((o) => ({ value: o.id, label: t(`regional.name.${o.id}`) }))}
      />
      <Select name="kind" label={t('directory.kind')} value={query.kind} includeEmpty={t('directory.any')} options={POC_KINDS.map((k) => ({ value: k, label: t(`directory.kind.${k}`) }))} />
      <Select
        name="language"
        label={t('directory.language')}
        value={query.language}
        includeEmpty={t('directory.any')}
        options={LANGUAGES.map((l) => ({ value: l, label: languageName(l, lang) }))}
      />
      <Select
        name="status"
        label={t('directory.status')}
        value={query.status}
        includeEmpty={t('directory.statusCurrent')}
        options={(['active', 'lapsed', 'pending', 'withdrawn'] as const).map((s) => ({ value: s, label: s === 'lapsed' ? t('directory.lapsed') : t(`directory.status.${s}`) }))}
      />
      <div class="field">
        <label class="choice">
          <input type="checkbox" name="reachable" value="1" checked={query.reachableNow} /> {t('directory.reachableNow')}
        </label>
      </div>
      <button type="submit">{t('form.filter')}</button>
    </>
  );
}

const indexedStates = new WeakMap<readonly StateTable[], Map<string, StateTable>>();

/** The States by code, once per list (listStates answers the same list while the States are unchanged). */
function statesByIso(states: readonly StateTable[]): Map<string, StateTable> {
  let byIso = indexedStates.get(states);
  if (!byIso) indexedStates.set(states, (byIso = new Map(states.map((s) => [s.iso3, s]))));
  return byIso;
}

interface RenderedRow {
  entry: ListedEntry;
  state: StateTable | undefined;
  html: string;
}
const renderedRows = new Map<string, RenderedRow>();
const sharedRows = new Map<string, WeakMap<ListedEntry, RenderedRow>>();

/** Does the row show the same thing for both (every field it shows, and the same State)? */
function sameRow(a: RenderedRow, e: ListedEntry, state: StateTable | undefined): boolean {
  const b = a.entry;
  if (b === e) return a.state === state;
  return (
    a.state === state &&
    b.state === e.state &&
    b.name === e.name &&
    b.title === e.title &&
    b.organisation === e.organisation &&
    b.kind === e.kind &&
    b.rank === e.rank &&
    b.status === e.status &&
    b.lapsed === e.lapsed &&
    b.reachableNow === e.reachableNow &&
    b.checkGrade === e.checkGrade &&
    b.checkVerifiedAt === e.checkVerifiedAt &&
    b.languages.length === e.languages.length &&
    b.languages.every((l, i) => l === e.languages[i])
  );
}

/**
 * The result rows as HTML. A row shows nothing but its entry's listed fields, its State (the same
 * object while listStates keeps it) and the page's language, so the last rendering of each entry
 * in each language is reused while all of these are unchanged: the search page lists fifty on
 * every request.
 */
function resultRows(ctx: PageContext, entries: ListedEntry[], states: readonly StateTable[]): string {
  const byIso = statesByIso(states);
  let shared = sharedRows.get(ctx.lang);
  if (!shared) sharedRows.set(ctx.lang, (shared = new WeakMap()));
  const parts: string[] = [];
  for (const e of entries) {
    const state = byIso.get(e.state);
    let row = shared.get(e);
    if (!row || row.state !== state) {
      const key = `${ctx.lang}:${e.id}`;
      row = renderedRows.get(key);
      if (!row || !sameRow(row, e, state)) {
        row = { entry: e, state, html: renderKept(<ResultRow ctx={ctx} entry={e} state={state} />) };
        if (renderedRows.size >= 10_000) renderedRows.clear();
        renderedRows.set(key, row);
      }
      // A listed entry shared between pages (poc.read keeps one per row and minute) finds its row directly next time.
      if (Object.isFrozen(e)) shared.set(e, row);
    }
    parts.push(row.html);
  }
  return parts.join('');
}

function ResultRow({ ctx, entry: e, state: s }: { ctx: PageContext; entry: ListedEntry; state: StateTable | undefined }) {
  const { t, lang } = ctx;
  return (
    <tr>
      <td>
        <a href={`/directory/entries/${e.id}`}>{e.name}</a>
        {(e.title || e.organisation) && <div class="muted">{[e.title, e.organisation].filter(Boolean).join(', ')}</div>}
      </td>
      <td>{s ? <a href={`/directory/states/${s.iso3}`}>{stateName(s, lang)}</a> : e.state}</td>
      <td>
        {t(`directory.kind.${e.kind}`)} · {t(`directory.rank.${e.rank}`)}
      </td>
      <td>{listOf(e.languages.map((l) => languageName(l, lang)), lang)}</td>
      <td>
        <EntryBadges ctx={ctx} entry={e} />
      </td>
    </tr>
  );
}

const optionLists = new Map<string, string>();

/**
 * The 193 States as <option>s, rendered (and escaped) once per language and list: the search page
 * shows them on every request. The chosen one is marked on the copy.
 */
function stateOptions(states: readonly StateTable[], lang: Language, any: string, chosen: string | undefined): string {
  const key = `${lang}|${states.length}|${any}`;
  let html = optionLists.get(key);
  if (html === undefined) {
    html = renderKept(
      <>
        <option value="">{any}</option>
        {states.map((s) => (
          <option value={s.iso3}>{stateName(s, lang)}</option>
        ))}
      </>,
    );
    if (optionLists.size > 50) optionLists.clear();
    optionLists.set(key, html);
  }
  const code = chosen?.toUpperCase();
  return code && /^[A-Z]{3}$/.test(code) ? html.replace(`<option value="${code}">`, `<option value="${code}" selected>`) : html;
}

/** Status, freshness and reachability as words, never colour alone. */
export function EntryBadges({ ctx, entry }: { ctx: PageContext; entry: ListedEntry }) {
  const { t } = ctx;
  return (
    <>
      {entry.status !== 'active' && <span class={`badge ${entry.status === 'withdrawn' ? 'badge-off' : 'badge-warn'}`}>{t(`directory.status.${entry.status}`)}</span>}
      {entry.lapsed && <span class="badge badge-warn">{t('directory.lapsed')}</span>}
      {entry.status === 'active' && !entry.lapsed && <span class="badge badge-ok">{t('directory.status.active')}</span>}{' '}
      {entry.status === 'active' && (entry.reachableNow ? <span class="badge badge-ok">{t('directory.reachable')}</span> : <span class="badge">{t('directory.notReachable')}</span>)}{' '}
      {entry.checkGrade && (
        <span class={`badge ${entry.checkGrade === 'verified' ? 'badge-ok' : entry.checkGrade === 'overdue' ? 'badge-warn' : 'badge-off'}`} data-check-grade={entry.checkGrade}>
          {entry.checkGrade === 'verified' && entry.checkVerifiedAt
            ? t('directory.grade.verifiedOn', { date: entry.checkVerifiedAt.slice(0, 10) })
            : t(`directory.grade.${entry.checkGrade}`)}
        </span>
      )}
    </>
  );
}
