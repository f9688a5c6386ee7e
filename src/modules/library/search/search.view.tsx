import { Select } from '../../../web/forms.tsx';
import { LANGUAGE_NAMES } from '../../../web/i18n.ts';
import type { PageContext } from '../../../web/page-context.ts';
import { DOCUMENT_KINDS } from '../library.views.tsx';
import { POOL, type SearchOutcome } from './search.service.ts';

export const PARAGRAPH_KINDS = ['preambular', 'operative', 'point', 'body', 'heading', 'next-step'] as const;

export interface SearchForm {
  q: string;
  document: string;
  kind: string;
  year: string;
  paragraphKind: string;
}

/** The search form and, once a query is given, its results with their matched words marked. */
export function SearchPage({ ctx, form, outcome }: { ctx: PageContext; form: SearchForm; outcome: SearchOutcome | null }) {
  const { t } = ctx;
  const pageHref = (page: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) if (v) params.set(k, v);
    params.set('page', String(page));
    return `/library/search?${params.toString()}`;
  };
  return (
    <>
      <p class="lead">{t('library.search.lead')}</p>
      <form method="get" action="/library/search" class="filter-bar" role="search">
        <div class="field">
          <label for="q">{t('library.search.query')}</label>
          <input id="q" name="q" type="search" value={form.q} maxLength={200} size={40} />
        </div>
        <div class="field">
          <label for="document">{t('library.search.document')}</label>
          <input id="document" name="document" value={form.document} maxLength={100} size={18} dir="ltr" />
        </div>
        <Select name="kind" label={t('library.kind')} value={form.kind} includeEmpty={t('library.allKinds')} options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`library.kind.${k}`) }))} />
        <div class="field">
          <label for="year">{t('library.year')}</label>
          <input id="year" name="year" value={form.year} inputMode="numeric" size={5} maxLength={4} pattern="\d{4}" />
        </div>
        <Select
          name="paragraphKind"
          label={t('library.search.paragraphKind')}
          value={form.paragraphKind}
          includeEmpty={t('library.search.allParagraphKinds')}
          options={PARAGRAPH_KINDS.map((k) => ({ value: k, label: t(`library.search.pkind.${k}`) }))}
        />
        <button type="submit">{t('library.search.submit')}</button>
      </form>
      {outcome?.status === 'empty' && (
        <p class="notice" role="status">
          {t('library.search.empty')}
        </p>
      )}
      {outcome?.status === 'ok' && outcome.total === 0 && (
        <p class="notice" role="status">
          {t('library.search.noResults', { q: form.q })}
        </p>
      )}
      {outcome?.status === 'ok' && outcome.total > 0 && (
        <>
          <p role="status">{t('library.search.count', { count: outcome.total })}</p>
          {outcome.ranking === 'engine' && <p class="hint">{t('library.search.manyResults', { max: POOL })}</p>}
          <ol class="search-results">
            {outcome.hits.map((h) => (
              <li>
                <p>
                  <a href={h.href} class="mono">
                    {h.symbol ?? t('library.noSymbol')} · {h.eId}
                  </a>{' '}
                  <span class="hint">
                    {t(`library.kind.${h.documentKind}`)}
                    {h.date ? ` · ${h.date}` : ''} · {LANGUAGE_NAMES[h.language as keyof typeof LANGUAGE_NAMES] ?? h.language} · {t(`library.search.pkind.${h.kind}`)}
                  </span>
                </p>
                <p lang={h.language}>{h.segments.map((s) => (s.mark ? <mark>{s.text}</mark> : s.text))}</p>
              </li>
            ))}
          </ol>
          {outcome.pages > 1 && (
            <nav class="pager" aria-label={t('library.search.pages')}>
              {outcome.page > 1 && <a href={pageHref(outcome.page - 1)} rel="prev">{t('library.search.previous')}</a>}
              <span>{t('library.search.page', { page: outcome.page, pages: outcome.pages })}</span>
              {outcome.page < outcome.pages && <a href={pageHref(outcome.page + 1)} rel="next">{t('library.search.next')}</a>}
            </nav>
          )}
        </>
      )}
    </>
  );
}
