import type { DocumentTable, DocumentVersionTable, ParagraphTable } from '../../db/schema.ts';
import { CadreError } from '../../errors.ts';
import type { Cadre } from '../../web/types.ts';
import { compareDocuments, type Comparison, type ComparedPair } from './compare/compare.ts';
import * as repo from './library.repository.ts';
import { documentPath } from './library.service.ts';

/** One side of a comparison: a document at one version. */
export interface ComparedText {
  document: DocumentTable;
  version: DocumentVersionTable;
  paragraphs: ParagraphTable[];
  /** The paragraph page of this version, for permalinks (`#eId` appended). */
  href: string;
}

export interface ComparisonView {
  a: ComparedText;
  b: ComparedText;
  result: Comparison;
  /** eId → paragraph, per side, for the rows. */
  paragraphA: Map<string, ParagraphTable>;
  paragraphB: Map<string, ParagraphTable>;
}

export interface TextRef {
  id: string;
  version?: number | undefined;
}

/** `side` names the form fields (a/av, b/bv) an unknown document or version is reported on. */
async function loadText(cadre: Cadre, ref: TextRef, side: 'a' | 'b'): Promise<ComparedText> {
  const db = cadre.database.db;
  const document = await repo.findDocumentById(db, ref.id);
  if (!document) throw new CadreError(404, 'library.notFound', {}, side);
  const version = await repo.findVersion(db, document.id, ref.version ?? document.latest_version);
  if (!version) throw new CadreError(404, 'library.versionNotFound', { version: ref.version ?? 0 }, `${side}v`);
  const paragraphs = await repo.paragraphsOf(db, version.id);
  const path = documentPath(document);
  return { document, version, paragraphs, href: version.version === document.latest_version ? path : `${path}?version=${version.version}` };
}

/** Any two documents or versions, paragraph by paragraph (the first is the older text by convention). */
export async function compareTexts(cadre: Cadre, a: TextRef, b: TextRef): Promise<ComparisonView> {
  const [ta, tb] = await Promise.all([loadText(cadre, a, 'a'), loadText(cadre, b, 'b')]);
  const plain = (ps: ParagraphTable[]) => ps.map((p) => ({ eid: p.eid, kind: p.kind, num: p.num, openingWord: p.opening_word, text: p.text }));
  const result = compareDocuments(plain(ta.paragraphs), plain(tb.paragraphs), { languages: [ta.document.language, tb.document.language] });
  return {
    a: ta,
    b: tb,
    result,
    paragraphA: new Map(ta.paragraphs.map((p) => [p.eid, p])),
    paragraphB: new Map(tb.paragraphs.map((p) => [p.eid, p])),
  };
}

/** The documents to choose from in the comparison form. */
export function comparableDocuments(cadre: Cadre) {
  return repo.listDocuments(cadre.database.db, {});
}

function paragraphJson(p: ParagraphTable | undefined, text: ComparedText) {
  return p ? { eId: p.eid, kind: p.kind, num: p.num, text: p.text, href: `${text.href}#${p.eid}` } : null;
}

function textJson(t: ComparedText) {
  return { id: t.document.id, symbol: t.document.symbol, language: t.document.language, version: t.version.version, title: t.version.title, href: t.href };
}

export function comparisonJson(view: ComparisonView) {
  return {
    mode: view.result.mode,
    a: textJson(view.a),
    b: textJson(view.b),
    summary: view.result.summary,
    verbChanges: view.result.verbChanges,
    pairs: view.result.pairs.map((p: ComparedPair) => ({
      status: p.status,
      similarity: p.similarity,
      a: paragraphJson(p.a ? view.paragraphA.get(p.a) : undefined, view.a),
      b: paragraphJson(p.b ? view.paragraphB.get(p.b) : undefined, view.b),
      ...(p.words ? { words: p.words } : {}),
      ...(p.verbChange ? { verbChange: p.verbChange } : {}),
    })),
  };
}
