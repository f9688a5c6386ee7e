import { REGIONAL_GROUPS, type StateTable } from '../../../db/schema.ts';
import type { PageContext } from '../../../web/page-context.ts';
import { sortByName, stateName } from '../state.names.ts';
import { groupLabel } from '../states.view.tsx';
import { worldMap } from './world-map.ts';

// Public: which Member States take part, never who their points of contact are (the names and
// addresses stay with signed-in POCs and administrators of participating States).

export interface Participation {
  states: readonly StateTable[];
  /** ISO3 codes of the States with at least one active point of contact. */
  participating: ReadonlySet<string>;
}

/** The map, drawn on the server: no script, each State a titled shape, a dot where it is too small to see. */
export function ParticipationMap({ ctx, states, participating }: { ctx: PageContext } & Participation) {
  const { t, lang } = ctx;
  const map = worldMap();
  const byM49 = new Map(states.map((s) => [s.m49, s]));
  const count = states.filter((s) => participating.has(s.iso3)).length;
  // Land that is not a UN Member State (or part of one without its own code) is drawn, unlabelled.
  const otherLand = map.shapes.filter((s) => !byM49.has(s.m49)).map((s) => s.d).join('') + map.unidentifiedLand;
  const attrs = (state: StateTable) => {
    const taking = participating.has(state.iso3);
    return { class: taking ? 'pm-in' : 'pm-out', 'data-iso3': state.iso3, 'data-participating': taking ? 'yes' : 'no' };
  };
  return (
    <figure class="pm-figure">
      <svg class="pm-map" viewBox={map.viewBox} role="img" aria-label={t('participation.mapLabel', { count, total: states.length })}>
        <path class="pm-sea" d={map.sphere} />
        <path class="pm-other" d={otherLand} />
        {map.shapes.map((shape) => {
          const state = byM49.get(shape.m49);
          return (
            state && (
              <path d={shape.d} {...attrs(state)}>
                <title>{stateName(state, lang)}</title>
              </path>
            )
          );
        })}
        {map.dots.map((dot) => {
          const state = byM49.get(dot.m49);
          return (
            state && (
              <circle cx={dot.cx} cy={dot.cy} r="3" {...attrs(state)}>
                <title>{stateName(state, lang)}</title>
              </circle>
            )
          );
        })}
      </svg>
      <figcaption>
        <span class="visually-hidden">{t('participation.legend')}</span>
        <ul class="pm-legend">
          {(
            [
              ['pm-in', t('participation.legendIn')],
              ['pm-out', t('participation.legendOut')],
              ['pm-other', t('participation.legendOther')],
            ] as const
          ).map(([cls, label]) => (
            <li>
              <svg class="pm-swatch" viewBox="0 0 20 14" aria-hidden="true">
                <rect class={cls} x="1" y="1" width="18" height="12" />
              </svg>
              {label}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** A bar for one group's share, with its figure in words beside it; mirrored by CSS in Arabic. */
function GroupBar({ ctx, count, total }: { ctx: PageContext; count: number; total: number }) {
  const width = total === 0 ? 0 : Math.round((count / total) * 1000) / 10;
  return (
    <p class="pm-bar-row">
      <svg class="pm-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
        <rect class="pm-track" x="0" y="0" width="100" height="10" />
        {count > 0 && <rect class="pm-in" x="0" y="0" width={width} height="10" />}
      </svg>
      <span>{ctx.t('participation.groupCount', { count, total })}</span>
    </p>
  );
}

export function ParticipationPage({ ctx, states, participating }: { ctx: PageContext } & Participation) {
  const { t, lang } = ctx;
  const count = states.filter((s) => participating.has(s.iso3)).length;
  return (
    <>
      <p class="lead">{t('participation.lead')}</p>
      <p class="pm-summary">{t('participation.summary', { count, total: states.length })}</p>
      <ParticipationMap ctx={ctx} states={states} participating={participating} />
      <h2>{t('participation.byGroup')}</h2>
      {REGIONAL_GROUPS.map((group) => {
        const members = states.filter((s) => s.regional_group === group);
        const taking = sortByName(members.filter((s) => participating.has(s.iso3)), lang);
        const id = `pm-${group.replace(/[^A-Za-z]/g, '')}`;
        return (
          <section class="pm-group" aria-labelledby={id}>
            <h3 id={id}>{groupLabel(ctx, group)}</h3>
            <GroupBar ctx={ctx} count={taking.length} total={members.length} />
            {taking.length > 0 ? (
              <ul class="state-list">
                {taking.map((s) => (
                  <li>
                    <abbr title={s.name_en}>{s.iso3}</abbr> {stateName(s, lang)}
                  </li>
                ))}
              </ul>
            ) : (
              <p class="pm-none">{t('participation.groupNone')}</p>
            )}
          </section>
        );
      })}
      <p>
        <a href="/api/v1/directory/participation">{t('participation.openData')}</a>
      </p>
    </>
  );
}
