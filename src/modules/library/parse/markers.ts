// What the start of a line says about it: a paragraph number ("12.", "1.8."), a letter or roman
// point ("a)", "(ii)"), a bullet, a section number ("II.", "B."), a preambular opening word.
import { isRoman, romanValue } from './eid.ts';
import type { Language } from './types.ts';
import type { Vocabulary } from './vocabulary.ts';

export type MarkerType = 'num' | 'sub' | 'letter' | 'roman' | 'bullet';

export interface Marker {
  type: MarkerType;
  /** Position in its sequence: 1 for "1.", "a)", "i)"; 8 for "1.8". */
  value: number;
  /** As printed, without punctuation: "12", "1.8", "c", "ii". */
  label: string;
  /** For "1.8": 1. */
  major?: number;
  /** Characters of the line taken by the marker and the space after it. */
  length: number;
}

// "12. " in most languages; "12 - " in Arabic.
const NUM = /^(\d{1,3})(?:\.\s+|\s+[-–]\s+)(?=\S)/u;
const SUB = /^(\d{1,3})\.(\d{1,3})\.?\s+(?=\S)/u;
const PAREN = /^\(?([a-z]{1,5})\)\s*(?=\S)/u;
const BULLET = /^[•●▪◦]\s*(?=\S)/u;
const SECTION = /^([IVXL]+|[A-Z])\.\s+(?=[\p{Lu}«"“\d])/u;

/** Every reading of the line's start; "i)" is both the ninth letter and the first roman numeral. */
export function markersOf(text: string): Marker[] {
  let m = SUB.exec(text);
  if (m) return [{ type: 'sub', value: Number(m[2]), label: `${m[1]}.${m[2]}`, major: Number(m[1]), length: m[0].length }];
  m = NUM.exec(text);
  if (m) return [{ type: 'num', value: Number(m[1]), label: m[1]!, length: m[0].length }];
  m = PAREN.exec(text);
  if (m) {
    const label = m[1]!;
    const out: Marker[] = [];
    if (label.length === 1) out.push({ type: 'letter', value: label.charCodeAt(0) - 96, label, length: m[0].length });
    if (isRoman(label)) out.push({ type: 'roman', value: romanValue(label), label, length: m[0].length });
    return out;
  }
  m = BULLET.exec(text);
  if (m) return [{ type: 'bullet', value: 0, label: '', length: m[0].length }];
  return [];
}

export interface SectionMarker {
  label: string;
  roman: number;
  letter: number;
  length: number;
}

export function sectionOf(text: string): SectionMarker | null {
  const m = SECTION.exec(text);
  if (!m || text.length > 220) return null;
  const label = m[1]!;
  return {
    label,
    roman: isRoman(label) ? romanValue(label) : 0,
    letter: label.length === 1 ? label.charCodeAt(0) - 64 : 0,
    length: m[0].length,
  };
}

const WORD = /^[^\s,;:]+/u;

/** Does the line open a preambular paragraph ("Rappelant", "Se déclarant", "Deeply concerned")? */
export function opensPreambular(text: string, vocab: Vocabulary, language: Language): boolean {
  if (language === 'zh') return vocab.preambularWord.test(text);
  const first = WORD.exec(text)?.[0] ?? '';
  if (vocab.preambularWord.test(first)) return true;
  if (!vocab.leadWords.has(first) && !/^S[’']/u.test(first)) return false;
  const rest = text.slice(first.length).trimStart();
  const second = (/^S[’']/u.test(first) ? first.slice(2) : WORD.exec(rest)?.[0]) ?? '';
  return vocab.preambularWord.test(second) || /^\p{Ll}+(?:ant|ing|ando|iendo|я|ясь)$/u.test(second);
}

/** The opening word or phrase: "Rappelant", "Se déclarant préoccupée", "Accueille favorablement". */
export function openingPhrase(text: string, vocab: Vocabulary, language: Language): string | null {
  if (language === 'zh') return vocab.preambularWord.exec(text)?.[0] ?? null;
  const words = text.split(/\s+/u, 4).map((w) => w.replace(/[,;:.]+$/u, ''));
  const first = words[0];
  if (!first || (!vocab.lowercaseOpeners && !/^\p{Lu}/u.test(first))) return null;
  let phrase = first;
  let used = 1;
  if (vocab.leadWords.has(first) && words[1]) {
    phrase = `${first} ${words[1]}`;
    used = 2;
  }
  const rest = words.slice(used).join(' ');
  const follow = vocab.followPhrases.find((f) => rest === f || rest.startsWith(`${f} `));
  if (follow) phrase = `${phrase} ${follow}`;
  return phrase.replace(/[,;:.]+$/u, '');
}
