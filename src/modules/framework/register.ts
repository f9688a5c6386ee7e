// The framework register's definition: WHERE each family of entries comes from in the texts, and
// how an entry's stable id is built. Nothing here is typed in from the texts: the entries are read
// from the library's paragraphs (framework.service.ts). Ids come only from the AKN eIds and printed
// numbers, so they stay the same across re-ingestion, versions and languages.

export const FAMILIES = ['norm', 'cbm', 'capacity', 'proposal', 'next-step'] as const;
export type Family = (typeof FAMILIES)[number];

/** The part of a library paragraph the register looks at. */
export interface SourceParagraph {
  eid: string;
  kind: string;
  num: string | null;
  parent_eid: string | null;
}

export interface FamilyDefinition {
  family: Family;
  source: {
    symbol: string;
    /** Paragraph kind of the entries (`point`, `next-step`…). */
    kind: string;
    /** The enclosing paragraph's eId, or a pattern over it. */
    parent?: string | RegExp;
    /** A pattern over the entry's own eId. */
    eid?: RegExp;
  };
  /** The stable id, or null when the paragraph lacks what the id needs (no printed number). */
  id: (p: SourceParagraph & { num: string }) => string | null;
  /**
   * How a citation naming a paragraph of the source reaches this entry: the path of printed numbers
   * ("1.8" → ["1", "8"]; annex paragraphs are marked so "annex 16 a" does not match a body "16 a").
   * Null: only citations of the whole document are listed.
   */
  ref: (p: SourceParagraph & { num: string }) => { annex: boolean; path: string[] } | null;
}

const annexSection = (eid: string) => /^annex_\d+__sec_([A-Z]+)__/u.exec(eid)?.[1] ?? null;
const annexParagraph = (eid: string | null) => (eid ? /__para_(\d+)$/u.exec(eid)?.[1] ?? null : null);

export const REGISTER: FamilyDefinition[] = [
  // A/RES/73/27 para 1: the 11 norms of A/70/174 plus two, as 1.1–1.13.
  {
    family: 'norm',
    source: { symbol: 'A/RES/73/27', kind: 'point', parent: 'para_1' },
    id: (p) => `norm-${p.num}`,
    ref: (p) => ({ annex: false, path: p.num.split('.') }),
  },
  // A/68/98 para 26 a–f: voluntary confidence-building measures.
  {
    family: 'cbm',
    source: { symbol: 'A/68/98', kind: 'point', parent: 'para_26' },
    id: (p) => `cbm-26${p.num}`,
    ref: (p) => ({ annex: false, path: ['26', p.num] }),
  },
  // A/68/98 para 32 a–e: capacity-building measures.
  {
    family: 'capacity',
    source: { symbol: 'A/68/98', kind: 'point', parent: 'para_32' },
    id: (p) => `capacity-32${p.num}`,
    ref: (p) => ({ annex: false, path: ['32', p.num] }),
  },
  // A/77/275 annex, sections B–G: each numbered paragraph introduces "une liste non exhaustive de
  // propositions"; a proposal is one lettered point of it (16 a: the POC directory), its roman
  // sub-points folded in. Section B (threats) has no lettered points, so no proposals.
  {
    family: 'proposal',
    source: { symbol: 'A/77/275', kind: 'point', parent: /^annex_\d+__sec_[B-G]__para_\d+$/u },
    id: (p) => {
      const section = annexSection(p.eid);
      const para = annexParagraph(p.parent_eid);
      return section && para ? `proposal-${section}-${para}${p.num}` : null;
    },
    ref: (p) => {
      const para = annexParagraph(p.parent_eid);
      return para ? { annex: true, path: [para, p.num] } : null;
    },
  },
  // A/77/275 annex: the "Recommended next steps" closing sections B–G, numbered per section.
  {
    family: 'next-step',
    source: { symbol: 'A/77/275', kind: 'next-step', eid: /^annex_\d+__sec_[B-G]__/u },
    id: (p) => {
      const section = annexSection(p.eid);
      return section ? `next-step-${section}-${p.num}` : null;
    },
    ref: () => null,
  },
];

export function selects(def: FamilyDefinition, p: SourceParagraph): boolean {
  const { kind, parent, eid } = def.source;
  if (p.kind !== kind || p.num === null) return false;
  if (typeof parent === 'string' && p.parent_eid !== parent) return false;
  if (parent instanceof RegExp && !(p.parent_eid !== null && parent.test(p.parent_eid))) return false;
  if (eid && !eid.test(p.eid)) return false;
  return true;
}

/**
 * Whether a citation's target paragraph ("1.8", "26 c", "annex I 16 a", "1") names this entry or a
 * paragraph enclosing it. The printed path of the citation must be a prefix of the entry's.
 */
export function citationReaches(targetParagraph: string, ref: { annex: boolean; path: string[] }): boolean {
  let tokens = targetParagraph.toLowerCase().split(/[\s.,()]+/u).filter(Boolean);
  const annex = tokens[0] === 'annex' || tokens[0] === 'annexe';
  if (annex) {
    tokens = tokens.slice(1);
    // "annex I 7": the annex number is not a paragraph number.
    if (tokens.length > 1 && /^(?:[ivx]+|\d+)$/u.test(tokens[0]!) && /^\d+$/u.test(tokens[1]!)) tokens = tokens.slice(1);
  }
  if (annex !== ref.annex || tokens.length === 0 || tokens.length > ref.path.length) return false;
  return tokens.every((t, i) => t === ref.path[i]!.toLowerCase());
}
