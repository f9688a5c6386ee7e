import { Type } from '@sinclair/typebox';
import { policy } from '../../auth/policy.ts';
import type { RegionalMembershipTable, RegionalOrganisationTable, StateTable } from '../../db/schema.ts';
import { CadreError } from '../../errors.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext, type PageContext } from '../../web/page-context.ts';
import { Problem } from '../../web/problem-schema.ts';
import { sendPage } from '../../web/render.tsx';
import type { App } from '../../web/types.ts';
import { listMemberships, listRegionalOrganisations } from './regional-organisation.repository.ts';
import { statePolicy } from './state.policy.ts';
import { listStates } from './state.repository.ts';
import { sortByName, stateName } from './state.names.ts';

const STATUSES = ['member', 'suspended', 'associate', 'former'] as const;

const OrganisationJson = Type.Object({
  id: Type.String(),
  name: Type.String({ description: 'English name; the pages show it in the reader’s language' }),
  asOf: Type.String({ description: 'Date of the membership facts (yyyy-mm-dd)' }),
  members: Type.Array(Type.Object({ iso3: Type.String(), status: Type.String({ enum: [...STATUSES] }) })),
  nonUnMembers: Type.Array(Type.String(), { description: 'Members that are not UN Member States (Holy See, Palestine…)' }),
  notes: Type.Union([Type.String(), Type.Null()]),
});

function toJson(o: RegionalOrganisationTable, members: RegionalMembershipTable[]) {
  return {
    id: o.id,
    name: o.name_en,
    asOf: o.as_of,
    members: members.map((m) => ({ iso3: m.state_iso3, status: m.status })),
    nonUnMembers: JSON.parse(o.non_un_members) as string[],
    notes: o.notes,
  };
}

function OrganisationsPage({ ctx, organisations, memberships, states }: { ctx: PageContext; organisations: RegionalOrganisationTable[]; memberships: RegionalMembershipTable[]; states: readonly StateTable[] }) {
  const { t, lang } = ctx;
  const byIso = new Map(states.map((s) => [s.iso3, s]));
  return (
    <>
      <p class="lead">{t('regional.lead')}</p>
      <nav aria-label={t('regional.title')}>
        <ul class="inline-list">
          {organisations.map((o) => (
            <li>
              <a href={`#org-${o.id}`}>{o.id}</a>
            </li>
          ))}
        </ul>
      </nav>
      {organisations.map((o) => {
        const mine = memberships.filter((m) => m.organisation_id === o.id);
        const current = sortByName(
          mine.filter((m) => m.status !== 'former').map((m) => byIso.get(m.state_iso3)!).filter(Boolean),
          lang,
        );
        const statusOf = new Map(mine.map((m) => [m.state_iso3, m.status]));
        const former = mine.filter((m) => m.status === 'former').map((m) => byIso.get(m.state_iso3)!).filter(Boolean);
        const nonUn = JSON.parse(o.non_un_members) as string[];
        return (
          <section id={`org-${o.id}`} aria-labelledby={`org-${o.id}-h`}>
            <h2 id={`org-${o.id}-h`}>
              {t(`regional.name.${o.id}`)} <span class="count">({o.id})</span>
            </h2>
            <p>{t('regional.count', { count: current.length, date: o.as_of })}</p>
            <ul class="state-list">
              {current.map((s) => {
                const status = statusOf.get(s.iso3);
                return (
                  <li>
                    <abbr title={s.name_en}>{s.iso3}</abbr> {stateName(s, lang)}
                    {status !== 'member' && <span class="badge badge-warn"> {t(`regional.status.${status}`)}</span>}
                  </li>
                );
              })}
            </ul>
            {nonUn.length > 0 && <p>{t('regional.nonUn', { codes: nonUn.join(', ') })}</p>}
            {former.length > 0 && <p>{t('regional.former', { names: former.map((s) => stateName(s, lang)).join(', ') })}</p>}
          </section>
        );
      })}
    </>
  );
}

export async function regionalOrganisationRoutes(app: App): Promise<void> {
  const { db } = app.cadre.database;
  // Membership of regional organisations is public knowledge, like the list of Member States.
  const read = policy('state', statePolicy, 'list', { scope: 'states:read' });

  app.get('/regional-organisations', { config: { policy: read } }, async (req, reply) => {
    const [organisations, memberships, states] = await Promise.all([listRegionalOrganisations(db), listMemberships(db), listStates(db)]);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('regional.title')}>
        <OrganisationsPage ctx={ctx} organisations={organisations} memberships={memberships} states={states} />
      </Layout>,
    );
  });

  app.get(
    '/api/v1/regional-organisations',
    {
      config: { policy: read },
      schema: { tags: ['states'], summary: 'Regional organisations and their members (ISO3 of UN Member States)', response: { 200: Type.Object({ organisations: Type.Array(OrganisationJson) }) } },
    },
    async () => {
      const [organisations, memberships] = await Promise.all([listRegionalOrganisations(db), listMemberships(db)]);
      return { organisations: organisations.map((o) => toJson(o, memberships.filter((m) => m.organisation_id === o.id))) };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/regional-organisations/:id',
    {
      config: { policy: read },
      schema: {
        tags: ['states'],
        summary: 'One regional organisation and its members',
        params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z]{2,16}$' }) }),
        response: { 200: OrganisationJson, 404: Problem },
      },
    },
    async (req) => {
      const id = req.params.id.toUpperCase();
      const organisation = (await listRegionalOrganisations(db)).find((o) => o.id === id);
      if (!organisation) throw new CadreError(404, 'regional.notFound', { id });
      return toJson(organisation, await listMemberships(db, id));
    },
  );
}
