import type { Language } from '../../../web/i18n.ts';
import { WEEKDAYS, type Weekday } from './types.ts';

const weekdayFormats = new Map<string, Intl.DateTimeFormat>();

/** The weekday's name in the reader's language (Monday 23 November 2026 is a Monday). */
const weekdayNames = new Map<string, string>();

export function weekdayName(day: Weekday, lang: Language): string {
  const key = `${lang}|${day}`;
  const known = weekdayNames.get(key);
  if (known !== undefined) return known;
  let f = weekdayFormats.get(lang);
  if (!f) {
    f = new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' });
    weekdayFormats.set(lang, f);
  }
  const name = f.format(new Date(Date.UTC(2026, 10, 23 + WEEKDAYS.indexOf(day))));
  weekdayNames.set(key, name);
  return name;
}

/** The local time now in a zone, e.g. "14:05" with the zone's short name, in the reader's language. */
export function localTime(timeZone: string, lang: Language, at: Date): string {
  return new Intl.DateTimeFormat(lang, { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' }).format(at);
}

const listFormats = new Map<string, Intl.ListFormat>();

/** Items joined as the reader's language lists them ("French and English", «français et anglais», "الفرنسية والإنجليزية"). */
const lists = new Map<string, string>();

export function listOf(items: readonly string[], lang: Language): string {
  const key = `${lang}|${items.join('\u0000')}`;
  const known = lists.get(key);
  if (known !== undefined) return known;
  let f = listFormats.get(lang);
  if (!f) {
    f = new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' });
    listFormats.set(lang, f);
  }
  const text = f.format(items);
  if (lists.size < 10_000) lists.set(key, text);
  return text;
}
