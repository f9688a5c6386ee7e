import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listAuditEvents } from '../../../audit/audit.repository.ts';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { enrolledClient } from '../../../testing/users.ts';
import type { App } from '../../../web/types.ts';
import { pocBody } from './poc.testing.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;

eachEngine('points of contact: consent per regional organisation', (ctx) => {
  let app: App;
  let adminFra: Enrolled;
  let adminKen: Enrolled;
  let entryId = '';

  const consentsOf = async (id: string) =>
    (await app.cadre.database.db.selectFrom('poc_consent').select('organisation_id').where('poc_id', '=', id).orderBy('organisation_id').execute()).map((r) => r.organisation_id);

  test('setup: an active French entry (its address is an enrolled POC of France)', async () => {
    app = await testApp(ctx());
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    adminKen = await enrolledClient(app, 'admin@ke.example', 'state-admin', 'KEN');
    await enrolledClient(app, 'claire.dubois@cert.example.fr', 'poc', 'FRA');
    await adminFra.client.get('/directory');
    const res = await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody());
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().entry.status, 'active');
    entryId = res.json().entry.id;
  });

  test('the API sets the organisations: a new version, a revision and an audit event', async () => {
    const res = await adminFra.client.json('PUT', `/api/v1/directory/entries/${entryId}/consent`, { organisations: ['osce', 'EU'] });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json().organisations, ['EU', 'OSCE']);
    assert.deepEqual(await consentsOf(entryId), ['EU', 'OSCE']);
    const entry = (await adminFra.client.json('GET', `/api/v1/directory/entries/${entryId}`)).json();
    assert.deepEqual(entry.sharedWith, ['EU', 'OSCE']);
    const history = (await adminFra.client.json('GET', `/api/v1/directory/entries/${entryId}/history`)).json();
    assert.equal(history.revisions[0].change, 'consent');
    assert.equal(history.revisions[0].version, res.json().version);
    const events = await listAuditEvents(app.cadre.database.db, { action: 'poc.consent', limit: 50 });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.target_id, entryId);
  });

  test('an organisation the State does not belong to is refused, and nothing changes', async () => {
    const res = await adminFra.client.json('PUT', `/api/v1/directory/entries/${entryId}/consent`, { organisations: ['OSCE', 'OAS'] });
    assert.equal(res.statusCode, 400);
    assert.equal(res.json().errors?.[0]?.field ?? res.json().field, 'organisations');
    assert.match(res.body, /OAS/);
    assert.deepEqual(await consentsOf(entryId), ['EU', 'OSCE']);
  });

  test('another State may not choose for the entry', async () => {
    const res = await adminKen.client.json('PUT', `/api/v1/directory/entries/${entryId}/consent`, { organisations: [] });
    assert.ok(res.statusCode === 403 || res.statusCode === 404, String(res.statusCode));
    assert.deepEqual(await consentsOf(entryId), ['EU', 'OSCE']);
  });

  test('the entry page shows the section; the form has a checkbox per organisation of the State and replaces the choice', async () => {
    const entryPage = await adminFra.client.get(`/directory/entries/${entryId}`);
    assert.match(entryPage.body, /id="consent"/);
    assert.match(entryPage.body, new RegExp(`href="/directory/entries/${entryId}/consent"`));
    const form = await adminFra.client.get(`/directory/entries/${entryId}/consent`);
    assert.equal(form.statusCode, 200);
    for (const o of ['OSCE', 'EU', 'COE']) assert.match(form.body, new RegExp(`name="org_${o}"`), o);
    assert.doesNotMatch(form.body, /name="org_OAS"/);
    assert.match(form.body, /name="org_OSCE"[^>]*checked/);
    const saved = await adminFra.client.post(`/directory/entries/${entryId}/consent`, { org_COE: 'on' });
    assert.equal(saved.statusCode, 303);
    assert.deepEqual(await consentsOf(entryId), ['COE']);
    const refused = await adminFra.client.post(`/directory/entries/${entryId}/consent?lang=fr`, { org_OAS: 'on' });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /n’est pas membre de\u00a0: OAS/);
    assert.deepEqual(await consentsOf(entryId), ['COE']);
    const other = await adminKen.client.get(`/directory/entries/${entryId}`);
    assert.doesNotMatch(other.body, /id="consent"/, 'the section is for those who may choose');
  });
});
