import { Type, type Static } from '@sinclair/typebox';
import { PUBLIC } from '../../../auth/policy.ts';
import { REGIONAL_GROUPS } from '../../../db/schema.ts';
import { Layout } from '../../../web/layout.tsx';
import { pageContext } from '../../../web/page-context.ts';
import { sendPage } from '../../../web/render.tsx';
import type { App } from '../../../web/types.ts';
import { participatingStates } from '../poc/poc.repository.ts';
import { listStates } from '../state.repository.ts';
import { sortByName } from '../state.names.ts';
import { ParticipationPage, type Participation } from './participation.view.tsx';

const ParticipationJson = Type.Object({
  total: Type.Integer({ description: 'UN Member States' }),
  participating: Type.Integer({ description: 'Member States with at least one active point of contact' }),
  states: Type.Array(
    Type.Object({
      iso3: Type.String({ pattern: '^[A-Z]{3}$' }),
      regionalGroup: Type.String({ enum: [...REGIONAL_GROUPS] }),
      participating: Type.Boolean(),
    }),
  ),
});

export async function participationRoutes(app: App): Promise<void> {
  const { db } = app.cadre.database;

  // Which States take part is public (A/77/275 annex, para 16 a: the directory is global); who
  // their points of contact are is not, and nothing here reads more than the State of an active entry.
  async function participation(): Promise<Participation> {
    const [states, participating] = await Promise.all([listStates(db), participatingStates(db)]);
    return { states, participating };
  }

  app.get('/directory/participation', { config: { policy: PUBLIC } }, async (req, reply) => {
    const { states, participating } = await participation();
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('participation.title')}>
        <ParticipationPage ctx={ctx} states={sortByName(states, ctx.lang)} participating={participating} />
      </Layout>,
    );
  });

  app.get(
    '/api/v1/directory/participation',
    {
      config: { policy: PUBLIC },
      schema: {
        tags: ['directory'],
        summary: 'Which UN Member States take part in the directory of points of contact (no contact details)',
        response: { 200: ParticipationJson },
      },
    },
    async (): Promise<Static<typeof ParticipationJson>> => {
      const { states, participating } = await participation();
      return {
        total: states.length,
        participating: states.filter((s) => participating.has(s.iso3)).length,
        states: states.map((s) => ({ iso3: s.iso3, regionalGroup: s.regional_group, participating: participating.has(s.iso3) })),
      };
    },
  );
}
