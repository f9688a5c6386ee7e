import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { enrolledClient } from '../../../testing/users.ts';
import type { App } from '../../../web/types.ts';
import { DIRECTORY_PAGE_SIZE } from './poc.read.ts';
import { pocBody } from './poc.testing.ts';

eachEngine('directory search: pages, counts and what each reader may count', (ctx) => {
  let app: App;
  let adminFra: Awaited<ReturnType<typeof enrolledClient>>;
  let pocKen: Awaited<ReturnType<typeof enrolledClient>>;
  const total = DIRECTORY_PAGE_SIZE + 7;

  test('setup: France nominates more POCs than a page holds (pending: none has enrolled)', async () => {
    app = await testApp(ctx());
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    const adminKen = await enrolledClient(app, 'admin@ke.example', 'state-admin', 'KEN');
    pocKen = await enrolledClient(app, 'poc@ke.example', 'poc', 'KEN');
    await adminFra.client.get('/directory');
    for (let i = 0; i < total; i++) {
      const res = await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: [`poc${i}@fr.example`], name: `Agent ${String(i).padStart(3, '0')}` }));
      assert.equal(res.statusCode, 201);
    }
    await adminKen.client.get('/directory');
    assert.equal((await adminKen.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: ['poc@ke.example'], name: 'Kenyan POC' }))).statusCode, 201);
  });

  test('the page lists a page at a time, with the count over every page', async () => {
    const first = await adminFra.client.get('/directory');
    assert.equal([...first.body.matchAll(/href="\/directory\/entries\//g)].length, DIRECTORY_PAGE_SIZE);
    assert.match(first.body, new RegExp(`${total} entries match`), "France takes no part yet: Kenya's active entry is neither shown nor counted");
    assert.match(first.body, /Page 1 of 2/);
    assert.match(first.body, /href="\/directory\?page=2"/);
    const second = await adminFra.client.get('/directory?page=2');
    assert.equal([...second.body.matchAll(/href="\/directory\/entries\//g)].length, total - DIRECTORY_PAGE_SIZE);
    assert.doesNotMatch(second.body, /page=3/);
    const filtered = await adminFra.client.get('/directory?state=FRA&lang=fr');
    assert.match(filtered.body, /<option value="FRA" selected>France<\/option>/, 'the chosen State stays chosen');
    assert.match(filtered.body, /<option value(="")?>Tous<\/option>/);
  });

  test("another State neither sees nor counts France's pending entries", async () => {
    const page = await pocKen.client.get('/directory');
    assert.match(page.body, /1 entry matches/);
    assert.doesNotMatch(page.body, /Agent 0/);
    const api = (await pocKen.client.json('GET', '/api/v1/directory/entries')).json();
    assert.deepEqual(api.entries.map((e: { name: string }) => e.name), ['Kenyan POC']);
  });
});
