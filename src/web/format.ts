import type { Language } from './i18n.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A UTC instant shown in the reader's language, with its time zone (UTC unless given). */
export function formatInstant(iso: string, lang: Language, timeZone = 'UTC'): string {
  const key = `${lang}|${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });
    formatters.set(key, f);
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : f.format(d);
}
