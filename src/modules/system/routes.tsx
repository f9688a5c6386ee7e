import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { PUBLIC } from '../../auth/policy.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { sendPage } from '../../web/render.tsx';
import type { App } from '../../web/types.ts';
import { HomePage } from './home.view.tsx';

const STATIC_TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8', svg: 'image/svg+xml' };

/** Health, readiness, static files, the OpenAPI document and the home page. */
export async function systemRoutes(app: App): Promise<void> {
  app.get('/healthz', { config: { policy: PUBLIC } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { config: { policy: PUBLIC } }, async (_req, reply) => {
    try {
      await sql`select 1`.execute(app.cadre.database.db);
      return { status: 'ready', database: app.cadre.database.engine };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: app.cadre.database.engine });
    }
  });

  const files = new Map<string, { body: Buffer; type: string }>();
  const staticDir = new URL('../../web/static/', import.meta.url);
  for (const name of ['cadre.css', 'cadre.js', 'passkeys.js', 'favicon.svg']) {
    files.set(name, { body: readFileSync(new URL(name, staticDir)), type: STATIC_TYPES[name.split('.').pop()!]! });
  }
  app.get<{ Params: { name: string } }>('/static/:name', { config: { policy: PUBLIC } }, async (req, reply) => {
    const file = files.get(req.params.name);
    if (!file) return reply.callNotFound();
    return reply.type(file.type).header('cache-control', 'public, max-age=3600').send(file.body);
  });

  app.get('/api/openapi.json', { config: { policy: PUBLIC } }, async () => app.swagger());

  app.get('/', { config: { policy: PUBLIC } }, async (req, reply) => {
    const ctx = pageContext(req);
    return sendPage(reply, <Layout ctx={ctx} title={ctx.t('home.title')}><HomePage ctx={ctx} /></Layout>);
  });
}
