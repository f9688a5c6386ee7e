import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { enrolledClient } from '../../../testing/users.ts';
import type { App } from '../../../web/types.ts';
import { pocBody } from './poc.testing.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;

eachEngine('points of contact: export for a regional organisation', (ctx) => {
  let app: App;
  let adminFra: Enrolled;
  let secretariat: Enrolled;
  let token = '';
  const ids: Record<'shared' | 'unshared' | 'pending', string> = { shared: '', unshared: '', pending: '' };

  const exportJson = async (query = '') => {
    const res = await app.inject({ url: `/api/v1/directory/export.json${query}`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200, res.body);
    return JSON.parse(res.body) as { organisation?: string; entries: { id: string; name: string }[] };
  };
  const consent = async (id: string, organisations: string[]) =>
    assert.equal((await adminFra.client.json('PUT', `/api/v1/directory/entries/${id}/consent`, { organisations })).statusCode, 200);

  test('setup: French entries, shared or not, and an OSCE client with a directory:read token', async () => {
    app = await testApp(ctx());
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    await enrolledClient(app, 'claire.dubois@cert.example.fr', 'poc', 'FRA');
    await enrolledClient(app, 'marc.leroy@diplomatie.example.fr', 'poc', 'FRA');
    await adminFra.client.get('/directory');
    const nominate = async (overrides: Parameters<typeof pocBody>[0]) => {
      const res = await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody(overrides));
      assert.equal(res.statusCode, 201, res.body);
      return res.json().entry as { id: string; status: string };
    };
    const shared = await nominate({});
    const unshared = await nominate({ name: 'Marc Leroy', kind: 'diplomatic', emails: ['marc.leroy@diplomatie.example.fr'] });
    const pending = await nominate({ name: 'Inès Martin', rank: 'alternate', emails: ['ines.martin@cert.example.fr'] });
    assert.deepEqual([shared.status, unshared.status, pending.status], ['active', 'active', 'pending']);
    Object.assign(ids, { shared: shared.id, unshared: unshared.id, pending: pending.id });
    await consent(ids.shared, ['OSCE']);
    await consent(ids.pending, ['OSCE']);
    await consent(ids.unshared, ['EU']);

    const org = await enrolledClient(app, 'sync@osce.example', 'regional-org', 'OSCE');
    await org.client.get('/tokens');
    const res = await org.client.post('/tokens', { name: 'OSCE directory', scopes: 'directory:read', expiresInDays: '30' });
    assert.equal(res.statusCode, 201);
    token = /data-new-token[^>]*>\s*(cadre_[A-Za-z0-9_-]+)/.exec(res.body)![1]!;
  });

  test('the organisation’s export holds only the active entries that consented to it, and names the organisation', async () => {
    const doc = await exportJson();
    assert.equal(doc.organisation, 'OSCE');
    assert.deepEqual(doc.entries.map((e) => e.id), [ids.shared]);
    const csv = await app.inject({ url: '/api/v1/directory/export.csv', headers: { authorization: `Bearer ${token}` } });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.body, /Claire Dubois/);
    assert.doesNotMatch(csv.body, /Marc Leroy|Inès Martin/);
  });

  test('the Secretariat exports, for an organisation, the entries that consented to it; the search page filters the same way', async () => {
    const ids_ = async (url: string) => {
      const res = await secretariat.client.json('GET', url);
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { entries: { id: string }[] }).entries.map((e) => e.id).sort();
    };
    assert.deepEqual(await ids_('/api/v1/directory/export.json?sharedWith=OSCE&status=active'), [ids.shared]);
    assert.deepEqual(await ids_('/api/v1/directory/export.json?sharedWith=osce'), [ids.shared, ids.pending].sort(), 'pending entries too, for the Secretariat');
    assert.deepEqual(await ids_('/api/v1/directory/entries?sharedWith=EU'), [ids.unshared]);
    assert.deepEqual(await ids_('/api/v1/directory/entries?sharedWith=ASEAN'), []);
    // Membership is not consent: France is in both, and each entry chose.
    assert.deepEqual(await ids_('/api/v1/directory/entries?organisation=EU'), [ids.shared, ids.unshared, ids.pending].sort());
    const csv = await secretariat.client.get('/directory/export.csv?sharedWith=OSCE&status=active');
    assert.match(csv.body, /Claire Dubois/);
    assert.doesNotMatch(csv.body, /Marc Leroy|Inès Martin/);
    const page = await secretariat.client.get('/directory?sharedWith=OSCE&lang=en');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<select[^>]*name="sharedWith"[\s\S]*?<option value="OSCE" selected/);
    assert.match(page.body, /Claire Dubois/);
    assert.match(page.body, /Inès Martin/);
    assert.doesNotMatch(page.body, /Marc Leroy/);
    assert.match(page.body, /href="\/directory\/export\.json\?sharedWith=OSCE(&amp;lang=en)?"/, 'the export links keep the filter');
  });

  test('an organisation may narrow its export to entries also shared with another organisation, never widen it', async () => {
    assert.deepEqual((await exportJson('?sharedWith=EU')).entries, [], 'Claire Dubois is shared with OSCE only; Marc Leroy with the EU only');
    assert.deepEqual((await exportJson('?sharedWith=OSCE')).entries.map((e) => e.id), [ids.shared]);
  });

  test('an entry whose consent is removed leaves the export', async () => {
    await consent(ids.shared, []);
    assert.deepEqual((await exportJson()).entries, []);
    await consent(ids.shared, ['OSCE', 'EU']);
    assert.deepEqual((await exportJson()).entries.map((e) => e.id), [ids.shared]);
    assert.deepEqual((await exportJson('?sharedWith=EU')).entries.map((e) => e.id), [ids.shared], 'now shared with both');
  });

  test('a withdrawn entry leaves the export', async () => {
    const res = await adminFra.client.json('POST', `/api/v1/directory/entries/${ids.shared}/withdraw`, { nominationRef: 'NV/2026/300', nominationDate: '2026-11-24' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual((await exportJson()).entries, []);
  });
});
