import { Type, type Static } from '@sinclair/typebox';
import { policy, PUBLIC } from '../../auth/policy.ts';
import { CadreError, InvalidFields } from '../../errors.ts';
import { problemMessages } from '../../web/forms.tsx';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { Problem } from '../../web/problem-schema.ts';
import { sendPage } from '../../web/render.tsx';
import { cadreNow, type App, type Req, type Reply } from '../../web/types.ts';
import { listRegionalOrganisations } from '../directory/regional-organisation.repository.ts';
import { listStates } from '../directory/state.repository.ts';
import { sortByName } from '../directory/state.names.ts';
import { checkPolicy } from './check.policy.ts';
import * as repo from './check.repository.ts';
import { acknowledgeByLink, acknowledgeInPortal, openToken, startCampaign, type CampaignInput } from './check.service.ts';
import { AckPage, CampaignList, CampaignPage, MyChecks, NewCampaignForm } from './check.views.tsx';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const TokenParams = Type.Object({ token: Type.String({ maxLength: 100 }) });
const FormBody = Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 1000 }), Type.Array(Type.String({ maxLength: 3 }), { maxItems: 193 })]));
const DoneQuery = Type.Object({ done: Type.Optional(Type.Literal('1')), lang: Type.Optional(Type.String()) });
const CampaignBody = Type.Object(
  {
    mode: Type.String({ maxLength: 16 }),
    kind: Type.Optional(Type.String({ maxLength: 16 })),
    group: Type.Optional(Type.String({ maxLength: 32 })),
    organisation: Type.Optional(Type.String({ maxLength: 16 })),
    states: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z]{3}$' }), { maxItems: 193 })),
    deadlineHours: Type.Optional(Type.Integer()),
    reminders: Type.Optional(Type.Array(Type.Integer(), { maxItems: 5, description: 'Hours before the deadline when unanswered POCs are reminded (default [24])' })),
    recurrenceMonths: Type.Optional(Type.Union([Type.Integer(), Type.Null()], { description: 'Start again every this many months (null: once)' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
const CountsJson = Type.Object({ queued: Type.Integer(), sent: Type.Integer(), undeliverable: Type.Integer(), acknowledged: Type.Integer(), overdue: Type.Integer() });
const CampaignJson = Type.Object({
  id: Type.String(),
  mode: Type.String(),
  scope: Type.Unknown(),
  note: Type.String(),
  createdAt: Type.String(),
  deadlineAt: Type.String(),
  reminders: Type.Array(Type.Integer()),
  recurrenceMonths: Type.Union([Type.Integer(), Type.Null()]),
  nextRunAt: Type.Union([Type.String(), Type.Null()]),
  targets: Type.Integer(),
  counts: CountsJson,
});

type FormValues = Record<string, string | string[] | undefined>;

function campaignInputFromForm(form: FormValues): CampaignInput {
  const states = ([] as string[]).concat(form.states ?? []).filter(Boolean);
  const v = Object.fromEntries(Object.entries(form).map(([k, x]) => [k, Array.isArray(x) ? x[0] : x])) as Record<string, string | undefined>;
  const hours = v.deadlineHours?.trim() ? Number(v.deadlineHours) : 48;
  const reminders = (v.reminders ?? '').split(/[\s,;]+/).filter(Boolean).map(Number);
  return {
    ...(v.reminders !== undefined ? { reminders } : {}),
    recurrenceMonths: v.recurrenceMonths ? Number(v.recurrenceMonths) : null,
    mode: v.mode ?? 'routine',
    scope: { kind: (v.kind || undefined) as CampaignInput['scope']['kind'], group: v.group || undefined, organisation: v.organisation || undefined, states: states.length ? states : undefined },
    deadlineHours: Number.isFinite(hours) ? hours : NaN,
    note: v.note,
  };
}

/** Communication checks: the Secretariat's campaigns, the acknowledgement link, and the POC's own open checks. */
export async function checkRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const db = cadre.database.db;
  const now = () => cadreNow(cadre).toISOString();

  app.get('/checks', { config: { policy: policy('check', checkPolicy, 'list') } }, async (req, reply) => {
    const campaigns = await repo.listCampaigns(db);
    const counts = await repo.countByStatus(db, campaigns.map((c) => c.id), now());
    const ctx = pageContext(req);
    return sendPage(reply, <Layout ctx={ctx} title={ctx.t('checks.heading')}><CampaignList ctx={ctx} campaigns={campaigns} counts={counts} /></Layout>);
  });

  const renderNew = async (req: Req, reply: Reply, values: FormValues, errors?: Record<string, string>, status = 200) => {
    const ctx = pageContext(req);
    const [states, organisations] = await Promise.all([listStates(db), listRegionalOrganisations(db)]);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('checks.start')}>
        <NewCampaignForm ctx={ctx} states={sortByName(states, req.lang)} organisations={organisations} values={values} errors={errors} />
      </Layout>,
      status,
    );
  };
  const start = policy('check', checkPolicy, 'start');
  app.get('/checks/new', { config: { policy: start } }, async (req, reply) => renderNew(req, reply, {}));
  app.post<{ Body: Static<typeof FormBody> }>('/checks', { config: { policy: start }, schema: { body: FormBody } }, async (req, reply) => {
    const values = req.body as FormValues;
    try {
      const campaign = await startCampaign(cadre, req.principal!, campaignInputFromForm(values), req.ip);
      return reply.redirect(`/checks/${campaign.id}`, 303);
    } catch (error) {
      if (error instanceof InvalidFields) return renderNew(req, reply, values, problemMessages(error.fields, req.t), 400);
      if (error instanceof CadreError && (error.messageKey === 'checks.noTargets' || error.messageKey === 'checks.noMail')) {
        return renderNew(req, reply, values, { mode: req.t(error.messageKey) }, error.statusCode);
      }
      throw error;
    }
  });

  app.get<{ Params: Static<typeof IdParams> }>('/checks/:id', { config: { policy: policy('check', checkPolicy, 'view') }, schema: { params: IdParams } }, async (req, reply) => {
    const campaign = await repo.findCampaign(db, req.params.id);
    if (!campaign) throw new CadreError(404, 'checks.notFound');
    const [counts, targets, states] = await Promise.all([repo.countByStatus(db, [campaign.id], now()), repo.targetsOf(db, campaign.id), listStates(db)]);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('checks.campaignHeading')}>
        <CampaignPage ctx={ctx} campaign={campaign} counts={counts.get(campaign.id)!} targets={targets} states={states} overdue={campaign.deadline_at < now()} />
      </Layout>,
    );
  });

  // The link in the e-mail: opening it shows a button; only pressing it acknowledges.
  app.get<{ Params: Static<typeof TokenParams> }>('/checks/ack/:token', { config: { policy: PUBLIC }, schema: { params: TokenParams } }, async (req, reply) => {
    const { campaign } = await openToken(cadre, req.params.token, req.ip, 'link');
    const ctx = pageContext(req);
    return sendPage(reply, <Layout ctx={ctx} title={ctx.t('checks.ack.heading')}><AckPage ctx={ctx} token={req.params.token} mode={campaign.mode} deadline={campaign.deadline_at} /></Layout>);
  });
  app.post<{ Params: Static<typeof TokenParams> }>('/checks/ack/:token', { config: { policy: PUBLIC }, schema: { params: TokenParams } }, async (req, reply) => {
    await acknowledgeByLink(cadre, req.params.token, req.ip);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('checks.ack.heading')}>
        <p class="notice notice-ok" role="status">
          {ctx.t('checks.ack.done')}
        </p>
      </Layout>,
    );
  });

  app.get<{ Querystring: Static<typeof DoneQuery> }>('/checks/mine', { config: { policy: policy('check', checkPolicy, 'mine') }, schema: { querystring: DoneQuery } }, async (req, reply) => {
    const open = await repo.openTargetsOf(db, req.principal!.userId);
    const ctx = pageContext(req);
    return sendPage(reply, <Layout ctx={ctx} title={ctx.t('checks.mine.heading')}><MyChecks ctx={ctx} open={open} done={req.query.done === '1'} /></Layout>);
  });
  app.post<{ Params: Static<typeof IdParams> }>(
    '/checks/targets/:id/acknowledge',
    { config: { policy: policy('check', checkPolicy, 'acknowledge') }, schema: { params: IdParams } },
    async (req, reply) => {
      await acknowledgeInPortal(cadre, req.principal!, req.params.id, req.ip);
      return reply.redirect('/checks/mine?done=1', 303);
    },
  );

  // API: the same services.
  const tags = ['checks'];
  const toJson = (c: Awaited<ReturnType<typeof repo.findCampaign>> & object, counts: repo.StatusCounts) => ({
    id: c.id,
    mode: c.mode,
    scope: JSON.parse(c.scope) as unknown,
    note: c.note,
    createdAt: c.created_at,
    deadlineAt: c.deadline_at,
    reminders: JSON.parse(c.reminders) as number[],
    recurrenceMonths: c.recurrence_months,
    nextRunAt: c.next_run_at,
    targets: c.target_count,
    counts,
  });
  app.get(
    '/api/v1/checks',
    { config: { policy: policy('check', checkPolicy, 'list') }, schema: { tags, summary: 'Campaigns, newest first, with their progress (Secretariat)', response: { 200: Type.Object({ campaigns: Type.Array(CampaignJson) }), 403: Problem } } },
    async () => {
      const campaigns = await repo.listCampaigns(db);
      const counts = await repo.countByStatus(db, campaigns.map((c) => c.id), now());
      return { campaigns: campaigns.map((c) => toJson(c, counts.get(c.id)!)) };
    },
  );
  app.post<{ Body: Static<typeof CampaignBody> }>(
    '/api/v1/checks',
    {
      config: { policy: start },
      schema: { tags, summary: 'Start a campaign: one e-mail per active POC in scope (Secretariat)', body: CampaignBody, response: { 201: CampaignJson, 400: Problem, 403: Problem, 409: Problem } },
    },
    async (req, reply) => {
      const b = req.body;
      const campaign = await startCampaign(cadre, req.principal!, { mode: b.mode, scope: { kind: b.kind as CampaignInput['scope']['kind'], group: b.group, organisation: b.organisation, states: b.states }, deadlineHours: b.deadlineHours, reminders: b.reminders, recurrenceMonths: b.recurrenceMonths, note: b.note }, req.ip);
      const counts = await repo.countByStatus(db, [campaign.id], now());
      return reply.status(201).send(toJson(campaign, counts.get(campaign.id)!));
    },
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/checks/:id',
    { config: { policy: policy('check', checkPolicy, 'view') }, schema: { tags, summary: 'One campaign and its progress (Secretariat)', params: IdParams, response: { 200: CampaignJson, 404: Problem } } },
    async (req) => {
      const campaign = await repo.findCampaign(db, req.params.id);
      if (!campaign) throw new CadreError(404, 'checks.notFound');
      const counts = await repo.countByStatus(db, [campaign.id], now());
      return toJson(campaign, counts.get(campaign.id)!);
    },
  );
  app.post<{ Params: Static<typeof IdParams> }>(
    '/api/v1/checks/targets/:id/acknowledge',
    { config: { policy: policy('check', checkPolicy, 'acknowledge') }, schema: { tags, summary: 'A signed-in POC acknowledges one of its open checks', params: IdParams, response: { 200: Type.Object({ acknowledgedAt: Type.String() }), 404: Problem, 409: Problem } } },
    async (req) => {
      const target = await acknowledgeInPortal(cadre, req.principal!, req.params.id, req.ip);
      return { acknowledgedAt: target.acknowledged_at! };
    },
  );
}
