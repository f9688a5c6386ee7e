import { Type } from '@sinclair/typebox';
import { policy } from '../../../auth/policy.ts';
import { Layout } from '../../../web/layout.tsx';
import { pageContext } from '../../../web/page-context.ts';
import { sendPage } from '../../../web/render.tsx';
import type { App } from '../../../web/types.ts';
import { libraryPolicy } from '../library.policy.ts';
import { citationGraph } from './graph.service.ts';
import { GraphPage } from './graph.view.tsx';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export async function graphRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const read = policy('library', libraryPolicy, 'read');

  app.get('/library/graph', { config: { policy: read } }, async (req, reply) => {
    const ctx = pageContext(req);
    const graph = await citationGraph(cadre);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('library.graph.title')}>
        <GraphPage ctx={ctx} graph={graph} />
      </Layout>,
    );
  });

  app.get(
    '/api/v1/library/graph',
    {
      config: { policy: read },
      schema: {
        tags: ['library'],
        summary: 'Citation graph of the library: its documents (latest versions) and the texts they cite; one edge per citing→cited pair, weighted by citing paragraphs',
        response: {
          200: Type.Object({
            nodes: Type.Array(
              Type.Object({
                id: Type.String({ description: 'document id, or the symbol of a cited text not in the library' }),
                symbol: Nullable(Type.String()),
                inLibrary: Type.Boolean(),
                kind: Nullable(Type.String()),
                language: Nullable(Type.String()),
                title: Nullable(Type.String()),
                year: Type.Union([Type.Integer(), Type.Null()]),
                href: Nullable(Type.String()),
              }),
            ),
            edges: Type.Array(Type.Object({ from: Type.String(), to: Type.String(), weight: Type.Integer(), paragraphs: Type.Array(Type.String()) })),
          }),
        },
      },
    },
    async () => citationGraph(cadre),
  );
}
