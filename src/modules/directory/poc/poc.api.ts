import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../../auth/policy.ts';
import type { Principal } from '../../../auth/principal.ts';
import type { PocRevisionTable } from '../../../db/schema.ts';
import { CadreError } from '../../../errors.ts';
import { Problem } from '../../../web/problem-schema.ts';
import { cadreNow, type App } from '../../../web/types.ts';
import { findState } from '../state.repository.ts';
import { PocEntrySchema } from './formats/json.ts';
import { pocPolicy } from './poc.policy.ts';
import { entryForWriting, readEntry, readHistory, readStateEntries, readStateHistory, recordViews, searchDirectory } from './poc.read.ts';
import * as repo from './poc.repository.ts';
import { directoryQuery, SearchQuery } from './poc.routes.tsx';
import { confirmPoc, nominatePoc, updatePoc, withdrawPoc } from './poc.service.ts';

const EntryJson = Type.Composite([
  PocEntrySchema,
  Type.Object({
    lapsed: Type.Boolean({ description: 'Active, but its confirmation ran out' }),
    reachableNow: Type.Boolean({ description: 'Within its declared hours at this moment, in its own time zone' }),
    sharedWith: Type.Array(Type.String(), { description: 'Regional organisations the entry is shared with' }),
    checkGrade: Type.Union([Type.Literal('verified'), Type.Literal('overdue'), Type.Literal('suspect'), Type.Literal('invalid'), Type.Null()], {
      description: 'The result of its communication checks: verified (last check acknowledged), overdue (unanswered), suspect (bounced, or unanswered twice), invalid (undeliverable twice); null before any',
    }),
    checkVerifiedAt: Type.Union([Type.String(), Type.Null()], { description: 'When a person last acknowledged a check' }),
  }),
]);

const RevisionJson = Type.Object({
  version: Type.Integer(),
  time: Type.String(),
  change: Type.String(),
  actor: Type.String(),
  nominationRef: Type.Union([Type.String(), Type.Null()]),
  entry: Type.Unknown({ description: 'The entry as it stood after the change' }),
});

const Span = Type.Object({ from: Type.String({ maxLength: 5 }), to: Type.String({ maxLength: 5 }) });
const Spans = Type.Optional(Type.Array(Span, { maxItems: 6 }));
const PocBody = Type.Object(
  {
    kind: Type.String({ maxLength: 20 }),
    rank: Type.String({ maxLength: 20 }),
    name: Type.String({ maxLength: 200 }),
    title: Type.Optional(Type.String({ maxLength: 200 })),
    organisation: Type.Optional(Type.String({ maxLength: 300 })),
    emails: Type.Array(Type.String({ maxLength: 320 }), { minItems: 1, maxItems: 5, description: 'The first is the primary address, the one the POC enrols with' }),
    phones: Type.Optional(Type.Array(Type.Object({ number: Type.String({ maxLength: 40 }), label: Type.String({ maxLength: 20 }) }), { maxItems: 6 })),
    languages: Type.Array(Type.String({ maxLength: 8 }), { maxItems: 12, description: 'ISO 639-1 codes' }),
    timeZone: Type.String({ maxLength: 64, description: 'IANA time zone, e.g. Europe/Paris' }),
    availability: Type.Union([
      Type.String({ maxLength: 500, description: "Compact form: '24/7' or 'mon-fri 09:00-17:00; sat 10:00-12:00'" }),
      Type.Object({ always: Type.Literal(true) }),
      Type.Object({ always: Type.Literal(false), hours: Type.Object({ mon: Spans, tue: Spans, wed: Spans, thu: Spans, fri: Spans, sat: Spans, sun: Spans }) }),
    ]),
    pgpKey: Type.Optional(Type.Union([Type.String({ maxLength: 100_000 }), Type.Null()])),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    nominationRef: Type.String({ maxLength: 200, description: 'Reference of the note verbale or letter' }),
    nominationDate: Type.String({ maxLength: 10, description: 'YYYY-MM-DD' }),
  },
  { additionalProperties: false },
);
type PocBody = Static<typeof PocBody>;

const WithdrawBody = Type.Object({ nominationRef: Type.String({ maxLength: 200 }), nominationDate: Type.String({ maxLength: 10 }) }, { additionalProperties: false });
/** A revision as the API gives it, the entry as it stood after the change included. */
const revisionJson = (r: PocRevisionTable) => ({ version: r.version, time: r.time, change: r.change, actor: r.actor_label, nominationRef: r.nomination_ref, entry: JSON.parse(r.snapshot) as unknown });

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const IsoParams = Type.Object({ iso3: Type.String({ pattern: '^[A-Za-z]{3}$' }) });
const LinksNote = { description: 'Only when this installation sends no e-mail: the links that verify the new addresses, to deliver to their holders' };
const UpdatedJson = Type.Composite([EntryJson, Type.Object({ verificationLinks: Type.Optional(Type.Array(Type.String(), LinksNote)) })]);
const NominatedJson = Type.Object({
  entry: EntryJson,
  verificationLinks: Type.Optional(Type.Array(Type.String(), LinksNote)),
  invitation: Type.Union([
    Type.Null(),
    Type.Object({ mailed: Type.Boolean(), expiresAt: Type.String(), link: Type.Optional(Type.String({ description: 'Only when not e-mailed: the enrolment link to deliver' })) }),
  ]),
});

const tags = ['directory'];
const read = (action: 'list') => policy('poc', pocPolicy, action, { scope: 'directory:read' });
const write = (action: 'nominate' | 'update' | 'withdraw' | 'confirm') => policy('poc', pocPolicy, action, { scope: 'directory:write' });

/** The directory through `/api/v1`: the same services as the pages, so the same policy answers. */
export async function pocApiRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const db = cadre.database.db;
  // After a change, the entry as its writer now reads it (own State: no view to record).
  const asJson = (req: { principal: Principal | null; ip: string }, id: string) => readEntry(cadre, req.principal!, id, req.ip, 'api');

  app.get<{ Querystring: SearchQuery }>(
    '/api/v1/directory/entries',
    {
      config: { policy: read('list') },
      schema: { tags, summary: 'Search the entries the caller may see (same filters as the directory page)', querystring: SearchQuery, response: { 200: Type.Object({ entries: Type.Array(EntryJson) }), 403: Problem } },
    },
    async (req) => {
      const { entries } = await searchDirectory(cadre, req.principal!, directoryQuery(req.query));
      await recordViews(cadre, req.principal!, entries, req.ip, 'api');
      return { entries };
    },
  );

  app.post<{ Body: PocBody }>(
    '/api/v1/directory/entries',
    {
      config: { policy: write('nominate') },
      schema: { tags, summary: "Nominate a point of contact of the caller's State (State admin)", body: PocBody, response: { 201: NominatedJson, 400: Problem, 403: Problem, 409: Problem } },
    },
    async (req, reply) => {
      const p = req.principal!;
      if (!p.state) throw new CadreError(403, 'error.forbidden');
      const { entry, invitation, verificationLinks } = await nominatePoc(cadre, p, p.state, { ...req.body, phones: req.body.phones ?? [] }, { ip: req.ip, language: req.lang });
      return reply.status(201).send({
        entry: await asJson(req, entry.id),
        ...(verificationLinks.length ? { verificationLinks } : {}),
        invitation: invitation ? { mailed: invitation.mailed, expiresAt: invitation.expiresAt, ...(invitation.mailed ? {} : { link: invitation.link }) } : null,
      });
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/directory/entries/:id',
    { config: { policy: read('list') }, schema: { tags, summary: 'One entry (404 when the caller may not see it)', params: IdParams, response: { 200: EntryJson, 404: Problem } } },
    async (req) => readEntry(cadre, req.principal!, req.params.id, req.ip, 'api'),
  );

  app.put<{ Params: Static<typeof IdParams>; Body: PocBody }>(
    '/api/v1/directory/entries/:id',
    {
      config: { policy: write('update') },
      schema: { tags, summary: 'Update an entry; a new address is used once verified', params: IdParams, body: PocBody, response: { 200: UpdatedJson, 400: Problem, 403: Problem, 404: Problem, 409: Problem } },
    },
    async (req) => {
      const row = await entryForWriting(cadre, req.principal!, req.params.id, 'update');
      const { verificationLinks } = await updatePoc(cadre, req.principal!, row.id, { ...req.body, phones: req.body.phones ?? [] }, { ip: req.ip, language: req.lang });
      return { ...(await asJson(req, row.id)), ...(verificationLinks.length ? { verificationLinks } : {}) };
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof WithdrawBody> }>(
    '/api/v1/directory/entries/:id/withdraw',
    {
      config: { policy: write('withdraw') },
      schema: { tags, summary: 'Withdraw an entry, citing the note verbale', params: IdParams, body: WithdrawBody, response: { 200: EntryJson, 400: Problem, 403: Problem, 404: Problem } },
    },
    async (req) => {
      const row = await entryForWriting(cadre, req.principal!, req.params.id, 'withdraw');
      await withdrawPoc(cadre, req.principal!, row.id, req.body, { ip: req.ip });
      return asJson(req, row.id);
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/api/v1/directory/entries/:id/confirm',
    { config: { policy: write('confirm') }, schema: { tags, summary: 'Confirm the entry is current: confirmed until moves on', params: IdParams, response: { 200: EntryJson, 403: Problem, 404: Problem } } },
    async (req) => {
      const row = await entryForWriting(cadre, req.principal!, req.params.id, 'confirm');
      await confirmPoc(cadre, req.principal!, row.id, { ip: req.ip });
      return asJson(req, row.id);
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/api/v1/directory/entries/:id/history',
    {
      config: { policy: read('list') },
      schema: { tags, summary: "An entry's changes, newest first (its own State and the Secretariat)", params: IdParams, response: { 200: Type.Object({ revisions: Type.Array(RevisionJson) }), 403: Problem, 404: Problem } },
    },
    async (req) => {
      const revisions = await readHistory(cadre, req.principal!, req.params.id, req.ip, 'api.history');
      return { revisions: revisions.map(revisionJson) };
    },
  );

  app.get<{ Params: Static<typeof IsoParams> }>(
    '/api/v1/directory/states/:iso3',
    {
      config: { policy: read('list') },
      schema: { tags, summary: "A State's entries as the caller may see them, and whether the State takes part", params: IsoParams, response: { 200: Type.Object({ state: Type.String(), participates: Type.Boolean(), entries: Type.Array(EntryJson) }), 404: Problem } },
    },
    async (req) => {
      const state = await findState(db, req.params.iso3.toUpperCase());
      if (!state) throw new CadreError(404, 'directory.unknownState', { state: req.params.iso3.toUpperCase() });
      const { entries, participates } = await readStateEntries(cadre, req.principal!, state.iso3, req.ip, 'api');
      return { state: state.iso3, participates, entries };
    },
  );

  app.get<{ Params: Static<typeof IsoParams> }>(
    '/api/v1/directory/states/:iso3/history',
    {
      config: { policy: read('list') },
      schema: {
        tags,
        summary: "The latest changes to a State's entries, newest first (its own State and the Secretariat; each entry's history is whole)",
        params: IsoParams,
        response: { 200: Type.Object({ state: Type.String(), revisions: Type.Array(Type.Object({ entryId: Type.String(), name: Type.String(), kind: Type.String(), ...RevisionJson.properties })) }), 403: Problem, 404: Problem },
      },
    },
    async (req) => {
      const state = await findState(db, req.params.iso3.toUpperCase());
      if (!state) throw new CadreError(404, 'directory.unknownState', { state: req.params.iso3.toUpperCase() });
      // Which States take part is public: another State's history is refused, not hidden.
      const history = await readStateHistory(cadre, req.principal!, state.iso3, req.ip, 'api.history');
      if (!history) throw new CadreError(403, 'error.forbidden');
      return { state: state.iso3, revisions: history.map((r) => ({ entryId: r.poc_id, name: r.name, kind: r.kind, ...revisionJson(r) })) };
    },
  );

  app.get(
    '/api/v1/directory/overview',
    {
      config: { policy: policy('poc', pocPolicy, 'oversee', { scope: 'directory:read' }) },
      schema: {
        tags,
        summary: 'Every State with entries: counts by status and the oldest confirmation (Secretariat)',
        response: {
          200: Type.Object({
            states: Type.Array(Type.Object({ state: Type.String(), pending: Type.Integer(), active: Type.Integer(), lapsed: Type.Integer(), withdrawn: Type.Integer(), oldestConfirmedUntil: Type.Union([Type.String(), Type.Null()]) })),
          }),
          403: Problem,
        },
      },
    },
    async () => {
      const counts = await repo.countsByState(db, cadreNow(cadre).toISOString());
      return { states: counts.map((c) => ({ state: c.state_iso3, pending: c.pending, active: c.active, lapsed: c.lapsed, withdrawn: c.withdrawn, oldestConfirmedUntil: c.oldest_confirmed_until })) };
    },
  );
}
