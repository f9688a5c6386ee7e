// Akoma Ntoso 3.0 (OASIS LegalDocML) for one stored version of a document, following the AKN4UN
// guidelines (unsceb-hlcm.github.io):
// - Part 2, "Document Class: Deliberative Documents": a resolution is documentType <statement>,
//   subtype "deliberation", @name "resolution" (a draft: "resolutionDraft"); so GA resolutions,
//   drafts and decisions are <statement name=…>, and reports and other texts <doc name=…>.
// - Part 1 §2.2.5: <mainBody> is the body of <statement> and <doc>; §2.3 naming convention: Work
//   IRI /akn/{country}/{type}/{subtype}/{author}/{date}/{number}, Expression adds /{lang}@{version},
//   Manifestation adds .{format}; FRBRthis names the component (!main, !annex_1); ISO 639-2
//   alpha-3 languages; eIds as the paragraphs already carry them (para_1__para_1-8), attachments
//   abbreviated att_N.
// - Not validated against the AKN XSD (no schema validator in the project): well-formedness and
//   the eId invariants are what the tests check.
import type { ParagraphTable } from '../../../db/schema.ts';
import { XmlWriter, type Attributes } from './xml-writer.ts';

export const AKN_NAMESPACE = 'http://docs.oasis-open.org/legaldocml/ns/akn/3.0';

const ISO_639_2: Record<string, string> = { ar: 'ara', zh: 'zho', en: 'eng', fr: 'fra', ru: 'rus', es: 'spa' };

export type AknParagraph = Pick<ParagraphTable, 'eid' | 'kind' | 'num' | 'parent_eid' | 'opening_word' | 'text'>;

export interface AknSource {
  document: { id: string; symbol: string | null; language: string };
  version: { version: number; kind: string; title: string | null; date: string | null; ingested_at: string };
  paragraphs: AknParagraph[];
  footnotes: { num: string; text: string; paragraph_eid: string | null }[];
  citations: { paragraph_eid: string; target_symbol: string }[];
  /** Cited symbols held in the library → their Work IRI, to make `<ref href>`; others stay text. */
  works: Map<string, string>;
}

/** The AKN document type and @name of a Cadre document kind (AKN4UN Part 2). */
export function documentType(kind: string): { type: 'statement' | 'doc'; subtype: string; name: string } {
  switch (kind) {
    case 'resolution':
      return { type: 'statement', subtype: 'deliberation', name: 'resolution' };
    case 'draft-resolution':
      return { type: 'statement', subtype: 'deliberation', name: 'resolutionDraft' };
    case 'decision':
      return { type: 'statement', subtype: 'deliberation', name: 'decision' };
    case 'report':
      return { type: 'doc', subtype: 'report', name: 'report' };
    default:
      return { type: 'doc', subtype: 'document', name: 'document' };
  }
}

/** The organ that issues a symbol's series: A/ General Assembly, S/ Security Council, E/ ECOSOC. */
function authorOf(symbol: string | null): string {
  if (symbol?.startsWith('S/')) return 'unsc';
  if (symbol?.startsWith('E/')) return 'ecosoc';
  return 'unga';
}

/** The Work IRI (language- and version-independent) of a document, e.g. /akn/un/statement/deliberation/unga/2018-12-05/A-RES-73-27. */
export function workIri(d: { id: string; symbol: string | null; kind: string; date: string | null; fallbackDate: string }): string {
  const t = documentType(d.kind);
  const number = d.symbol ? d.symbol.replace(/[^A-Za-z0-9.]+/g, '-') : `cadre-${d.id}`;
  return `/akn/un/${t.type}/${t.subtype}/${authorOf(d.symbol)}/${d.date ?? d.fallbackDate}/${number}`;
}

interface Span {
  start: number;
  end: number;
  name: string;
  attrs: Attributes;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Where `symbol` is written in `text`: the symbol itself, or "73/27" for A/RES/73/27. */
function occurrences(text: string, symbol: string): [number, number][] {
  const forms = [symbol];
  const res = /^A\/RES\/(\d+\/\d+)$/.exec(symbol);
  if (res) forms.push(res[1]!);
  const found: [number, number][] = [];
  for (const form of forms) {
    const re = new RegExp(`(?<![\\w/.])${escapeRegExp(form)}(?![\\w/])`, 'g');
    for (const m of text.matchAll(re)) found.push([m.index, m.index + m[0].length]);
  }
  return found;
}

export function serializeAkn(src: AknSource): string {
  const { document: doc, version } = src;
  const t = documentType(version.kind);
  const fallbackDate = version.ingested_at.slice(0, 10);
  const work = workIri({ id: doc.id, symbol: doc.symbol, kind: version.kind, date: version.date, fallbackDate });
  const lang = ISO_639_2[doc.language] ?? 'mul';
  const expression = `${work}/${lang}@${version.version === 1 ? '' : `cadre-v${version.version}`}`;
  const eids = new Set(src.paragraphs.map((p) => p.eid));

  const children = new Map<string, AknParagraph[]>();
  const topLevel: AknParagraph[] = [];
  for (const p of src.paragraphs) {
    if (p.parent_eid && p.parent_eid !== p.eid && eids.has(p.parent_eid)) children.set(p.parent_eid, [...(children.get(p.parent_eid) ?? []), p]);
    else topLevel.push(p);
  }
  const notesOf = new Map<string, { num: string; text: string; ordinal: number }[]>();
  const unplacedNotes: { num: string; text: string; ordinal: number }[] = [];
  // In the order of their numbers (storage order is not guaranteed), so the output is deterministic.
  const numeric = (n: string) => (/^\d+$/.test(n) ? Number(n) : Number.POSITIVE_INFINITY);
  const footnotes = src.footnotes.map((f, i) => ({ f, i })).sort((a, b) => numeric(a.f.num) - numeric(b.f.num) || a.i - b.i).map((x) => x.f);
  footnotes.forEach((f, i) => {
    const note = { num: f.num, text: f.text, ordinal: i + 1 };
    if (f.paragraph_eid && eids.has(f.paragraph_eid)) notesOf.set(f.paragraph_eid, [...(notesOf.get(f.paragraph_eid) ?? []), note]);
    else unplacedNotes.push(note);
  });
  const citedBy = new Map<string, Set<string>>();
  for (const c of src.citations) citedBy.set(c.paragraph_eid, (citedBy.get(c.paragraph_eid) ?? new Set()).add(c.target_symbol));
  const allCited = new Set(src.citations.map((c) => c.target_symbol));

  const w = new XmlWriter();

  /** Text with inline markup: the opening word in <i>, held citations as <ref>, the title as <docTitle>. */
  const inline = (text: string, opts: { openingWord?: string | null; cites?: Iterable<string>; title?: string | null }) => {
    const spans: Span[] = [];
    if (opts.openingWord && text.startsWith(opts.openingWord)) spans.push({ start: 0, end: opts.openingWord.length, name: 'i', attrs: {} });
    if (opts.title) {
      const at = text.indexOf(opts.title);
      if (at >= 0) spans.push({ start: at, end: at + opts.title.length, name: 'docTitle', attrs: {} });
    }
    for (const symbol of opts.cites ?? []) {
      const href = src.works.get(symbol);
      if (!href) continue;
      for (const [start, end] of occurrences(text, symbol)) spans.push({ start, end, name: 'ref', attrs: { href } });
    }
    spans.sort((a, b) => a.start - b.start || b.end - a.end);
    let at = 0;
    for (const s of spans) {
      if (s.start < at) continue; // overlapping spans: the first (longest) wins
      w.text(text.slice(at, s.start)).element(s.name, s.attrs, text.slice(s.start, s.end));
      at = s.end;
    }
    w.text(text.slice(at));
  };

  const notes = (list: { num: string; text: string; ordinal: number }[], owner: string | null) => {
    for (const n of list) {
      w.within('authorialNote', { marker: n.num, placement: 'bottom', eId: owner ? `${owner}__authorialNote_${n.ordinal}` : `authorialNote_${n.ordinal}` }, () => {
        w.within('p', {}, () => inline(n.text, { cites: allCited }));
      });
    }
  };

  /** One `<p>` holding a paragraph's text, its citations and the footnotes it calls. */
  const para = (p: AknParagraph, attrs: Attributes = {}, title: string | null = null) =>
    w.within('p', attrs, () => {
      inline(p.text, { openingWord: p.kind === 'preambular' || p.kind === 'operative' ? p.opening_word : null, cites: citedBy.get(p.eid) ?? [], title });
      notes(notesOf.get(p.eid) ?? [], p.eid);
    });

  const displayNum = (num: string) => {
    if (/^\d+$/.test(num) || /^[IVXLC]+$/.test(num) || /^[A-Z]$/.test(num)) return `${num}.`;
    if (/^[a-z]$/.test(num) || /^[ivxlc]+$/.test(num)) return `${num})`;
    return num;
  };

  const hierarchical = (p: AknParagraph): void => {
    const kids = children.get(p.eid) ?? [];
    if (p.kind === 'heading') {
      w.within('crossHeading', { eId: p.eid }, () => inline(p.text, {}));
      for (const k of kids) hierarchical(k);
      return;
    }
    const last = p.eid.slice(p.eid.lastIndexOf('__') + 2);
    const [name, attrs]: [string, Attributes] =
      p.kind === 'next-step'
        ? ['hcontainer', { eId: p.eid, name: 'recommendedNextStep' }]
        : p.kind === 'point' && !last.startsWith('para_')
          ? ['point', { eId: p.eid }]
          : ['paragraph', { eId: p.eid }];
    w.within(name, attrs, () => {
      if (p.num) w.element('num', {}, displayNum(p.num));
      if (kids.length === 0) {
        w.within('content', {}, () => para(p));
        return;
      }
      w.within('intro', {}, () => para(p));
      for (const k of kids) hierarchical(k);
    });
  };

  /** A run of top-level paragraphs; "sec_X__heading" opens the section sec_X until a section that is not inside it. */
  const body = (list: AknParagraph[]) => {
    const open: string[] = [];
    for (const p of list) {
      const section = p.kind === 'heading' && /(^|__)sec_[^_]+__heading$/.test(p.eid) ? p.eid.slice(0, -'__heading'.length) : null;
      if (section) {
        while (open.length > 0 && !section.startsWith(`${open.at(-1)}__`)) {
          open.pop();
          w.close('hcontainer');
        }
        w.open('hcontainer', { eId: eids.has(section) ? `${section}__container` : section, name: 'section' });
        if (p.num) w.element('num', {}, displayNum(p.num));
        w.within('heading', { eId: p.eid }, () => inline(p.text, {}));
        open.push(section);
        continue;
      }
      hierarchical(p);
    }
    while (open.pop() !== undefined) w.close('hcontainer');
  };

  const flatten = (list: AknParagraph[]): AknParagraph[] => list.flatMap((p) => [p, ...flatten(children.get(p.eid) ?? [])]);

  const identification = (component: string, name: string) => {
    const date = version.date ?? fallbackDate;
    const dateName = version.date ? (t.name === 'resolution' ? 'adoption' : 'publication') : 'ingestion';
    w.within('identification', { source: '#cadre' }, () => {
      w.within('FRBRWork', {}, () => {
        w.empty('FRBRthis', { value: `${work}/${component}` });
        w.empty('FRBRuri', { value: work });
        if (doc.symbol) w.empty('FRBRalias', { value: doc.symbol, name: 'symbol' });
        w.empty('FRBRdate', { date, name: dateName });
        w.empty('FRBRauthor', { href: `#${authorOf(doc.symbol)}` });
        w.empty('FRBRcountry', { value: 'un' });
        w.empty('FRBRsubtype', { value: t.subtype });
        if (doc.symbol) w.empty('FRBRnumber', { value: doc.symbol });
        w.empty('FRBRname', { value: name });
      });
      w.within('FRBRExpression', {}, () => {
        w.empty('FRBRthis', { value: `${expression}/${component}` });
        w.empty('FRBRuri', { value: expression });
        w.empty('FRBRdate', { date, name: dateName });
        w.empty('FRBRauthor', { href: `#${authorOf(doc.symbol)}` });
        w.empty('FRBRversionNumber', { value: String(version.version) });
        w.empty('FRBRlanguage', { language: lang });
      });
      w.within('FRBRManifestation', {}, () => {
        w.empty('FRBRthis', { value: `${expression}/${component}.xml` });
        w.empty('FRBRuri', { value: `${expression}.akn` });
        w.empty('FRBRdate', { date: fallbackDate, name: 'transformation' });
        w.empty('FRBRauthor', { href: '#cadre' });
        w.empty('FRBRformat', { value: 'application/akn+xml' });
      });
    });
  };

  const region = (p: AknParagraph) => {
    const annex = /^annex_(\d+)(__|$)/.exec(p.eid);
    if (annex) return `annex_${annex[1]}`;
    for (const r of ['preface', 'preamble', 'conclusions']) if (p.eid.startsWith(`${r}__`)) return r;
    return 'mainBody';
  };
  const regions = new Map<string, AknParagraph[]>();
  for (const p of topLevel) regions.set(region(p), [...(regions.get(region(p)) ?? []), p]);
  const annexes = [...regions.keys()].filter((k) => k.startsWith('annex_')).sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)));

  w.open('akomaNtoso', { xmlns: AKN_NAMESPACE });
  w.open(t.type, { name: t.name });
  w.within('meta', {}, () => {
    identification('!main', t.name);
    w.within('references', { source: '#cadre' }, () => {
      w.empty('TLCOrganization', { eId: 'cadre', href: '/ontology/organization/cadre', showAs: 'Cadre' });
      w.empty('TLCOrganization', { eId: authorOf(doc.symbol), href: `/ontology/organization/un/${authorOf(doc.symbol)}`, showAs: { unga: 'General Assembly', unsc: 'Security Council', ecosoc: 'Economic and Social Council' }[authorOf(doc.symbol)]! });
    });
  });
  w.within('preface', {}, () => {
    if (doc.symbol) w.within('p', { class: 'symbol' }, () => w.element('docNumber', {}, doc.symbol!));
    const preface = flatten(regions.get('preface') ?? []);
    const titled = version.title ? preface.find((p) => p.text.includes(version.title!)) : undefined;
    if (version.title && !titled) w.within('p', { class: 'title' }, () => w.element('docTitle', {}, version.title!));
    for (const p of preface) para(p, { eId: p.eid }, p === titled ? version.title : null);
  });
  const preamble = flatten(regions.get('preamble') ?? []);
  if (preamble.length > 0) {
    w.within('preamble', {}, () => {
      for (const p of preamble) {
        if (p.kind === 'heading' && /__formula$/.test(p.eid)) w.within('formula', { eId: p.eid, name: 'enactingFormula' }, () => para(p));
        else w.within('container', { eId: p.eid, name: p.kind === 'preambular' ? 'preambularParagraph' : p.kind }, () => para(p));
      }
    });
  }
  w.within('mainBody', {}, () => body(regions.get('mainBody') ?? []));
  const conclusions = flatten(regions.get('conclusions') ?? []);
  if (conclusions.length > 0 || unplacedNotes.length > 0) {
    w.within('conclusions', {}, () => {
      for (const p of conclusions) para(p, { eId: p.eid });
      if (unplacedNotes.length > 0) w.within('p', { class: 'unplacedNotes' }, () => notes(unplacedNotes, null));
    });
  }
  if (annexes.length > 0) {
    w.within('attachments', {}, () => {
      annexes.forEach((key, i) => {
        const list = regions.get(key)!;
        // The annex's own title lines (before its first section or paragraph) are its preface.
        const leading = list.findIndex((p) => p.kind !== 'heading' || /(^|__)sec_[^_]+__heading$/.test(p.eid));
        const split = leading <= 0 ? 0 : leading;
        w.within('attachment', { eId: `att_${i + 1}` }, () => {
          w.within('doc', { name: 'annex' }, () => {
            w.within('meta', {}, () => identification(`!${key}`, 'annex'));
            if (split > 0) w.within('preface', {}, () => flatten(list.slice(0, split)).forEach((p) => para(p, { eId: p.eid })));
            w.within('mainBody', {}, () => body(list.slice(split)));
          });
        });
      });
    });
  }
  w.close(t.type);
  w.close('akomaNtoso');
  return w.toString();
}

/** The download name: the symbol with "/" as "_", then the language: A_RES_73_27.fr.akn.xml. */
export function aknFilename(doc: { id: string; symbol: string | null; language: string }): string {
  return `${(doc.symbol ?? doc.id).replace(/\//g, '_').replace(/[^A-Za-z0-9._-]/g, '-')}.${doc.language}.akn.xml`;
}
