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

/** `path` with the query and the extra parameters (which win), encoded as a form encodes them (URLSearchParams). */
export function hrefWith(path: string, query: Record<string, string>, extra: Record<string, string>): string {
  let s = '';
  for (const k in query) s += `&${formEncoded(k)}=${formEncoded(Object.hasOwn(extra, k) ? extra[k]! : query[k]!)}`;
  for (const k in extra) if (!Object.hasOwn(query, k)) s += `&${formEncoded(k)}=${formEncoded(extra[k]!)}`;
  return s ? `${path}?${s.slice(1)}` : path;
}

/**
 * The application/x-www-form-urlencoded form of a name or value, byte for byte as URLSearchParams
 * writes it (space as +, nothing left bare but letters, digits and *-._), without building one.
 */
function formEncoded(text: string): string {
  if (/^[A-Za-z0-9*._-]*$/.test(text)) return text;
  try {
    return encodeURIComponent(text).replace(/%20|[!'()~]/g, (c) => (c === '%20' ? '+' : `%${c.charCodeAt(0).toString(16).toUpperCase()}`));
  } catch {
    // A lone surrogate, which encodeURIComponent refuses: URLSearchParams writes U+FFFD for it.
    return new URLSearchParams({ t: text }).toString().slice(2);
  }
}
