// The structure of a UN text, read line by line: preface (symbol, agenda item, sponsors, title),
// the formula and the preambular paragraphs, operative or numbered body paragraphs with their
// points (1.1, a), i), bullets), sections (I., A.) and annexes, "recommended next steps" lists,
// unnumbered paragraphs and headings, and the closing lines of an adopted resolution.
// Numbering is trusted only when it continues a sequence, so "1." inside a quoted agenda or
// "b)" at the start of a wrapped line does not start a paragraph by accident.
import { EIdRegistry, join, numToken, romanValue } from './eid.ts';
import { isDateLine } from './dates.ts';
import type { TextLine } from './lines.ts';
import { markersOf, opensPreambular, sectionOf, type Marker } from './markers.ts';
import type { Language, ParagraphKind } from './types.ts';
import type { Vocabulary } from './vocabulary.ts';

export type Role = 'preface' | 'formula' | 'preambular' | 'item' | 'body' | 'heading' | 'section' | 'annex' | 'conclusions';
type LevelType = 'top' | 'sub' | 'letter' | 'roman' | 'nested' | 'bullet' | 'nextstep';

export interface Segment {
  /** Index of the line in the body lines. */
  line: number;
  /** Characters of the line's text to skip (the paragraph number). */
  from: number;
}

export interface Block {
  role: Role;
  kind: ParagraphKind;
  num: string | null;
  parent: Block | null;
  segments: Segment[];
  eId: string;
  /** eId prefix from the container and sections: "annex_1__sec_E". */
  scope: string;
  container: string;
  level: LevelType | null;
  /** Position among siblings for unnumbered bullets and next steps. */
  ordinal: number;
}

export interface Structure {
  blocks: Block[];
  /** A formula and preamble were found: the document is shaped like a resolution. */
  resolutionShape: boolean;
  warnings: string[];
}

interface Level {
  type: LevelType;
  expected: number;
  indent: number;
  owner: Block | null;
  item: Block | null;
  count: number;
}

type Zone = 'preface' | 'preamble' | 'operative' | 'body' | 'conclusions';

const TERMINAL = /[.:;!?»”]$/u;
const CONTINUES = /^[\p{Ll}\d(«"“'’,;)]/u;

export function buildStructure(lines: readonly TextLine[], vocab: Vocabulary, language: Language, resolutionLike: boolean): Structure {
  const blocks: Block[] = [];
  const warnings: string[] = [];
  let zone: Zone = 'preface';
  let current: Block | null = null;
  let levels: Level[] = [];
  let container = '';
  let annexCount = 0;
  let roman: string | null = null;
  let letter: string | null = null;
  let lastRoman = 0;
  let lastLetter = 0;
  let structured = false;
  // Read through functions: the closures below change them, which TypeScript's narrowing cannot see.
  const now = (): Block | null => current;
  const zoneNow = (): Zone => zone;

  const scope = () => join(container.replace(/__$/u, '') || null, roman ? `sec_${roman}` : null, letter ? `sec_${letter}` : null);
  const open = (role: Role, kind: ParagraphKind, line: number, from = 0, num: string | null = null): Block => {
    const block: Block = { role, kind, num, parent: null, segments: [{ line, from }], eId: '', scope: scope(), container, level: null, ordinal: 0 };
    blocks.push(block);
    current = block;
    if (role !== 'preface' && role !== 'body') structured = true;
    return block;
  };
  const append = (line: number) => {
    if (current) current.segments.push({ line, from: 0 });
    else open(zone === 'preface' ? 'preface' : 'body', 'body', line);
  };
  const keepTop = () => {
    levels = levels.filter((l) => l.type === 'top');
  };

  function placeMarker(candidates: Marker[], i: number, previous: string): boolean {
    const line = lines[i]!;
    // An existing level whose sequence continues; the innermost wins unless indentation says otherwise.
    for (const c of candidates) {
      const matches: number[] = [];
      for (let d = levels.length - 1; d >= 0; d--) {
        const lv = levels[d]!;
        if (!compatible(lv.type, c.type)) continue;
        if (lv.type === 'sub' && lv.owner?.num !== String(c.major)) continue;
        // A skipped paragraph number is tolerated where a new top-level paragraph plainly starts.
        const skip = lv.type === 'top' && c.value === lv.expected + 1 && line.indent === lv.indent && TERMINAL.test(previous);
        if (lv.type === 'bullet' || lv.expected === c.value || skip) matches.push(d);
      }
      if (matches.length === 0) continue;
      const depth = matches.find((d) => levels[d]!.indent === line.indent) ?? matches[0]!;
      const chosen = levels[depth]!;
      if (chosen.type !== 'bullet' && chosen.expected !== c.value) warnings.push(`paragraph numbering jumps from ${chosen.expected - 1} to ${c.value}`);
      levels = levels.slice(0, depth + 1);
      addItem(levels[depth]!, c, i);
      return true;
    }
    // A new level: the first item of a list under the current paragraph.
    const owner = levels.at(-1)?.item === current ? current : current && (current.role === 'item' || current.role === 'body') ? current : null;
    for (const c of candidates) {
      let type: LevelType | null = null;
      if (c.type === 'num' && !levels.some((l) => l.type === 'top') && (c.value === 1 || zone === 'body')) type = 'top';
      // Numbering that starts again under a new section heading.
      else if (c.type === 'num' && c.value === 1 && (current?.role === 'section' || current?.role === 'heading')) type = 'top';
      else if (c.type === 'num' && c.value === 1 && owner && previous.endsWith(':')) type = 'nested';
      else if (c.type === 'sub' && c.value === 1 && owner?.role === 'item' && owner.level === 'top' && owner.num === String(c.major)) type = 'sub';
      else if ((c.type === 'letter' || c.type === 'roman') && c.value === 1 && owner) type = c.type;
      else if (c.type === 'bullet' && owner) type = 'bullet';
      if (!type) continue;
      const level: Level = { type, expected: c.value, indent: line.indent, owner: type === 'top' ? null : owner, item: null, count: 0 };
      if (type === 'top') levels = [level];
      else {
        const at = levels.findIndex((l) => l.item === owner);
        levels = at >= 0 ? levels.slice(0, at + 1) : levels;
        levels.push(level);
      }
      addItem(level, c, i);
      return true;
    }
    // A paragraph number printed twice ("2." after "2."), where a new paragraph plainly starts.
    const top = levels[0];
    const c = candidates[0]!;
    if (top?.type === 'top' && c.type === 'num' && c.value === top.expected - 1 && line.indent === top.indent && (line.blankBefore || TERMINAL.test(previous))) {
      warnings.push(`paragraph number ${c.label} appears twice`);
      levels = [top];
      addItem(top, c, i);
      return true;
    }
    return false;
  }

  function addItem(level: Level, c: Marker, i: number) {
    if (level.type === 'top' && zone === 'preamble') zone = 'operative';
    if (level.type === 'top' && zone === 'preface') zone = 'body';
    const kind: ParagraphKind = level.type === 'top' ? (zone === 'operative' ? 'operative' : 'body') : level.type === 'nextstep' ? 'next-step' : 'point';
    const block = open('item', kind, i, c.length, c.type === 'bullet' ? null : c.label);
    block.parent = level.owner;
    block.level = level.type;
    level.count++;
    block.ordinal = level.count;
    level.item = block;
    level.expected = c.value + 1;
  }

  function heading(role: Role, i: number, from = 0, num: string | null = null) {
    open(role, 'heading', i, from, num);
    if (zone === 'preface') zone = 'body';
  }

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.text;
    const previous = i > 0 ? lines[i - 1]!.text : '';
    const bare = t.replace(/[\s*]+$/u, '');

    if (resolutionLike && (zoneNow() === 'preface' || zoneNow() === 'preamble') && vocab.formula.test(t)) {
      open('formula', 'heading', i);
      zone = 'preamble';
      continue;
    }
    if (resolutionLike && zoneNow() === 'preface') {
      const joins = now() !== null && (!line.blankBefore || previous.endsWith(',') || /^\p{Ll}/u.test(t));
      if (joins) append(i);
      else open('preface', 'body', i);
      continue;
    }
    if (zoneNow() === 'preamble') {
      const marker = markersOf(t)[0];
      if (marker?.type === 'num' && marker.value === 1) {
        placeMarker([marker], i, previous);
      } else if (now()?.role === 'formula' || (opensPreambular(t, vocab, language) && (previous.endsWith(',') || line.blankBefore))
        || (line.blankBefore && previous.endsWith(',') && !/^\p{Ll}/u.test(t))) {
        open('preambular', 'preambular', i);
      } else append(i);
      continue;
    }

    // Known headings of reports and annexes.
    const annex = vocab.annex.exec(bare);
    if (annex) {
      annexCount++;
      const n = annex[1] ? (/^\d+$/u.test(annex[1]) ? Number(annex[1]) : romanValue(annex[1]) || annexCount) : annexCount;
      container = `annex_${n}__`;
      roman = letter = null;
      lastRoman = lastLetter = 0;
      levels = [];
      if (zoneNow() === 'operative' || zoneNow() === 'preface') zone = 'body';
      open('annex', 'heading', i);
      continue;
    }
    if (zoneNow() === 'conclusions') {
      open('conclusions', 'body', i);
      continue;
    }
    if (vocab.nextSteps.test(bare)) {
      heading('heading', i);
      keepTop();
      levels.push({ type: 'nextstep', expected: 1, indent: -1, owner: null, item: null, count: 0 });
      continue;
    }
    if (vocab.summary.test(bare) || vocab.foreword.test(bare) || vocab.transmittal.test(bare)) {
      heading('heading', i);
      keepTop();
      roman = letter = null;
      continue;
    }
    if (resolutionLike && zoneNow() === 'operative' && vocab.plenary.test(bare)) {
      zone = 'conclusions';
      open('conclusions', 'body', i);
      continue;
    }
    const section = sectionOf(t);
    if (section) {
      // "I." after "H." is the ninth letter; otherwise a roman numeral wins over a letter.
      const letterNext = section.letter > 0 && lastLetter > 0 && section.letter === lastLetter + 1;
      const romanOk = section.roman > 0 && (section.roman === 1 || section.roman === lastRoman + 1);
      const letterOk = section.letter > 0 && (section.letter === 1 || letterNext);
      if (romanOk && !letterNext) {
        roman = section.label;
        letter = null;
        lastRoman = section.roman;
        lastLetter = 0;
        keepTop();
        heading('section', i, section.length, section.label);
        continue;
      }
      if (letterOk) {
        letter = section.label;
        lastLetter = section.letter;
        keepTop();
        heading('section', i, section.length, section.label);
        continue;
      }
    }
    const markers = markersOf(t);
    if (markers.length && placeMarker(markers, i, previous)) continue;

    // Unnumbered lines: a new paragraph or heading, or the continuation of the current one.
    const cur = now();
    if (cur === null) {
      open(zoneNow() === 'preface' ? 'preface' : 'body', 'body', i);
    } else if (cur.role === 'section' && !line.blankBefore && cur.segments.length < 3 && !TERMINAL.test(previous)) {
      append(i);
    } else if (cur.role === 'heading' || cur.role === 'section' || cur.role === 'annex' || cur.role === 'formula' || cur.role === 'conclusions') {
      open(zoneNow() === 'preface' ? 'preface' : 'body', 'body', i);
    } else if (line.blankBefore && !CONTINUES.test(t) && (TERMINAL.test(previous) || zoneNow() === 'preface' || isDateLine(previous, vocab))) {
      open(zoneNow() === 'preface' ? 'preface' : 'body', 'body', i);
    } else if (cur.role === 'body' && cur.num === null && line.indent > 0 && /^\p{Lu}/u.test(t) && TERMINAL.test(previous)) {
      open('body', 'body', i);
    } else append(i);
  }

  if (!structured) {
    for (const b of blocks) {
      b.role = 'body';
      b.kind = 'body';
    }
    if (lines.length > 0) warnings.push('no recognisable structure: the text is kept as unnumbered body paragraphs');
  }
  finish(blocks, lines, vocab);
  return { blocks, resolutionShape: resolutionLike && blocks.some((b) => b.role === 'formula'), warnings };
}

function compatible(level: LevelType, marker: Marker['type']): boolean {
  if (marker === 'num') return level === 'top' || level === 'nested' || level === 'nextstep';
  return level === marker;
}

/** Headings told apart from short paragraphs, then eIds, in document order. */
function finish(blocks: Block[], lines: readonly TextLine[], vocab: Vocabulary): void {
  blocks.forEach((b, k) => {
    if (b.role !== 'body' && b.role !== 'preface') return;
    const last = b.segments.at(-1)!.line;
    const next = blocks[k + 1];
    const followedByBreak = last + 1 >= lines.length || lines[last + 1]!.blankBefore || (next !== undefined && next.role !== 'body' && next.segments[0]!.line === last + 1);
    const text = b.segments.map((s) => lines[s.line]!.text.slice(s.from)).join(' ');
    const start = b.role === 'preface' ? /^[\p{Lu}«"“\d]/u : /^[\p{Lu}«"“]/u;
    if (b.segments.length <= 3 && text.length <= 240 && followedByBreak && !/[.,;:]$/u.test(text) && start.test(text)
      && !isDateLine(text, vocab) && !vocab.signature.test(text)) b.kind = 'heading';
  });

  const registry = new EIdRegistry();
  const counters = new Map<string, number>();
  const next = (key: string) => {
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return n;
  };
  for (const b of blocks) {
    const container = b.container.replace(/__$/u, '') || null;
    const sections = b.scope.slice(container ? container.length : 0).replace(/^__/u, '') || null;
    let base: string;
    switch (b.role) {
      case 'preface': base = `preface__p_${next('preface')}`; break;
      case 'formula': base = 'preamble__formula'; break;
      case 'preambular': base = `preamble__p_${next('preamble')}`; break;
      case 'conclusions': base = `conclusions__p_${next('conclusions')}`; break;
      case 'annex': base = join(container, 'heading'); break;
      case 'section': base = join(b.scope, 'heading'); break;
      case 'heading': base = join(b.scope || null, `heading_${next(`heading:${b.scope}`)}`); break;
      case 'body':
        base = b.kind === 'heading' ? join(b.scope || null, `heading_${next(`heading:${b.scope}`)}`) : join(container, `body__p_${next(`body:${container}`)}`);
        break;
      case 'item':
        base = itemBase(b, container, sections, registry);
        break;
    }
    b.eId = registry.claim(base);
  }
}

function itemBase(b: Block, container: string | null, sections: string | null, registry: EIdRegistry): string {
  const tok = numToken(b.num ?? String(b.ordinal));
  switch (b.level) {
    case 'top': {
      // Body paragraphs are numbered through the document: "para_12". Annex paragraphs carry
      // their section ("annex_1__sec_E__para_16"), as annex next steps must.
      const plain = join(container, container ? sections : null, `para_${tok}`);
      return registry.has(plain) && sections ? join(container, sections, `para_${tok}`) : plain;
    }
    case 'nextstep':
      return join(b.scope || null, `nextstep_${b.ordinal}`);
    case 'sub':
      return join(b.parent?.eId ?? null, `para_${tok}`);
    case 'bullet':
      return join(b.parent?.eId ?? b.scope ?? null, `item_${b.ordinal}`);
    default:
      return join(b.parent?.eId ?? (b.scope || null), `point_${tok}`);
  }
}
