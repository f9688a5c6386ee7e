import { Type, type Static } from '@sinclair/typebox';
import { authorize, policy } from '../../auth/policy.ts';
import { CadreError } from '../../errors.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { Problem } from '../../web/problem-schema.ts';
import { sendPage } from '../../web/render.tsx';
import type { App, Req, Reply } from '../../web/types.ts';
import { findState } from '../directory/state.repository.ts';
import { stateName } from '../directory/state.names.ts';
import { reportCsv } from './report.export.ts';
import { reportPolicy, reportReadPolicy } from './report.policy.ts';
import { readPublicReports } from './report.repository.ts';
import { campaignReport, reportCampaigns, setPublicReports, stateHistory, type CampaignReport } from './report.service.ts';
import { History, ReportIndex, ReportPage } from './report.views.tsx';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const StateParams = Type.Object({ iso3: Type.String({ pattern: '^[A-Za-z]{3}$' }) });
const PublishQuery = Type.Object({ set: Type.Union([Type.Literal('on'), Type.Literal('off')]), campaign: Type.Optional(Type.String({ format: 'uuid' })) });

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const TallyFields = {
  checked: Type.Integer(),
  acknowledged: Type.Integer(),
  undeliverable: Type.Integer(),
  rate: Nullable(Type.Number({ description: 'acknowledged ÷ checked, 0 to 1' })),
  withheld: Type.Optional(Type.Boolean({ description: 'public aggregate: made of fewer than 3 States, so left out (figures 0)' })),
};
const ReportJson = Type.Object({
  campaign: Type.Object({ id: Type.String(), mode: Type.String(), createdAt: Type.String(), deadlineAt: Type.String(), targets: Type.Integer() }),
  audience: Type.String({ enum: ['secretariat', 'state', 'public'] }),
  asOf: Type.String(),
  overall: Type.Object(TallyFields),
  time: Type.Object({ count: Type.Integer(), medianSeconds: Nullable(Type.Number()), p90Seconds: Nullable(Type.Number()) }),
  byGroup: Type.Array(Type.Object({ group: Type.String(), ...TallyFields })),
  byOrganisation: Type.Optional(Type.Array(Type.Object({ organisation: Type.String(), ...TallyFields }))),
  byKind: Type.Optional(Type.Array(Type.Object({ kind: Type.String(), ...TallyFields }))),
  histogram: Type.Optional(Type.Array(Type.Object({ fromSeconds: Type.Integer(), toSeconds: Nullable(Type.Integer()), count: Type.Integer() }))),
  states: Type.Optional(
    Type.Array(Type.Object({ iso3: Type.String(), group: Type.String(), outcome: Type.String({ enum: ['all', 'some', 'none', 'undeliverable', 'unchecked'] }), medianSeconds: Nullable(Type.Number()), ...TallyFields })),
  ),
  targets: Type.Optional(
    Type.Array(
      Type.Object({
        targetId: Type.String(),
        state: Type.String(),
        group: Type.String(),
        kind: Type.String(),
        pocId: Type.String(),
        name: Type.String(),
        status: Type.String(),
        sentAt: Nullable(Type.String()),
        acknowledgedAt: Nullable(Type.String()),
        channel: Nullable(Type.String()),
        secondsToAcknowledge: Nullable(Type.Integer()),
      }),
    ),
  ),
});
const HistoryJson = Type.Object({
  state: Type.String(),
  campaigns: Type.Array(Type.Object({ campaignId: Type.String(), mode: Type.String(), createdAt: Type.String(), medianSeconds: Nullable(Type.Number()), ...TallyFields })),
});

/**
 * Reports of communication checks: a campaign's figures (page, CSV, JSON), a State's history across
 * campaigns, and the Secretariat's switch that publishes the aggregate. What a reader gets is decided
 * by report.policy.ts; the public gets 404 while the aggregate is not published.
 */
export async function checkReportRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const db = cadre.database.db;
  const tags = ['checks'];

  const csv = (reply: Reply, report: CampaignReport) =>
    reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="cadre-check-${report.campaign.id}.csv"`)
      .header('cache-control', 'no-store')
      .send(reportCsv(report));
  const json = (reply: Reply, report: CampaignReport) => reply.header('cache-control', 'no-store').send(report);

  app.get('/checks/reports', { config: { policy: reportReadPolicy } }, async (req, reply) => {
    const { audience, campaigns } = await reportCampaigns(cadre, req.principal);
    const ctx = pageContext(req);
    const publicOn = audience.kind === 'secretariat' ? await readPublicReports(db) : undefined;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('reports.indexHeading')}>
        <ReportIndex ctx={ctx} campaigns={campaigns} publicOn={publicOn} ownState={audience.kind === 'state' ? audience.state : undefined} />
      </Layout>,
    );
  });

  app.post<{ Querystring: Static<typeof PublishQuery> }>(
    '/checks/reports/public',
    { config: { policy: policy('check-report', reportPolicy, 'publish') }, schema: { querystring: PublishQuery } },
    async (req, reply) => {
      await setPublicReports(cadre, req.principal!, req.query.set === 'on', req.ip);
      return reply.redirect(req.query.campaign ? `/checks/${req.query.campaign}/report` : '/checks/reports', 303);
    },
  );

  const page = async (req: Req, reply: Reply, id: string) => {
    const { report, states } = await campaignReport(cadre, req.principal, id);
    const ctx = pageContext(req);
    const publicOn = report.audience === 'secretariat' ? await readPublicReports(db) : undefined;
    const history = report.audience === 'state' && req.principal?.state ? await stateHistory(cadre, req.principal, req.principal.state) : undefined;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('reports.heading')}>
        <ReportPage ctx={ctx} report={report} states={states} publicOn={publicOn} history={history} />
      </Layout>,
    );
  };
  app.get<{ Params: Static<typeof IdParams> }>('/checks/:id/report', { config: { policy: reportReadPolicy }, schema: { params: IdParams } }, (req, reply) => page(req, reply, req.params.id));
  app.get<{ Params: Static<typeof IdParams> }>('/checks/:id/report.csv', { config: { policy: reportReadPolicy }, schema: { params: IdParams } }, async (req, reply) =>
    csv(reply, (await campaignReport(cadre, req.principal, req.params.id)).report),
  );
  app.get<{ Params: Static<typeof IdParams> }>('/checks/:id/report.json', { config: { policy: reportReadPolicy }, schema: { params: IdParams, response: { 200: ReportJson } } }, async (req, reply) =>
    json(reply, (await campaignReport(cadre, req.principal, req.params.id)).report),
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/checks/:id/report',
    {
      config: { policy: reportReadPolicy },
      schema: {
        tags,
        summary: 'A campaign’s report: every target for the Secretariat, the own State’s detail for a State, the published aggregate for others (404 while unpublished)',
        params: IdParams,
        response: { 200: ReportJson, 404: Problem },
      },
    },
    async (req, reply) => json(reply, (await campaignReport(cadre, req.principal, req.params.id)).report),
  );
  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/checks/:id/report.csv',
    { config: { policy: reportReadPolicy }, schema: { tags, summary: 'The same report as CSV: one row per target for the Secretariat, per aggregate for others', params: IdParams } },
    async (req, reply) => csv(reply, (await campaignReport(cadre, req.principal, req.params.id)).report),
  );

  const historyOf = async (req: Req, iso3: string) => {
    const state = await findState(db, iso3);
    if (!state) throw new CadreError(404, 'checks.notFound');
    authorize('check-report', reportPolicy, req.principal, 'readState', { state_iso3: state.iso3 });
    return { state, rows: await stateHistory(cadre, req.principal, state.iso3) };
  };
  const readState = policy('check-report', reportPolicy, 'readState');
  app.get<{ Params: Static<typeof StateParams> }>('/checks/states/:iso3', { config: { policy: readState }, schema: { params: StateParams } }, async (req, reply) => {
    const { state, rows } = await historyOf(req, req.params.iso3);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('reports.history.title', { state: stateName(state, ctx.lang) })}>
        <History ctx={ctx} rows={rows} />
        <p>
          <a href={`/api/v1/checks/states/${state.iso3}/history`}>{ctx.t('reports.exportJson')}</a>
        </p>
      </Layout>,
    );
  });
  app.get<{ Params: Static<typeof StateParams> }>(
    '/api/v1/checks/states/:iso3/history',
    {
      config: { policy: readState },
      schema: { tags, summary: 'A State’s results in each campaign that checked it, newest first (Secretariat; a State for itself)', params: StateParams, response: { 200: HistoryJson, 403: Problem, 404: Problem } },
    },
    async (req) => {
      const { state, rows } = await historyOf(req, req.params.iso3);
      return { state: state.iso3, campaigns: rows };
    },
  );
}
