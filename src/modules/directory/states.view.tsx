import { REGIONAL_GROUPS, type StateTable } from '../../db/schema.ts';
import { Select } from '../../web/forms.tsx';
import type { PageContext } from '../../web/page-context.ts';
import { stateName } from './state.names.ts';

const GROUP_KEYS: Record<string, string> = {
  African: 'group.african',
  'Asia-Pacific': 'group.asiaPacific',
  'Eastern European': 'group.easternEuropean',
  GRULAC: 'group.grulac',
  WEOG: 'group.weog',
};

export function groupLabel(ctx: PageContext, group: string): string {
  const key = GROUP_KEYS[group];
  return key ? ctx.t(key) : group;
}

export function StatesPage({ ctx, states, group }: { ctx: PageContext; states: readonly StateTable[]; group: string | undefined }) {
  const { t, lang } = ctx;
  const groups = group ? [group] : [...REGIONAL_GROUPS];
  return (
    <>
      <p class="lead">{t('states.lead', { count: states.length })}</p>
      <p>
        <a href="/regional-organisations">{t('states.regionalLink')}</a>
      </p>
      <form method="get" action="/states" class="filter-bar">
        <Select
          name="group"
          label={t('states.filterGroup')}
          value={group}
          includeEmpty={t('states.allGroups')}
          options={REGIONAL_GROUPS.map((g) => ({ value: g, label: groupLabel(ctx, g) }))}
        />
        <button type="submit">{t('form.filter')}</button>
      </form>
      {groups.map((g) => {
        const members = states.filter((s) => s.regional_group === g);
        return (
          <section aria-labelledby={`group-${members[0]?.iso3 ?? g}`}>
            <h2 id={`group-${members[0]?.iso3 ?? g}`}>
              {groupLabel(ctx, g)} <span class="count">({t('states.count', { count: members.length })})</span>
            </h2>
            <ul class="state-list">
              {members.map((s) => (
                <li lang={lang}>
                  <abbr title={s.name_en}>{s.iso3}</abbr> {stateName(s, lang)}
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}
