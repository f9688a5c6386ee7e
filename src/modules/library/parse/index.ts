// parseDocument: a UN General Assembly text (plain text, possibly OCR output) → its structure,
// metadata, footnotes, citations and the corrections made to it. Pure and deterministic: the same
// text gives the same result, eIds included.
import { findCitations } from './citations.ts';
import { extractFootnotes, findFootnoteCalls, removeMarks, type CallableText, type FootnoteMark } from './footnotes.ts';
import { detectLanguage } from './language.ts';
import { toLines, type TextLine } from './lines.ts';
import { openingPhrase } from './markers.ts';
import { detectKind, extractMetadata } from './metadata.ts';
import { normalise } from './normalise.ts';
import { buildStructure, type Block } from './structure.ts';
import type { Citation, Correction, ParseOptions, ParsedDocument, ParsedParagraph } from './types.ts';
import { VOCABULARY } from './vocabulary.ts';

export type { Citation, Correction, DocumentKind, Language, ParagraphKind, ParsedDocument, ParsedFootnote, ParsedParagraph, ParseOptions } from './types.ts';

interface JoinedText extends CallableText {
  /** map[i]: offset in the normalised text of text[i]. */
  map: Int32Array;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0xa0 || c === 0x0c;

/** The paragraph's lines joined with single spaces, whitespace runs collapsed, with an offset map. */
function joinText(norm: string, lines: readonly TextLine[], block: Block): JoinedText {
  let size = 0;
  for (const s of block.segments) size += lines[s.line]!.end - lines[s.line]!.start + 1;
  const map = new Int32Array(size + 1);
  const parts: string[] = [];
  const lineIdx: number[] = [];
  const segStart: number[] = [];
  let length = 0;
  let space = false;
  for (const s of block.segments) {
    const line = lines[s.line]!;
    lineIdx.push(s.line);
    if (length > 0) space = true;
    segStart.push(length + (space ? 1 : 0));
    let o = line.start + s.from;
    while (o < line.end) {
      if (isSpace(norm.charCodeAt(o))) {
        space = length > 0;
        o++;
        continue;
      }
      let r = o;
      while (r < line.end && !isSpace(norm.charCodeAt(r))) r++;
      if (space) {
        map[length++] = o - 1;
        parts.push(' ');
        space = false;
      }
      for (let k = o; k < r; k++) map[length++] = k;
      parts.push(norm.slice(o, r));
      o = r;
    }
  }
  map[length] = length ? map[length - 1]! + 1 : 0;
  return { text: parts.join(''), map, lineIdx, segStart };
}

export function parseDocument(original: string, options: ParseOptions = {}): ParsedDocument {
  const language = options.language ?? detectLanguage(original);
  const vocab = VOCABULARY[language];
  const warnings: string[] = [];
  if (original.trim() === '') warnings.push('the text is empty');

  const norm = normalise(original, language);
  const { lines, doubleSpaced } = toLines(norm.text);
  const notes = extractFootnotes(lines, doubleSpaced);
  const body = notes.body;
  const optionSymbol = options.symbol?.trim() || undefined;
  const kind = detectKind(body, vocab, optionSymbol ?? norm.headerSymbols[0] ?? null);
  const resolutionLike = kind === 'resolution' || kind === 'draft-resolution' || kind === 'decision';
  const structure = buildStructure(body, vocab, language, resolutionLike);
  const blocks = structure.blocks;

  const joined = blocks.map((b) => joinText(norm.text, body, b));
  const calls = findFootnoteCalls(joined, notes.footnotes, body);
  const marksByParagraph = new Map<number, FootnoteMark[]>();
  for (const m of calls.marks) {
    const list = marksByParagraph.get(m.paragraph);
    if (list) list.push(m);
    else marksByParagraph.set(m.paragraph, [m]);
  }

  const corrections: Correction[] = [...norm.corrections];
  const toOriginal = (normOffset: number) => norm.origin[Math.min(normOffset, norm.origin.length - 1)]!;
  for (const f of notes.footnotes) {
    if (f.glyph) corrections.push({ rule: 'footnote-mark', original: f.glyph.text, corrected: f.num, offset: toOriginal(f.glyph.offset) });
  }
  for (const m of calls.marks) {
    if (m.glyph) corrections.push({ rule: 'footnote-mark', original: m.glyph, corrected: m.num, offset: toOriginal(joined[m.paragraph]!.map[m.start]!) });
  }
  corrections.sort((a, b) => a.offset - b.offset);

  const texts = blocks.map((b, k) => {
    const marks = marksByParagraph.get(k) ?? [];
    const text = removeMarks(joined[k]!.text, marks);
    return b.role === 'annex' ? text.replace(/\s*\*+$/u, '') : text;
  });

  const preface = blocks.flatMap((b, k) => (b.role === 'preface'
    ? [{ text: texts[k]!, lines: b.segments.map((s) => body[s.line]!.text.slice(s.from)), heading: b.kind === 'heading' }]
    : []));
  const operative = blocks.flatMap((b, k) => (b.kind === 'operative' ? [texts[k]!] : []));
  const meta = extractMetadata({
    kind,
    language,
    vocab,
    optionSymbol,
    headerSymbols: norm.headerSymbols,
    preface,
    closingTexts: operative,
    conclusions: blocks.flatMap((b, k) => (b.role === 'conclusions' ? [texts[k]!] : [])),
    firstTexts: texts.slice(0, 12).join('\n'),
  });
  if (!meta.symbol) warnings.push('no document symbol found in the text');

  // The opening word of preambular and operative paragraphs; points and sub-paragraphs cite
  // with the verb of the paragraph they belong to.
  const index = new Map(blocks.map((b, k) => [b, k]));
  const opening = blocks.map((b, k) => (b.kind === 'preambular' || b.kind === 'operative' ? openingPhrase(texts[k]!, vocab, language) : null));
  const verbs: (string | null)[] = [];
  blocks.forEach((b, k) => {
    const parent = b.parent ? index.get(b.parent) : undefined;
    verbs.push(opening[k] ?? (parent !== undefined ? verbs[parent] ?? null : null));
  });

  const footnoteCitations = new Map<string, ReturnType<typeof findCitations>>();
  for (const f of notes.footnotes) footnoteCitations.set(f.num, [...(footnoteCitations.get(f.num) ?? []), ...findCitations(f.text, vocab, meta.symbol)]);
  const paragraphs: ParsedParagraph[] = blocks.map((b, k) => {
    const verb = verbs[k] ?? null;
    const marks = (marksByParagraph.get(k) ?? []).sort((x, y) => x.start - y.start);
    const footnotes = [...new Set(marks.map((m) => m.num))];
    const citations: Citation[] = [];
    const seen = new Set<string>();
    const cite = (c: { symbol: string; targetParagraph: string | null }) => {
      const key = `${c.symbol}#${c.targetParagraph ?? ''}`;
      if (seen.has(key)) return;
      seen.add(key);
      citations.push({ symbol: c.symbol, verb, targetParagraph: c.targetParagraph });
    };
    findCitations(texts[k]!, vocab, meta.symbol).forEach(cite);
    for (const num of footnotes) footnoteCitations.get(num)?.forEach(cite);
    return { eId: b.eId, kind: b.kind, num: b.num, parent: b.parent?.eId ?? null, text: texts[k]!, openingWord: opening[k] ?? null, footnotes, citations };
  });

  return {
    symbol: meta.symbol,
    kind,
    language,
    title: meta.title,
    session: meta.session,
    agendaItem: meta.agendaItem,
    date: meta.date,
    sponsors: meta.sponsors,
    paragraphs,
    footnotes: notes.footnotes.map((f, j) => ({ num: f.num, text: f.text, paragraph: calls.first[j] != null ? blocks[calls.first[j]!]!.eId : null })),
    corrections,
    warnings: [...warnings, ...notes.warnings, ...structure.warnings, ...calls.warnings],
  };
}
