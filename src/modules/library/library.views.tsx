import { CsrfField, ErrorSummary, Field, Select, type FieldErrors } from '../../web/forms.tsx';
import { formatInstant } from '../../web/format.ts';
import { LANGUAGES, LANGUAGE_NAMES } from '../../web/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import { documentPath, type DocumentSummary } from './library.service.ts';

export const DOCUMENT_KINDS = ['resolution', 'draft-resolution', 'report', 'decision', 'other'] as const;

interface ListProps {
  ctx: PageContext;
  documents: DocumentSummary[];
  filter: { kind?: string | undefined; language?: string | undefined; year?: string | undefined };
  canIngest: boolean;
  notice?: string | undefined;
}

export function LibraryList({ ctx, documents, filter, canIngest, notice }: ListProps) {
  const { t } = ctx;
  return (
    <>
      <p class="lead">{t('library.lead')}</p>
      <p>
        <a href="/library/search">{t('library.search.title')}</a>
      </p>
      <p>
        <a href="/library/compare">{t('compare.title')}</a>
      </p>
      {notice && (
        <p class="notice notice-ok" role="status">
          {notice}
        </p>
      )}
      {canIngest && (
        <p>
          <a class="button" href="/library/ingest">
            {t('library.ingest')}
          </a>
        </p>
      )}
      <p>
        <a href="/library/graph">{t('library.graph.link')}</a>
      </p>
      <form method="get" action="/library" class="filter-bar">
        <Select name="kind" label={t('library.kind')} value={filter.kind} includeEmpty={t('library.allKinds')} options={DOCUMENT_KINDS.map((k) => ({ value: k, label: t(`library.kind.${k}`) }))} />
        <Select name="language" label={t('library.language')} value={filter.language} includeEmpty={t('library.allLanguages')} options={LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))} />
        <div class="field">
          <label for="year">{t('library.year')}</label>
          <input id="year" name="year" value={filter.year} inputMode="numeric" size={5} maxLength={4} pattern="\d{4}" />
        </div>
        <button type="submit">{t('form.filter')}</button>
      </form>
      {documents.length === 0 ? (
        <p>{filter.kind || filter.language || filter.year ? t('library.none') : t('library.empty')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('library.symbol')}</th>
                <th scope="col">{t('library.title')}</th>
                <th scope="col">{t('library.kind')}</th>
                <th scope="col">{t('library.date')}</th>
                <th scope="col">{t('library.language')}</th>
                <th scope="col">{t('library.paragraphs')}</th>
              </tr>
            </thead>
            <tbody>
              {documents.map((d) => (
                <tr>
                  <td class="mono">
                    <a href={documentPath(d)}>{d.symbol ?? t('library.noSymbol')}</a>
                  </td>
                  <td lang={d.language}>{d.title ?? '–'}</td>
                  <td>{t(`library.kind.${d.kind}`)}</td>
                  <td>{d.date ?? '–'}</td>
                  <td>{LANGUAGE_NAMES[d.language as keyof typeof LANGUAGE_NAMES] ?? d.language}</td>
                  <td>{d.paragraph_count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

export function IngestForm({ ctx, errors, results }: { ctx: PageContext; errors?: FieldErrors | undefined; results?: { name: string; message: string; href?: string }[] }) {
  const { t } = ctx;
  return (
    <>
      <p class="lead">{t('library.ingestLead')}</p>
      {results && results.length > 0 && (
        <ul class="notice notice-ok" role="status">
          {results.map((r) => (
            <li>
              <strong>{r.name}</strong>: {r.href ? <a href={r.href}>{r.message}</a> : r.message}
            </li>
          ))}
        </ul>
      )}
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="post" action="/library/ingest" enctype="multipart/form-data" class="stacked">
        <CsrfField ctx={ctx} />
        <div class={errors?.file ? 'field field-error' : 'field'}>
          <label for="file">{t('library.files')}</label>
          <p id="file-hint" class="hint">
            {t('library.filesHint')}
          </p>
          {errors?.file && (
            <p id="file-error" class="error-message">
              {errors.file}
            </p>
          )}
          <input id="file" name="file" type="file" accept=".txt,.pdf,text/plain,application/pdf" multiple required aria-describedby="file-hint" />
        </div>
        <Field name="symbol" label={t('library.symbolOverride')} hint={t('library.symbolHint')} errors={errors} dir="ltr" />
        <button type="submit">{t('library.ingestSubmit')}</button>
      </form>
    </>
  );
}

export function VersionFacts({ ctx, ingestedAt, by }: { ctx: PageContext; ingestedAt: string; by: string }) {
  return <span>{ctx.t('library.ingestedBy', { when: formatInstant(ingestedAt, ctx.lang, ctx.timeZone), who: by })}</span>;
}
