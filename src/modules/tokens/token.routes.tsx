import { Type, type Static } from '@sinclair/typebox';
import { API_SCOPES } from '../../auth/api-tokens.ts';
import { policy } from '../../auth/policy.ts';
import { CadreError } from '../../errors.ts';
import { fieldErrorsFrom, type FieldErrors } from '../../web/forms.tsx';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { sendPage } from '../../web/render.tsx';
import type { App, Reply, Req } from '../../web/types.ts';
import { tokenPolicy } from './token.policy.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './token.service.ts';
import { TokensPage } from './tokens.view.tsx';

const CreateBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  scopes: Type.Array(Type.String({ enum: [...API_SCOPES] }), { minItems: 1 }),
  expiresInDays: Type.Optional(Type.String({ pattern: '^(\\d{1,3})?$' })),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export async function tokenRoutes(app: App): Promise<void> {
  const cadre = app.cadre;

  const render = async (req: Req, reply: Reply, extra: { created?: string; errors?: FieldErrors } = {}, status = 200) => {
    const ctx = pageContext(req);
    const tokens = await listApiTokens(cadre, req.principal!);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('tokens.title')}>
        <TokensPage ctx={ctx} tokens={tokens} canCreate={tokenPolicy(req.principal, 'create')} {...extra} />
      </Layout>,
      status,
    );
  };

  app.get('/tokens', { config: { policy: policy('api-token', tokenPolicy, 'list') } }, async (req, reply) => render(req, reply));

  app.post<{ Body: Static<typeof CreateBody> }>(
    '/tokens',
    { config: { policy: policy('api-token', tokenPolicy, 'create') }, schema: { body: CreateBody }, attachValidation: true },
    async (req, reply) => {
      if (req.validationError) return render(req, reply, { errors: fieldErrorsFrom(req.validationError.validation, req.t) }, 400);
      try {
        const days = req.body.expiresInDays ? Number(req.body.expiresInDays) : null;
        const { token } = await createApiToken(cadre, req.principal!, { name: req.body.name, scopes: req.body.scopes, expiresInDays: days }, req.ip);
        return render(req, reply, { created: token }, 201);
      } catch (e) {
        if (!(e instanceof CadreError)) throw e;
        return render(req, reply, { errors: { [e.field ?? '_form']: req.t(e.messageKey, e.values) } }, e.statusCode);
      }
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/tokens/:id/revoke',
    { config: { policy: policy('api-token', tokenPolicy, 'revoke') }, schema: { params: IdParams } },
    async (req, reply) => {
      await revokeApiToken(cadre, req.principal!, req.params.id, req.ip);
      return reply.redirect('/tokens', 303);
    },
  );

  // Who am I: lets an API client check its token and scopes.
  app.get(
    '/api/v1/me',
    {
      config: { policy: { name: 'self:read', allows: (p) => p !== null, needsSignIn: true } },
      schema: {
        tags: ['account'],
        summary: 'The caller: account, role, State and, for an API token, its scopes',
        response: {
          200: Type.Object({
            id: Type.String(),
            email: Type.String(),
            role: Type.String(),
            state: Type.Union([Type.String(), Type.Null()]),
            via: Type.String({ enum: ['session', 'token'] }),
            scopes: Type.Optional(Type.Array(Type.String())),
          }),
        },
      },
    },
    async (req) => {
      const p = req.principal!;
      return { id: p.userId, email: p.email, role: p.role, state: p.state, via: p.via, ...(p.scopes ? { scopes: p.scopes } : {}) };
    },
  );
}
