import type { PageContext } from '../../../web/page-context.ts';
import { edgePath, layoutGraph, NODE_HEIGHT, NODE_WIDTH, ROW } from './graph.layout.ts';
import type { CitationGraph, GraphNode } from './graph.service.ts';

// Presentation attributes, not style=: the CSP forbids inline styles; colours are cadre.css's
// --accent, --ink, --muted and --band.
const ACCENT = '#005a9c';
const INK = '#1b1f24';
const MUTED = '#4a5560';
const BAND = '#f2f5f8';

function shorten(s: string, max = 21): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export function nodeLabel(ctx: PageContext, n: GraphNode): string {
  if (n.symbol) return n.symbol;
  return `${ctx.t(`library.kind.${n.kind ?? 'other'}`)} ${n.year ?? ''}`.trim();
}

export function GraphPage({ ctx, graph }: { ctx: PageContext; graph: CitationGraph }) {
  const { t } = ctx;
  const layout = layoutGraph(graph);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const held = graph.nodes.filter((n) => n.inLibrary).length;
  const counts = { documents: held, external: graph.nodes.length - held, edges: graph.edges.length };
  const maxWeight = Math.max(1, ...graph.edges.map((e) => e.weight));
  return (
    <>
      <p class="lead">{t('library.graph.lead')}</p>
      <p>
        <a href="/api/v1/library/graph">{t('library.graph.json')}</a>
      </p>
      <ul class="inline-list graph-legend">
        <li>
          <svg width="28" height="14" aria-hidden="true" focusable="false">
            <rect x="1" y="1" width="26" height="12" rx="3" fill={ACCENT} stroke={ACCENT} />
          </svg>{' '}
          {t('library.graph.legendHeld')}
        </li>
        <li>
          <svg width="28" height="14" aria-hidden="true" focusable="false">
            <rect x="1" y="1" width="26" height="12" rx="3" fill="#ffffff" stroke={MUTED} stroke-dasharray="3 2" />
          </svg>{' '}
          {t('library.graph.legendCited')}
        </li>
      </ul>
      <div class="table-scroll graph" dir="ltr">
        <svg
          xmlns="http://www.w3.org/2000/svg"
          width={layout.width}
          height={layout.height}
          viewBox={`0 0 ${layout.width} ${layout.height}`}
          role="img"
          aria-labelledby="graph-title graph-desc"
          font-family="system-ui, sans-serif"
          font-size="11"
        >
          <title id="graph-title">{t('library.graph.svgTitle')}</title>
          <desc id="graph-desc">{t('library.graph.svgDesc', counts)}</desc>
          <defs>
            <marker id="graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
              <path d="M 0 0 L 10 5 L 0 10 z" fill={MUTED} />
            </marker>
          </defs>
          {layout.rows.map((r, i) => (
            <g>
              {i % 2 === 0 && <rect x="0" y={r.y - ROW / 2} width={layout.width} height={ROW} fill={BAND} />}
              <text x="16" y={r.y} dominant-baseline="central" fill={MUTED} font-weight="bold">
                {r.year ?? t('library.graph.undated')}
              </text>
            </g>
          ))}
          <g fill="none" stroke={MUTED} stroke-opacity="0.45">
            {graph.edges.map((e) => {
              const a = layout.at.get(e.from)!;
              const b = layout.at.get(e.to)!;
              return (
                <path d={edgePath(a, b)} stroke-width={(1 + (3 * e.weight) / maxWeight).toFixed(1)} marker-end="url(#graph-arrow)">
                  <title>{`${nodeLabel(ctx, byId.get(e.from)!)} → ${nodeLabel(ctx, byId.get(e.to)!)}: ${t('library.graph.paragraphCount', { count: e.weight })}`}</title>
                </path>
              );
            })}
          </g>
          {graph.nodes.map((n) => {
            const c = layout.at.get(n.id)!;
            const box = (
              <>
                <title>{n.title ? `${nodeLabel(ctx, n)} · ${n.title}` : nodeLabel(ctx, n)}</title>
                <rect
                  x={c.x - NODE_WIDTH / 2}
                  y={c.y - NODE_HEIGHT / 2}
                  width={NODE_WIDTH}
                  height={NODE_HEIGHT}
                  rx="4"
                  fill={n.inLibrary ? ACCENT : '#ffffff'}
                  stroke={n.inLibrary ? ACCENT : MUTED}
                  stroke-dasharray={n.inLibrary ? undefined : '4 3'}
                />
                <text x={c.x} y={c.y} text-anchor="middle" dominant-baseline="central" fill={n.inLibrary ? '#ffffff' : INK}>
                  {shorten(nodeLabel(ctx, n))}
                </text>
              </>
            );
            // The picture is one image for assistive technology; the table below carries the
            // same links for keyboard and screen-reader users, so the picture's links stay out of the tab order.
            return n.href ? (
              <a href={n.href} tabindex={-1} class="graph-node">
                {box}
              </a>
            ) : (
              <g class="graph-node graph-external">{box}</g>
            );
          })}
        </svg>
      </div>
      <h2 id="graph-table">{t('library.graph.tableTitle')}</h2>
      <p>{t('library.graph.svgDesc', counts)}</p>
      {graph.edges.length === 0 ? (
        <p>{t('library.graph.none')}</p>
      ) : (
        <div class="table-scroll">
          <table aria-labelledby="graph-table">
            <thead>
              <tr>
                <th scope="col">{t('library.graph.citing')}</th>
                <th scope="col">{t('library.graph.cited')}</th>
                <th scope="col">{t('library.graph.paragraphs')}</th>
              </tr>
            </thead>
            <tbody>
              {graph.edges.map((e) => {
                const from = byId.get(e.from)!;
                const to = byId.get(e.to)!;
                return (
                  <tr>
                    <th scope="row" class="mono">
                      <a href={from.href!}>{nodeLabel(ctx, from)}</a>
                    </th>
                    <td class="mono">{to.href ? <a href={to.href}>{nodeLabel(ctx, to)}</a> : nodeLabel(ctx, to)}</td>
                    <td>
                      {t('library.graph.paragraphCount', { count: e.weight })}:{' '}
                      {e.paragraphs.map((p, i) => (
                        <>
                          {i > 0 && ', '}
                          <a href={`${from.href}#${p}`} class="mono">
                            {p}
                          </a>
                        </>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
