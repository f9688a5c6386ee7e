import { CadreError } from '../../errors.ts';
import type { Cadre } from '../../web/types.ts';
import * as repo from './library.repository.ts';

export type DocumentSummary = Awaited<ReturnType<typeof repo.listDocuments>>[number];

export interface DocumentView {
  document: NonNullable<Awaited<ReturnType<typeof repo.findDocumentById>>>;
  version: NonNullable<Awaited<ReturnType<typeof repo.findVersion>>>;
  versions: Awaited<ReturnType<typeof repo.listVersions>>;
  paragraphs: Awaited<ReturnType<typeof repo.paragraphsOf>>;
  footnotes: Awaited<ReturnType<typeof repo.footnotesOf>>;
  citations: Awaited<ReturnType<typeof repo.citationsOf>>;
  corrections: Awaited<ReturnType<typeof repo.correctionsOf>>;
  citedBy: Awaited<ReturnType<typeof repo.citedBy>>;
  /** Cited symbols held in the library, to link them: symbol → document id (same language first). */
  held: Map<string, { id: string; language: string }>;
}

export function listLibrary(cadre: Cadre, filter: repo.DocumentFilter) {
  return repo.listDocuments(cadre.database.db, filter);
}

/** A document by symbol and language, or by id; the latest version unless one is asked for. */
export async function viewDocument(cadre: Cadre, ref: { symbol: string; language: string } | { id: string }, versionNo?: number): Promise<DocumentView> {
  const db = cadre.database.db;
  const document = 'id' in ref ? await repo.findDocumentById(db, ref.id) : await repo.findDocument(db, ref.symbol.toUpperCase(), ref.language);
  if (!document) throw new CadreError(404, 'library.notFound');
  const version = await repo.findVersion(db, document.id, versionNo ?? document.latest_version);
  if (!version) throw new CadreError(404, 'library.versionNotFound', { version: versionNo ?? 0 });
  const [versions, paragraphs, footnotes, citations, corrections, citedBy] = await Promise.all([
    repo.listVersions(db, document.id),
    repo.paragraphsOf(db, version.id),
    repo.footnotesOf(db, version.id),
    repo.citationsOf(db, version.id),
    repo.correctionsOf(db, version.id),
    document.symbol ? repo.citedBy(db, document.symbol) : Promise.resolve([]),
  ]);
  const targets = [...new Set(citations.map((c) => c.target_symbol))];
  const held = new Map<string, { id: string; language: string }>();
  for (const d of await repo.documentsBySymbols(db, targets)) {
    if (!d.symbol) continue;
    const current = held.get(d.symbol);
    if (!current || d.language === document.language) held.set(d.symbol, { id: d.id, language: d.language });
  }
  return { document, version, versions, paragraphs, footnotes, citations, corrections, citedBy: citedBy.filter((c) => c.document_id !== document.id), held };
}

/** The path of a document's page: by symbol where it has one (a stable, readable permalink). */
export function documentPath(doc: { id: string; symbol: string | null; language: string }): string {
  return doc.symbol ? `/library/${doc.language}/${doc.symbol}` : `/library/id/${doc.id}`;
}
