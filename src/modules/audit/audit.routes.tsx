import { Type, type Static } from '@sinclair/typebox';
import { listAuditEvents, verifyAuditChain, type AuditFilter } from '../../audit/audit.repository.ts';
import { policy } from '../../auth/policy.ts';
import type { AuditEventTable } from '../../db/schema.ts';
import { Layout } from '../../web/layout.tsx';
import { pageContext } from '../../web/page-context.ts';
import { sendPage } from '../../web/render.tsx';
import type { App } from '../../web/types.ts';
import { auditPolicy } from './audit.policy.ts';
import { AuditList } from './audit.view.tsx';

const PAGE = 100;

const Filter = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z.-]*$' })),
  state: Type.Optional(Type.String({ pattern: '^([A-Za-z]{3})?$' })),
  actor: Type.Optional(Type.String({ maxLength: 36 })),
  target: Type.Optional(Type.String({ maxLength: 128 })),
  since: Type.Optional(Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' })),
  until: Type.Optional(Type.String({ pattern: '^(\\d{4}-\\d{2}-\\d{2})?$' })),
  before: Type.Optional(Type.Integer({ minimum: 1 })),
  lang: Type.Optional(Type.String()),
});
export type AuditQuery = Static<typeof Filter>;

const EventJson = Type.Object({
  seq: Type.Integer(),
  time: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  state: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  prevHash: Type.String(),
  hash: Type.String(),
});

function filterOf(q: AuditQuery): AuditFilter {
  const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString();
  return {
    action: q.action || undefined,
    state: q.state ? q.state.toUpperCase() : undefined,
    actorId: q.actor || undefined,
    targetId: q.target || undefined,
    since: q.since ? `${q.since}T00:00:00.000Z` : undefined,
    until: q.until ? nextDay(q.until) : undefined,
    beforeSeq: q.before,
    limit: PAGE,
  };
}

function toJson(e: AuditEventTable): Static<typeof EventJson> {
  return {
    seq: e.seq,
    time: e.time,
    actorId: e.actor_id,
    actor: e.actor_label,
    action: e.action,
    targetType: e.target_type,
    targetId: e.target_id,
    state: e.state_iso3,
    ip: e.ip,
    details: JSON.parse(e.details) as Record<string, unknown>,
    prevHash: e.prev_hash,
    hash: e.hash,
  };
}

export async function auditRoutes(app: App): Promise<void> {
  const { db } = app.cadre.database;

  app.get<{ Querystring: AuditQuery }>(
    '/audit',
    { config: { policy: policy('audit', auditPolicy, 'list') }, schema: { querystring: Filter } },
    async (req, reply) => {
      const events = await listAuditEvents(db, filterOf(req.query));
      const verified = await verifyAuditChain(db);
      const ctx = pageContext(req);
      return sendPage(
        reply,
        <Layout ctx={ctx} title={ctx.t('audit.title')}>
          <AuditList ctx={ctx} events={events} query={req.query} pageSize={PAGE} chain={verified} />
        </Layout>,
      );
    },
  );

  app.get<{ Querystring: AuditQuery }>(
    '/api/v1/audit/events',
    {
      config: { policy: policy('audit', auditPolicy, 'list') },
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first, 100 a page (use `before` with the last seq for the next page)',
        querystring: Filter,
        response: { 200: Type.Object({ events: Type.Array(EventJson) }) },
      },
    },
    async (req) => ({ events: (await listAuditEvents(db, filterOf(req.query))).map(toJson) }),
  );
}
