import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../auth/policy.ts';
import { REGIONAL_GROUPS, type StateTable } from '../../db/schema.ts';
import { LANGUAGES } from '../../web/i18n.ts';
import { HttpProblem } from '../../web/guard.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { sendPage } from '../../web/render.tsx';
import type { App } from '../../web/types.ts';
import { statePolicy } from './state.policy.ts';
import { findState, listStates } from './state.repository.ts';
import { sortByName } from './state.names.ts';
import { StatesPage } from './states.view.tsx';

const StateJson = Type.Object({
  iso3: Type.String({ pattern: '^[A-Z]{3}$' }),
  iso2: Type.String(),
  m49: Type.String(),
  regionalGroup: Type.String({ enum: [...REGIONAL_GROUPS] }),
  names: Type.Object(Object.fromEntries(LANGUAGES.map((l) => [l, Type.String()]))),
});
type StateJson = Static<typeof StateJson>;

function toJson(s: StateTable): StateJson {
  return {
    iso3: s.iso3,
    iso2: s.iso2,
    m49: s.m49,
    regionalGroup: s.regional_group,
    names: { ar: s.name_ar, zh: s.name_zh, en: s.name_en, fr: s.name_fr, ru: s.name_ru, es: s.name_es },
  };
}

const GroupQuery = Type.Object({
  group: Type.Optional(Type.String({ enum: [...REGIONAL_GROUPS] })),
  lang: Type.Optional(Type.String()),
});

export async function stateRoutes(app: App): Promise<void> {
  const { db } = app.cadre.database;

  app.get<{ Querystring: Static<typeof GroupQuery> }>(
    '/states',
    { config: { policy: policy('state', statePolicy, 'list') }, schema: { querystring: GroupQuery } },
    async (req, reply) => {
      const ctx = pageContext(req);
      const states = sortByName(await listStates(db), req.lang);
      return sendPage(reply, <Layout ctx={ctx} title={ctx.t('states.title')}><StatesPage ctx={ctx} states={states} group={req.query.group} /></Layout>);
    },
  );

  app.get<{ Querystring: Static<typeof GroupQuery> }>(
    '/api/v1/states',
    {
      config: { policy: policy('state', statePolicy, 'list', { scope: 'states:read' }) },
      schema: {
        tags: ['states'],
        summary: 'The 193 UN Member States with their names in the six UN languages and UN regional group',
        querystring: GroupQuery,
        response: { 200: Type.Object({ states: Type.Array(StateJson) }) },
      },
    },
    async (req) => {
      const states = (await listStates(db)).filter((s) => !req.query.group || s.regional_group === req.query.group);
      return { states: states.map(toJson) };
    },
  );

  app.get<{ Params: { iso3: string } }>(
    '/api/v1/states/:iso3',
    {
      config: { policy: policy('state', statePolicy, 'view', { scope: 'states:read' }) },
      schema: {
        tags: ['states'],
        summary: 'One Member State by ISO 3166 alpha-3 code',
        params: Type.Object({ iso3: Type.String({ pattern: '^[A-Za-z]{3}$' }) }),
        response: { 200: StateJson },
      },
    },
    async (req) => {
      const state = await findState(db, req.params.iso3);
      if (!state) throw new HttpProblem(404, 'error.stateNotFound', { iso3: req.params.iso3.toUpperCase() });
      return toJson(state);
    },
  );
}
