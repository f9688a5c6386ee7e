import type { StateTable } from '../../db/schema.ts';
import type { PageContext } from '../../web/page-context.ts';
import { worldMap } from '../directory/participation/world-map.ts';
import { stateName } from '../directory/state.names.ts';
import { OUTCOMES, type Outcome } from './report.service.ts';

// The world coloured by each State's outcome in one campaign. Colour is never alone: 'some' and
// 'undeliverable' are hatched, 'none' dotted, each shape is titled with its State and outcome, and
// the table under the map says the same in words (WCAG 1.4.1, 1.4.11).

/** The patterns the outcome classes fill with (cadre.css: .cr-some { fill: url(#cr-p-some) }). */
function Patterns() {
  return (
    <defs>
      <pattern id="cr-p-some" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
        <rect class="cr-p-paper" x="0" y="0" width="6" height="6" />
        <rect class="cr-p-all" x="0" y="0" width="3" height="6" />
      </pattern>
      <pattern id="cr-p-none" patternUnits="userSpaceOnUse" width="5" height="5">
        <rect class="cr-p-none-paper" x="0" y="0" width="5" height="5" />
        <circle class="cr-p-none" cx="2.5" cy="2.5" r="1.3" />
      </pattern>
      <pattern id="cr-p-undeliverable" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">
        <rect class="cr-p-paper" x="0" y="0" width="6" height="6" />
        <rect class="cr-p-undeliverable" x="0" y="0" width="2" height="6" />
        <rect class="cr-p-undeliverable" x="0" y="0" width="6" height="2" />
      </pattern>
    </defs>
  );
}

export function OutcomeMap({ ctx, states, outcomes }: { ctx: PageContext; states: readonly StateTable[]; outcomes: ReadonlyMap<string, Outcome> }) {
  const { t, lang } = ctx;
  const map = worldMap();
  const byM49 = new Map(states.map((s) => [s.m49, s]));
  const outcomeOf = (s: StateTable): Outcome => outcomes.get(s.iso3) ?? 'unchecked';
  const counts = Object.fromEntries(OUTCOMES.map((o) => [o, states.filter((s) => outcomeOf(s) === o).length])) as Record<Outcome, number>;
  const otherLand = map.shapes.filter((s) => !byM49.has(s.m49)).map((s) => s.d).join('') + map.unidentifiedLand;
  const attrs = (s: StateTable) => ({ class: `cr-${outcomeOf(s)}`, 'data-iso3': s.iso3, 'data-outcome': outcomeOf(s) });
  const title = (s: StateTable) => <title>{`${stateName(s, lang)}: ${t(`reports.outcome.${outcomeOf(s)}`)}`}</title>;
  return (
    <figure class="cr-figure">
      <svg class="cr-map" viewBox={map.viewBox} role="img" aria-label={t('reports.map.label', counts)}>
        <Patterns />
        <path class="pm-sea" d={map.sphere} />
        <path class="pm-other" d={otherLand} />
        {map.shapes.map((shape) => {
          const s = byM49.get(shape.m49);
          return (
            s && (
              <path d={shape.d} {...attrs(s)}>
                {title(s)}
              </path>
            )
          );
        })}
        {map.dots.map((dot) => {
          const s = byM49.get(dot.m49);
          return (
            s && (
              <circle cx={dot.cx} cy={dot.cy} r="3" {...attrs(s)}>
                {title(s)}
              </circle>
            )
          );
        })}
      </svg>
      <figcaption>
        <span class="visually-hidden">{t('reports.legend')}</span>
        <ul class="pm-legend">
          {OUTCOMES.map((o) => (
            <li data-outcome={o}>
              <svg class="pm-swatch" viewBox="0 0 20 14" aria-hidden="true">
                <rect class={`cr-${o}`} x="1" y="1" width="18" height="12" />
              </svg>
              {t('reports.legendItem', { outcome: t(`reports.outcome.${o}`), count: counts[o] })}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
