// Normalisation that keeps the original: page furniture (lone symbol lines, job numbers, page
// numbers, link lines) is removed, words hyphenated across line breaks are rejoined, and OCR
// errors are repaired for the document's language. Every change is an edit on the original text
// and is recorded as a Correction; `origin` maps each normalised character back to the original.
// Where furniture was removed, the text holds a line with a form feed ("\f"): a page break.
import { frenchEdits, type Chunk } from './ocr-fr.ts';
import type { Correction, Language } from './types.ts';

export interface NormalisedText {
  text: string;
  /** origin[i] is the offset in the original text of text[i]; origin[text.length] = original.length. */
  origin: Int32Array;
  corrections: Correction[];
  /** Symbols found on lone header lines ("A/68/98"), in order. */
  headerSymbols: string[];
}

interface Edit {
  start: number;
  end: number;
  text: string;
  /** Recorded only when the edit is applied. */
  correction?: Correction;
}

type Furniture = 'page-header-symbol' | 'job-number' | 'page-number' | 'link-line';

interface RawLine {
  start: number;
  end: number;
  /** Offset of the first non-blank character. */
  contentStart: number;
  trimmed: string;
  furniture: Furniture | null;
}

export const SYMBOL_LINE = /^(?:A|S|E|ST|TD|DP|UNEP|HRC|CRC|CCPR)(?:\/[A-Za-z0-9.()-]+){1,7}$/u;
const JOB_NUMBER = /^(?:\d{2}-\d{5}\d{0,3}(?:\s*\([A-Z]\))?(?:\s+\*\d{7,}\*)?|\*\d{7,}\*)$/u;
const PAGE_NUMBER = /^(?:\d{1,3}|\d{1,3}\s*\/\s*\d{1,3}|[-–]\s*\d{1,3}\s*[-–])$/u;
const LINK_LINE = /^<?https?:\/\/\S+>?$/u;
const NEAR = 3;

function splitRawLines(original: string): RawLine[] {
  const lines: RawLine[] = [];
  const separator = /\r\n|\n|\r/gu;
  let start = 0;
  const push = (end: number) => {
    const text = original.slice(start, end);
    const lead = text.length - text.trimStart().length;
    lines.push({ start, end, contentStart: start + lead, trimmed: text.trim(), furniture: null });
  };
  for (const m of original.matchAll(separator)) {
    push(m.index);
    start = m.index + m[0].length;
  }
  push(original.length);
  return lines;
}

function classifyFurniture(lines: RawLine[]): void {
  const content = lines.filter((l) => l.trimmed !== '' && l.trimmed !== '\f');
  const symbolCounts = new Map<string, number>();
  const pageMarkTotals = new Map<string, number>();
  for (const l of content) {
    if (SYMBOL_LINE.test(l.trimmed) && /\d/u.test(l.trimmed)) symbolCounts.set(l.trimmed, (symbolCounts.get(l.trimmed) ?? 0) + 1);
    const total = /^\d{1,3}\s*\/\s*(\d{1,3})$/u.exec(l.trimmed)?.[1];
    if (total) pageMarkTotals.set(total, (pageMarkTotals.get(total) ?? 0) + 1);
  }
  for (const l of content) {
    if (LINK_LINE.test(l.trimmed)) l.furniture = 'link-line';
    else if (JOB_NUMBER.test(l.trimmed)) l.furniture = 'job-number';
  }
  const nearJob = (i: number) => {
    for (let k = Math.max(0, i - NEAR); k <= Math.min(content.length - 1, i + NEAR); k++) {
      const f = content[k]!.furniture;
      if (k !== i && (f === 'job-number' || f === 'page-header-symbol')) return true;
    }
    return false;
  };
  content.forEach((l, i) => {
    if (l.furniture || !SYMBOL_LINE.test(l.trimmed) || !/\d/u.test(l.trimmed)) return;
    if ((symbolCounts.get(l.trimmed) ?? 0) >= 2 || i === 0 || nearJob(i)) l.furniture = 'page-header-symbol';
  });
  content.forEach((l, i) => {
    if (l.furniture || !PAGE_NUMBER.test(l.trimmed)) return;
    const total = /^\d{1,3}\s*\/\s*(\d{1,3})$/u.exec(l.trimmed)?.[1];
    if (nearJob(i) || (total && (pageMarkTotals.get(total) ?? 0) >= 2)) l.furniture = 'page-number';
  });
}

/** Does the document write `word` elsewhere, as a whole word? */
function writes(original: string, word: string): boolean {
  return new RegExp(`(?<![\\p{L}-])${word}(?![\\p{L}-])`, 'iu').test(original);
}

/** A line ending "soixante-" followed by a line starting "dix-neuvième" is one word. */
function hyphenEdit(original: string, prev: RawLine, next: RawLine): { edit: Edit; correction: Correction } | null {
  if (!prev.trimmed.endsWith('-')) return null;
  const tail = /(\p{L}+)-\s*$/u.exec(original.slice(Math.max(prev.contentStart, prev.end - 60), prev.end));
  if (!tail || !/^\p{Ll}/u.test(next.trimmed)) return null;
  const hyphen = prev.end - (tail[0].length - tail[1]!.length);
  const head = tail[1]!.toLowerCase();
  const rest = /^\p{L}+/u.exec(next.trimmed)?.[0].toLowerCase() ?? '';
  // Keep the hyphen (French compounds: "soixante-dix") unless the document writes the word whole.
  const dropHyphen = rest !== '' && writes(original, head + rest) && !writes(original, `${head}-${rest}`);
  const start = dropHyphen ? hyphen : hyphen + 1;
  return {
    edit: { start, end: next.contentStart, text: '' },
    correction: { rule: 'hyphenation', original: original.slice(hyphen, next.contentStart), corrected: dropHyphen ? '' : '-', offset: hyphen },
  };
}

const GENERIC: [RegExp, string, string][] = [
  [/\u00AD/gu, '', 'soft-hyphen'],
  [/ﬁ/gu, 'fi', 'ligature'],
  [/ﬂ/gu, 'fl', 'ligature'],
  [/ﬀ/gu, 'ff', 'ligature'],
  [/ﬃ/gu, 'ffi', 'ligature'],
  [/ﬄ/gu, 'ffl', 'ligature'],
];

function genericEdit(chunk: Chunk): (Edit & { rule: string }) | null {
  let s = chunk.text;
  const rules: string[] = [];
  for (const [re, by, rule] of GENERIC) {
    const next = s.replace(re, by);
    if (next !== s) {
      s = next;
      rules.push(rule);
    }
  }
  return s === chunk.text ? null : { start: chunk.start, end: chunk.start + chunk.text.length, text: s, rule: [...new Set(rules)].join('+') };
}

function applyEdits(original: string, edits: Edit[]): { text: string; origin: Int32Array } {
  let length = original.length;
  for (const e of edits) length += e.text.length - (e.end - e.start);
  const origin = new Int32Array(length + 1);
  const parts: string[] = [];
  let o = 0;
  let at = 0;
  for (const e of edits) {
    for (let i = at; i < e.start; i++) origin[o++] = i;
    parts.push(original.slice(at, e.start), e.text);
    // Characters the edit kept (common prefix and suffix) keep their own offsets.
    const span = original.slice(e.start, e.end);
    let prefix = 0;
    while (prefix < span.length && prefix < e.text.length && span[prefix] === e.text[prefix]) prefix++;
    let suffix = 0;
    while (suffix < span.length - prefix && suffix < e.text.length - prefix && span[span.length - 1 - suffix] === e.text[e.text.length - 1 - suffix]) suffix++;
    for (let i = 0; i < e.text.length; i++) {
      origin[o++] = i < prefix ? e.start + i : i >= e.text.length - suffix ? e.end - (e.text.length - i) : e.start + prefix;
    }
    at = e.end;
  }
  for (let i = at; i < original.length; i++) origin[o++] = i;
  parts.push(original.slice(at));
  origin[o] = original.length;
  return { text: parts.join(''), origin };
}

export function normalise(original: string, language: Language): NormalisedText {
  const lines = splitRawLines(original);
  classifyFurniture(lines);
  const edits: Edit[] = [];
  const corrections: Correction[] = [];
  const headerSymbols: string[] = [];

  let prev: RawLine | null = null;
  let furnitureSincePrev = false;
  const content: RawLine[] = [];
  for (const line of lines) {
    if (line.trimmed === '') continue;
    if (line.furniture) {
      corrections.push({ rule: line.furniture, original: line.trimmed, corrected: '', offset: line.contentStart });
      if (line.furniture === 'page-header-symbol') headerSymbols.push(line.trimmed);
      furnitureSincePrev = true;
      continue;
    }
    const joined = prev ? hyphenEdit(original, prev, line) : null;
    if (joined) {
      edits.push({ ...joined.edit, correction: joined.correction });
    } else if (furnitureSincePrev) {
      edits.push(prev ? { start: prev.end, end: line.start, text: '\n\f\n' } : { start: 0, end: line.start, text: '' });
    }
    furnitureSincePrev = false;
    prev = line;
    content.push(line);
  }
  if (furnitureSincePrev && prev) edits.push({ start: prev.end, end: original.length, text: '\n' });

  // Words (whitespace-separated chunks) are only needed by the French repairs and the rare ligatures.
  const ligatures = /[\u00AD\uFB00-\uFB04]/u.test(original);
  const chunks: Chunk[] = [];
  if (language === 'fr' || ligatures) {
    const word = /\S+/gu;
    for (const line of content) {
      word.lastIndex = line.contentStart;
      let first = true;
      for (let m = word.exec(original); m && m.index < line.end; m = word.exec(original)) {
        chunks.push({ start: m.index, text: m[0], lineStart: first });
        first = false;
      }
    }
  }
  const wordEdits = language === 'fr' ? frenchEdits(chunks) : [];
  if (ligatures) {
    const touched = new Set(wordEdits.map((e) => e.start));
    for (const c of chunks) {
      if (touched.has(c.start)) continue;
      const g = genericEdit(c);
      if (g) wordEdits.push(g);
    }
  }
  for (const e of wordEdits) {
    const shown = 'shown' in e && e.shown && original.startsWith(e.shown.original, e.shown.start) ? e.shown : null;
    const correction = shown
      ? { rule: e.rule, original: shown.original, corrected: shown.corrected, offset: shown.start }
      : { rule: e.rule, original: original.slice(e.start, e.end), corrected: e.text, offset: e.start };
    edits.push({ start: e.start, end: e.end, text: e.text, correction });
  }

  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const applied: Edit[] = [];
  let end = 0;
  for (const e of edits) {
    if (e.start < end) continue; // never two edits on one span; the first (line-level) wins
    applied.push(e);
    end = Math.max(end, e.end);
    if (e.correction) corrections.push(e.correction);
  }
  const { text, origin } = applyEdits(original, applied);
  corrections.sort((a, b) => a.offset - b.offset);
  return {
    text,
    origin,
    corrections,
    headerSymbols,
  };
}
