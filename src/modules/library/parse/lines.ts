// Lines of the normalised text with what their surroundings say: a blank line before (a paragraph
// break) or a page break before. Texts extracted from PDFs come single-spaced (blank line =
// paragraph break) or double-spaced (every line followed by an empty one; there a whitespace-only
// line is the paragraph break and a line with no empty line before starts a new page).

export interface TextLine {
  /** Offset in the normalised text of the first non-blank character. */
  start: number;
  /** Offset just after the last non-blank character. */
  end: number;
  indent: number;
  text: string;
  blankBefore: boolean;
  pageBefore: boolean;
}

export interface Lines {
  lines: TextLine[];
  doubleSpaced: boolean;
}

interface Raw {
  start: number;
  raw: string;
}

export function toLines(text: string): Lines {
  const raws: Raw[] = [];
  let start = 0;
  for (const m of text.matchAll(/\r\n|\n|\r/gu)) {
    raws.push({ start, raw: text.slice(start, m.index) });
    start = m.index + m[0].length;
  }
  raws.push({ start, raw: text.slice(start) });

  // Double-spaced: most single empty lines separate a line from its own continuation.
  let singleGaps = 0;
  let continuedGaps = 0;
  let contentCount = 0;
  let tightPairs = 0;
  for (let i = 0; i < raws.length; i++) {
    if (raws[i]!.raw.trim() === '') continue;
    contentCount++;
    if (i + 1 < raws.length && raws[i + 1]!.raw.trim() !== '') tightPairs++;
    if (i + 2 < raws.length && raws[i + 1]!.raw === '' && raws[i + 2]!.raw.trim() !== '') {
      singleGaps++;
      if (/^\s*\p{Ll}/u.test(raws[i + 2]!.raw)) continuedGaps++;
    }
  }
  // (Consecutive lines happen there only at page breaks.)
  const doubleSpaced = contentCount > 2 && singleGaps >= (contentCount - 1) * 0.5 && tightPairs <= contentCount * 0.1 && continuedGaps >= singleGaps * 0.25;

  const lines: TextLine[] = [];
  let empties = 0;
  let whitespaceOnly = 0;
  let page = false;
  for (const r of raws) {
    const raw = r.raw;
    const trimmed = raw.trim();
    if (raw.includes('\f')) page = true;
    if (trimmed === '') {
      if (raw.includes('\f')) continue;
      if (raw === '') empties++;
      else whitespaceOnly++;
      continue;
    }
    const lead = raw.length - raw.trimStart().length;
    const first = lines.length === 0;
    const blankBefore = !first && (doubleSpaced ? whitespaceOnly > 0 || empties >= 2 : empties + whitespaceOnly > 0);
    const pageBefore = !first && (page || (doubleSpaced && empties + whitespaceOnly === 0));
    lines.push({
      start: r.start + lead,
      end: r.start + lead + trimmed.length,
      indent: lead,
      text: trimmed,
      blankBefore: blankBefore && !page,
      pageBefore,
    });
    empties = 0;
    whitespaceOnly = 0;
    page = false;
  }
  return { lines, doubleSpaced };
}
