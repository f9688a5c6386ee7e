import { direction, LANGUAGE_NAMES } from '../../web/i18n.ts';
import { hrefWith, type PageContext } from '../../web/page-context.ts';
import { documentPath, type DocumentView } from './library.service.ts';
import { VersionFacts } from './library.views.tsx';

/** The number as the UN prints it: "1.", "1.8", "a)", "ii)". */
function printedNumber(num: string): string {
  if (/^\d+$/.test(num)) return `${num}.`;
  if (/^\d+(\.\d+)+$/.test(num)) return num;
  return `${num})`;
}

function depthOf(eid: string): number {
  return Math.min(4, (eid.match(/__(para|point|nextstep)_/g) ?? []).length);
}

export function DocumentPage({ ctx, view, showCorrections }: { ctx: PageContext; view: DocumentView; showCorrections: boolean }) {
  const { t } = ctx;
  const { document: doc, version, paragraphs, footnotes, citations, corrections } = view;
  const notesByParagraph = new Map<string, typeof footnotes>();
  for (const f of footnotes) {
    const key = f.paragraph_eid ?? '';
    notesByParagraph.set(key, [...(notesByParagraph.get(key) ?? []), f]);
  }
  const cited = [...new Set(citations.map((c) => c.target_symbol))].sort();
  const sponsors = JSON.parse(version.sponsors) as string[];
  const warnings = JSON.parse(version.warnings) as string[];
  const outline = paragraphs.filter((p) => p.kind === 'heading' || ((p.kind === 'operative' || p.kind === 'body') && p.parent_eid === null && p.num));
  const self = documentPath(doc);
  const uiDir = direction(ctx.lang);
  const versionQuery: Record<string, string> = version.version === doc.latest_version ? {} : { version: String(version.version) };
  return (
    <div class="document" lang={doc.language} dir={doc.language === 'ar' ? 'rtl' : 'ltr'}>
      <dl class="facts" lang={ctx.lang} dir={uiDir}>
        <dt>{t('library.symbol')}</dt>
        <dd class="mono">{doc.symbol ?? t('library.noSymbol')}</dd>
        <dt>{t('library.kind')}</dt>
        <dd>{t(`library.kind.${version.kind}`)}</dd>
        <dt>{t('library.language')}</dt>
        <dd>{LANGUAGE_NAMES[doc.language as keyof typeof LANGUAGE_NAMES] ?? doc.language}</dd>
        {version.date && (
          <>
            <dt>{t('library.date')}</dt>
            <dd>{version.date}</dd>
          </>
        )}
        {version.session && (
          <>
            <dt>{t('library.session')}</dt>
            <dd>{version.session}</dd>
          </>
        )}
        {version.agenda_item && (
          <>
            <dt>{t('library.agendaItem')}</dt>
            <dd>{version.agenda_item}</dd>
          </>
        )}
        {sponsors.length > 0 && (
          <>
            <dt>{t('library.sponsors')}</dt>
            <dd lang={doc.language}>{sponsors.join(', ')}</dd>
          </>
        )}
        <dt>{t('library.version')}</dt>
        <dd>
          {t('library.versionOf', { version: version.version, count: view.versions.length })} · <VersionFacts ctx={ctx} ingestedAt={version.ingested_at} by={version.ingested_by} />
          {view.versions.length > 1 && (
            <ul class="inline-list">
              {view.versions.map((v) => (
                <li>
                  <a href={hrefWith(self, {}, { version: String(v.version) })} aria-current={v.version === version.version ? 'true' : undefined}>
                    {t('library.versionN', { version: v.version })}
                  </a>
                </li>
              ))}
            </ul>
          )}
          {version.version > 1 && (
            <p>
              <a href={`/library/compare?a=${doc.id}&av=${version.version - 1}&b=${doc.id}&bv=${version.version}`}>{t('compare.withPrevious', { version: version.version - 1 })}</a>
            </p>
          )}
        </dd>
        <dt>{t('library.export')}</dt>
        <dd>
          <a href={`/api/v1/library/documents/${doc.id}${version.version === doc.latest_version ? '' : `?version=${version.version}`}`}>JSON</a>
          {' · '}
          <a href={`/api/v1/library/documents/${doc.id}/akn.xml${version.version === doc.latest_version ? '' : `?version=${version.version}`}`} type="application/akn+xml" download>
            {t('library.akn.download')}
          </a>
        </dd>
      </dl>
      {warnings.length > 0 && (
        <div class="notice notice-warn" lang={ctx.lang} dir={uiDir}>
          <p>{t('library.warnings')}</p>
          <ul>
            {warnings.map((w) => (
              <li>{w}</li>
            ))}
          </ul>
        </div>
      )}
      {outline.length > 1 && (
        <nav class="outline" aria-label={t('library.outline')} lang={ctx.lang} dir={uiDir}>
          <h2>{t('library.outline')}</h2>
          <ul>
            {outline.map((p) => (
              <li>
                <a href={`#${p.eid}`} lang={doc.language} dir="auto">
                  {p.kind === 'heading' ? p.text.slice(0, 90) : `${p.num}. ${p.text.slice(0, 60)}…`}
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <section class="paragraphs" aria-label={t('library.text')}>
        {paragraphs.map((p) =>
          p.kind === 'heading' ? (
            <h2 id={p.eid} class="para-heading">
              {p.text}
            </h2>
          ) : (
            <div id={p.eid} class={`para para-${p.kind} depth-${depthOf(p.eid)}`}>
              <p>
                <a class="permalink" href={`#${p.eid}`} title={p.eid} aria-label={t('library.permalink', { eid: p.eid })}>
                  {p.num ? printedNumber(p.num) : '¶'}
                </a>{' '}
                {p.text}
              </p>
              {(notesByParagraph.get(p.eid) ?? []).map((f) => (
                <aside class="footnote" id={`${p.eid}__fn_${f.num}`}>
                  <sup>{f.num}</sup> {f.text}
                </aside>
              ))}
            </div>
          ),
        )}
      </section>
      <section aria-labelledby="cites" lang={ctx.lang} dir={uiDir}>
        <h2 id="cites">{t('library.cites', { count: cited.length })}</h2>
        <ul class="inline-list">
          {cited.map((s) => {
            const held = view.held.get(s);
            return <li class="mono">{held ? <a href={documentPath({ id: held.id, symbol: s, language: held.language })}>{s}</a> : s}</li>;
          })}
        </ul>
      </section>
      <section aria-labelledby="cited-by" lang={ctx.lang} dir={uiDir}>
        <h2 id="cited-by">{t('library.citedBy', { count: view.citedBy.length })}</h2>
        <ul>
          {view.citedBy.map((c) => (
            <li>
              <a href={`${documentPath({ id: c.document_id, symbol: c.symbol, language: c.language })}#${c.paragraph_eid}`} class="mono">
                {c.symbol ?? c.document_id} · {c.paragraph_eid}
              </a>{' '}
              {c.verb && <em lang={c.language}>{c.verb}</em>}
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="corrections" lang={ctx.lang} dir={uiDir}>
        <h2 id="corrections">{t('library.corrections', { count: corrections.length })}</h2>
        {corrections.length > 0 && !showCorrections && (
          <p>
            <a href={hrefWith(self, { ...versionQuery, corrections: '1' }, {}) + '#corrections'}>{t('library.showCorrections')}</a>
          </p>
        )}
        {showCorrections && corrections.length > 0 && (
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('library.correctionRule')}</th>
                  <th scope="col">{t('library.correctionOriginal')}</th>
                  <th scope="col">{t('library.correctionCorrected')}</th>
                  <th scope="col">{t('library.correctionOffset')}</th>
                </tr>
              </thead>
              <tbody>
                {corrections.map((c) => (
                  <tr>
                    <td class="mono">{c.rule}</td>
                    <td lang={doc.language} class="mono">
                      {JSON.stringify(c.original)}
                    </td>
                    <td lang={doc.language} class="mono">
                      {JSON.stringify(c.corrected)}
                    </td>
                    <td class="mono">{c.offset}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
