import type { Language } from './i18n.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();
// The same instants (creation dates, last sign-ins) are shown again and again; formatting is dear.
const recent = new Map<string, string>();
const RECENT_MAX = 2000;

/** A UTC instant shown in the reader's language, with its time zone (UTC unless given). */
export function formatInstant(iso: string, lang: Language, timeZone = 'UTC'): string {
  const key = `${lang}|${timeZone}|${iso}`;
  const hit = recent.get(key);
  if (hit !== undefined) return hit;
  let f = formatters.get(`${lang}|${timeZone}`);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });
    formatters.set(`${lang}|${timeZone}`, f);
  }
  const d = new Date(iso);
  const text = Number.isNaN(d.getTime()) ? iso : f.format(d);
  if (recent.size >= RECENT_MAX) recent.clear();
  recent.set(key, text);
  return text;
}
