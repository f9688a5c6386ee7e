// A deterministic layered layout: one row per year, newest at the top (citations point down to
// older texts), nodes ordered within a row by the mean position of the texts above that cite them
// (one barycentre sweep, ties by the graph's own order), each row centred. No randomness, so the
// same corpus always draws the same picture.
import type { CitationGraph } from './graph.service.ts';

export const NODE_WIDTH = 150;
export const NODE_HEIGHT = 24;
const COLUMN = 164;
export const ROW = 48;
const AXIS = 64;
const MARGIN = 16;

export interface Layout {
  width: number;
  height: number;
  rows: { year: number | null; y: number }[];
  /** Centre of each node. */
  at: Map<string, { x: number; y: number }>;
}

export function layoutGraph(graph: CitationGraph): Layout {
  const years = [...new Set(graph.nodes.map((n) => n.year))].sort((a, b) => (b ?? -1) - (a ?? -1));
  const rank = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const citers = new Map<string, string[]>();
  for (const e of graph.edges) citers.set(e.to, [...(citers.get(e.to) ?? []), e.from]);
  const slot = new Map<string, number>();
  const rows = years.map((year) => graph.nodes.filter((n) => n.year === year));
  for (const row of rows) {
    const centre = (id: string) => {
      const above = (citers.get(id) ?? []).map((c) => slot.get(c)).filter((s): s is number => s !== undefined);
      return above.length ? above.reduce((a, b) => a + b, 0) / above.length : Number.POSITIVE_INFINITY;
    };
    row.sort((a, b) => centre(a.id) - centre(b.id) || rank.get(a.id)! - rank.get(b.id)!);
    const widest = Math.max(...rows.map((r) => r.length));
    row.forEach((n, i) => slot.set(n.id, i + (widest - row.length) / 2));
  }
  const widest = Math.max(1, ...rows.map((r) => r.length));
  const at = new Map<string, { x: number; y: number }>();
  for (const [id, s] of slot) {
    const r = years.indexOf(graph.nodes[rank.get(id)!]!.year);
    at.set(id, { x: MARGIN + AXIS + s * COLUMN + COLUMN / 2, y: MARGIN + r * ROW + ROW / 2 });
  }
  return {
    width: MARGIN * 2 + AXIS + widest * COLUMN,
    height: MARGIN * 2 + Math.max(1, years.length) * ROW,
    rows: years.map((year, r) => ({ year, y: MARGIN + r * ROW + ROW / 2 })),
    at,
  };
}

/**
 * An edge as an SVG path: from the bottom of the citing box to the top of the cited one with
 * vertical tangents (a bundle of citations reads as a flow down the years), or, within one row,
 * an arc over the row from side to side.
 */
export function edgePath(a: { x: number; y: number }, b: { x: number; y: number }): string {
  const f = (n: number) => n.toFixed(1);
  if (Math.abs(a.y - b.y) < 1) {
    const dir = b.x > a.x ? 1 : -1;
    const sx = a.x + (dir * NODE_WIDTH) / 2;
    const tx = b.x - (dir * NODE_WIDTH) / 2 - dir * 3;
    return `M ${f(sx)} ${f(a.y)} Q ${f((sx + tx) / 2)} ${f(a.y - ROW / 2)} ${f(tx)} ${f(b.y)}`;
  }
  const down = b.y > a.y ? 1 : -1;
  const sy = a.y + (down * NODE_HEIGHT) / 2;
  const ty = b.y - (down * NODE_HEIGHT) / 2 - down * 3;
  const mid = (sy + ty) / 2;
  return `M ${f(a.x)} ${f(sy)} C ${f(a.x)} ${f(mid)} ${f(b.x)} ${f(mid)} ${f(b.x)} ${f(ty)}`;
}
