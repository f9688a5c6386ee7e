import type { ComponentChildren } from 'preact';
import { direction, LANGUAGES, LANGUAGE_NAMES } from './i18n.ts';
import { hrefWith, type PageContext } from './page-context.ts';

interface LayoutProps {
  ctx: PageContext;
  title: string;
  children: ComponentChildren;
}

interface NavItem {
  href: string;
  label: string;
}

function navigation(ctx: PageContext): NavItem[] {
  const { t, principal } = ctx;
  const items: NavItem[] = [
    { href: '/', label: t('nav.home') },
    { href: '/library', label: t('nav.library') },
    { href: '/framework', label: t('nav.framework') },
    { href: '/states', label: t('nav.states') },
    principal && principal.role !== 'stakeholder'
      ? { href: '/directory', label: t('nav.directory') }
      : { href: '/directory/participation', label: t('nav.directory') },
  ];
  if (principal?.role === 'poc' || principal?.role === 'state-admin' || principal?.role === 'secretariat') items.push({ href: '/messages', label: t('nav.messages') });
  if (principal?.role === 'secretariat') items.push({ href: '/checks', label: t('nav.checks') });
  if (principal?.role === 'poc' || principal?.role === 'state-admin') items.push({ href: '/checks/mine', label: t('nav.checks') });
  if (principal?.role === 'secretariat' || principal?.role === 'state-admin') items.push({ href: '/users', label: t('nav.users') });
  if (principal?.role === 'secretariat') items.push({ href: '/audit', label: t('nav.audit') });
  if (principal?.role === 'secretariat' && ctx.demo) items.push({ href: '/mail', label: t('mailcatcher.nav') });
  if (principal?.role === 'secretariat' || principal?.role === 'regional-org') items.push({ href: '/tokens', label: t('nav.tokens') });
  return items;
}

export function Layout({ ctx, title, children }: LayoutProps) {
  const { t, lang, principal } = ctx;
  // This page in each language: the same path and query, with `lang` last (the query is encoded once).
  const here = hrefWith(ctx.path, ctx.query, {});
  const inLanguage = `${here}${here.includes('?') ? '&' : '?'}lang=`;
  return (
    <html lang={lang} dir={direction(lang)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Cadre`}</title>
        <link rel="stylesheet" href="/static/cadre.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <script src="/static/cadre.js" type="module" defer></script>
      </head>
      <body>
        <a class="skip-link" href="#main">{t('layout.skipToContent')}</a>
        {ctx.demo && (
          <div class="demo-banner" role="note">
            {t('layout.demoBanner')}
          </div>
        )}
        <header class="site-header">
          <a class="brand" href="/">
            Cadre
          </a>
          <nav aria-label={t('layout.mainNavigation')}>
            <ul class="nav-list">
              {navigation(ctx).map((item) => (
                <li>
                  <a href={item.href} aria-current={ctx.path === item.href ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <div class="account-box">
            {principal ? (
              <>
                <a href="/account">{principal.displayName || principal.email}</a>
                <form method="post" action="/sign-out" class="inline-form">
                  <input type="hidden" name="_csrf" value={ctx.csrfToken} />
                  <button type="submit" class="link-button">
                    {t('nav.signOut')}
                  </button>
                </form>
              </>
            ) : (
              <a href="/sign-in">{t('nav.signIn')}</a>
            )}
          </div>
          <nav aria-label={t('layout.languages')} class="languages">
            <ul class="nav-list">
              {LANGUAGES.map((l) => (
                <li>
                  <a href={inLanguage + l} lang={l} hreflang={l} aria-current={l === lang ? 'true' : undefined}>
                    {LANGUAGE_NAMES[l]}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          <h1>{title}</h1>
          {children}
        </main>
        <footer class="site-footer">
          <p>{t('layout.footer')}</p>
          <p><a href="/pgp-key">{t('pgpKey.footerLink')}</a></p>
        </footer>
      </body>
    </html>
  );
}
