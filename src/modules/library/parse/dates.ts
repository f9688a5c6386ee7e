// Dates as the six languages print them in UN texts: "5 décembre 2018", "1er juin 2021",
// "5 December 2018", "December 5, 2018", "5 de diciembre de 2018", "5 декабря 2018 года".
import type { Vocabulary } from './vocabulary.ts';

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function monthIndex(word: string, vocab: Vocabulary): number {
  const w = word.toLowerCase();
  const i = vocab.months.findIndex((m) => m === w || (m.length > 3 && w.length >= 3 && m.startsWith(w.replace(/\.$/u, ''))));
  return i + 1;
}

/** The first date in `text`, as yyyy-mm-dd, or null. */
export function findDate(text: string, vocab: Vocabulary): string | null {
  for (const m of text.matchAll(/(\d{1,2})(?:er|st|nd|rd|th|º|-?е)?\s+(?:de\s+)?(\p{L}+\.?)\s+(?:de\s+)?(\d{4})/gu)) {
    const month = monthIndex(m[2]!, vocab);
    const day = Number(m[1]);
    if (month > 0 && day >= 1 && day <= 31) return iso(Number(m[3]), month, day);
  }
  for (const m of text.matchAll(/(\p{L}+)\s+(\d{1,2}),\s+(\d{4})/gu)) {
    const month = monthIndex(m[1]!, vocab);
    if (month > 0) return iso(Number(m[3]), month, Number(m[2]));
  }
  return null;
}

/** A line that is only a date, with an optional "Le"/"On"/"El" ("Le 7 juin 2013"). */
export function isDateLine(text: string, vocab: Vocabulary): boolean {
  const t = text.trim().replace(/^(?:Le|On|El|le)\s+/u, '').replace(/\s*(?:года|г\.)$/u, '');
  const whole = /^(?:\d{1,2}(?:er|st|nd|rd|th|º|-?е)?\s+(?:de\s+)?\p{L}+\.?\s+(?:de\s+)?\d{4}|\p{L}+\s+\d{1,2},\s+\d{4})$/u;
  return whole.test(t) && findDate(t, vocab) !== null;
}

/** Date spans to skip inside lists of resolution numbers ("36/103 du 9 décembre 1981, …"). */
export function datePattern(vocab: Vocabulary): RegExp {
  const months = vocab.months.map((m) => m.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')).join('|');
  return new RegExp(`^\\s*,?\\s*(?:du|of|de|del|от|en date du|dated)?\\s*(?:\\d{1,2}(?:er|st|nd|rd|th|º)?\\s+(?:de\\s+)?(?:${months})|(?:${months})\\s+\\d{1,2},?)\\s+(?:de\\s+)?\\d{4}(?:\\s*(?:года|г\\.))?`, 'iu');
}
