// The library's tables (src/modules/library): documents, versions, paragraphs and what hangs on them.
import type { Instant } from './schema.ts';

export interface DocumentTable {
  id: string;
  symbol: string | null;
  language: string;
  kind: string;
  title: string | null;
  latest_version: number;
  created_at: Instant;
  updated_at: Instant;
}

export interface DocumentVersionTable {
  id: string;
  document_id: string;
  version: number;
  content_hash: string;
  source_name: string;
  media_type: string;
  original_text: string;
  kind: string;
  title: string | null;
  session: string | null;
  agenda_item: string | null;
  date: string | null;
  /** JSON array of names. */
  sponsors: string;
  /** JSON array of messages. */
  warnings: string;
  paragraph_count: number;
  ingested_by: string;
  ingested_at: Instant;
}

export interface ParagraphTable {
  id: string;
  version_id: string;
  seq: number;
  eid: string;
  kind: string;
  num: string | null;
  parent_eid: string | null;
  opening_word: string | null;
  text: string;
  /** JSON array of footnote numbers. */
  footnotes: string;
}

export interface FootnoteTable {
  id: string;
  version_id: string;
  num: string;
  text: string;
  paragraph_eid: string | null;
}

export interface CitationTable {
  id: string;
  version_id: string;
  paragraph_eid: string;
  target_symbol: string;
  verb: string | null;
  target_paragraph: string | null;
}

export interface CorrectionTable {
  id: string;
  version_id: string;
  seq: number;
  rule: string;
  original: string;
  corrected: string;
  offset: number;
}

/** Search terms of each paragraph of a document's latest version (2026112503_search). */
export interface ParagraphSearchTable {
  paragraph_id: string;
  version_id: string;
  document_id: string;
  language: string;
  /** The document's kind (resolution, report…). */
  kind: string;
  year: number | null;
  paragraph_kind: string;
  seq: number;
  /** Index terms, space-separated: see src/modules/library/search/stemming.ts. */
  stems: string;
}
