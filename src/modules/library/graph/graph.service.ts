import type { Cadre } from '../../../web/types.ts';
import { documentPath, listLibrary } from '../library.service.ts';
import { latestCitations } from './graph.repository.ts';

export interface GraphNode {
  /** The document's id for a text in the library; the symbol itself for a cited text outside it. */
  id: string;
  symbol: string | null;
  inLibrary: boolean;
  kind: string | null;
  language: string | null;
  title: string | null;
  year: number | null;
  href: string | null;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** Number of citing paragraphs. */
  weight: number;
  paragraphs: string[];
}

export interface CitationGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/**
 * The year a symbol belongs to when nothing better is known: a year written in it
 * (A/AC.292/2022/L.1), else its General Assembly session (A/68/98, A/RES/73/27, A/C.1/74/L.50:
 * session N opens in September of 1945 + N).
 */
export function yearOfSymbol(symbol: string): number | null {
  const written = /\/((?:19|20)\d{2})(\/|$)/.exec(symbol);
  if (written) return Number(written[1]);
  const session = /^A\/(?:RES\/|C\.\d\/|INF\/)?(\d{1,3})\//.exec(symbol);
  return session ? 1945 + Number(session[1]) : null;
}

/** The corpus as a graph: documents (latest versions) and the texts they cite, one edge per citing→cited pair. */
export async function citationGraph(cadre: Cadre): Promise<CitationGraph> {
  const [documents, citations] = await Promise.all([listLibrary(cadre, {}), latestCitations(cadre.database.db)]);
  const nodes = new Map<string, GraphNode>();
  const bySymbol = new Map<string, GraphNode[]>();
  for (const d of documents) {
    const session = d.session && /^\d+$/.test(d.session) ? 1945 + Number(d.session) : null;
    const node: GraphNode = {
      id: d.id,
      symbol: d.symbol,
      inLibrary: true,
      kind: d.kind,
      language: d.language,
      title: d.title,
      year: d.date ? Number(d.date.slice(0, 4)) : ((d.symbol ? yearOfSymbol(d.symbol) : null) ?? session),
      href: documentPath(d),
    };
    nodes.set(d.id, node);
    if (d.symbol) bySymbol.set(d.symbol, [...(bySymbol.get(d.symbol) ?? []), node]);
  }
  const edges = new Map<string, GraphEdge>();
  for (const c of citations) {
    const from = nodes.get(c.document_id);
    if (!from || from.symbol === c.target_symbol) continue;
    const held = bySymbol.get(c.target_symbol);
    // A symbol held in several languages: the citing document's own language first.
    let to = held ? (held.find((n) => n.language === from.language) ?? held[0]!) : nodes.get(c.target_symbol);
    if (!to) {
      to = { id: c.target_symbol, symbol: c.target_symbol, inLibrary: false, kind: null, language: null, title: null, year: yearOfSymbol(c.target_symbol), href: null };
      nodes.set(to.id, to);
    }
    const key = `${from.id}\u0000${to.id}`;
    const edge = edges.get(key) ?? { from: from.id, to: to.id, weight: 0, paragraphs: [] };
    if (!edge.paragraphs.includes(c.paragraph_eid)) edge.paragraphs.push(c.paragraph_eid);
    edge.weight = edge.paragraphs.length;
    edges.set(key, edge);
  }
  // A text with neither date, symbol nor session (a report whose cover page was lost) is at least
  // as recent as the newest text it cites.
  for (const n of nodes.values()) {
    if (n.year !== null || !n.inLibrary) continue;
    const cited = [...edges.values()].filter((e) => e.from === n.id).map((e) => nodes.get(e.to)!.year ?? 0);
    if (cited.length > 0 && Math.max(...cited) > 0) n.year = Math.max(...cited);
  }
  const label = (n: GraphNode) => n.symbol ?? n.title ?? n.id;
  const sortedNodes = [...nodes.values()].sort(
    (a, b) => (b.year ?? 0) - (a.year ?? 0) || Number(b.inLibrary) - Number(a.inLibrary) || label(a).localeCompare(label(b), 'en', { numeric: true }) || a.id.localeCompare(b.id),
  );
  const order = new Map(sortedNodes.map((n, i) => [n.id, i]));
  const sortedEdges = [...edges.values()].sort((a, b) => order.get(a.from)! - order.get(b.from)! || order.get(a.to)! - order.get(b.to)!);
  return { nodes: sortedNodes, edges: sortedEdges };
}
