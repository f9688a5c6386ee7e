import { Type, type Static } from '@sinclair/typebox';
import { policy } from '../../../auth/policy.ts';
import { REGIONAL_GROUPS } from '../../../db/schema.ts';
import { InvalidFields } from '../../../errors.ts';
import { problemMessages } from '../../../web/forms.tsx';
import { Layout } from '../../../web/layout.tsx';
import { pageContext } from '../../../web/page-context.ts';
import { sendPage } from '../../../web/render.tsx';
import { cadreNow, type App, type Req, type Reply } from '../../../web/types.ts';
import { listRegionalOrganisations } from '../regional-organisation.repository.ts';
import { findState, listStates } from '../state.repository.ts';
import { sortByName, stateName } from '../state.names.ts';
import { DirectoryPage } from './directory.view.tsx';
import { EntryPage } from './entry.view.tsx';
import { OverviewPage, type OverviewFilter } from './overview.view.tsx';
import { formValuesFromEntry, pocInputFromForm } from './poc-form.ts';
import { PocForm, VerificationLinks, type PocFormValues } from './poc-form.view.tsx';
import { pocPolicy } from './poc.policy.ts';
import { entryForWriting, listDirectory, readEntry, readHistory, readStateEntries, readStateHistory, type DirectoryQuery } from './poc.read.ts';
import * as repo from './poc.repository.ts';
import { confirmPoc, nominatePoc, updatePoc, withdrawPoc, writeSubject } from './poc.service.ts';
import { StateDirectoryPage } from './state-directory.view.tsx';
import { InvitationIssued } from '../../users/user.views.tsx';
import { POC_KINDS, POC_STATUSES } from './types.ts';
import { toPocEntry } from './poc.entry.ts';
import { timeZoneChoices } from './time-zones.ts';
import { PGP_WARN_DAYS } from './pgp-warning.ts';

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  state: Type.Optional(Type.String({ pattern: '^([A-Za-z]{3})?$' })),
  group: Type.Optional(Type.Union([Type.Literal(''), ...REGIONAL_GROUPS.map((g) => Type.Literal(g))])),
  organisation: Type.Optional(Type.String({ pattern: '^([A-Za-z0-9-]{1,16})?$' })),
  sharedWith: Type.Optional(Type.String({ pattern: '^([A-Za-z0-9-]{1,16})?$', description: 'Only entries whose State consented to share them with this regional organisation' })),
  kind: Type.Optional(Type.Union([Type.Literal(''), ...POC_KINDS.map((k) => Type.Literal(k))])),
  language: Type.Optional(Type.String({ pattern: '^([A-Za-z]{2})?$' })),
  status: Type.Optional(Type.Union([Type.Literal(''), Type.Literal('lapsed'), ...POC_STATUSES.map((s) => Type.Literal(s))])),
  reachable: Type.Optional(Type.String({ maxLength: 5 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  lang: Type.Optional(Type.String()),
});
export type SearchQuery = Static<typeof SearchQuery>;

export function directoryQuery(q: SearchQuery): DirectoryQuery {
  const blank = <T extends string>(v: T | undefined) => (v ? v : undefined);
  return {
    q: blank(q.q?.trim()),
    state: blank(q.state),
    group: blank(q.group),
    organisation: blank(q.organisation),
    sharedWith: blank(q.sharedWith),
    kind: blank(q.kind) as DirectoryQuery['kind'],
    language: blank(q.language),
    status: blank(q.status) as DirectoryQuery['status'],
    reachableNow: q.reachable === '1' || q.reachable === 'true',
  };
}

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const DONE = ['nominated', 'updated', 'withdrawn', 'confirmed'] as const;
const EntryQuery = Type.Object({ done: Type.Optional(Type.Union(DONE.map((d) => Type.Literal(d)))), lang: Type.Optional(Type.String()) });
const IsoParams = Type.Object({ iso3: Type.String({ pattern: '^[A-Za-z]{3}$' }) });
const FormBody = Type.Record(Type.String(), Type.String({ maxLength: 20_000 }));
const OverviewQuery = Type.Object({
  show: Type.Optional(Type.Union(['all', 'none', 'lapsed', 'pending'].map((s) => Type.Literal(s)))),
  chased: Type.Optional(Type.String({ pattern: '^[A-Z]{3}$' })),
  sent: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  lang: Type.Optional(Type.String()),
});


export async function pocRoutes(app: App): Promise<void> {
  const cadre = app.cadre;
  const db = cadre.database.db;
  const list = policy('poc', pocPolicy, 'list');

  app.get<{ Querystring: SearchQuery }>('/directory', { config: { policy: list }, schema: { querystring: SearchQuery } }, async (req, reply) => {
    const query = directoryQuery(req.query);
    const p = req.principal!;
    const page = req.query.page ?? 1;
    const [found, states, organisations] = await Promise.all([listDirectory(cadre, p, query, page), listStates(db), listRegionalOrganisations(db)]);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('directory.heading')}>
        <DirectoryPage
          ctx={ctx}
          found={found}
          page={page}
          query={query}
          states={sortByName(states, req.lang)}
          organisations={organisations}
          participates={found.participates}
          canNominate={pocPolicy(p, 'nominate')}
          canOversee={pocPolicy(p, 'oversee')}
        />
      </Layout>,
    );
  });

  app.get<{ Params: Static<typeof IsoParams> }>('/directory/states/:iso3', { config: { policy: list }, schema: { params: IsoParams } }, async (req, reply) => {
    const state = await findState(db, req.params.iso3.toUpperCase());
    if (!state) return reply.callNotFound();
    const p = req.principal!;
    const [{ entries, participates }, history] = await Promise.all([readStateEntries(cadre, p, state.iso3, req.ip, 'page'), readStateHistory(cadre, p, state.iso3)]);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={ctx.t('directory.stateHeading', { state: stateName(state, req.lang) })}>
        <StateDirectoryPage ctx={ctx} state={state} entries={entries} participates={participates} canNominate={p.state === state.iso3 && pocPolicy(p, 'nominate')} history={history} />
      </Layout>,
    );
  });

  app.get<{ Params: Static<typeof IdParams>; Querystring: Static<typeof EntryQuery> }>('/directory/entries/:id', { config: { policy: list }, schema: { params: IdParams, querystring: EntryQuery } }, async (req, reply) => {
    const p = req.principal!;
    const entry = await readEntry(cadre, p, req.params.id, req.ip, 'page');
    const row = (await repo.findPoc(db, entry.id))!;
    const subject = writeSubject(row);
    const can = {
      update: pocPolicy(p, 'update', subject),
      withdraw: pocPolicy(p, 'withdraw', subject),
      confirm: pocPolicy(p, 'confirm', subject),
      history: pocPolicy(p, 'history', subject),
    };
    const [state, history, open] = await Promise.all([
      findState(db, entry.state),
      can.history ? readHistory(cadre, p, entry.id) : Promise.resolve([]),
      p.state === entry.state ? repo.openEmails(db, entry.id) : Promise.resolve([]),
    ]);
    const ctx = pageContext(req);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={entry.name}>
        {req.query.done && (
          <p class="notice notice-ok" role="status">
            {ctx.t(`directory.done.${req.query.done}`)}
          </p>
        )}
        <EntryPage
          ctx={ctx}
          entry={entry}
          state={state}
          awaiting={open.filter((e) => !e.verified_at).map((e) => e.address)}
          can={can}
          history={history}
          now={cadreNow(cadre)}
          pgpWarnDays={PGP_WARN_DAYS}
        />
      </Layout>,
    );
  });

  const renderForm = async (req: Req, reply: Reply, mode: { action: string; title: string; submit: string; state: string }, values: PocFormValues, errors?: Record<string, string>, status = 200) => {
    const ctx = pageContext(req);
    const state = await findState(db, mode.state);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={mode.title}>
        <PocForm ctx={ctx} action={mode.action} stateLabel={state ? stateName(state, req.lang) : mode.state} values={values} errors={errors} timeZones={timeZoneChoices()} submitLabel={mode.submit} />
      </Layout>,
      status,
    );
  };

  const nominate = policy('poc', pocPolicy, 'nominate');
  const nominateMode = (req: Req) => ({ action: '/directory/entries', title: req.t('directory.nominateHeading'), submit: req.t('directory.nominateSubmit'), state: req.principal!.state ?? '' });

  app.get('/directory/nominate', { config: { policy: nominate } }, async (req, reply) =>
    renderForm(req, reply, nominateMode(req), { availabilityMode: 'always', nominationDate: cadreNow(cadre).toISOString().slice(0, 10) }),
  );

  app.post<{ Body: Static<typeof FormBody> }>('/directory/entries', { config: { policy: nominate }, schema: { body: FormBody } }, async (req, reply) => {
    const values = req.body as PocFormValues;
    try {
      const { entry, invitation, verificationLinks } = await nominatePoc(cadre, req.principal!, req.principal!.state ?? '', pocInputFromForm(values), { ip: req.ip, language: req.lang });
      const link = invitation && !invitation.mailed ? invitation : null;
      if (!link && verificationLinks.length === 0) return reply.redirect(`/directory/entries/${entry.id}?done=nominated`, 303);
      // No SMTP: the admin delivers the links; they are shown once, here.
      const ctx = pageContext(req);
      return sendPage(
        reply,
        <Layout ctx={ctx} title={ctx.t('users.invitationTitle')}>
          {link && <InvitationIssued ctx={ctx} purpose="enrol" user={link.user} expiresAt={link.expiresAt} delivery={link} />}
          <VerificationLinks ctx={ctx} links={verificationLinks} />
          <p>
            <a href={`/directory/entries/${entry.id}`}>{ctx.t('directory.viewEntry')}</a>
          </p>
        </Layout>,
        201,
      );
    } catch (error) {
      if (error instanceof InvalidFields) return renderForm(req, reply, nominateMode(req), values, problemMessages(error.fields, req.t), 400);
      throw error;
    }
  });

  const update = policy('poc', pocPolicy, 'update');
  const editMode = (req: Req, id: string, state: string) => ({ action: `/directory/entries/${id}`, title: req.t('directory.editHeading'), submit: req.t('directory.save'), state });

  app.get<{ Params: Static<typeof IdParams> }>('/directory/entries/:id/edit', { config: { policy: update }, schema: { params: IdParams } }, async (req, reply) => {
    const row = await entryForWriting(cadre, req.principal!, req.params.id, 'update');
    const open = await repo.openEmails(db, row.id);
    const replaced = new Set(open.map((e) => e.replaces_id).filter(Boolean));
    const addresses = open.filter((e) => !replaced.has(e.id)).map((e) => e.address);
    const values = { ...formValuesFromEntry(toPocEntry(row, []), addresses), nominationRef: '', nominationDate: cadreNow(cadre).toISOString().slice(0, 10) };
    return renderForm(req, reply, editMode(req, row.id, row.state_iso3), values);
  });

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof FormBody> }>(
    '/directory/entries/:id',
    { config: { policy: update }, schema: { params: IdParams, body: FormBody } },
    async (req, reply) => {
      const row = await entryForWriting(cadre, req.principal!, req.params.id, 'update');
      const values = req.body as PocFormValues;
      try {
        const { verificationLinks } = await updatePoc(cadre, req.principal!, row.id, pocInputFromForm(values), { ip: req.ip, language: req.lang });
        if (verificationLinks.length === 0) return reply.redirect(`/directory/entries/${row.id}?done=updated`, 303);
        const ctx = pageContext(req);
        return sendPage(
          reply,
          <Layout ctx={ctx} title={ctx.t('directory.editHeading')}>
            <p class="notice notice-ok" role="status">
              {ctx.t('directory.done.updated')}
            </p>
            <VerificationLinks ctx={ctx} links={verificationLinks} />
            <p>
              <a href={`/directory/entries/${row.id}`}>{ctx.t('directory.viewEntry')}</a>
            </p>
          </Layout>,
        );
      } catch (error) {
        if (error instanceof InvalidFields) return renderForm(req, reply, editMode(req, row.id, row.state_iso3), values, problemMessages(error.fields, req.t), 400);
        throw error;
      }
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof FormBody> }>(
    '/directory/entries/:id/withdraw',
    { config: { policy: policy('poc', pocPolicy, 'withdraw') }, schema: { params: IdParams, body: FormBody } },
    async (req, reply) => {
      const row = await entryForWriting(cadre, req.principal!, req.params.id, 'withdraw');
      await withdrawPoc(cadre, req.principal!, row.id, { nominationRef: req.body.nominationRef ?? '', nominationDate: req.body.nominationDate ?? '' }, { ip: req.ip });
      return reply.redirect(`/directory/entries/${row.id}?done=withdrawn`, 303);
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/directory/entries/:id/confirm',
    { config: { policy: policy('poc', pocPolicy, 'confirm') }, schema: { params: IdParams } },
    async (req, reply) => {
      const row = await entryForWriting(cadre, req.principal!, req.params.id, 'confirm');
      await confirmPoc(cadre, req.principal!, row.id, { ip: req.ip });
      return reply.redirect(`/directory/entries/${row.id}?done=confirmed`, 303);
    },
  );

  app.get<{ Querystring: Static<typeof OverviewQuery> }>(
    '/directory/overview',
    { config: { policy: policy('poc', pocPolicy, 'oversee') }, schema: { querystring: OverviewQuery } },
    async (req, reply) => {
      const [states, counts] = await Promise.all([listStates(db), repo.countsByState(db, cadreNow(cadre).toISOString())]);
      const ctx = pageContext(req);
      return sendPage(
        reply,
        <Layout ctx={ctx} title={ctx.t('directory.overview')}>
          <OverviewPage ctx={ctx} states={sortByName(states, req.lang)} counts={new Map(counts.map((c) => [c.state_iso3, c]))} filter={(req.query.show ?? 'all') as OverviewFilter}
            chased={req.query.chased ? { state: req.query.chased, sent: req.query.sent ?? 0 } : undefined}
          />
        </Layout>,
      );
    },
  );
}
