import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listAuditEvents } from '../../../audit/audit.repository.ts';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { enrolledClient } from '../../../testing/users.ts';
import type { App } from '../../../web/types.ts';
import { pocBody } from './poc.testing.ts';
import { STATE_HISTORY_SIZE } from './poc.read.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;

/** The rows of the State page's "recent changes" table: [entry name, change] in page order. */
function historyRows(body: string): string[][] {
  const section = /<section aria-labelledby="state-history-h">([\s\S]*?)<\/section>/.exec(body)?.[1];
  if (!section) return [];
  return [...section.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .slice(1)
    .map((row) => [...row[1]!.matchAll(/<td>([\s\S]*?)<\/td>/g)].map((cell) => cell[1]!.replace(/<[^>]+>/g, '').trim()))
    .map((cells) => [cells[1]!.replace(/\s*·.*$/, ''), cells[2]!, cells[4]!]);
}

eachEngine('points of contact: a State page shows the history of its entries', (ctx) => {
  let app: App;
  let secretariat: Enrolled;
  let adminFra: Enrolled;
  let adminKen: Enrolled;
  let claire = '';
  let jean = '';

  test('setup: France nominates two POCs, updates one and withdraws the other', async () => {
    app = await testApp(ctx());
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    adminKen = await enrolledClient(app, 'admin@ke.example', 'state-admin', 'KEN');
    await adminFra.client.get('/directory/nominate'); // the session's CSRF token, as a page gives it
    const nominate = async (body: ReturnType<typeof pocBody>) => {
      const res = await adminFra.client.json('POST', '/api/v1/directory/entries', body);
      assert.equal(res.statusCode, 201, res.body);
      return res.json().entry.id as string;
    };
    claire = await nominate(pocBody());
    jean = await nominate(pocBody({ name: 'Jean Martin', kind: 'diplomatic', emails: ['jean.martin@diplomatie.example.fr'], nominationRef: 'NV/2026/124' }));
    const updated = await adminFra.client.json('PUT', `/api/v1/directory/entries/${claire}`, pocBody({ title: 'Directrice du CERT', nominationRef: 'NV/2026/130' }));
    assert.equal(updated.statusCode, 200, updated.body);
    const withdrawn = await adminFra.client.json('POST', `/api/v1/directory/entries/${jean}/withdraw`, { nominationRef: 'NV/2026/131', nominationDate: '2026-11-21' });
    assert.equal(withdrawn.statusCode, 200, withdrawn.body);
  });

  test('the State’s admin sees its latest changes, newest first, with the entry, the change and the note verbale', async () => {
    const page = await adminFra.client.get('/directory/states/FRA');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<h2 id="state-history-h">Recent changes<\/h2>/);
    assert.match(page.body, /The 4 latest changes to this State’s entries\./);
    assert.deepEqual(historyRows(page.body), [
      ['Jean Martin', 'withdrawn', 'NV/2026/131'],
      ['Claire Dubois', 'updated', 'NV/2026/130'],
      ['Jean Martin', 'nominated', 'NV/2026/124'],
      ['Claire Dubois', 'nominated', 'NV/2026/123'],
    ]);
    assert.match(page.body, new RegExp(`href="/directory/entries/${jean}#history-h"`), 'each row leads to the entry’s whole history');
  });

  test('in French, the section and its changes are in French', async () => {
    const page = await adminFra.client.get('/directory/states/FRA?lang=fr');
    assert.match(page.body, /Changements récents/);
    assert.match(page.body, /Les 4 derniers changements apportés aux entrées de cet État\./);
    assert.deepEqual(
      historyRows(page.body).map((r) => r[1]),
      ['retiré', 'mis à jour', 'désigné', 'désigné'],
    );
  });

  test('the Secretariat sees it; another State’s admin does not, on the page or through the API', async () => {
    const sec = await secretariat.client.get('/directory/states/FRA');
    assert.equal(historyRows(sec.body).length, 4);
    const ken = await adminKen.client.get('/directory/states/FRA');
    assert.equal(ken.statusCode, 200);
    assert.doesNotMatch(ken.body, /state-history-h|Jean Martin|NV\/2026/);
    const api = await adminKen.client.json('GET', '/api/v1/directory/states/FRA/history');
    assert.equal(api.statusCode, 403);
    assert.doesNotMatch(api.body, /Jean Martin|NV\/2026/);
  });

  test('the API gives the same changes with the entry as it stood after each', async () => {
    const res = await adminFra.client.json('GET', '/api/v1/directory/states/fra/history');
    assert.equal(res.statusCode, 200, res.body);
    const { state, revisions } = res.json() as { state: string; revisions: { entryId: string; name: string; change: string; nominationRef: string; entry: { title: string } }[] };
    assert.equal(state, 'FRA');
    assert.deepEqual(
      revisions.map((r) => [r.entryId, r.change, r.nominationRef]),
      [
        [jean, 'withdrawn', 'NV/2026/131'],
        [claire, 'updated', 'NV/2026/130'],
        [jean, 'nominated', 'NV/2026/124'],
        [claire, 'nominated', 'NV/2026/123'],
      ],
    );
    assert.equal(revisions[1]!.entry.title, 'Directrice du CERT');
    assert.equal(revisions[3]!.entry.title, 'Cheffe du CERT');
    assert.equal((await secretariat.client.json('GET', '/api/v1/directory/states/FRA/history')).statusCode, 200);
    const unknown = await adminFra.client.json('GET', '/api/v1/directory/states/XXX/history');
    assert.equal(unknown.statusCode, 404);
  });

  test('the history through the API holds contact details: the Secretariat’s reading is recorded, the State’s own is not', async () => {
    const viewed = async () => (await listAuditEvents(app.cadre.database.db, { action: 'poc.viewed', limit: 100 })).filter((e) => JSON.parse(e.details).via === 'api.history');
    const before = (await viewed()).length;
    await adminFra.client.json('GET', '/api/v1/directory/states/FRA/history');
    await adminFra.client.json('GET', `/api/v1/directory/entries/${claire}/history`);
    assert.equal((await viewed()).length, before, 'France reading its own');
    await secretariat.client.json('GET', '/api/v1/directory/states/FRA/history');
    await secretariat.client.json('GET', `/api/v1/directory/entries/${claire}/history`);
    const events = (await viewed()).slice(0, 2);
    assert.equal(events.length, 2);
    assert.deepEqual(events.map((e) => e.state_iso3), ['FRA', 'FRA']);
    assert.deepEqual(JSON.parse(events[1]!.details).entries.sort(), [claire, jean].sort(), 'the State’s history names each entry it shows');
    assert.deepEqual(JSON.parse(events[0]!.details).entries, [claire]);
  });

  test(`a State with many changes shows its ${STATE_HISTORY_SIZE} latest`, async () => {
    for (let i = 0; i < STATE_HISTORY_SIZE; i++) {
      const res = await adminFra.client.json('PUT', `/api/v1/directory/entries/${claire}`, pocBody({ title: `Titre ${i}`, nominationRef: `NV/2026/2${String(i).padStart(2, '0')}` }));
      assert.equal(res.statusCode, 200, res.body);
    }
    const page = await adminFra.client.get('/directory/states/FRA?lang=en');
    const rows = historyRows(page.body);
    assert.equal(rows.length, STATE_HISTORY_SIZE);
    assert.deepEqual(rows[0], ['Claire Dubois', 'updated', `NV/2026/2${STATE_HISTORY_SIZE - 1}`]);
    assert.match(page.body, new RegExp(`The ${STATE_HISTORY_SIZE} latest changes`));
  });
});
