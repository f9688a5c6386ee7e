import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp, TestClient } from '../../../testing/app.ts';
import { enrolledClient } from '../../../testing/users.ts';
import type { App } from '../../../web/types.ts';
import { pocBody, pocForm } from './poc.testing.ts';

/**
 * The directory's authorization matrix: every page and API route, every kind of principal, one
 * target (France's active entry; for imports, an OSCE file the Secretariat uploaded; for chasing,
 * Brazil, which has no active entry). The expectations are written out by hand from poc.policy.ts and
 * the rules of poc.read.ts (404 where the entry's existence is confidential to the reader, 403 where
 * the route is refused by role or the entry is visible but not the reader's to change).
 */

const S = 'sign-in'; // 303 to /sign-in (anonymous page request)
const D = 'done'; // 303 to the page a form write that succeeded leads to (see DONE)
type Outcome = 200 | 201 | 401 | 403 | 404 | 409 | 410 | typeof S | typeof D;

const PRINCIPALS = ['secretariat', 'adminFRA', 'pocFRA', 'adminKEN', 'pocKEN', 'adminBRA', 'pocBRA', 'stakeholder', 'osce', 'osceConsent', 'anonymous'] as const;
type Who = (typeof PRINCIPALS)[number];

/** Readers the policy lets see the FRA entry's contact details (own State, participating other State, Secretariat, consented organisation). */
const SEES_ENTRY: ReadonlySet<Who> = new Set(['secretariat', 'adminFRA', 'pocFRA', 'adminKEN', 'pocKEN', 'osceConsent']);

type Row = [route: string, ...cells: Outcome[]];

// prettier-ignore
const MATRIX: Row[] = [
  // route                                           sec   aFRA  pFRA  aKEN  pKEN  aBRA  pBRA  stake osce  osce+ anon
  ['GET /directory',                                 200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/states/FRA',                      200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/entries/:id',                     200,  200,  200,  200,  200,  404,  404,  403,  404,  200,  S],
  ['GET /directory/entries/:id/edit',                403,  200,  403,  403,  403,  404,  403,  403,  403,  403,  S],
  ['GET /directory/nominate',                        403,  200,  403,  200,  403,  200,  403,  403,  403,  403,  S],
  ['POST /directory/entries',                        403,  201,  403,  201,  403,  201,  403,  403,  403,  403,  S],
  ['POST /directory/entries/:id',                    403,  D,    403,  403,  403,  404,  403,  403,  403,  403,  S],
  ['POST /directory/entries/:id/withdraw',           403,  D,    403,  403,  403,  404,  403,  403,  403,  403,  S],
  ['POST /directory/entries/:id/confirm',            403,  D,    D,    403,  403,  404,  404,  403,  403,  403,  S],
  ['GET /directory/overview',                        200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['GET /directory/export.csv',                      200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/export.json',                     200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/export.vcf',                      200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/print',                           200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  S],
  ['GET /directory/entries/:id/vcard',               200,  200,  200,  200,  200,  404,  404,  403,  404,  200,  S],
  ['GET /directory/participation',                   200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  ['GET /api/v1/directory/entries',                  200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  401],
  ['POST /api/v1/directory/entries',                 403,  201,  403,  201,  403,  201,  403,  403,  403,  403,  401],
  ['GET /api/v1/directory/entries/:id',              200,  200,  200,  200,  200,  404,  404,  403,  404,  200,  401],
  ['PUT /api/v1/directory/entries/:id',              403,  200,  403,  403,  403,  404,  403,  403,  403,  403,  401],
  ['POST /api/v1/directory/entries/:id/withdraw',    403,  200,  403,  403,  403,  404,  403,  403,  403,  403,  401],
  ['POST /api/v1/directory/entries/:id/confirm',     403,  200,  200,  403,  403,  404,  404,  403,  403,  403,  401],
  ['GET /api/v1/directory/entries/:id/history',      200,  200,  200,  403,  403,  404,  404,  403,  404,  403,  401],
  ['GET /api/v1/directory/states/FRA',               200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  401],
  ['GET /api/v1/directory/overview',                 200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  401],
  ['GET /api/v1/directory/export.csv',               200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  401],
  ['GET /api/v1/directory/export.json',              200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  401],
  ['GET /api/v1/directory/export.vcf',               200,  200,  200,  200,  200,  200,  200,  403,  200,  200,  401],
  ['GET /api/v1/directory/participation',            200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  // Consent: the entry's own State admin chooses; another participating State sees the entry but may not choose.
  ['GET /directory/entries/:id/consent',             403,  200,  403,  403,  403,  404,  403,  403,  403,  403,  S],
  ['POST /directory/entries/:id/consent',            403,  D,    403,  403,  403,  404,  403,  403,  403,  403,  S],
  ['PUT /api/v1/directory/entries/:id/consent',      403,  200,  403,  403,  403,  404,  403,  403,  403,  403,  401],
  // Imports: the Secretariat only.
  ['GET /directory/imports',                         200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['POST /directory/imports',                        D,    403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['GET /directory/imports/:id',                     200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['POST /directory/imports/:id/apply',              200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['POST /api/v1/directory/imports',                 201,  403,  403,  403,  403,  403,  403,  403,  403,  403,  401],
  ['GET /api/v1/directory/imports/:id',              200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  401],
  ['POST /api/v1/directory/imports/:id/apply',       200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  401],
  // Oversight: the Secretariat only; the test app has no SMTP, so a chase it may make answers 409 (directory.chase.noMail).
  ['POST /directory/overview/chase/BRA',             409,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['POST /api/v1/directory/states/BRA/chase',        409,  403,  403,  403,  403,  403,  403,  403,  403,  403,  401],
  ['GET /directory/settings',                        200,  403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  ['POST /directory/settings',                       D,    403,  403,  403,  403,  403,  403,  403,  403,  403,  S],
  // Address verification: public, the link is the credential; a token nobody was given is gone for everyone.
  ['GET /directory/verify/:unknown',                 410,  410,  410,  410,  410,  410,  410,  410,  410,  410,  410],
  ['POST /directory/verify/:unknown',                410,  410,  410,  410,  410,  410,  410,  410,  410,  410,  410],
  ['GET /directory/verify/:live',                    200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
  ['POST /directory/verify/:live',                   200,  200,  200,  200,  200,  200,  200,  200,  200,  200,  200],
];

/** Where a form write that succeeded leads (by default the entry with a notice). */
const DONE: Record<string, (id: string) => RegExp> = {
  'POST /directory/entries/:id/consent': (id) => new RegExp(`^/directory/entries/${id}#consent$`),
  'POST /directory/imports': () => /^\/directory\/imports\/[0-9a-f-]{36}$/,
  'POST /directory/settings': () => /^\/directory\/settings\?saved=1$/,
};
const doneAt = (route: string, id: string) => (DONE[route] ?? ((i: string) => new RegExp(`^/directory/entries/${i}\\?done=`)))(id);

/** A verification token nobody was given (the route's pattern, so the handler is reached). */
const UNKNOWN_TOKEN = 'NoSuchVerificationToken_0123456789';

/** The file of every import: the CSV export's columns, one valid French row (a fresh person per upload). */
const IMPORT_HEADER = 'state,kind,rank,name,title,organisation,emails,phones,languages,time_zone,availability,notes';
const importFile = (k: number) => [IMPORT_HEADER, `FRA,technical,alternate,Imported Person ${k},,CERT-FR,imported${k}@cert.example.fr,,fr,Europe/Paris,24/7,`].join('\r\n');


/** Routes whose successful answer carries the reader's entries' contact details (and is audited for other States). */
const DETAILS = new Set([
  'GET /directory/states/FRA',
  'GET /directory/entries/:id',
  'GET /directory/export.csv',
  'GET /directory/export.json',
  'GET /directory/export.vcf',
  'GET /directory/print',
  'GET /directory/entries/:id/vcard',
  'GET /api/v1/directory/entries',
  'GET /api/v1/directory/entries/:id',
  'GET /api/v1/directory/states/FRA',
  'GET /api/v1/directory/export.csv',
  'GET /api/v1/directory/export.json',
  'GET /api/v1/directory/export.vcf',
]);

const EMAIL: Record<Exclude<Who, 'anonymous' | 'osceConsent'>, string> = {
  secretariat: 'sec@un.example',
  adminFRA: 'admin@fr.example',
  pocFRA: 'claire.dubois@cert.example.fr',
  adminKEN: 'admin@ke.example',
  pocKEN: 'poc@ke.example',
  adminBRA: 'admin@br.example',
  pocBRA: 'poc@br.example',
  stakeholder: 'ngo@example.org',
  osce: 'sync@osce.example',
};
const emailOf = (who: Who) => (who === 'osceConsent' ? EMAIL.osce : who === 'anonymous' ? null : EMAIL[who]);

const FRA_ADDRESS = 'claire.dubois@cert.example.fr';
const KEN_NAME = 'Wanjiru Kamau';

eachEngine('points of contact: authorization matrix', (ctx) => {
  let app: App;
  const clients = new Map<Who, TestClient>();
  let token = '';
  let fraEntry = '';
  let kenEntry = '';
  let fixtureImport = '';
  let anonymous: TestClient;
  let spares = 0;
  let imports = 0;

  const db = () => app.cadre.database.db;
  const version = async (id: string) => (await db().selectFrom('poc').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;
  const views = async (who: Who) => {
    const rows = await db().selectFrom('audit_event').select(['actor_label', 'details']).where('action', '=', 'poc.viewed').execute();
    return rows.filter((r) => r.actor_label === emailOf(who) && r.details.includes(fraEntry)).length;
  };

  /** An active FRA entry of its own (a fresh enrolled POC account), for a write the matrix allows. */
  async function throwawayEntry(): Promise<{ id: string; address: string }> {
    const email = `spare${++spares}@cert.example.fr`;
    await enrolledClient(app, email, 'poc', 'FRA');
    const res = await clients.get('adminFRA')!.json('POST', '/api/v1/directory/entries', pocBody({ emails: [email], name: `Spare ${spares}`, nominationRef: `NV/SPARE/${spares}` }));
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().entry.status, 'active');
    return { id: res.json().entry.id as string, address: email };
  }

  /** An OSCE import of its own, previewed by the Secretariat and not applied, for a cell the matrix allows. */
  async function throwawayImport(): Promise<string> {
    const res = await clients.get('secretariat')!.json('POST', '/api/v1/directory/imports', { organisation: 'OSCE', format: 'csv', content: importFile(++imports), fileName: `osce-${imports}.csv` });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().counts, { new: 1, unchanged: 0, conflict: 0, possible: 0, error: 0 });
    return res.json().id as string;
  }

  /** A live verification link (no SMTP: the admin is shown it) for a new address on an entry of its own. */
  async function liveToken(): Promise<{ token: string; address: string }> {
    const entry = await throwawayEntry();
    const address = `extra${spares}@cert.example.fr`;
    const admin = clients.get('adminFRA')!;
    const res = await admin.post(`/directory/entries/${entry.id}`, pocForm({ emails: entry.address, otherEmails: address, nominationRef: `NV/EXTRA/${spares}` }));
    assert.equal(res.statusCode, 200, res.body.slice(0, 500));
    const token = /\/directory\/verify\/([A-Za-z0-9_-]{20,100})/.exec(res.body)?.[1];
    assert.ok(token, 'the page shows the link to deliver');
    return { token, address };
  }

  /** What a refused or failed write must leave as it was. */
  async function fixture() {
    const fra = await db().selectFrom('poc').select(['version', 'status']).where('id', '=', fraEntry).executeTakeFirstOrThrow();
    const consents = await db().selectFrom('poc_consent').select('organisation_id').where('poc_id', '=', fraEntry).orderBy('organisation_id').execute();
    const imported = await db().selectFrom('directory_import').select(['id', 'applied_at']).orderBy('id').execute();
    const settings = await db().selectFrom('setting').select(['key', 'value']).where('key', 'like', 'directory.%').orderBy('key').execute();
    const chased = await db().selectFrom('audit_event').select('seq').where('action', '=', 'directory.chased').execute();
    return { fra, consents: consents.map((c) => c.organisation_id), imported, settings, chased: chased.length };
  }

  /** The request body of a write: a fresh nominee, or the target's own data with one change. */
  function bodyFor(route: string, n: number, targetAddress: string, allowed: boolean): Record<string, unknown> | undefined {
    const fresh = `nominee${n}@example.net`;
    const api = route.includes('/api/');
    // Consent goes to the EU (France is a member): the OSCE client's view of the directory stays as the fixture made it.
    if (route.endsWith('/consent')) return api ? { organisations: ['EU'] } : { org_EU: 'on' };
    if (route === 'POST /api/v1/directory/imports') return { organisation: 'OSCE', format: 'csv', content: importFile(++imports), fileName: `osce-${imports}.csv` };
    if (route.endsWith('/imports/:id/apply')) return {};
    if (route.endsWith('/chase')) return api ? undefined : {};
    if (route.includes('/chase/') || route.includes('/verify/')) return {};
    // The Secretariat saves the settings as they are; a refused save would turn reciprocity off and change both periods.
    if (route === 'POST /directory/settings') return allowed ? { reciprocity: 'on', confirmMonths: '6', reminderDays: '30' } : { confirmMonths: '12', reminderDays: '10' };
    if (route.endsWith('/withdraw')) return { nominationRef: 'NV/2026/999', nominationDate: '2026-11-24' };
    if (route.endsWith('/confirm')) return api ? undefined : {};
    if (route === 'POST /directory/entries') return pocForm({ emails: fresh, name: `Nominee ${n}` });
    if (route === 'POST /api/v1/directory/entries') return { ...pocBody({ emails: [fresh], name: `Nominee ${n}` }) };
    if (route === 'POST /directory/entries/:id') return pocForm({ emails: targetAddress, title: 'Changed', nominationRef: 'NV/2026/500' });
    if (route === 'PUT /api/v1/directory/entries/:id') return { ...pocBody({ emails: [targetAddress], title: 'Changed', nominationRef: 'NV/2026/500' }) };
    return undefined;
  }

  async function send(who: Who, method: string, url: string, body: Record<string, unknown> | undefined): Promise<LightMyRequestResponse> {
    const api = url.startsWith('/api/');
    // The regional organisation's client calls the API with its token; its people use the pages in a session.
    if (api && (who === 'osce' || who === 'osceConsent')) {
      return app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, ...(body ? { payload: body as Record<string, string> } : {}) });
    }
    const client = who === 'anonymous' ? anonymous : who === 'osceConsent' ? clients.get('osce')! : clients.get(who)!;
    if (api) return client.json(method as 'GET', url, body);
    if (method === 'POST' && url === '/directory/imports') return uploadPage(client, imports + 1);
    if (method === 'GET') return client.get(url);
    return client.post(url, (body ?? {}) as Record<string, string>);
  }

  /** The upload page's form: multipart, the way a browser sends it (CSRF token, organisation, file). */
  async function uploadPage(client: TestClient, k: number): Promise<LightMyRequestResponse> {
    imports = k;
    const boundary = '----cadre-matrix-boundary';
    const part = (headers: string, body: string) => Buffer.concat([Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(body), Buffer.from('\r\n')]);
    const payload = Buffer.concat([
      part('Content-Disposition: form-data; name="_csrf"', client.csrf),
      part('Content-Disposition: form-data; name="organisation"', 'OSCE'),
      part('Content-Disposition: form-data; name="file"; filename="osce.csv"\r\nContent-Type: text/csv', importFile(k)),
      Buffer.from(`--${boundary}--\r\n`),
    ]);
    const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    return app.inject({ method: 'POST', url: '/directory/imports', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie } });
  }

  test('setup: FRA and KEN take part, BRA has only a pending entry, OSCE has a read token', async () => {
    app = await testApp(ctx());
    anonymous = new TestClient(app);
    await anonymous.get('/sign-in'); // a visitor's CSRF token, for the public forms
    assert.ok(anonymous.csrf, 'the sign-in page carries a CSRF token');
    for (const who of PRINCIPALS) {
      if (who === 'anonymous' || who === 'osceConsent') continue;
      const role = who === 'secretariat' ? 'secretariat' : who === 'stakeholder' ? 'stakeholder' : who === 'osce' ? 'regional-org' : who.startsWith('admin') ? 'state-admin' : 'poc';
      const belongsTo = who === 'osce' ? 'OSCE' : /(FRA|KEN|BRA)$/.exec(who)?.[1] ?? null;
      const { client } = await enrolledClient(app, EMAIL[who], role, belongsTo);
      await client.get('/account'); // a page with the CSRF token for later writes
      clients.set(who, client);
    }
    const fra = await clients.get('adminFRA')!.json('POST', '/api/v1/directory/entries', pocBody());
    assert.equal(fra.statusCode, 201, fra.body);
    assert.equal(fra.json().entry.status, 'active', 'the POC of France was already enrolled');
    fraEntry = fra.json().entry.id;
    const ken = await clients.get('adminKEN')!.json('POST', '/api/v1/directory/entries', pocBody({ emails: [EMAIL.pocKEN], name: KEN_NAME, timeZone: 'Africa/Nairobi', nominationRef: 'KE/NV/9' }));
    assert.equal(ken.json().entry.status, 'active');
    kenEntry = ken.json().entry.id;
    const bra = await clients.get('adminBRA')!.json('POST', '/api/v1/directory/entries', pocBody({ emails: ['never@br.example'], name: 'João Silva', timeZone: 'America/Sao_Paulo', nominationRef: 'BR/NV/1' }));
    assert.equal(bra.json().entry.status, 'pending', 'its POC never enrols');

    const osce = clients.get('osce')!;
    await osce.get('/tokens');
    const created = await osce.post('/tokens', { name: 'OSCE directory sync', scopes: 'directory:read', expiresInDays: '30' });
    assert.equal(created.statusCode, 201);
    token = /data-new-token[^>]*>\s*(cadre_[A-Za-z0-9_-]+)/.exec(created.body)![1]!;

    const participation = (await new TestClient(app).get('/api/v1/directory/participation')).json();
    const takesPart = (iso3: string) => participation.states.find((s: { iso3: string }) => s.iso3 === iso3).participating;
    assert.deepEqual([takesPart('FRA'), takesPart('KEN'), takesPart('BRA')], [true, true, false]);

    fixtureImport = await throwawayImport();
  });

  let n = 0;
  for (const [column, who] of PRINCIPALS.entries()) {
    test(`as ${who}`, async (t) => {
      if (who === 'osceConsent') {
        // The FRA entry consents to be shared with the OSCE: from here on its client may read it.
        await db().insertInto('poc_consent').values({ poc_id: fraEntry, organisation_id: 'OSCE', granted_at: new Date().toISOString(), granted_by: null }).execute();
      }
      for (const [route, ...cells] of MATRIX) {
        const expected = cells[column]!;
        await t.test(`${route} → ${expected}`, async () => {
          const [method, pattern] = route.split(' ') as [string, string];
          // Succeeded: the request did what it asked (a 409 or 410 is a refusal like any other here).
          const allowed = expected === 200 || expected === 201 || expected === D;
          const isImport = pattern.includes('/imports/:id');
          // Allowed updates, withdrawals, consents and the admin's confirmation go to an entry of their own;
          // the POC's own confirmation goes to its entry (it only moves "confirmed until" on).
          const ownTarget = allowed && method !== 'GET' && pattern.includes(':id') && !isImport && !(who === 'pocFRA' && pattern.endsWith('/confirm'));
          const target = ownTarget ? await throwawayEntry() : { id: fraEntry, address: FRA_ADDRESS };
          // An import the cell may read or apply is its own; a refused cell aims at the fixture's.
          const id = isImport ? (allowed ? await throwawayImport() : fixtureImport) : target.id;
          const live = pattern.endsWith(':live') ? await liveToken() : null;
          const url = pattern.replace(':id', id).replace(':unknown', UNKNOWN_TOKEN).replace(':live', live?.token ?? '');
          const before = { version: await version(fraEntry), views: await views(who), fixture: await fixture() };

          const res = await send(who, method, url, bodyFor(route, ++n, target.address, allowed));

          if (expected === S) {
            assert.equal(res.statusCode, 303);
            assert.match(String(res.headers.location), /^\/sign-in\?next=/);
          } else if (expected === D) {
            assert.equal(res.statusCode, 303, res.body.slice(0, 500));
            assert.match(String(res.headers.location), doneAt(route, id));
          } else {
            assert.equal(res.statusCode, expected, res.body.slice(0, 500));
          }
          if (!allowed) {
            assert.doesNotMatch(res.body, /claire\.dubois@|Claire Dubois|Cheffe du CERT/, 'a refusal shows nothing of the entry');
            assert.equal(await version(fraEntry), before.version, 'a refused write changes nothing');
            assert.deepEqual(await fixture(), before.fixture, 'a refused write changes nothing: entry, consents, imports, settings, chases');
          }
          if (allowed && route.endsWith('/consent') && method !== 'GET') {
            const rows = await db().selectFrom('poc_consent').select('organisation_id').where('poc_id', '=', id).execute();
            assert.deepEqual(rows.map((r) => r.organisation_id), ['EU'], 'the choice was saved');
          }
          if (live) {
            const row = await db().selectFrom('poc_email').select('verified_at').where('address', '=', live.address).executeTakeFirstOrThrow();
            assert.equal(row.verified_at !== null, method === 'POST', method === 'POST' ? 'pressing the button verifies the address' : 'opening the link verifies nothing');
          }
          if (allowed && route.endsWith('/imports/:id/apply')) {
            const applied = await db().selectFrom('directory_import').select('applied_at').where('id', '=', id).executeTakeFirstOrThrow();
            assert.ok(applied.applied_at, 'the import was applied');
          }
          if (route.endsWith('/chase') || route.includes('/chase/')) {
            if (expected === 409) assert.match(res.body, /sends no e-mail \(SMTP_URL is not set\)/, 'refused for want of SMTP');
          }
          if (allowed && method === 'GET' && DETAILS.has(route)) {
            const sees = SEES_ENTRY.has(who);
            assert.equal(res.body.includes(FRA_ADDRESS), sees, sees ? 'the entry’s address is shown' : 'the entry’s address is not shown');
            const audited = (await views(who)) - before.views;
            if (sees && who !== 'adminFRA' && who !== 'pocFRA') assert.ok(audited >= 1, 'a view by another State is audited as poc.viewed');
            else assert.equal(audited, 0, 'no view to record');
          }
          if (route === 'GET /directory' && allowed) assert.equal(res.body.includes('Claire Dubois'), SEES_ENTRY.has(who));
          if (route.endsWith('/participation')) assert.doesNotMatch(res.body, /claire\.dubois@|Claire Dubois|Wanjiru|poc@ke\.example/);
          if (route.endsWith('/export.json') && (who === 'osce' || who === 'osceConsent')) {
            const ids = (JSON.parse(res.body).entries as { id: string }[]).map((e) => e.id);
            assert.deepEqual(ids, who === 'osceConsent' ? [fraEntry] : [], 'a regional organisation gets only the entries that consented');
          }
          if (route.endsWith('/export.csv') && who === 'osceConsent') assert.ok(!res.body.includes(KEN_NAME) && res.body.includes('Claire Dubois'));
        });
      }
    });
  }

  test('the fixture survived: the FRA entry is still active and the KEN entry untouched by the matrix', async () => {
    const rows = await db().selectFrom('poc').select(['id', 'status']).where('id', 'in', [fraEntry, kenEntry]).execute();
    assert.deepEqual(rows.map((r) => r.status), ['active', 'active']);
    await app.close();
  });
});
