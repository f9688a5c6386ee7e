import type { ParagraphTable } from '../../db/schema.ts';
import { ErrorSummary, Select, type FieldErrors } from '../../web/forms.tsx';
import { LANGUAGE_NAMES } from '../../web/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import type { ComparedPair, PairStatus, WordOp } from './compare/compare.ts';
import { STATUSES_OF } from './compare/compare.ts';
import type { ComparedText, ComparisonView } from './compare.service.ts';
import type { DocumentSummary } from './library.service.ts';

export interface CompareChoice {
  a?: string | undefined;
  av?: string | undefined;
  b?: string | undefined;
  bv?: string | undefined;
}

const BADGE: Record<PairStatus, string> = { unchanged: 'badge', modified: 'badge badge-warn', moved: 'badge badge-moved', added: 'badge badge-ok', removed: 'badge badge-off', aligned: 'badge' };

const dirOf = (language: string) => (language === 'ar' ? 'rtl' : 'ltr');

/** A text's name: its symbol, or for a draft without one, its kind and session ("Draft resolution, session 74"). */
function nameOf(ctx: PageContext, d: { symbol: string | null; kind: string; session: string | null }): string {
  if (d.symbol) return d.symbol;
  return d.session ? `${ctx.t(`library.kind.${d.kind}`)}, ${ctx.t('compare.sessionN', { session: d.session })}` : ctx.t(`library.kind.${d.kind}`);
}

function documentLabel(d: DocumentSummary, ctx: PageContext): string {
  const language = LANGUAGE_NAMES[d.language as keyof typeof LANGUAGE_NAMES] ?? d.language;
  const title = d.title ? ` · ${d.title.length > 60 ? `${d.title.slice(0, 60)}…` : d.title}` : '';
  return `${nameOf(ctx, d)} (${language}${d.date ? `, ${d.date}` : ''})${title}`;
}

function TextChoice({ ctx, side, documents, choice, errors }: { ctx: PageContext; side: 'a' | 'b'; documents: DocumentSummary[]; choice: CompareChoice; errors?: FieldErrors | undefined }) {
  const { t } = ctx;
  const version = `${side}v` as const;
  return (
    <fieldset>
      <legend>{t(side === 'a' ? 'compare.first' : 'compare.second')}</legend>
      <Select name={side} label={t('compare.document')} value={choice[side]} errors={errors} includeEmpty={t('compare.choose')} options={documents.map((d) => ({ value: d.id, label: documentLabel(d, ctx) }))} />
      <div class={errors?.[version] ? 'field field-error' : 'field'}>
        <label for={version}>{t('compare.version')}</label>
        <p id={`${version}-hint`} class="hint">
          {t('compare.versionHint')}
        </p>
        {errors?.[version] && (
          <p id={`${version}-error`} class="error-message">
            {errors[version]}
          </p>
        )}
        <input id={version} name={version} value={choice[version]} inputMode="numeric" size={4} maxLength={6} pattern="\d*" aria-describedby={errors?.[version] ? `${version}-hint ${version}-error` : `${version}-hint`} aria-invalid={errors?.[version] ? 'true' : undefined} />
      </div>
    </fieldset>
  );
}

export function CompareForm({ ctx, documents, choice, errors }: { ctx: PageContext; documents: DocumentSummary[]; choice: CompareChoice; errors?: FieldErrors | undefined }) {
  return (
    <>
      <ErrorSummary ctx={ctx} errors={errors} />
      <form method="get" action="/library/compare" class="compare-form">
        <TextChoice ctx={ctx} side="a" documents={documents} choice={choice} errors={errors} />
        <TextChoice ctx={ctx} side="b" documents={documents} choice={choice} errors={errors} />
        <button type="submit">{ctx.t('compare.submit')}</button>
      </form>
    </>
  );
}

/** One side of a word diff: the first text shows what was deleted, the second what was inserted. */
function Words({ words, side }: { words: WordOp[]; side: 'a' | 'b' }) {
  return (
    <>
      {words.map((w) => (w.op === 'equal' ? w.text : w.op === 'delete' ? side === 'a' && <del>{w.text}</del> : side === 'b' && <ins>{w.text}</ins>))}
    </>
  );
}

function ParagraphCell({ ctx, text, paragraph, pair, side }: { ctx: PageContext; text: ComparedText; paragraph: ParagraphTable | undefined; pair: ComparedPair; side: 'a' | 'b' }) {
  const language = text.document.language;
  if (!paragraph) return <td class="compare-empty" />;
  return (
    <td lang={language} dir={dirOf(language)}>
      <a class="permalink" href={`${text.href}#${paragraph.eid}`} title={paragraph.eid} aria-label={ctx.t('library.permalink', { eid: paragraph.eid })}>
        {paragraph.num ?? '¶'}
      </a>{' '}
      {pair.words ? <Words words={pair.words} side={side} /> : paragraph.text}
    </td>
  );
}

function textTitle(ctx: PageContext, text: ComparedText): string {
  return `${nameOf(ctx, { symbol: text.document.symbol, kind: text.version.kind, session: text.version.session })} · ${ctx.t('library.versionN', { version: text.version.version })}`;
}

export function ComparisonResult({ ctx, view }: { ctx: PageContext; view: ComparisonView }) {
  const { t } = ctx;
  const { result } = view;
  const percent = new Intl.NumberFormat(ctx.lang, { style: 'percent', maximumFractionDigits: 0 });
  return (
    <>
      <section aria-labelledby="compare-summary">
        <h2 id="compare-summary">{t('compare.summary')}</h2>
        <p>
          <a href={view.a.href} lang={view.a.document.language}>
            {textTitle(ctx, view.a)}
          </a>{' '}
          · <a href={view.b.href} lang={view.b.document.language}>{textTitle(ctx, view.b)}</a>
        </p>
        {result.mode === 'translation' && (
          <p class="notice" role="note">
            {t('compare.translationNote')}
          </p>
        )}
        <dl class="facts">
          {STATUSES_OF[result.mode].map((s) => (
            <>
              <dt>
                <span class={BADGE[s]}>{t(`compare.status.${s}`)}</span>
              </dt>
              <dd>{result.summary[s]}</dd>
            </>
          ))}
        </dl>
      </section>
      {result.mode === 'text' && (
        <section aria-labelledby="compare-verbs">
          <h2 id="compare-verbs">{t('compare.verbChanges')}</h2>
          {result.verbChanges.length === 0 ? (
            <p>{t('compare.noVerbChanges')}</p>
          ) : (
            <div class="table-scroll">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('compare.first')}</th>
                    <th scope="col">{t('compare.verbBefore')}</th>
                    <th scope="col">{t('compare.verbAfter')}</th>
                    <th scope="col">{t('compare.second')}</th>
                  </tr>
                </thead>
                <tbody>
                  {result.verbChanges.map((v) => (
                    <tr>
                      <td class="mono">
                        <a href={`${view.a.href}#${v.a}`}>{v.a}</a>
                      </td>
                      <td lang={view.a.document.language} dir={dirOf(view.a.document.language)}>
                        <del>{v.from}</del>
                      </td>
                      <td lang={view.b.document.language} dir={dirOf(view.b.document.language)}>
                        <ins>{v.to}</ins>
                      </td>
                      <td class="mono">
                        <a href={`${view.b.href}#${v.b}`}>{v.b}</a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      )}
      <section aria-labelledby="compare-text">
        <h2 id="compare-text">{t('compare.sideBySide')}</h2>
        <p class="hint">{t(result.mode === 'text' ? 'compare.legend' : 'compare.legendTranslation')}</p>
        <div class="table-scroll">
          <table class="compare-table">
            <thead>
              <tr>
                <th scope="col">{t('compare.change')}</th>
                <th scope="col" lang={view.a.document.language}>
                  {textTitle(ctx, view.a)}
                </th>
                <th scope="col" lang={view.b.document.language}>
                  {textTitle(ctx, view.b)}
                </th>
              </tr>
            </thead>
            <tbody>
              {result.pairs.map((pair) => (
                <tr class={`compare-${pair.status}`}>
                  <td>
                    <span class={BADGE[pair.status]}>{t(`compare.status.${pair.status}`)}</span>
                    {pair.a && pair.b && pair.status !== 'unchanged' && pair.status !== 'aligned' && <span class="compare-similarity">{percent.format(pair.similarity)}</span>}
                    {pair.verbChange && <span class="compare-similarity">{t('compare.verbChanged')}</span>}
                  </td>
                  <ParagraphCell ctx={ctx} text={view.a} paragraph={pair.a ? view.paragraphA.get(pair.a) : undefined} pair={pair} side="a" />
                  <ParagraphCell ctx={ctx} text={view.b} paragraph={pair.b ? view.paragraphB.get(pair.b) : undefined} pair={pair} side="b" />
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}
