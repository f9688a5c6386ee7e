import { Type, type Static } from '@sinclair/typebox';
import { PUBLIC } from '../../../auth/policy.ts';
import { CsrfField } from '../../../web/forms.tsx';
import { Layout } from '../../../web/layout.tsx';
import { pageContext } from '../../../web/page-context.ts';
import { sendPage } from '../../../web/render.tsx';
import type { App } from '../../../web/types.ts';
import { openVerification, verifyAddress } from './address.service.ts';

const TokenParams = Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{20,100}$' }) });

/**
 * The link sent to a new address. Opening it shows a button; only pressing it verifies, so a mail
 * scanner that follows links cannot verify an address on its holder's behalf.
 */
export async function verifyRoutes(app: App): Promise<void> {
  const cadre = app.cadre;

  app.get<{ Params: Static<typeof TokenParams> }>('/directory/verify/:token', { config: { policy: PUBLIC }, schema: { params: TokenParams } }, async (req, reply) => {
    const { row } = await openVerification(cadre, req.params.token);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('directory.verify.heading')}>
        <p class="lead">{ctx.t('directory.verify.lead', { address: row.address })}</p>
        <form method="post" action={`/directory/verify/${req.params.token}`}>
          <CsrfField ctx={ctx} />
          <button type="submit">{ctx.t('directory.verify.submit')}</button>
        </form>
      </Layout>,
    );
  });

  app.post<{ Params: Static<typeof TokenParams> }>('/directory/verify/:token', { config: { policy: PUBLIC }, schema: { params: TokenParams } }, async (req, reply) => {
    await verifyAddress(cadre, req.params.token, req.ip);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('directory.verify.heading')}>
        <p class="notice notice-ok" role="status">
          {ctx.t('directory.verify.done')}
        </p>
      </Layout>,
    );
  });
}
