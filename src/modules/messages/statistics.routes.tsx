import { policy } from '../../auth/policy.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { sendPage } from '../../web/render.tsx';
import type { App, Reply } from '../../web/types.ts';
import { messagePolicy } from './message.policy.ts';
import { messageStatistics, statisticsCsv, type Statistics } from './statistics.service.ts';
import { StatisticsPage } from './statistics.views.tsx';

/** Statistics of real POC-to-POC exchanges: the Secretariat's (all States, metadata) and each State's own. */
export async function messageStatisticsRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const inbox = policy('message', messagePolicy, 'inbox');
  const csv = (res: Reply, stats: Statistics) =>
    res
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="cadre-messages-${stats.state ?? 'all'}.csv"`)
      .header('cache-control', 'no-store')
      .send(statisticsCsv(stats));

  app.get('/messages/statistics', { config: { policy: inbox } }, async (req, res) => {
    const stats = await messageStatistics(cadre, req.principal!);
    const ctx = pageContext(req);
    return sendPage(res, <Layout ctx={ctx} title={ctx.t('statistics.heading')}><StatisticsPage ctx={ctx} stats={stats} /></Layout>);
  });
  app.get('/messages/statistics.csv', { config: { policy: inbox } }, async (req, res) => csv(res, await messageStatistics(cadre, req.principal!)));
  app.get(
    '/api/v1/messages/statistics',
    { config: { policy: inbox }, schema: { tags: ['messages'], summary: 'Statistics of real exchanges (exercises left out): all States’ metadata for the Secretariat, its own threads for a State' } },
    async (req, res) => res.header('cache-control', 'no-store').send(await messageStatistics(cadre, req.principal!)),
  );
  app.get('/api/v1/messages/statistics.csv', { config: { policy: inbox }, schema: { tags: ['messages'], summary: 'The same statistics as CSV' } }, async (req, res) => csv(res, await messageStatistics(cadre, req.principal!)));
}
