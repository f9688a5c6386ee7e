import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../../auth/policy.ts';
import { CadreError } from '../../../errors.ts';
import { Layout } from '../../../web/layout.tsx';
import { pageContext } from '../../../web/page-context.ts';
import { Problem } from '../../../web/problem-schema.ts';
import { sendPage } from '../../../web/render.tsx';
import type { App } from '../../../web/types.ts';
import { readDirectorySettings } from './directory.settings.ts';
import { changeDirectorySettings, chaseState } from './oversight.service.ts';
import { pocPolicy } from './poc.policy.ts';
import { SettingsPage } from './settings.view.tsx';

const IsoParams = Type.Object({ iso3: Type.String({ pattern: '^[A-Za-z]{3}$' }) });
const SettingsBody = Type.Object({
  reciprocity: Type.Optional(Type.Literal('on')),
  confirmMonths: Type.String({ pattern: '^[0-9]{1,3}$' }),
  reminderDays: Type.String({ pattern: '^[0-9]{1,3}$' }),
  _csrf: Type.Optional(Type.String()),
});
const SettingsJson = Type.Object(
  {
    reciprocity: Type.Boolean({ description: 'A State with no active point of contact sees who takes part but no contact details' }),
    confirmMonths: Type.Integer({ minimum: 1, maximum: 36, description: 'How long a confirmation holds' }),
    reminderDays: Type.Integer({ minimum: 1, maximum: 180, description: 'Days before "confirmed until" when the POC and its State’s admins are reminded' }),
  },
  { additionalProperties: false },
);
const SavedQuery = Type.Object({ saved: Type.Optional(Type.Literal('1')), lang: Type.Optional(Type.String()) });

/** The Secretariat's tools: chasing States with nobody nominated, and the directory's settings. */
export async function oversightRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const oversee = policy('poc', pocPolicy, 'oversee');

  app.post<{ Params: Static<typeof IsoParams> }>('/directory/overview/chase/:iso3', { config: { policy: oversee }, schema: { params: IsoParams } }, async (req, reply) => {
    const sent = await chaseState(cadre, req.principal!, req.params.iso3, req.ip);
    return reply.redirect(`/directory/overview?show=none&chased=${req.params.iso3.toUpperCase()}&sent=${sent}`, 303);
  });

  app.post<{ Params: Static<typeof IsoParams> }>(
    '/api/v1/directory/states/:iso3/chase',
    {
      config: { policy: policy('poc', pocPolicy, 'oversee', { scope: 'directory:write' }) },
      schema: { tags: ['directory'], summary: 'Ask a State with no active point of contact to nominate one (e-mail to its administrators, once a day)', params: IsoParams, response: { 200: Type.Object({ recipients: Type.Integer() }) } },
    },
    async (req) => ({ recipients: await chaseState(cadre, req.principal!, req.params.iso3, req.ip) }),
  );

  const apiTags = ['directory'];
  app.get(
    '/api/v1/directory/settings',
    {
      config: { policy: policy('poc', pocPolicy, 'oversee', { scope: 'directory:read' }) },
      schema: { tags: apiTags, summary: "The directory's settings (Secretariat)", response: { 200: SettingsJson, 403: Problem } },
    },
    async () => readDirectorySettings(cadre.database.db),
  );

  app.put<{ Body: Static<typeof SettingsJson> }>(
    '/api/v1/directory/settings',
    {
      config: { policy: policy('poc', pocPolicy, 'oversee', { scope: 'directory:write' }) },
      schema: { tags: apiTags, summary: "Change the directory's settings, all three at once (Secretariat; audited with before and after)", body: SettingsJson, response: { 200: SettingsJson, 400: Problem, 403: Problem } },
    },
    async (req) => {
      await changeDirectorySettings(cadre, req.principal!, req.body, req.ip);
      return readDirectorySettings(cadre.database.db);
    },
  );

  app.get<{ Querystring: Static<typeof SavedQuery> }>('/directory/settings', { config: { policy: oversee }, schema: { querystring: SavedQuery } }, async (req, reply) => {
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('directory.settings.heading')}>
        <SettingsPage ctx={ctx} settings={await readDirectorySettings(cadre.database.db)} saved={req.query.saved === '1'} />
      </Layout>,
    );
  });

  app.post<{ Body: Static<typeof SettingsBody> }>('/directory/settings', { config: { policy: oversee }, schema: { body: SettingsBody }, attachValidation: true }, async (req, reply) => {
    const body = (req.body ?? {}) as Partial<Static<typeof SettingsBody>>;
    const next = { reciprocity: body.reciprocity === 'on', confirmMonths: Number(body.confirmMonths), reminderDays: Number(body.reminderDays) };
    try {
      if (req.validationError) throw new CadreError(400, 'validation.range', {}, 'confirmMonths');
      await changeDirectorySettings(cadre, req.principal!, next, req.ip);
      return reply.redirect('/directory/settings?saved=1', 303);
    } catch (error) {
      if (!(error instanceof CadreError) || !error.field) throw error;
      const ctx = pageContext(req);
      return sendPage(
        reply,
        <Layout ctx={ctx} title={ctx.t('directory.settings.heading')}>
          <SettingsPage ctx={ctx} settings={next} saved={false} errors={{ [error.field]: ctx.t(error.messageKey) }} />
        </Layout>,
        400,
      );
    }
  });
}
