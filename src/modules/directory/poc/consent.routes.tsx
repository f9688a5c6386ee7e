import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../../auth/policy.ts';
import { CadreError } from '../../../errors.ts';
import { Layout } from '../../../web/layout.tsx';
import { pageContext } from '../../../web/page-context.ts';
import { Problem } from '../../../web/problem-schema.ts';
import { sendPage } from '../../../web/render.tsx';
import type { App, Req, Reply } from '../../../web/types.ts';
import { consentChoices, setConsents } from './consent.service.ts';
import { ConsentForm } from './consent.view.tsx';
import { pocPolicy } from './poc.policy.ts';
import { entryForWriting, readEntry } from './poc.read.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 10 }));
const ConsentBody = Type.Object(
  { organisations: Type.Array(Type.String({ pattern: '^[A-Za-z0-9-]{1,16}$' }), { maxItems: 50, description: 'Ids of regional organisations (e.g. OSCE); an empty list shares with none' }) },
  { additionalProperties: false },
);
const ConsentJson = Type.Object({ id: Type.String(), version: Type.Integer(), organisations: Type.Array(Type.String()) });

/** Which regional organisations may receive an entry: the State admin's form, and the same through the API. */
export async function consentRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const page = policy('poc', pocPolicy, 'consent');

  const render = async (req: Req, reply: Reply, id: string, error?: string, status = 200) => {
    const entry = await readEntry(cadre, req.principal!, id, req.ip, 'page');
    const choices = await consentChoices(cadre, entry.state);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('directory.consent.heading')}>
        <p class="lead">{entry.name}</p>
        <ConsentForm ctx={ctx} entry={entry} choices={choices} error={error} />
      </Layout>,
      status,
    );
  };

  app.get<{ Params: Static<typeof IdParams> }>('/directory/entries/:id/consent', { config: { policy: page }, schema: { params: IdParams } }, async (req, reply) => {
    const row = await entryForWriting(cadre, req.principal!, req.params.id, 'consent');
    return render(req, reply, row.id);
  });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof FormBody> }>(
    '/directory/entries/:id/consent',
    { config: { policy: page }, schema: { params: IdParams, body: FormBody } },
    async (req, reply) => {
      const row = await entryForWriting(cadre, req.principal!, req.params.id, 'consent');
      const organisations = Object.keys(req.body ?? {}).filter((k) => k.startsWith('org_') && req.body[k] === 'on').map((k) => k.slice(4));
      try {
        await setConsents(cadre, req.principal!, row.id, organisations, { ip: req.ip });
      } catch (error) {
        if (error instanceof CadreError && error.field === 'organisations') return render(req, reply, row.id, req.t(error.messageKey, error.values), 400);
        throw error;
      }
      return reply.redirect(`/directory/entries/${row.id}#consent`, 303);
    },
  );

  app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof ConsentBody> }>(
    '/api/v1/directory/entries/:id/consent',
    {
      config: { policy: policy('poc', pocPolicy, 'consent', { scope: 'directory:write' }) },
      schema: {
        tags: ['directory'],
        summary: 'Choose the regional organisations that may receive the entry (organisations the State belongs to)',
        params: IdParams,
        body: ConsentBody,
        response: { 200: ConsentJson, 400: Problem, 403: Problem, 404: Problem, 409: Problem },
      },
    },
    async (req) => {
      const row = await entryForWriting(cadre, req.principal!, req.params.id, 'consent');
      const entry = await setConsents(cadre, req.principal!, row.id, req.body.organisations, { ip: req.ip });
      const organisations = [...new Set(req.body.organisations.map((o) => o.toUpperCase()))].sort();
      return { id: entry.id, version: entry.version, organisations };
    },
  );
}
