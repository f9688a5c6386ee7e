// Small charts drawn on the server as SVG: no script, no inline style (the CSP forbids it), colours
// from classes in cadre.css, every value written as text beside its mark, and a label for screen
// readers; each chart is shown with a table of the same figures. In right-to-left pages the
// categories run from the right, as the reader reads (the text itself is never mirrored).

export interface ChartPoint {
  /** The category under the mark (a time band, a campaign's date). */
  label: string;
  /** null: no value (drawn as a gap, labelled with `valueLabel`). */
  value: number | null;
  /** The value as the reader reads it ("62.5 %", "3 h"). */
  valueLabel: string;
}

interface ChartProps {
  points: ChartPoint[];
  /** The top of the scale; the largest value when not given. */
  max?: number | undefined;
  /** What the chart shows, values included, for screen readers. */
  label: string;
  rtl: boolean;
  /** A class for the marks (their colour). */
  tone?: string | undefined;
}

const SLOT = 112;
const PAD = 12;
const HEIGHT = 190;
const TOP = 26;
const BASE = HEIGHT - 34;

function frame(count: number) {
  const width = PAD * 2 + Math.max(count, 1) * SLOT;
  /** The left edge of slot i, mirrored when the page reads right to left. */
  const slotX = (i: number, rtl: boolean) => (rtl ? width - PAD - (i + 1) * SLOT : PAD + i * SLOT);
  return { width, slotX };
}

const scaled = (value: number, max: number) => (max > 0 ? (value / max) * (BASE - TOP) : 0);
const r1 = (n: number) => Math.round(n * 10) / 10;

export function BarChart({ points, max, label, rtl, tone = 'chart-mark' }: ChartProps) {
  const { width, slotX } = frame(points.length);
  const top = max ?? Math.max(0, ...points.map((p) => p.value ?? 0));
  const barWidth = SLOT * 0.6;
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} role="img" aria-label={label}>
      <line class="chart-axis" x1={PAD} x2={width - PAD} y1={BASE} y2={BASE} />
      {points.map((p, i) => {
        const x = slotX(i, rtl);
        const h = r1(scaled(p.value ?? 0, top));
        const mid = r1(x + SLOT / 2);
        return (
          <g class="chart-slot" data-value={p.value ?? ''}>
            {h > 0 && <rect class={tone} x={r1(x + (SLOT - barWidth) / 2)} y={r1(BASE - h)} width={r1(barWidth)} height={h} />}
            <text class="chart-value" x={mid} y={r1(BASE - h - 6)} text-anchor="middle">
              {p.valueLabel}
            </text>
            <text class="chart-label" x={mid} y={BASE + 20} text-anchor="middle">
              {p.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Values joined in order (a gap where a value is missing), a dot and its figure at each. */
export function LineChart({ points, max, label, rtl, tone = 'chart-line' }: ChartProps) {
  const { width, slotX } = frame(points.length);
  const top = max ?? Math.max(0, ...points.map((p) => p.value ?? 0));
  const at = points.map((p, i) => ({ p, x: r1(slotX(i, rtl) + SLOT / 2), y: r1(BASE - scaled(p.value ?? 0, top)) }));
  // One polyline per run of known values.
  const runs: string[] = [];
  let run: string[] = [];
  for (const a of at) {
    if (a.p.value === null) {
      if (run.length > 1) runs.push(run.join(' '));
      run = [];
    } else run.push(`${a.x},${a.y}`);
  }
  if (run.length > 1) runs.push(run.join(' '));
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} role="img" aria-label={label}>
      <line class="chart-axis" x1={PAD} x2={width - PAD} y1={BASE} y2={BASE} />
      {runs.map((r) => (
        <polyline class={tone} points={r} />
      ))}
      {at.map((a) => (
        <g class="chart-slot" data-value={a.p.value ?? ''}>
          {a.p.value !== null && <circle class={`${tone}-dot`} cx={a.x} cy={a.y} r="4" />}
          <text class="chart-value" x={a.x} y={r1((a.p.value === null ? BASE : a.y) - 9)} text-anchor="middle">
            {a.p.valueLabel}
          </text>
          <text class="chart-label" x={a.x} y={BASE + 20} text-anchor="middle">
            {a.p.label}
          </text>
        </g>
      ))}
    </svg>
  );
}

const ROW = 28;
const LABEL_WIDTH = 360;
const BAR_SPAN = 300;
const VALUE_ROOM = 70;
/** Characters of a category name that fit in LABEL_WIDTH at the chart's font size; longer ones end in "…". */
const LABEL_CHARS = 52;

/**
 * One bar per row, the category's name before it: for names too long to sit under a column (a
 * template's title). In right-to-left pages the names stand on the right and the bars grow leftwards.
 * The SVG's own text direction stays left to right so that `text-anchor` means the same in both;
 * the names themselves still read in their script's direction.
 */
export function HorizontalBarChart({ points, max, label, rtl, tone = 'chart-mark' }: ChartProps) {
  const width = PAD * 2 + LABEL_WIDTH + BAR_SPAN + VALUE_ROOM;
  const height = PAD * 2 + Math.max(points.length, 1) * ROW;
  const top = max ?? Math.max(0, ...points.map((p) => p.value ?? 0));
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={label} direction="ltr">
      {points.map((p, i) => {
        const y = PAD + i * ROW;
        const length = r1(top > 0 ? ((p.value ?? 0) / top) * BAR_SPAN : 0);
        const name = p.label.length > LABEL_CHARS ? `${p.label.slice(0, LABEL_CHARS - 1).trimEnd()}…` : p.label;
        const labelX = rtl ? width - PAD : PAD + LABEL_WIDTH - 8;
        const barStart = rtl ? width - PAD - LABEL_WIDTH : PAD + LABEL_WIDTH;
        const barX = rtl ? barStart - length : barStart;
        const valueX = rtl ? barStart - length - 6 : barStart + length + 6;
        return (
          <g class="chart-slot" data-value={p.value ?? ''}>
            <title>{`${p.label}: ${p.valueLabel}`}</title>
            <text class="chart-label" x={labelX} y={y + ROW / 2 + 4} text-anchor="end">
              {name}
            </text>
            {length > 0 && <rect class={tone} x={r1(barX)} y={y + 5} width={length} height={ROW - 10} />}
            <text class="chart-value" x={r1(valueX)} y={y + ROW / 2 + 4} text-anchor={rtl ? 'end' : 'start'}>
              {p.valueLabel}
            </text>
          </g>
        );
      })}
      <line class="chart-axis" x1={rtl ? width - PAD - LABEL_WIDTH : PAD + LABEL_WIDTH} x2={rtl ? width - PAD - LABEL_WIDTH : PAD + LABEL_WIDTH} y1={PAD} y2={height - PAD} />
    </svg>
  );
}
