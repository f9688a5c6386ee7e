import { CadreError } from '../../errors.ts';
import { LANGUAGES, type Language } from '../../web/i18n.ts';
import type { Cadre } from '../../web/types.ts';
import * as library from '../library/library.repository.ts';
import { documentPath } from '../library/library.service.ts';
import { citationReaches, FAMILIES, REGISTER, selects, type Family, type FamilyDefinition } from './register.ts';

// The register is derived data, read per request from the latest version of each source text: one
// query for the latest versions, then the paragraphs and the citations of each of the three texts
// (measured on the five seeds: 2.5–9 ms on SQLite, ~15 ms cold on PostgreSQL). So it is never stale
// after an ingestion, whichever process ingested, and needs no cache to invalidate.

export interface CitingText {
  symbol: string | null;
  language: string;
  title: string | null;
  /** The citing paragraph's permalink. */
  href: string;
  paragraph: string;
  verb: string | null;
  /** The paragraph of the source the citation names, or null when it cites the whole document. */
  targetParagraph: string | null;
}

export interface FrameworkEntry {
  id: string;
  family: Family;
  /** The number as printed in the source ("1.8", "c", "2"). */
  num: string;
  /** A short label: the first words of the paragraph. */
  title: string;
  text: string;
  /** Numbered sub-paragraphs folded into the entry (the roman points of a proposal). */
  items: { num: string | null; eId: string; text: string }[];
  source: { symbol: string; language: string; version: number; eId: string; permalink: string };
  citedBy: CitingText[];
}

export interface FrameworkFamily {
  family: Family;
  symbol: string;
  /** The source text read, or null when no version of it is in the library yet. */
  source: { language: string; version: number; title: string | null; href: string } | null;
  entries: FrameworkEntry[];
}

type Version = Awaited<ReturnType<typeof library.latestVersionsBySymbols>>[number];
type Paragraph = Awaited<ReturnType<typeof library.paragraphsOf>>[number];
type Citation = Awaited<ReturnType<typeof library.citedBy>>[number];

/** The reader's language first, then the others in the UN's order. */
function preference(lang: Language): string[] {
  return [lang, ...LANGUAGES.filter((l) => l !== lang)];
}

function pick<T extends { language: string }>(rows: T[], lang: Language): T | undefined {
  const order = preference(lang);
  return [...rows].sort((a, b) => order.indexOf(a.language) - order.indexOf(b.language))[0];
}

/** The first words of a paragraph, up to its first clause break when that comes late enough to say something. */
export function shortTitle(text: string, maxWords = 12): string {
  const words = text.trim().split(/\s+/u);
  const out: string[] = [];
  for (const w of words.slice(0, maxWords)) {
    out.push(w);
    if (out.length >= 6 && /[,;:.]$/u.test(w)) break;
  }
  const title = out.join(' ').replace(/[,;:.]$/u, '');
  return out.length < words.length ? `${title}…` : title;
}

/** The full register, every family, read in the reader's language where the library has it. */
export async function frameworkRegister(cadre: Cadre, lang: Language): Promise<FrameworkFamily[]> {
  const db = cadre.database.db;
  const symbols = [...new Set(REGISTER.map((d) => d.source.symbol))];
  const versions = await library.latestVersionsBySymbols(db, symbols);
  const chosen = new Map<string, Version>();
  for (const symbol of symbols) {
    const v = pick(versions.filter((x) => x.symbol === symbol), lang);
    if (v) chosen.set(symbol, v);
  }
  const read = await Promise.all(
    [...chosen.entries()].map(async ([symbol, v]) => [symbol, { paragraphs: await library.paragraphsOf(db, v.version_id), citations: await library.citedBy(db, symbol) }] as const),
  );
  const texts = new Map(read);
  const families = REGISTER.map((def): FrameworkFamily => {
    const v = chosen.get(def.source.symbol);
    const text = texts.get(def.source.symbol);
    if (!v || !text) return { family: def.family, symbol: def.source.symbol, source: null, entries: [] };
    const href = documentPath({ id: v.document_id, symbol: v.symbol, language: v.language });
    return {
      family: def.family,
      symbol: def.source.symbol,
      source: { language: v.language, version: v.version, title: v.title, href },
      entries: entriesOf(def, v, href, text.paragraphs, citingTexts(text.citations, def.source.symbol, lang)),
    };
  });
  return families.sort((a, b) => FAMILIES.indexOf(a.family) - FAMILIES.indexOf(b.family));
}

export async function frameworkEntry(cadre: Cadre, id: string, lang: Language): Promise<{ entry: FrameworkEntry; family: FrameworkFamily }> {
  for (const family of await frameworkRegister(cadre, lang)) {
    const entry = family.entries.find((e) => e.id === id);
    if (entry) return { entry, family };
  }
  throw new CadreError(404, 'framework.notFound');
}

/** One citing paragraph per citing text and paragraph, in the reader's language where held. */
function citingTexts(citations: Citation[], symbol: string, lang: Language): Citation[] {
  const byText = new Map<string, Citation[]>();
  for (const c of citations) {
    if (c.symbol === symbol) continue;
    const key = c.symbol ?? c.document_id;
    byText.set(key, [...(byText.get(key) ?? []), c]);
  }
  const out: Citation[] = [];
  for (const rows of byText.values()) {
    const language = pick(rows, lang)!.language;
    const seen = new Set<string>();
    for (const c of rows) {
      const key = `${c.paragraph_eid}\u0000${c.target_paragraph ?? ''}`;
      if (c.language !== language || seen.has(key)) continue;
      seen.add(key);
      out.push(c);
    }
  }
  return out;
}

function entriesOf(def: FamilyDefinition, v: Version, href: string, paragraphs: Paragraph[], citations: Citation[]): FrameworkEntry[] {
  const children = new Map<string, Paragraph[]>();
  for (const p of paragraphs) if (p.parent_eid) children.set(p.parent_eid, [...(children.get(p.parent_eid) ?? []), p]);
  const descendants = (eid: string): Paragraph[] => (children.get(eid) ?? []).flatMap((c) => [c, ...descendants(c.eid)]);
  const entries: FrameworkEntry[] = [];
  for (const p of paragraphs) {
    if (!selects(def, p)) continue;
    const numbered = { ...p, num: p.num! };
    const id = def.id(numbered);
    if (!id) continue;
    const ref = def.ref(numbered);
    entries.push({
      id,
      family: def.family,
      num: numbered.num,
      title: shortTitle(p.text),
      text: p.text,
      items: descendants(p.eid).map((d) => ({ num: d.num, eId: d.eid, text: d.text })),
      source: { symbol: def.source.symbol, language: v.language, version: v.version, eId: p.eid, permalink: `${href}#${p.eid}` },
      citedBy: citations
        .filter((c) => c.target_paragraph === null || (ref !== null && citationReaches(c.target_paragraph, ref)))
        .map((c) => ({
          symbol: c.symbol,
          language: c.language,
          title: c.title,
          href: `${documentPath({ id: c.document_id, symbol: c.symbol, language: c.language })}#${c.paragraph_eid}`,
          paragraph: c.paragraph_eid,
          verb: c.verb,
          targetParagraph: c.target_paragraph,
        })),
    });
  }
  return entries;
}
