// Footnotes: found between a "______" rule and the end of the page, or at the foot of a page
// without a rule ("1 Voir A/77/275."), numbered in order; an OCR'd number ("%") takes the number
// its place in the sequence gives it. Calls are resolved on the page that holds the footnote:
// a mark glued to a word ("général1"), to a year ("20152", "2015 2"), spaced after a word
// ("gouvernementaux 1 ."), an OCR'd glyph ("premier!", "limitée®") or, last, glued to a resolution
// number cited elsewhere ("résolution 77/374" where 77/37 is meant).
import type { TextLine } from './lines.ts';

export interface FootnoteDef {
  num: string;
  text: string;
  /** Index in the body lines of the last line before the footnote's block (-1: none). */
  afterLine: number;
  /** The printed number when it was an OCR'd glyph, with its offset in the normalised text. */
  glyph: { text: string; offset: number } | null;
}

export interface ExtractedFootnotes {
  body: TextLine[];
  footnotes: FootnoteDef[];
  warnings: string[];
}

const RULE = /^_{5,}$/u;
const START = /^(\d{1,3}|\*{1,3}|[%®!?†‡§°])\s+(\S.*)$/u;
const ENDS_NOTE = /[.!?»)]$/u;
const ABBREVIATION = /\b(?:no|nos|par|chap|sect|p|pp|vol|art|al|para|paras|cf|et al|Suppl)\.$/iu;

interface Note {
  num: string;
  parts: string[];
  glyph: FootnoteDef['glyph'];
}

export function extractFootnotes(lines: readonly TextLine[], doubleSpaced: boolean): ExtractedFootnotes {
  const body: TextLine[] = [];
  const footnotes: FootnoteDef[] = [];
  const warnings: string[] = [];
  let expected = 1;
  let pageBreakNext = false;

  const numberOf = (printed: string, line: TextLine): { num: string; glyph: FootnoteDef['glyph'] } | null => {
    if (/^\*+$/u.test(printed)) return { num: printed, glyph: null };
    if (/^\d+$/u.test(printed)) return Number(printed) >= expected ? { num: printed, glyph: null } : null;
    return { num: String(expected), glyph: { text: printed, offset: line.start } };
  };

  /** Reads a block of notes starting at `from`; returns the index after it, or -1 when it is no block. */
  const readBlock = (from: number, ruled: boolean): number => {
    const notes: Note[] = [];
    let j = from;
    const saved = expected;
    for (; j < lines.length; j++) {
      const line = lines[j]!;
      if (j > from && (line.pageBefore || (!ruled && line.blankBefore))) break;
      const m = START.exec(line.text);
      const n = m ? numberOf(m[1]!, line) : null;
      const last = notes.at(-1);
      if (m && n && (n.num === String(expected) || n.num.startsWith('*') || (ruled && notes.length === 0))) {
        notes.push({ num: n.num, parts: [m[2]!], glyph: n.glyph });
        if (!n.num.startsWith('*')) expected = Number(n.num) + 1;
        continue;
      }
      const lastText = last?.parts.at(-1) ?? '';
      const continues = last !== undefined && (doubleSpaced || !ENDS_NOTE.test(lastText) || ABBREVIATION.test(lastText));
      if (!continues) break;
      last.parts.push(line.text);
    }
    if (notes.length === 0 || (!ruled && !(j >= lines.length || !lines[j]!.blankBefore))) {
      expected = saved;
      return -1;
    }
    for (const note of notes) {
      footnotes.push({ num: note.num, text: note.parts.join(' ').replace(/\s+/gu, ' ').trim(), afterLine: body.length - 1, glyph: note.glyph });
    }
    return j;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    let after = -1;
    if (RULE.test(line.text)) after = readBlock(i + 1, true);
    else if (!doubleSpaced && line.blankBefore && START.test(line.text)) after = readBlock(i, false);
    if (after >= 0) {
      i = after - 1;
      pageBreakNext = true;
      continue;
    }
    if (RULE.test(line.text)) {
      warnings.push('a footnote rule without footnotes was dropped');
      continue;
    }
    body.push(pageBreakNext ? { ...line, pageBefore: true, blankBefore: false } : line);
    pageBreakNext = false;
  }
  return { body, footnotes, warnings };
}

export interface CallableText {
  text: string;
  /** Body line index of each segment, and where the segment starts in `text`. */
  lineIdx: number[];
  segStart: number[];
}

export interface FootnoteMark {
  paragraph: number;
  start: number;
  end: number;
  num: string;
  /** An OCR'd glyph standing for the number ("!" for 1). */
  glyph: string | null;
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (num: string) => [...num].map((d) => SUPERSCRIPT[Number(d)] ?? d).join('');
// Words after which a number is the thing counted, not a footnote mark.
const COUNTED = new Set(['paragraphe', 'paragraphes', 'par', 'point', 'points', 'annexe', 'séance', 'séances', 'session', 'sessions',
  'résolution', 'résolutions', 'alinéa', 'article', 'chapitre', 'section', 'les', 'des', 'ses', 'aux', 'de', 'du', 'sur', 'et', 'à', 'ou',
  'plus', 'moins', 'page', 'rang', 'groupe', 'étape', 'étapes', 'objectif', 'niveau', 'partie', 'paragraph', 'paragraphs', 'para', 'item',
  'items', 'meeting', 'meetings', 'resolution', 'resolutions', 'annex', 'chapter', 'the', 'of', 'and', 'to', 'on', 'in', 'its', 'their',
  'goal', 'target', 'over', 'than', 'some', 'all', 'los', 'las', 'del', 'párrafo', 'tema', 'sesión', 'пункт', 'пункта', 'пунктах']);

const GLYPH = /(?<=\p{Ll})(?:[®%°†‡]+(?=[\s,.;:])|[!?](?=\s+\p{Ll}))/gu;
const LOWER = /^\p{Ll}$/u;
const BOUNDARY = /^(?:[\s,.;:)»”]|$)/u;
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isLower = (c: string | undefined) => c !== undefined && LOWER.test(c);
/** text[at - 4, at) is a year (19xx, 20xx) that does not continue a number or a symbol. */
const yearBefore = (text: string, at: number) => at >= 4 && /^(?:19|20)\d\d$/u.test(text.slice(at - 4, at)) && !/[\d/.,]/u.test(text[at - 5] ?? '');

interface Found {
  paragraph: number;
  start: number;
  end: number;
}

type Accept = (at: number) => boolean;

/**
 * The first call of footnote `num` in text[from, to): glued to a word ("général1") or a year
 * ("20152"), superscript, spaced after a year ("2015 2 que") or after a word that is not the
 * thing counted ("gouvernementaux 1 .", but not "paragraphe 1 de").
 */
function digitCall(text: string, from: number, to: number, num: string, accept: Accept): [number, number] | null {
  let best: [number, number] | null = null;
  const sup = /^\d+$/u.test(num) ? superscript(num) : '';
  if (sup) {
    for (let i = text.indexOf(sup, from); i >= 0 && i < to; i = text.indexOf(sup, i + 1)) {
      if (accept(i)) {
        best = [i, i + sup.length];
        break;
      }
    }
  }
  for (let i = text.indexOf(num, from); i >= 0 && i < to && (!best || i < best[0]); i = text.indexOf(num, i + 1)) {
    const end = i + num.length;
    const prev = text[i - 1];
    const next = text[end];
    if (isDigit(next)) continue;
    let start = -1;
    if (isDigit(prev)) {
      if (yearBefore(text, i)) start = i;
    } else if ((isLower(prev) || prev === '»' || prev === '”' || prev === '’') && BOUNDARY.test(text.slice(end, end + 1))) {
      start = i;
    } else if (prev === ' ' && /^\d+$/u.test(num)) {
      const rest = text.slice(end, end + 4);
      const spacedYear = yearBefore(text, i - 1) && /^(?:\s*[,.;:)]|\s+\p{Ll})/u.test(rest);
      const word = /(\p{L}+)$/u.exec(text.slice(Math.max(0, i - 31), i - 1))?.[1] ?? '';
      const spacedWord = /\p{Ll}{3}$/u.test(word) && !COUNTED.has(word.toLowerCase()) && /^(?:\s?[,.;:)](?!\d)|\s+\p{Ll})/u.test(rest);
      if (spacedYear || spacedWord) start = i - 1;
    }
    if (start >= 0 && accept(start)) return [start, end];
  }
  return best;
}

export function findFootnoteCalls(texts: readonly CallableText[], defs: readonly FootnoteDef[], body: readonly TextLine[]): { marks: FootnoteMark[]; first: (number | null)[]; warnings: string[] } {
  const warnings: string[] = [];
  const marks: FootnoteMark[] = [];
  const first: (number | null)[] = [];
  const firstAt: (Found | null)[] = [];
  const taken = new Set<string>();
  if (defs.length === 0) return { marks, first, warnings };
  const lineToPara = new Int32Array(body.length).fill(-1);
  texts.forEach((t, p) => t.lineIdx.forEach((l) => (lineToPara[l] = p)));
  const resolutionNumbers = new Set<string>();
  for (const t of texts) for (const m of t.text.matchAll(/(?<![\d/])\d{1,3}\/\d{1,4}(?!\d)/gu)) resolutionNumbers.add(m[0]);

  const pageStart = (line: number) => {
    let l = line;
    while (l > 0 && !body[l]!.pageBefore) l--;
    return Math.max(l, 0);
  };
  /** The part of paragraph p's text that lies on lines [fromLine, toLine]. */
  const slice = (p: number, fromLine: number, toLine: number): [number, number] => {
    const t = texts[p]!;
    let a = -1;
    let b = t.text.length;
    for (let k = 0; k < t.lineIdx.length; k++) {
      const l = t.lineIdx[k]!;
      if (a < 0 && l >= fromLine) a = t.segStart[k]!;
      if (l > toLine) {
        b = t.segStart[k]!;
        break;
      }
    }
    return [Math.max(a, 0), b];
  };
  type Finder = (text: string, from: number, to: number, accept: Accept) => [number, number] | null;
  const search = (find: Finder, fromLine: number, toLine: number, after: Found | null): Found | null => {
    let lastPara = -1;
    for (let l = Math.max(fromLine, 0); l <= toLine; l++) {
      const p = lineToPara[l]!;
      if (p < 0 || p === lastPara || (after && p < after.paragraph)) continue;
      lastPara = p;
      const [a, b] = slice(p, fromLine, toLine);
      const from = after && p === after.paragraph ? Math.max(a, after.end) : a;
      const hit = find(texts[p]!.text, from, b, (at) => !taken.has(`${p}:${at}`));
      if (hit) return { paragraph: p, start: hit[0], end: hit[1] };
    }
    return null;
  };
  const glyphCall: Finder = (text, from, to, accept) => {
    for (const m of text.slice(0, to).matchAll(GLYPH)) if (m.index >= from && accept(m.index)) return [m.index, m.index + m[0].length];
    return null;
  };

  defs.forEach((def, k) => {
    const last = def.afterLine;
    const region = pageStart(last);
    const previousBlock = defs.findLast((d, j) => j < k && d.afterLine < last)?.afterLine ?? -1;
    const prevCall = k > 0 && defs[k - 1]!.afterLine === last ? firstAt[k - 1] ?? null : null;
    const digits: Finder = (text, from, to, accept) => digitCall(text, from, to, def.num, accept);
    // Glued to a resolution number ("77/374"): only when the shorter number is cited elsewhere.
    const glued: Finder = (text, from, to, accept) => {
      if (!/^\d+$/u.test(def.num)) return null;
      for (let i = text.indexOf(def.num, from); i >= 0 && i < to; i = text.indexOf(def.num, i + 1)) {
        const sym = /(?<![\d/])(\d{1,3}\/\d{1,4})$/u.exec(text.slice(Math.max(0, i - 9), i))?.[1];
        if (sym && !isDigit(text[i + def.num.length]) && resolutionNumbers.has(sym) && accept(i)) return [i, i + def.num.length];
      }
      return null;
    };
    let found: Found | null = null;
    for (const [from, to] of [[region, last], [previousBlock + 1, last], [0, last]] as const) {
      found = search(digits, from, to, prevCall) ?? search(glyphCall, from, to, prevCall) ?? search(glued, from, to, prevCall);
      if (found) break;
    }
    firstAt.push(found);
    if (!found) {
      first.push(null);
      warnings.push(`footnote ${def.num}: no call found`);
      return;
    }
    taken.add(`${found.paragraph}:${found.start}`);
    const printed = texts[found.paragraph]!.text.slice(found.start, found.end).trim();
    const glyph = /^[\d*]/u.test(printed) || SUPERSCRIPT.includes(printed[0] ?? '') ? null : printed;
    marks.push({ ...found, num: def.num, glyph });
    first.push(found.paragraph);
  });

  // Later calls of a footnote already called: only the unambiguous glued forms.
  const byNum = new Map<string, Found>();
  defs.forEach((def, k) => {
    const at = firstAt[k];
    if (at && /^\d+$/u.test(def.num) && !byNum.has(def.num)) byNum.set(def.num, at);
  });
  if (byNum.size) {
    texts.forEach((t, p) => {
      for (const m of t.text.matchAll(/\d+/gu)) {
        const run = m[0];
        const prev = t.text[m.index - 1];
        let num: string | null = null;
        let start = m.index;
        if (run.length <= 3 && (isLower(prev) || prev === '»' || prev === '”' || prev === '’') && BOUNDARY.test(t.text.slice(m.index + run.length, m.index + run.length + 1))) num = run;
        else if ((run.length === 5 || run.length === 6) && /^(?:19|20)/u.test(run) && !/[\d/.,]/u.test(prev ?? '')) {
          num = run.slice(4);
          start = m.index + 4;
        }
        const at = num === null ? undefined : byNum.get(num);
        if (!at || p < at.paragraph || (p === at.paragraph && start <= at.start)) continue;
        const key = `${p}:${start}`;
        if (taken.has(key)) continue;
        taken.add(key);
        marks.push({ paragraph: p, start, end: m.index + run.length, num: num!, glyph: null });
      }
    });
  }
  return { marks, first, warnings };
}

/** Removes the marks from a paragraph's text, with the space a spaced mark leaves before punctuation. */
export function removeMarks(text: string, marks: readonly FootnoteMark[]): string {
  if (marks.length === 0) return text;
  const sorted = [...marks].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const m of sorted) {
    if (m.start < at) continue;
    out += text.slice(at, m.start);
    at = m.end;
    const rest = text.slice(at);
    if (/^\s*[,.;)]/u.test(rest)) {
      out = out.trimEnd();
      at += rest.length - rest.trimStart().length;
    }
  }
  out += text.slice(at);
  return out.replace(/\s{2,}/gu, ' ').trim();
}
