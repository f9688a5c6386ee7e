import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';

/** The six official UN languages, in the UN's order. */
export const LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'en';

/** Each language's own name, for the switcher. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  ar: 'العربية',
  zh: '中文',
  en: 'English',
  fr: 'Français',
  ru: 'Русский',
  es: 'Español',
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function direction(lang: Language): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

export type Catalogue = Record<string, string>;

const MODULES_DIR = new URL('../modules/', import.meta.url);

/**
 * A language's messages: the shared catalogue (`src/web/catalogues/xx.json`), then each module's
 * own (`src/modules/NAME/i18n/xx.json`, then `…/i18n/PART.xx.json` in name order), so a module's
 * words live beside its code. A key defined twice is an error.
 */
export function loadCatalogue(lang: Language): Catalogue {
  const merged = JSON.parse(readFileSync(new URL(`./catalogues/${lang}.json`, import.meta.url), 'utf8')) as Catalogue;
  for (const module of readdirSync(MODULES_DIR).sort()) {
    const dir = new URL(`${module}/i18n/`, MODULES_DIR);
    if (!existsSync(dir)) continue;
    // The plain `xx.json` first, then the parts by name: the same order in every language.
    const names = readdirSync(dir).filter((name) => name === `${lang}.json` || name.endsWith(`.${lang}.json`));
    for (const name of names.sort((x, y) => (x === `${lang}.json` ? -1 : y === `${lang}.json` ? 1 : x < y ? -1 : x > y ? 1 : 0))) {
      for (const [key, message] of Object.entries(JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Catalogue)) {
        if (key in merged) throw new Error(`catalogue key ${key} is defined twice (src/modules/${module}/i18n/${name})`);
        merged[key] = message;
      }
    }
  }
  return merged;
}

const catalogues = new Map<Language, Catalogue>();
const compiled = new Map<string, IntlMessageFormat>();
const formatted = new Map<string, string>();

function catalogue(lang: Language): Catalogue {
  let c = catalogues.get(lang);
  if (!c) {
    c = loadCatalogue(lang);
    catalogues.set(lang, c);
  }
  return c;
}

export type MessageValues = Record<string, string | number | Date>;
export type Translate = (key: string, values?: MessageValues) => string;

/**
 * A translator for one language. A key missing from the catalogue falls back to English, then to
 * the key itself; the catalogue test forbids both.
 */
export function translator(lang: Language): Translate {
  const messages = catalogue(lang);
  return (key, values) => {
    const source = messages[key];
    if (source === undefined && lang !== DEFAULT_LANGUAGE) return translator(DEFAULT_LANGUAGE)(key, values);
    if (source === undefined) return key;
    // Plain text (no argument, no ICU quoting) needs no formatter.
    if (!source.includes('{') && !source.includes("'")) return source;
    const cacheKey = `${lang}\u0000${key}`;
    // A message with plain values (no date) says the same each time: pages format a few (counts, pages) again and again.
    const plain = values === undefined || Object.values(values).every((v) => typeof v !== 'object');
    const resultKey = plain ? `${cacheKey}\u0000${JSON.stringify(values ?? {})}` : undefined;
    const known = resultKey === undefined ? undefined : formatted.get(resultKey);
    if (known !== undefined) return known;
    let format = compiled.get(cacheKey);
    if (!format) {
      format = new IntlMessageFormat(source, lang);
      compiled.set(cacheKey, format);
    }
    const text = String(format.format(values));
    if (resultKey !== undefined) {
      if (formatted.size >= 10_000) formatted.clear();
      formatted.set(resultKey, text);
    }
    return text;
  };
}

/**
 * Picks the language: `?lang=` first, then the remembered cookie, then the best Accept-Language
 * match (by quality, primary subtag: `fr-CH` → fr, `zh-Hant` → zh), else English.
 */
export function negotiateLanguage(query: unknown, cookie: unknown, acceptLanguage: string | undefined): Language {
  if (isLanguage(query)) return query;
  if (isLanguage(cookie)) return cookie;
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part, index) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
        return { primary: tag.toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) : 1, index };
      })
      .filter((r) => Number.isFinite(r.q) && r.q > 0)
      .sort((a, b) => b.q - a.q || a.index - b.index);
    for (const r of ranked) if (isLanguage(r.primary)) return r.primary;
  }
  return DEFAULT_LANGUAGE;
}
