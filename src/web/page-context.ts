import type { Principal } from '../auth/principal.ts';
import type { Language, Translate } from './i18n.ts';
import type { Req } from './types.ts';

/** What a view needs to know about the request; views never see the request itself. */
export interface PageContext {
  t: Translate;
  lang: Language;
  /** The reader's time zone (IANA) for instants on the page: their own setting, else UTC. */
  timeZone: string;
  principal: Principal | null;
  csrfToken: string;
  demo: boolean;
  /** Path and query of this page, for the language switcher. */
  path: string;
  query: Record<string, string>;
}

export function pageContext(req: Req): PageContext {
  const q = req.url.indexOf('?');
  const query: Record<string, string> = {};
  if (q >= 0) {
    new URLSearchParams(req.url.slice(q + 1)).forEach((v, k) => {
      if (k !== 'lang') query[k] = v;
    });
  }
  return {
    t: req.t,
    lang: req.lang,
    timeZone: req.principal?.timeZone ?? 'UTC',
    principal: req.principal,
    // Only a page with a form pays for the token (and, signed out, for its visitor cookie).
    get csrfToken() {
      return req.csrf();
    },
    demo: req.server.cadre.config.demo,
    path: q >= 0 ? req.url.slice(0, q) : req.url,
    query,
  };
}

export function hrefWith(path: string, query: Record<string, string>, extra: Record<string, string>): string {
  let plain = true;
  for (const _ in query) plain = false;
  if (plain && 'lang' in extra && Object.keys(extra).length === 1) return `${path}?lang=${encodeURIComponent(extra.lang!)}`;
  const params = new URLSearchParams({ ...query, ...extra });
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}
