// The parsed shape of a UN General Assembly text: what `parseDocument` returns and what storage,
// the `cadre ingest --json` output and the pages build on. Pure data, no behaviour.

export type DocumentKind = 'resolution' | 'draft-resolution' | 'report' | 'decision' | 'other';

export type ParagraphKind = 'preambular' | 'operative' | 'point' | 'body' | 'heading' | 'next-step';

export type Language = 'ar' | 'zh' | 'en' | 'fr' | 'ru' | 'es';

export interface ParsedParagraph {
  /** Akoma Ntoso / AKN4UN style identifier, unique within the document, e.g. `para_1__para_1-8`. */
  eId: string;
  kind: ParagraphKind;
  /** The number as printed, without punctuation ("1", "1.8", "c", "ii", "II", "A"), or null. */
  num: string | null;
  /** eId of the enclosing numbered paragraph, or null. */
  parent: string | null;
  /** Normalised text, lines joined with spaces, number and footnote marks removed. */
  text: string;
  /** Opening word or phrase of preambular and operative paragraphs ("Rappelant", "Se félicite"). */
  openingWord: string | null;
  /** Numbers of the footnotes this paragraph calls, in order of first call. */
  footnotes: string[];
  citations: Citation[];
}

export interface Citation {
  /** Normalised document symbol, e.g. A/RES/73/27. */
  symbol: string;
  /** Opening word of the citing paragraph (or of its nearest ancestor that has one). */
  verb: string | null;
  /** Paragraph of the cited document when the text names one ("16", "1.8", "57 b", "annex I 7"). */
  targetParagraph: string | null;
}

export interface ParsedFootnote {
  num: string;
  text: string;
  /** eId of the paragraph that first calls the footnote, or null when no call was found. */
  paragraph: string | null;
}

export interface Correction {
  rule: string;
  /** The exact span of the original text that was replaced. */
  original: string;
  corrected: string;
  /** Offset of `original` in the ORIGINAL text. */
  offset: number;
}

export interface ParsedDocument {
  symbol: string | null;
  kind: DocumentKind;
  language: Language;
  title: string | null;
  session: string | null;
  agendaItem: string | null;
  /** ISO yyyy-mm-dd. */
  date: string | null;
  sponsors: string[];
  paragraphs: ParsedParagraph[];
  footnotes: ParsedFootnote[];
  corrections: Correction[];
  warnings: string[];
}

export interface ParseOptions {
  symbol?: string;
  language?: Language;
}
