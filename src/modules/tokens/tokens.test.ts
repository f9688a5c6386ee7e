import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../testing/engines.ts';
import { testApp } from '../../testing/app.ts';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';

eachEngine('API tokens', (ctx) => {
  let app: App;
  let org: Awaited<ReturnType<typeof enrolledClient>>;
  let token = '';

  test('a regional organisation creates a scoped token, shown once and stored hashed', async () => {
    app = await testApp(ctx());
    org = await enrolledClient(app, 'sync@osce.example', 'regional-org', 'OSCE');
    await org.client.get('/tokens');
    const res = await org.client.post('/tokens', { name: 'OSCE sync', scopes: 'states:read', expiresInDays: '30' });
    assert.equal(res.statusCode, 201);
    token = /data-new-token[^>]*>\s*(cadre_[A-Za-z0-9_-]+)/.exec(res.body)![1]!;
    const rows = await ctx().database.db.selectFrom('api_token').selectAll().execute();
    assert.equal(rows.length, 1);
    assert.notEqual(rows[0]!.token_hash, token);
    assert.doesNotMatch((await org.client.get('/tokens')).body, new RegExp(token), 'never shown again');
  });

  test('the token reads what its scope allows and nothing else', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const me = await app.inject({ url: '/api/v1/me', headers: auth });
    assert.equal(me.statusCode, 403, 'no scope covers /me');
    const states = await app.inject({ url: '/api/v1/states/KEN', headers: auth });
    assert.equal(states.statusCode, 200);
    const users = await app.inject({ url: '/api/v1/users', headers: auth });
    assert.equal(users.statusCode, 403);
    const page = await app.inject({ url: '/tokens', headers: auth });
    assert.equal(page.statusCode, 303, 'a token is not a session: pages ignore it');
    const forged = await app.inject({ url: '/api/v1/states/KEN', headers: { authorization: `Bearer ${token.slice(0, -2)}xx` } });
    assert.equal(forged.statusCode, 200, 'public data stays public');
    const forgedUsers = await app.inject({ url: '/api/v1/users', headers: { authorization: `Bearer ${token.slice(0, -2)}xx` } });
    assert.equal(forgedUsers.statusCode, 401);
  });

  test('bad input is refused field by field', async () => {
    const res = await org.client.post('/tokens', { name: '', expiresInDays: 'abc' });
    assert.equal(res.statusCode, 400);
    assert.match(res.body, /id="name-error"|class="error-message"/);
  });

  test('other users cannot create tokens; a POC of another State cannot revoke it', async () => {
    const poc = await enrolledClient(app, 'poc@fr.example', 'poc', 'FRA');
    assert.equal((await poc.client.get('/tokens')).statusCode, 403);
    await poc.client.get('/account');
    const id = (await ctx().database.db.selectFrom('api_token').select('id').executeTakeFirstOrThrow()).id;
    assert.equal((await poc.client.post(`/tokens/${id}/revoke`, {})).statusCode, 403);
    const otherOrg = await enrolledClient(app, 'sync@asean.example', 'regional-org', 'ASEAN');
    await otherOrg.client.get('/tokens');
    assert.equal((await otherOrg.client.post(`/tokens/${id}/revoke`, {})).statusCode, 403, 'another organisation cannot revoke it');
  });

  test('a revoked token stops working at once', async () => {
    const id = (await ctx().database.db.selectFrom('api_token').select('id').executeTakeFirstOrThrow()).id;
    await org.client.get('/tokens');
    assert.equal((await org.client.post(`/tokens/${id}/revoke`, {})).statusCode, 303);
    const res = await app.inject({ url: '/api/v1/users', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 401);
    await app.close();
  });
});
