import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../testing/engines.ts';
import { testApp, TestClient } from '../testing/app.ts';
import type { App } from './types.ts';

eachEngine('web application', (ctx) => {
  let app: App;
  test('builds', async () => {
    app = await testApp(ctx());
  });

  test('every route names a policy (deny by default)', () => {
    assert.ok(app.routeTable.length > 10, 'the route table is populated');
    const missing = app.routeTable.filter((r) => !r.policy).map((r) => `${r.method} ${r.url}`);
    assert.deepEqual(missing, []);
  });

  test('health and readiness', async () => {
    assert.equal((await app.inject('/healthz')).json().status, 'ok');
    const ready = await app.inject('/readyz');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().database, ctx().engine);
  });

  test('pages carry a strict CSP and security headers', async () => {
    const res = await app.inject('/');
    const csp = String(res.headers['content-security-policy']);
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['referrer-policy'], 'no-referrer');
    assert.doesNotMatch(res.body, /<script>|style="/, 'no inline script or style');
  });

  test('language: ?lang= wins and is remembered, then Accept-Language, else English', async () => {
    const client = new TestClient(app);
    let res = await client.get('/', { 'accept-language': 'ru-RU,ru;q=0.9' });
    assert.match(res.body, /<html lang="ru" dir="ltr">/);
    res = await client.get('/?lang=ar', { 'accept-language': 'ru' });
    assert.match(res.body, /<html lang="ar" dir="rtl">/);
    res = await client.get('/states', { 'accept-language': 'ru' });
    assert.match(res.body, /<html lang="ar" dir="rtl">/, 'the cookie remembers Arabic');
    res = await app.inject({ url: '/', headers: { 'accept-language': 'de-DE, fr;q=0.5' } });
    assert.match(res.body, /<html lang="fr"/);
    res = await app.inject({ url: '/', headers: { 'accept-language': 'de-DE' } });
    assert.match(res.body, /<html lang="en"/);
    res = await app.inject('/?lang=xx');
    assert.match(res.body, /<html lang="en"/);
  });

  test('unknown routes are 404: a page for browsers, a problem for the API', async () => {
    const page = await app.inject('/no/such/page');
    assert.equal(page.statusCode, 404);
    assert.match(String(page.headers['content-type']), /text\/html/);
    const api = await app.inject('/api/v1/nothing');
    assert.equal(api.statusCode, 404);
    assert.match(String(api.headers['content-type']), /application\/problem\+json/);
    assert.equal(api.json().status, 404);
  });

  test('a form without its CSRF token is refused', async () => {
    const client = new TestClient(app);
    await client.get('/sign-in');
    const res = await client.post('/sign-in', { email: 'a@b.org', password: 'x', code: '123456' }, { csrf: false });
    assert.equal(res.statusCode, 403);
    assert.match(res.body, /expired or did not come from Cadre/);
    const forged = await client.post('/sign-in', { email: 'a@b.org', password: 'x', code: '123456', _csrf: 'f'.repeat(64) }, { csrf: false });
    assert.equal(forged.statusCode, 403);
  });

  test('an oversize body gets 413, malformed JSON 400, both without a stack trace', async () => {
    const big = await app.inject({ method: 'POST', url: '/sign-in', payload: `email=${'x'.repeat(1024 * 1024 + 10)}`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(big.statusCode, 413);
    assert.match(big.body, /larger than this server accepts/);
    const bigJson = await app.inject({ method: 'POST', url: '/sign-in', payload: 'x'.repeat(1024 * 1024 + 10), headers: { 'content-type': 'application/json', accept: 'application/json' } });
    assert.equal(bigJson.statusCode, 413);
    assert.equal(bigJson.json().status, 413);
    const bad = await app.inject({ method: 'POST', url: '/sign-in', payload: '{"email":', headers: { 'content-type': 'application/json', accept: 'application/json' } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().type, '/problems/malformed-json');
    assert.doesNotMatch(bad.body, /\.ts:\d+|at [A-Za-z]+ \(/, 'never a stack trace');
    const anonymousApi = await app.inject({ method: 'POST', url: '/api/v1/users', payload: { email: 'x@y.org', role: 'poc' } });
    assert.equal(anonymousApi.statusCode, 401, 'the policy answers before the body is looked at');
  });

  test('the OpenAPI document describes the API', async () => {
    const doc = (await app.inject('/api/openapi.json')).json();
    assert.equal(doc.openapi, '3.0.3');
    assert.ok(doc.paths['/api/v1/states/{iso3}']);
    assert.ok(doc.paths['/api/v1/users']);
    assert.equal(doc.paths['/sign-in'], undefined, 'pages are not in the API document');
  });

  test('the public list of States, in the reader\'s language', async () => {
    const res = await app.inject('/states?lang=fr');
    assert.match(res.body, /193 États Membres|193 Member States/);
    const api = (await app.inject('/api/v1/states')).json();
    assert.equal(api.states.length, 193);
    const groups = new Map<string, number>();
    for (const s of api.states) groups.set(s.regionalGroup, (groups.get(s.regionalGroup) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(groups), { 'Asia-Pacific': 54, African: 54, 'Eastern European': 23, WEOG: 29, GRULAC: 33 });
    const fra = (await app.inject('/api/v1/states/fra')).json();
    assert.equal(fra.names.fr, 'France');
    assert.equal(fra.names.zh, '法国');
    assert.equal((await app.inject('/api/v1/states/ZZZ')).statusCode, 404);
  });

  test('closes', async () => {
    await app.close();
  });
});

test('enrolment tokens never reach the request log', async () => {
  const { redactSecretPaths } = await import('./app.ts');
  assert.equal(redactSecretPaths('/enrol/abcDEF123_-x?lang=fr'), '/enrol/[token]?lang=fr');
  assert.equal(redactSecretPaths('/users/1'), '/users/1');
  assert.equal(redactSecretPaths('/directory/verify/abcDEF123_-x'), '/directory/verify/[token]');
});
