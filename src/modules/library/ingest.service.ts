import { appendAuditEvent, type AuditActor } from '../../audit/audit.repository.ts';
import { newId, nowIso, sha256Hex } from '../../auth/crypto.ts';
import { CadreError } from '../../errors.ts';
import type { Cadre } from '../../web/types.ts';
import { extractDocumentText } from './extract.ts';
import * as repo from './library.repository.ts';
import { parseDocument } from './parse/index.ts';
import { indexVersion } from './search/search.repository.ts';
import type { ParsedDocument } from './parse/types.ts';

export interface IngestSource {
  /** File name as given, for messages and provenance. */
  name: string;
  bytes: Buffer;
  /** Overrides the symbol found in the text. */
  symbol?: string | undefined;
}

export interface IngestResult {
  status: 'created' | 'new-version' | 'unchanged';
  documentId: string;
  symbol: string | null;
  language: string;
  version: number;
  parsed: ParsedDocument;
}

const SYMBOL = /^[A-Z]+(\/[A-Z0-9.()-]+)+$/;

/**
 * Ingests one file: the same text again changes nothing; a new text for a symbol already held
 * becomes its next version, the earlier ones kept. All rows and the audit event commit together.
 */
export async function ingestDocument(cadre: Cadre, actor: AuditActor, source: IngestSource): Promise<IngestResult> {
  const symbolOverride = source.symbol?.trim().toUpperCase();
  if (symbolOverride !== undefined && !SYMBOL.test(symbolOverride)) throw new CadreError(400, 'library.badSymbol', { symbol: source.symbol ?? '' }, 'symbol');
  const { text, mediaType } = await extractDocumentText(source.bytes);
  const parsed = parseDocument(text, symbolOverride ? { symbol: symbolOverride } : {});
  if (symbolOverride) parsed.symbol = symbolOverride;
  const contentHash = sha256Hex(`${parsed.symbol ?? ''}\u0000${text}`);
  const { database } = cadre;

  const existing = await repo.findVersionByHash(database.db, contentHash);
  if (existing) {
    return { status: 'unchanged', documentId: existing.document_id, symbol: existing.symbol, language: existing.language, version: existing.version, parsed };
  }

  try {
    return await database.db.transaction().execute(async (trx) => {
      const now = nowIso();
      const doc = parsed.symbol ? await repo.findDocument(trx, parsed.symbol, parsed.language) : undefined;
      const documentId = doc?.id ?? newId();
      const version = (doc?.latest_version ?? 0) + 1;
      if (doc) {
        await repo.updateDocument(trx, doc.id, { latest_version: version, kind: parsed.kind, title: parsed.title, updated_at: now });
      } else {
        await repo.insertDocument(trx, {
          id: documentId,
          symbol: parsed.symbol,
          language: parsed.language,
          kind: parsed.kind,
          title: parsed.title,
          latest_version: version,
          created_at: now,
          updated_at: now,
        });
      }
      const versionId = newId();
      await repo.insertVersion(trx, {
        id: versionId,
        document_id: documentId,
        version,
        content_hash: contentHash,
        source_name: source.name.slice(0, 255),
        media_type: mediaType,
        original_text: text,
        kind: parsed.kind,
        title: parsed.title,
        session: parsed.session,
        agenda_item: parsed.agendaItem,
        date: parsed.date,
        sponsors: JSON.stringify(parsed.sponsors),
        warnings: JSON.stringify(parsed.warnings),
        paragraph_count: parsed.paragraphs.length,
        ingested_by: actor.label,
        ingested_at: now,
      });
      const paragraphRows = parsed.paragraphs.map((p, seq) => ({
        id: newId(),
        version_id: versionId,
        seq,
        eid: p.eId,
        kind: p.kind,
        num: p.num,
        parent_eid: p.parent,
        opening_word: p.openingWord,
        text: p.text,
        footnotes: JSON.stringify(p.footnotes),
      }));
      await repo.insertMany(trx, 'paragraph', paragraphRows);
      // The search index follows the latest version, in the same transaction.
      await indexVersion(trx, { versionId, documentId, language: parsed.language, kind: parsed.kind, date: parsed.date, paragraphs: paragraphRows });
      await repo.insertMany(
        trx,
        'footnote',
        parsed.footnotes.map((f) => ({ id: newId(), version_id: versionId, num: f.num, text: f.text, paragraph_eid: f.paragraph })),
      );
      await repo.insertMany(
        trx,
        'citation',
        parsed.paragraphs.flatMap((p) =>
          p.citations.map((c) => ({
            id: newId(),
            version_id: versionId,
            paragraph_eid: p.eId,
            target_symbol: c.symbol,
            verb: c.verb,
            target_paragraph: c.targetParagraph,
          })),
        ),
      );
      await repo.insertMany(
        trx,
        'correction',
        parsed.corrections.map((c, seq) => ({ id: newId(), version_id: versionId, seq, rule: c.rule, original: c.original, corrected: c.corrected, offset: c.offset })),
      );
      await appendAuditEvent(trx, database.engine, {
        actor,
        action: doc ? 'document.new-version' : 'document.ingested',
        targetType: 'document',
        targetId: documentId,
        details: { symbol: parsed.symbol, language: parsed.language, version, paragraphs: parsed.paragraphs.length, source: source.name.slice(0, 120) },
      });
      return { status: doc ? 'new-version' : 'created', documentId, symbol: parsed.symbol, language: parsed.language, version, parsed } as const;
    });
  } catch (e) {
    // Two uploads of the same text at once: the content hash is unique, the second one is a no-op.
    const again = await repo.findVersionByHash(database.db, contentHash);
    if (again) return { status: 'unchanged', documentId: again.document_id, symbol: again.symbol, language: again.language, version: again.version, parsed };
    throw e;
  }
}

/** The `--json` shape documented in the README: one object per file. */
export function ingestJson(parsed: ParsedDocument) {
  return {
    symbol: parsed.symbol,
    kind: parsed.kind,
    language: parsed.language,
    title: parsed.title,
    session: parsed.session,
    agendaItem: parsed.agendaItem,
    date: parsed.date,
    sponsors: parsed.sponsors,
    paragraphs: parsed.paragraphs.map((p) => ({
      eId: p.eId,
      kind: p.kind,
      num: p.num,
      parent: p.parent,
      openingWord: p.openingWord,
      text: p.text,
      footnotes: p.footnotes,
      citations: [...new Set(p.citations.map((c) => c.symbol))],
    })),
    footnotes: parsed.footnotes.map((f) => ({ num: f.num, text: f.text, paragraph: f.paragraph })),
    corrections: parsed.corrections,
    warnings: parsed.warnings,
  };
}
