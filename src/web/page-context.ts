import type { Principal } from '../auth/principal.ts';
import type { Language, Translate } from './i18n.ts';
import type { Req } from './types.ts';

/** What a view needs to know about the request; views never see the request itself. */
export interface PageContext {
  t: Translate;
  lang: Language;
  principal: Principal | null;
  csrfToken: string;
  demo: boolean;
  /** Path and query of this page, for the language switcher. */
  path: string;
  query: Record<string, string>;
}

export function pageContext(req: Req): PageContext {
  const url = new URL(req.url, 'http://x');
  const query: Record<string, string> = {};
  url.searchParams.forEach((v, k) => {
    if (k !== 'lang') query[k] = v;
  });
  return {
    t: req.t,
    lang: req.lang,
    principal: req.principal,
    csrfToken: req.csrf(),
    demo: req.server.cadre.config.demo,
    path: url.pathname,
    query,
  };
}

export function hrefWith(path: string, query: Record<string, string>, extra: Record<string, string>): string {
  const params = new URLSearchParams({ ...query, ...extra });
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}
