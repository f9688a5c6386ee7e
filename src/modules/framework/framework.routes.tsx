import { Type } from '@sinclair/typebox';
import { policy } from '../../auth/policy.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { Problem } from '../../web/problem-schema.ts';
import { sendPage } from '../../web/render.tsx';
import type { App } from '../../web/types.ts';
import { frameworkEntry, frameworkRegister } from './framework.service.ts';
import { frameworkPolicy } from './framework.policy.ts';
import { Entry, FrameworkPage } from './framework.views.tsx';
import { FAMILIES } from './register.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const EntrySchema = Type.Object({
  id: Type.String({ description: 'Stable id, e.g. norm-1.8, cbm-26c, capacity-32a, proposal-E-16a, next-step-E-2' }),
  family: Type.String({ enum: [...FAMILIES] }),
  num: Type.String(),
  title: Type.String(),
  text: Type.String(),
  items: Type.Array(Type.Object({ num: Nullable(Type.String()), eId: Type.String(), text: Type.String() })),
  source: Type.Object({ symbol: Type.String(), language: Type.String(), version: Type.Integer(), eId: Type.String(), permalink: Type.String() }),
  citedBy: Type.Array(
    Type.Object({
      symbol: Nullable(Type.String()),
      language: Type.String(),
      title: Nullable(Type.String()),
      href: Type.String(),
      paragraph: Type.String(),
      verb: Nullable(Type.String()),
      targetParagraph: Nullable(Type.String()),
    }),
  ),
});

const FamilySchema = Type.Object({
  family: Type.String({ enum: [...FAMILIES] }),
  symbol: Type.String(),
  source: Type.Union([Type.Object({ language: Type.String(), version: Type.Integer(), title: Nullable(Type.String()), href: Type.String() }), Type.Null()]),
  entries: Type.Array(EntrySchema),
});

const IdParams = Type.Object({ id: Type.String({ pattern: '^[a-z-]+-[A-Za-z0-9.-]+$', maxLength: 64 }) });

export async function frameworkRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const read = policy('framework', frameworkPolicy, 'read');

  app.get('/framework', { config: { policy: read } }, async (req, reply) => {
    const ctx = pageContext(req);
    const families = await frameworkRegister(cadre, req.lang);
    return sendPage(reply, <Layout ctx={ctx} title={ctx.t('framework.title')}><FrameworkPage ctx={ctx} families={families} /></Layout>);
  });

  app.get<{ Params: { id: string } }>('/framework/:id', { config: { policy: read }, schema: { params: IdParams } }, async (req, reply) => {
    const ctx = pageContext(req);
    const { entry, family } = await frameworkEntry(cadre, req.params.id, req.lang);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={`${entry.id} · ${ctx.t(`framework.family.${family.family}`)}`}>
        <p>
          <a href="/framework">{ctx.t('framework.back')}</a> · <a href={`/api/v1/framework/${entry.id}`}>JSON</a>
        </p>
        <Entry ctx={ctx} entry={entry} heading="h2" />
      </Layout>,
    );
  });

  app.get(
    '/api/v1/framework',
    {
      config: { policy: read },
      schema: {
        tags: ['framework'],
        summary: 'The framework register: norms, CBMs, capacity-building measures, proposals and next steps, read from the library in the caller’s language where held',
        response: { 200: Type.Object({ language: Type.String(), families: Type.Array(FamilySchema) }) },
      },
    },
    async (req) => ({ language: req.lang, families: await frameworkRegister(cadre, req.lang) }),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/framework/:id',
    {
      config: { policy: read },
      schema: { tags: ['framework'], summary: 'One entry of the framework register by its stable id', params: IdParams, response: { 200: EntrySchema, 404: Problem } },
    },
    async (req) => (await frameworkEntry(cadre, req.params.id, req.lang)).entry,
  );
}
