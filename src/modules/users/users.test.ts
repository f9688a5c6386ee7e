import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listAuditEvents } from '../../audit/audit.repository.ts';
import { eachEngine } from '../../testing/engines.ts';
import { testApp, TestClient } from '../../testing/app.ts';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';

eachEngine('users and their policy', (ctx) => {
  let app: App;
  let secretariat: Awaited<ReturnType<typeof enrolledClient>>;
  let adminFra: Awaited<ReturnType<typeof enrolledClient>>;
  let adminKen: Awaited<ReturnType<typeof enrolledClient>>;
  let pocKen: Awaited<ReturnType<typeof enrolledClient>>;

  test('setup', async () => {
    app = await testApp(ctx());
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    adminKen = await enrolledClient(app, 'admin@ke.example', 'state-admin', 'KEN');
    pocKen = await enrolledClient(app, 'poc@ke.example', 'poc', 'KEN');
  });

  test('a State admin sees its own State only', async () => {
    const page = await adminFra.client.get('/users');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /admin@fr\.example/);
    assert.doesNotMatch(page.body, /ke\.example|sec@un\.example/);
    const api = await adminFra.client.json('GET', '/api/v1/users');
    assert.deepEqual(api.json().users.map((u: { email: string }) => u.email), ['admin@fr.example']);
  });

  test("State A's admin is refused State B's accounts on every path, and the refusal is recorded", async () => {
    const id = pocKen.user.id;
    assert.equal((await adminFra.client.get(`/users/${id}`)).statusCode, 403);
    assert.equal((await adminFra.client.json('GET', `/api/v1/users/${id}`)).statusCode, 403);
    assert.equal((await adminFra.client.get('/users?state=KEN')).statusCode, 403);
    await adminFra.client.get('/users');
    assert.equal((await adminFra.client.post(`/users/${id}/reset`, {})).statusCode, 403);
    assert.equal((await adminFra.client.post(`/users/${id}/disable`, {})).statusCode, 403);
    const refusals = await listAuditEvents(ctx().database.db, { action: 'access.denied', actorId: adminFra.user.id, limit: 20 });
    assert.ok(refusals.length >= 1);
    // The POC of State B is untouched.
    const row = await ctx().database.db.selectFrom('app_user').select('status').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'active');
  });

  test('a State admin cannot invite into another State, nor create a secretariat account', async () => {
    await adminFra.client.get('/users/new');
    let res = await adminFra.client.post('/users', { email: 'x@ke.example', role: 'poc', state: 'KEN' });
    assert.equal(res.statusCode, 403);
    res = await adminFra.client.json('POST', '/api/v1/users', { email: 'boss@fr.example', role: 'secretariat' });
    assert.equal(res.statusCode, 403);
    res = await adminFra.client.json('POST', '/api/v1/users', { email: 'newpoc@fr.example', role: 'poc', state: 'FRA' });
    assert.equal(res.statusCode, 201);
    assert.match(res.json().enrolmentLink, /^http:\/\/cadre\.test\/enrol\//);
  });

  test('a lower role never acts on a higher one: a State admin cannot reset the Secretariat', async () => {
    await adminKen.client.get('/users');
    const res = await adminKen.client.post(`/users/${secretariat.user.id}/reset`, {});
    assert.equal(res.statusCode, 403);
    const peer = await adminKen.client.post(`/users/${adminKen.user.id}/disable`, {});
    assert.equal(peer.statusCode, 403, 'nor act on its own rank');
  });

  test('a POC has no access to user management', async () => {
    assert.equal((await pocKen.client.get('/users')).statusCode, 403);
    assert.equal((await pocKen.client.json('GET', '/api/v1/users')).statusCode, 403);
    assert.equal((await pocKen.client.get('/audit')).statusCode, 403);
  });

  test('invitation form errors are field-level and localized', async () => {
    const client = adminKen.client;
    await client.get('/users/new?lang=fr');
    const res = await client.post('/users', { email: 'not-an-address', role: 'poc', state: 'KEN' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /<html lang="fr"/);
    assert.match(res.body, /id="email-error"/);
    const dup = await client.post('/users', { email: 'POC@ke.example', role: 'poc', state: 'KEN' });
    assert.equal(dup.statusCode, 409);
    const api = await client.json('POST', '/api/v1/users', { email: 'bad', role: 'nope' });
    assert.equal(api.statusCode, 400);
    const fields = api.json().errors.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ['email', 'role']);
  });

  test('the Secretariat manages any account: reset ends sessions and issues a new link', async () => {
    const { client } = secretariat;
    await client.get(`/users/${pocKen.user.id}`);
    const res = await client.post(`/users/${pocKen.user.id}/reset`, {});
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /data-enrolment-link/);
    assert.equal((await pocKen.client.get('/account')).statusCode, 303, 'the reset account was signed out');
    const audit = await client.get('/audit?action=user.reset');
    assert.equal(audit.statusCode, 200);
    assert.match(audit.body, /user\.reset/);
    assert.match(audit.body, /hash chain is intact/);
  });

  test('the Secretariat can disable and re-enable, but not disable itself', async () => {
    const { client } = secretariat;
    await client.get('/users');
    assert.equal((await client.post(`/users/${adminKen.user.id}/disable`, {})).statusCode, 303);
    assert.equal((await adminKen.client.get('/users')).statusCode, 303, 'disabled: signed out');
    assert.equal((await client.post(`/users/${adminKen.user.id}/enable`, {})).statusCode, 303);
    assert.equal((await client.post(`/users/${secretariat.user.id}/disable`, {})).statusCode, 403);
  });

  test('anonymous visitors are sent to sign in, API callers get 401', async () => {
    const anon = new TestClient(app);
    const res = await anon.get('/users');
    assert.equal(res.statusCode, 303);
    assert.match(String(res.headers.location), /^\/sign-in\?next=%2Fusers/);
    assert.equal((await anon.json('GET', '/api/v1/users')).statusCode, 401);
    assert.equal((await anon.json('GET', '/api/v1/audit/events')).statusCode, 401);
  });

  test('teardown', async () => {
    await app.close();
  });
});
