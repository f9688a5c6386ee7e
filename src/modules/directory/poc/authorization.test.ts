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
 * target (France's active entry). The expectations are written out by hand from poc.policy.ts and
 * the rules of poc.read.ts (404 where the entry's existence is confidential to the reader, 403 where
 * the route is refused by role or the entry is visible but not the reader's to change).
 */

const S = 'sign-in'; // 303 to /sign-in (anonymous page request)
const D = 'done'; // 303 to /directory/entries/:id?done=… (a form write that succeeded)
type Outcome = 200 | 201 | 401 | 403 | 404 | typeof S | typeof D;

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
];


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
  let spares = 0;

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

  /** The request body of a write: a fresh nominee, or the target's own data with one change. */
  function bodyFor(route: string, n: number, targetAddress: string): Record<string, unknown> | undefined {
    const fresh = `nominee${n}@example.net`;
    const api = route.includes('/api/');
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
    const client = who === 'anonymous' ? new TestClient(app) : who === 'osceConsent' ? clients.get('osce')! : clients.get(who)!;
    if (api) return client.json(method as 'GET', url, body);
    if (method === 'GET') return client.get(url);
    return client.post(url, (body ?? {}) as Record<string, string>);
  }

  test('setup: FRA and KEN take part, BRA has only a pending entry, OSCE has a read token', async () => {
    app = await testApp(ctx());
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
          const allowed = expected !== 401 && expected !== 403 && expected !== 404 && expected !== S;
          // Allowed updates, withdrawals and the admin's confirmation go to an entry of their own;
          // the POC's own confirmation goes to its entry (it only moves "confirmed until" on).
          const ownTarget = allowed && method !== 'GET' && pattern.includes(':id') && !(who === 'pocFRA' && pattern.endsWith('/confirm'));
          const target = ownTarget ? await throwawayEntry() : { id: fraEntry, address: FRA_ADDRESS };
          const id = target.id;
          const url = pattern.replace(':id', id);
          const before = { version: await version(fraEntry), views: await views(who) };

          const res = await send(who, method, url, bodyFor(route, ++n, target.address));

          if (expected === S) {
            assert.equal(res.statusCode, 303);
            assert.match(String(res.headers.location), /^\/sign-in\?next=/);
          } else if (expected === D) {
            assert.equal(res.statusCode, 303, res.body.slice(0, 500));
            assert.match(String(res.headers.location), new RegExp(`^/directory/entries/${id}\\?done=`));
          } else {
            assert.equal(res.statusCode, expected, res.body.slice(0, 500));
          }
          if (!allowed) {
            assert.doesNotMatch(res.body, /claire\.dubois@|Claire Dubois|Cheffe du CERT/, 'a refusal shows nothing of the entry');
            assert.equal(await version(fraEntry), before.version, 'a refused write changes nothing');
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
