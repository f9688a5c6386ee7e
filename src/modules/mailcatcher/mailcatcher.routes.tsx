import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../auth/policy.ts';
import { CadreError } from '../../errors.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { sendPage } from '../../web/render.tsx';
import type { App } from '../../web/types.ts';
import { caughtMailPolicy } from './mailcatcher.policy.ts';
import { findCaughtMail, listCaughtMail } from './mailcatcher.repository.ts';
import { CaughtMailList, CaughtMailPage } from './mailcatcher.views.tsx';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * A caught message's HTML part, on a page of its own. `sandbox` (no allow-* token) gives the page
 * an opaque origin and blocks its scripts, forms, pop-ups and plugins; `default-src 'none'` stops
 * it fetching anything (no tracking pixel, no remote font). Its inline styles and embedded images
 * may render. Never put into a Cadre page: a message is content from outside.
 */
const HTML_PART_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; frame-ancestors 'none'; base-uri 'none'";

/** The demo's mail catcher: only in demo mode, only for the Secretariat. */
export async function mailCatcherRoutes(app: App): Promise<void> {
  const { config, database } = app.cadre;
  const { db } = database;
  // Outside demo mode there is no catcher, and no page either.
  const demoOnly = () => {
    if (!config.demo) throw new CadreError(404, 'error.notFound');
  };

  app.get('/mail', { config: { policy: policy('caught-mail', caughtMailPolicy, 'list') } }, async (req, reply) => {
    demoOnly();
    const messages = await listCaughtMail(db);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('mailcatcher.heading')}>
        <CaughtMailList ctx={ctx} messages={messages} />
      </Layout>,
    );
  });

  app.get<{ Params: Static<typeof IdParams> }>(
    '/mail/:id',
    { config: { policy: policy('caught-mail', caughtMailPolicy, 'view') }, schema: { params: IdParams } },
    async (req, reply) => {
      demoOnly();
      const mail = await findCaughtMail(db, req.params.id);
      if (!mail) throw new CadreError(404, 'mailcatcher.notFound');
      const ctx = pageContext(req);
      return sendPage(
        reply,
        <Layout ctx={ctx} title={mail.subject || ctx.t('mailcatcher.noSubject')}>
          <CaughtMailPage ctx={ctx} mail={mail} />
        </Layout>,
      );
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/mail/:id.html',
    { config: { policy: policy('caught-mail', caughtMailPolicy, 'view') }, schema: { params: IdParams } },
    async (req, reply) => {
      demoOnly();
      const mail = await findCaughtMail(db, req.params.id);
      if (!mail || mail.html === null) throw new CadreError(404, 'mailcatcher.notFound');
      return reply.header('content-security-policy', HTML_PART_CSP).type('text/html; charset=utf-8').send(mail.html);
    },
  );
}
