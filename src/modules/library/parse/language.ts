// Which of the six UN languages a text is in: the script decides Arabic, Chinese and Russian;
// among the Latin-script languages, the most frequent function words decide.
import type { Language } from './types.ts';
import { VOCABULARY } from './vocabulary.ts';

const SAMPLE = 20_000;
const LATIN: readonly Language[] = ['fr', 'en', 'es'];
const STOP_WORDS = new Map(LATIN.map((l) => [l, new Set(VOCABULARY[l].stopWords)]));

export function detectLanguage(text: string): Language {
  const sample = text.length > SAMPLE ? text.slice(0, SAMPLE) : text;
  let arabic = 0;
  let han = 0;
  let cyrillic = 0;
  let latin = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 0x80) {
      if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) latin++;
    } else if (c >= 0x0600 && c <= 0x06ff) arabic++;
    else if (c >= 0x0400 && c <= 0x04ff) cyrillic++;
    else if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf)) han++;
    else if (c >= 0xc0 && c <= 0x24f) latin++;
  }
  // Chinese characters carry a word each, so they count more than letters.
  const scripts: [Language, number][] = [['ar', arabic], ['zh', han * 3], ['ru', cyrillic], ['fr', latin]];
  scripts.sort((a, b) => b[1] - a[1]);
  const [top] = scripts;
  if (top && top[0] !== 'fr' && top[1] > 0) return top[0];

  const counts = new Map<Language, number>(LATIN.map((l) => [l, 0]));
  for (const word of sample.slice(0, 6000).toLowerCase().split(/[^a-zà-ÿ]+/u)) {
    if (word.length > 4) continue;
    for (const l of LATIN) if (STOP_WORDS.get(l)?.has(word)) counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  let best: Language = 'en';
  let bestCount = 0;
  for (const l of LATIN) {
    const n = counts.get(l) ?? 0;
    if (n > bestCount) {
      best = l;
      bestCount = n;
    }
  }
  return best;
}
