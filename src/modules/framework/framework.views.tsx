import { LANGUAGE_NAMES, isLanguage } from '../../web/i18n.ts';
import type { PageContext } from '../../web/page-context.ts';
import type { FrameworkEntry, FrameworkFamily } from './framework.service.ts';

const dirOf = (language: string) => (language === 'ar' ? 'rtl' : 'ltr');
const languageName = (language: string) => (isLanguage(language) ? LANGUAGE_NAMES[language] : language);

export function FrameworkPage({ ctx, families }: { ctx: PageContext; families: FrameworkFamily[] }) {
  const { t } = ctx;
  return (
    <>
      <p class="lead">{t('framework.lead')}</p>
      <nav aria-label={t('framework.families')}>
        <ul class="inline-list">
          {families.map((f) => (
            <li>
              <a href={`#family-${f.family}`}>{t(`framework.family.${f.family}`)}</a> ({t('framework.count', { count: f.entries.length })})
            </li>
          ))}
        </ul>
      </nav>
      <p>
        <a href="/api/v1/framework">JSON</a>
      </p>
      {families.map((f) => (
        <section id={`family-${f.family}`} aria-labelledby={`family-${f.family}-title`}>
          <h2 id={`family-${f.family}-title`}>{t(`framework.family.${f.family}`)}</h2>
          <FamilySource ctx={ctx} family={f} />
          {f.entries.map((e) => (
            <Entry ctx={ctx} entry={e} heading="h3" />
          ))}
        </section>
      ))}
    </>
  );
}

function FamilySource({ ctx, family: f }: { ctx: PageContext; family: FrameworkFamily }) {
  const { t } = ctx;
  if (!f.source) {
    return (
      <div class="notice notice-warn">
        <p>{t('framework.missing', { symbol: f.symbol, where: t(`framework.where.${f.family}`) })}</p>
        <p>
          <a href="/library">{t('framework.toLibrary')}</a>
        </p>
      </div>
    );
  }
  return (
    <p>
      {t('framework.from', { where: t(`framework.where.${f.family}`), language: languageName(f.source.language), version: f.source.version })}{' '}
      <a href={f.source.href} class="mono">
        {f.symbol}
      </a>
    </p>
  );
}

export function Entry({ ctx, entry: e, heading }: { ctx: PageContext; entry: FrameworkEntry; heading: 'h2' | 'h3' }) {
  const { t } = ctx;
  const Heading = heading;
  const lang = e.source.language;
  return (
    <article id={e.id} class="framework-entry">
      <Heading>
        <a href={`/framework/${e.id}`} class="mono">
          {e.id}
        </a>{' '}
        <span lang={lang} dir={dirOf(lang)}>
          {e.title}
        </span>
      </Heading>
      <p lang={lang} dir={dirOf(lang)}>
        {e.text}
      </p>
      {e.items.length > 0 && (
        <ul lang={lang} dir={dirOf(lang)}>
          {e.items.map((i) => (
            <li>
              {i.num && `${i.num}) `}
              {i.text}
            </li>
          ))}
        </ul>
      )}
      <dl class="facts">
        <dt>{t('framework.source')}</dt>
        <dd>
          <a href={e.source.permalink} class="mono">
            {e.source.symbol} · {e.source.eId}
          </a>{' '}
          ({languageName(lang)})
        </dd>
        <dt>{t('framework.citedBy')}</dt>
        <dd>
          {e.citedBy.length === 0 ? (
            t('framework.citedByNone')
          ) : (
            <ul class="inline-list">
              {e.citedBy.map((c) => (
                <li>
                  <a href={c.href}>
                    {c.symbol ? <span class="mono">{c.symbol}</span> : <span lang={c.language} dir={dirOf(c.language)}>{c.title ?? c.href}</span>} <span class="mono">· {c.paragraph}</span>
                  </a>{' '}
                  {c.targetParagraph ? t('framework.citesParagraph', { paragraph: c.targetParagraph }) : t('framework.citesDocument')}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </article>
  );
}
