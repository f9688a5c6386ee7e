import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../auth/policy.ts';
import { ROLES, type Role, type UserTable } from '../../db/schema.ts';
import { CadreError } from '../../errors.ts';
import { Problem } from '../../web/problem-schema.ts';
import { fieldErrorsFrom, type FieldErrors } from '../../web/forms.tsx';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { sendPage } from '../../web/render.tsx';
import type { App, Reply, Req } from '../../web/types.ts';
import { findState, listStates } from '../directory/state.repository.ts';
import { sortByName } from '../directory/state.names.ts';
import { listRegionalOrganisations } from '../directory/regional-organisation.repository.ts';
import { userPolicy } from './user.policy.ts';
import { getUserFor, invitationDeliveryFor, inviteUser, listUsersFor, resetUser, setUserEnabled, USERS_PAGE_SIZE, type Invitation } from './user.service.ts';
import { InvitationIssued, InviteForm, UserDetail, UserList } from './user.views.tsx';

const UserJson = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  role: Type.String({ enum: [...ROLES] }),
  state: Type.Union([Type.String(), Type.Null()]),
  organisation: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ enum: ['invited', 'active', 'disabled'] }),
  createdAt: Type.String({ format: 'date-time' }),
});

const InvitationEmailJson = Type.Object(
  {
    status: Type.String({
      enum: ['queued', 'retrying', 'sending', 'sent', 'failed'],
      description: 'sent: an SMTP server accepted the message; failed: Cadre stopped trying (reset the account to send a new link)',
    }),
    at: Type.String({ format: 'date-time', description: 'when the status last changed' }),
  },
  { description: 'Only for an invited account whose open enrolment link is being e-mailed' },
);

const UserDetailJson = Type.Composite([UserJson, Type.Object({ invitationEmail: Type.Optional(InvitationEmailJson) })]);

const InvitationJson = Type.Object({
  user: UserJson,
  mailed: Type.Boolean({ description: 'true when SMTP is configured: the link is e-mailed to the user and is not in this response' }),
  enrolmentLink: Type.Optional(Type.String({ description: 'The single-use link to deliver by a trusted channel; only when mailed is false' })),
  expiresAt: Type.String({ format: 'date-time' }),
});

function invitationJson(inv: Invitation): Static<typeof InvitationJson> {
  return { user: toJson(inv.user), mailed: inv.mailed, ...(inv.mailed ? {} : { enrolmentLink: inv.link }), expiresAt: inv.expiresAt };
}

function toJson(u: UserTable): Static<typeof UserJson> {
  return { id: u.id, email: u.email, displayName: u.display_name, role: u.role, state: u.state_iso3, organisation: u.organisation_id, status: u.status, createdAt: u.created_at };
}

const ListQuery = Type.Object({
  state: Type.Optional(Type.String({ pattern: '^[A-Za-z]{3}$' })),
  role: Type.Optional(Type.String({ enum: [...ROLES] })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
  lang: Type.Optional(Type.String()),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const InviteBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 320 }),
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    role: Type.String({ enum: [...ROLES] }),
    state: Type.Optional(Type.String({ pattern: '^([A-Za-z]{3})?$' })),
    organisation: Type.Optional(Type.String({ pattern: '^([A-Za-z0-9-]{1,16})?$' })),
  },
  { additionalProperties: false },
);
type InviteBody = Static<typeof InviteBody>;

const ProblemRef = Problem;

/** Roles this principal may give, as the policy answers for its own State. */
function invitableRoles(req: Req): Role[] {
  const p = req.principal!;
  return ROLES.filter((role) => userPolicy(p, 'invite', { role, state_iso3: p.state }));
}

export async function userRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const db = cadre.database.db;

  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/users',
    { config: { policy: policy('user', userPolicy, 'list') }, schema: { querystring: ListQuery } },
    async (req, reply) => {
      const page = req.query.page ?? 1;
      const users = await listUsersFor(cadre, req.principal!, { state: req.query.state, role: req.query.role as Role | undefined, page });
      const ctx = pageContext(req);
      const states = sortByName(await listStates(db), req.lang);
      return sendPage(
        reply,
        <Layout ctx={ctx} title={ctx.t('users.title')}>
          <UserList ctx={ctx} users={users} states={states} filterState={req.query.state?.toUpperCase()} page={page} hasMore={users.length === USERS_PAGE_SIZE} canInvite={invitableRoles(req).length > 0} />
        </Layout>,
      );
    },
  );

  const renderInvite = async (req: Req, reply: Reply, values: Record<string, string | undefined> = {}, errors?: FieldErrors, status = 200) => {
    const ctx = pageContext(req);
    const states = sortByName(await listStates(db), req.lang);
    const organisations = await listRegionalOrganisations(db);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('users.invite')}>
        <InviteForm ctx={ctx} roles={invitableRoles(req)} states={states} organisations={organisations} values={values} {...(errors ? { errors } : {})} />
      </Layout>,
      status,
    );
  };

  app.get('/users/new', { config: { policy: policy('user', userPolicy, 'invite') } }, async (req, reply) => renderInvite(req, reply));

  app.post<{ Body: InviteBody }>(
    '/users',
    { config: { policy: policy('user', userPolicy, 'invite') }, schema: { body: InviteBody }, attachValidation: true },
    async (req, reply) => {
      const values = (req.body ?? {}) as Record<string, string | undefined>;
      if (req.validationError) return renderInvite(req, reply, values, fieldErrorsFrom(req.validationError.validation, req.t), 400);
      try {
        const inv = await inviteUser(cadre, req.principal!, { ...req.body, state: req.body.state || null, organisation: req.body.organisation || null }, { ip: req.ip, language: req.lang });
        const ctx = pageContext(req);
        return sendPage(
          reply,
          <Layout ctx={ctx} title={ctx.t('users.invitationTitle')}>
            <InvitationIssued ctx={ctx} purpose="enrol" user={inv.user} expiresAt={inv.expiresAt} delivery={inv} />
          </Layout>,
          201,
        );
      } catch (e) {
        if (!(e instanceof CadreError)) throw e;
        return renderInvite(req, reply, values, { [e.field ?? '_form']: req.t(e.messageKey, e.values) }, e.statusCode);
      }
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/users/:id',
    { config: { policy: policy('user', userPolicy, 'view') }, schema: { params: IdParams } },
    async (req, reply) => {
      const user = await getUserFor(cadre, req.principal!, req.params.id);
      const [state, delivery] = await Promise.all([user.state_iso3 ? findState(db, user.state_iso3) : undefined, invitationDeliveryFor(cadre, user)]);
      const p = req.principal!;
      const ctx = pageContext(req);
      const can = { reset: userPolicy(p, 'reset', user), disable: userPolicy(p, 'disable', user), enable: userPolicy(p, 'enable', user) };
      return sendPage(reply, <Layout ctx={ctx} title={user.display_name}><UserDetail ctx={ctx} user={user} state={state} can={can} delivery={delivery} /></Layout>);
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/users/:id/reset',
    { config: { policy: policy('user', userPolicy, 'reset') }, schema: { params: IdParams } },
    async (req, reply) => {
      const inv = await resetUser(cadre, req.principal!, req.params.id, { ip: req.ip, language: req.lang });
      const ctx = pageContext(req);
      return sendPage(
        reply,
        <Layout ctx={ctx} title={ctx.t('users.resetTitle')}>
          <InvitationIssued ctx={ctx} purpose="reset" user={inv.user} expiresAt={inv.expiresAt} delivery={inv} />
        </Layout>,
      );
    },
  );

  for (const [action, enabled] of [['disable', false], ['enable', true]] as const) {
    app.post<{ Params: Static<typeof IdParams> }>(
      `/users/:id/${action}`,
      { config: { policy: policy('user', userPolicy, action) }, schema: { params: IdParams } },
      async (req, reply) => {
        await setUserEnabled(cadre, req.principal!, req.params.id, enabled, req.ip);
        return reply.redirect(`/users/${req.params.id}`, 303);
      },
    );
  }

  // JSON API: the same services, so the same policy answers on every path.
  app.get<{ Querystring: Static<typeof ListQuery> }>(
    '/api/v1/users',
    {
      config: { policy: policy('user', userPolicy, 'list') },
      schema: {
        tags: ['users'],
        summary: 'Accounts the caller may see (Secretariat: all; State admin: its own State)',
        querystring: ListQuery,
        response: { 200: Type.Object({ users: Type.Array(UserJson), page: Type.Integer(), pageSize: Type.Integer() }), 403: ProblemRef },
      },
    },
    async (req) => {
      const page = req.query.page ?? 1;
      const users = await listUsersFor(cadre, req.principal!, { state: req.query.state, role: req.query.role as Role | undefined, page });
      return { users: users.map(toJson), page, pageSize: USERS_PAGE_SIZE };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/users/:id',
    {
      config: { policy: policy('user', userPolicy, 'view') },
      schema: {
        tags: ['users'],
        summary: 'One account; for an invited account whose link is being e-mailed, where that e-mail stands',
        params: IdParams,
        response: { 200: UserDetailJson, 403: ProblemRef, 404: ProblemRef },
      },
    },
    async (req) => {
      const user = await getUserFor(cadre, req.principal!, req.params.id);
      const delivery = await invitationDeliveryFor(cadre, user);
      return { ...toJson(user), ...(delivery ? { invitationEmail: delivery } : {}) };
    },
  );

  app.post<{ Body: InviteBody }>(
    '/api/v1/users',
    {
      config: { policy: policy('user', userPolicy, 'invite') },
      schema: {
        tags: ['users'],
        summary: 'Invite a user: with SMTP the enrolment link is e-mailed to them (mailed: true); without, the response carries it to deliver',
        body: InviteBody,
        response: {
          201: InvitationJson,
          400: ProblemRef,
          403: ProblemRef,
          409: ProblemRef,
        },
      },
    },
    async (req, reply) => {
      const inv = await inviteUser(cadre, req.principal!, { ...req.body, state: req.body.state || null, organisation: req.body.organisation || null }, { ip: req.ip, language: req.lang });
      return reply.status(201).send(invitationJson(inv));
    },
  );
}
