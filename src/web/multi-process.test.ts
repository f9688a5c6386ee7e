import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openDatabase } from '../db/database.ts';
import { eachEngine } from '../testing/engines.ts';
import { TestClient, testConfig } from '../testing/app.ts';
import { enrolledClient } from '../testing/users.ts';
import { buildApp } from './app.ts';
import type { App } from './types.ts';

// Two servers on one database behave as one: nothing they need is kept in memory.
eachEngine('two server instances on one database', (ctx) => {
  let a: App;
  let b: App;
  let closeB: () => Promise<void>;

  test('setup: a second instance with its own connection pool', async () => {
    const config = testConfig(ctx());
    a = await buildApp({ database: ctx().database, config });
    const second = openDatabase({ databaseUrl: ctx().databaseUrl, dataDir: ctx().dataDir });
    b = await buildApp({ database: second, config });
    closeB = async () => {
      await b.close();
      await second.close();
    };
  });

  test('a session opened on one instance works on the other, and sign-out on one ends it on both', async () => {
    const { client } = await enrolledClient(a, 'twice@example.org', 'poc', 'KEN');
    const onB = new TestClient(b);
    onB.cookies = new Map(client.cookies);
    const page = await onB.get('/account');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /twice@example\.org/);
    assert.equal((await onB.post('/sign-out', {})).statusCode, 303, 'the CSRF token from B is accepted by B');
    assert.equal((await client.get('/account')).statusCode, 303, 'signed out on A too');
  });

  test('sign-in failures counted on one instance lock the account on the other', async () => {
    await enrolledClient(a, 'shared-lock@example.org', 'poc', 'KEN');
    for (const [i, app] of [a, b, a, b, a].entries()) {
      const c = new TestClient(app, `10.1.1.${i}`);
      await c.get('/sign-in');
      await c.post('/sign-in', { email: 'shared-lock@example.org', password: 'not the password', code: '000000' });
    }
    const c = new TestClient(b, '10.1.1.99');
    await c.get('/sign-in');
    const res = await c.post('/sign-in', { email: 'shared-lock@example.org', password: 'not the password', code: '000000' });
    assert.equal(res.statusCode, 429);
  });

  test('teardown', async () => {
    await a.close();
    await closeB();
  });
});
