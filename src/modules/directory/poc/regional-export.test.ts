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
  let token = '';
  const ids: Record<'shared' | 'unshared' | 'pending', string> = { shared: '', unshared: '', pending: '' };

  const exportJson = async () => {
    const res = await app.inject({ url: '/api/v1/directory/export.json', headers: { authorization: `Bearer ${token}` } });
    assert.equal(res.statusCode, 200, res.body);
    return JSON.parse(res.body) as { organisation?: string; entries: { id: string; name: string }[] };
  };
  const consent = async (id: string, organisations: string[]) =>
    assert.equal((await adminFra.client.json('PUT', `/api/v1/directory/entries/${id}/consent`, { organisations })).statusCode, 200);

  test('setup: French entries, shared or not, and an OSCE client with a directory:read token', async () => {
    app = await testApp(ctx());
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
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

  test('an entry whose consent is removed leaves the export', async () => {
    await consent(ids.shared, []);
    assert.deepEqual((await exportJson()).entries, []);
    await consent(ids.shared, ['OSCE', 'EU']);
    assert.deepEqual((await exportJson()).entries.map((e) => e.id), [ids.shared]);
  });

  test('a withdrawn entry leaves the export', async () => {
    const res = await adminFra.client.json('POST', `/api/v1/directory/entries/${ids.shared}/withdraw`, { nominationRef: 'NV/2026/300', nominationDate: '2026-11-24' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual((await exportJson()).entries, []);
  });
});
