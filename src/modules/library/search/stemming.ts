import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as spanish } from '@orama/stemmers/spanish';

// One analysis for both engines: the database only ever sees the terms made here (SQLite FTS5
// and PostgreSQL index the same space-separated terms, and the query side builds its terms with
// the same functions), so both engines match alike.
//
// A word is lower-cased, folded (Latin and Greek diacritics and Arabic harakat removed, œ → oe;
// Cyrillic keeps й and only folds ё → е) and then stemmed with the Snowball stemmer of the
// document's language. Folding comes before stemming so that "etats" and "États" give one term.
// Han text is indexed as overlapping character bigrams (a lone character as itself).

const STEMMERS: Record<string, (word: string) => string> = { fr: french, en: english, es: spanish, ru: russian };

/** The languages with a stemmer; the others (ar, zh…) are folded only. */
export const STEMMED_LANGUAGES = Object.keys(STEMMERS);

/**
 * A word of text (letters, digits and their combining marks), Han runs apart. The class
 * difference (flag v, given as a string since TypeScript's target predates it) matches as
 * `(?:(?!\p{Script=Han})[\p{L}\p{N}\p{M}])+` did, without a lookahead per character.
 */
const WORD = new RegExp('\\p{Script=Han}+|[[\\p{L}\\p{N}\\p{M}]--\\p{Script=Han}]+', 'gv');
const HAN = /^\p{Script=Han}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const MARKS = /\p{M}+/gu;
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ı: 'i' };

export interface Token {
  /** Offsets in the original text. */
  start: number;
  end: number;
  /** Index terms of this word: one, or a Han run's bigrams. */
  terms: string[];
}

/** Lower case and diacritics removed, keeping the letters Russian needs. */
export function fold(word: string): string {
  const lower = word.toLowerCase();
  if (CYRILLIC.test(lower)) return lower.normalize('NFC').replace(/ё/g, 'е');
  return lower
    .normalize('NFD')
    .replace(MARKS, '')
    .replace(/[œæßı]/g, (c) => LIGATURES[c] ?? c)
    .normalize('NFC');
}

function stemmerFor(language: string): ((w: string) => string) | undefined {
  return STEMMERS[language];
}

// Words repeat a great deal (UN texts above all): each word's term is remembered, per language,
// up to a bound, which makes indexing and highlighting several times faster than stemming anew.
const CACHE_LIMIT = 100_000;
const caches = new Map<string, Map<string, string>>();
let cached = 0;

/** The index term of one (non-Han) word in a language. */
export function term(word: string, language: string): string {
  let cache = caches.get(language);
  if (!cache) caches.set(language, (cache = new Map()));
  let found = cache.get(word);
  if (found === undefined) {
    found = analyseWord(word, language);
    if (cached >= CACHE_LIMIT) {
      for (const c of caches.values()) c.clear();
      cached = 0;
    }
    cache.set(word, found);
    cached++;
  }
  return found;
}

function analyseWord(word: string, language: string): string {
  const folded = fold(word);
  const stem = stemmerFor(language);
  if (!stem || /^\p{N}+$/u.test(folded)) return folded;
  // The Snowball stemmers work on lower-case words; a folded word is still one.
  return stem(folded);
}

function hanTerms(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** Every word of a text with its offsets and terms. */
export function tokenize(text: string, language: string): Token[] {
  const out: Token[] = [];
  const words = new RegExp(WORD);
  for (let m = words.exec(text); m; m = words.exec(text)) {
    const word = m[0];
    const start = m.index;
    const terms = HAN.test(word) ? hanTerms(word) : [term(word, language)];
    if (terms[0] === '') continue;
    out.push({ start, end: start + word.length, terms });
  }
  return out;
}

/** The text as the index stores it: its terms, space-separated, in order. */
export function indexText(text: string, language: string): string {
  const terms: string[] = [];
  for (const t of tokenize(text, language)) terms.push(...t.terms);
  return terms.join(' ');
}

/** Terms of one query word in every analysis (each stemmer, and fold only). */
export function queryTerms(word: string, language: string | null): string[] {
  const folded = fold(word);
  if (language) return [term(word, language)];
  return [...new Set([folded, ...STEMMED_LANGUAGES.map((l) => term(word, l))])];
}
