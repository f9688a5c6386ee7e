import type { Cadre } from '../../../web/types.ts';
import { viewDocument } from '../library.service.ts';
import { worksBySymbols } from './akn.repository.ts';
import { aknFilename, serializeAkn, workIri } from './akn.serializer.ts';

/** One document (latest version unless one is asked for) as Akoma Ntoso XML, with its download name. */
export async function aknDocument(cadre: Cadre, id: string, versionNo?: number): Promise<{ xml: string; filename: string }> {
  const view = await viewDocument(cadre, { id }, versionNo);
  const works = new Map<string, string>();
  for (const w of await worksBySymbols(cadre.database.db, [...new Set(view.citations.map((c) => c.target_symbol))])) {
    if (w.symbol && !works.has(w.symbol)) works.set(w.symbol, workIri({ id: w.id, symbol: w.symbol, kind: w.kind, date: w.date, fallbackDate: w.ingested_at.slice(0, 10) }));
  }
  return { xml: serializeAkn({ ...view, works }), filename: aknFilename(view.document) };
}
