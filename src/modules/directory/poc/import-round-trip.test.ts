import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../../../db/database.ts';
import { eachEngine, freshDatabase, postgresReachable } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { enrolledClient } from '../../../testing/users.ts';
import type { App } from '../../../web/types.ts';
import { toPocEntry } from './poc.entry.ts';
import * as repo from './poc.repository.ts';
import { pocBody } from './poc.testing.ts';
import type { PocEntry } from './types.ts';
import { generateKey } from 'openpgp';

/** The fields an organisation's directory carries from one Cadre to another: JSON carries the key too, CSV only its fingerprint. */
const FIELDS = ['name', 'kind', 'rank', 'title', 'organisation', 'emails', 'phones', 'languages', 'timeZone', 'availability', 'notes'] as const;
const KEY_FIELDS = ['pgpKey', 'pgpFingerprint', 'pgpExpiresAt'] as const;
const projection = (entries: PocEntry[], format: 'json' | 'csv') =>
  entries
    .map((e) => Object.fromEntries([...FIELDS, ...(format === 'json' ? KEY_FIELDS : [])].map((f) => [f, e[f]])))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));

/** A real OpenPGP public key, valid two years. */
async function publicKey(email: string): Promise<string> {
  return (await generateKey({ userIDs: [{ name: 'POC', email }], keyExpirationTime: 2 * 365 * 86_400, format: 'armored' })).publicKey;
}

/** Another Cadre: its own, empty database (of the given engine) and its own Secretariat. */
async function freshInstance(engine: Engine) {
  const fresh = await freshDatabase(engine);
  const app = await testApp(fresh.ctx);
  const secretariat = await enrolledClient(app, 'sec@other.example', 'secretariat');
  await secretariat.client.get('/directory');
  const close = async () => {
    await app.close();
    await fresh.drop();
  };
  return { app, secretariat, close };
}

/** Every entry of the instance with all its open addresses (imported POCs have not verified theirs yet). */
async function storedEntries(app: App): Promise<PocEntry[]> {
  const db = app.cadre.database.db;
  const rows = await repo.listPocs(db, { statuses: ['pending', 'active'] });
  return Promise.all(rows.map(async (r) => toPocEntry(r, (await repo.openEmails(db, r.id)).map((e) => e.address))));
}

/**
 * The organisation's file then brings Marc Leroy another key: the same person with a difference on
 * the key, which the Secretariat may take; a fingerprint that contradicts its key is refused.
 */
async function anotherKey(other: Awaited<ReturnType<typeof freshInstance>>, content: string): Promise<void> {
  const document = JSON.parse(content) as { entries: { name: string; pgpKey: string | null; pgpFingerprint: string | null }[] };
  const marc = document.entries.find((e) => e.name === 'Marc Leroy')!;
  const before = marc.pgpFingerprint;
  marc.pgpKey = await publicKey('marc.leroy@diplomatie.example.fr');
  marc.pgpFingerprint = null;
  const changed = await other.secretariat.client.json('POST', '/api/v1/directory/imports', { organisation: 'OSCE', format: 'json', content: JSON.stringify(document) });
  const row = (changed.json().rows as { line: number; status: string; differences: { field: string; current: string; incoming: string }[] }[]).find((r) => r.status !== 'unchanged')!;
  assert.equal(row.status, 'conflict');
  assert.deepEqual(row.differences.map((d) => d.field), ['pgpKey']);
  assert.equal(row.differences[0]!.current, before);
  const applied = await other.secretariat.client.json('POST', `/api/v1/directory/imports/${changed.json().id}/apply`, { acceptConflicts: [row.line] });
  assert.equal(applied.json().updated, 1, applied.body);
  const now = (await storedEntries(other.app)).find((e) => e.name === 'Marc Leroy')!;
  assert.equal(now.pgpFingerprint, row.differences[0]!.incoming, 'the organisation’s key taken');
  assert.notEqual(now.pgpFingerprint, before);

  marc.pgpFingerprint = before;
  const contradicted = await other.secretariat.client.json('POST', '/api/v1/directory/imports', { organisation: 'OSCE', format: 'json', content: JSON.stringify(document) });
  const refused = (contradicted.json().rows as { status: string; errors: { field: string; code: string }[] }[]).find((r) => r.status === 'error');
  assert.deepEqual(refused?.errors.map((e) => [e.field, e.code]), [['pgpFingerprint', 'directory.import.fingerprintMismatch']]);
}

eachEngine('points of contact: an organisation’s directory exported here and imported into another Cadre', (ctx) => {
  let app: App;
  let source: PocEntry[] = [];
  let json = '';
  let csv = '';

  test('setup: entries shared with OSCE, exported as the organisation reads them (JSON) and as the Secretariat filters them (CSV)', async () => {
    app = await testApp(ctx());
    const adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    const secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    await enrolledClient(app, 'claire.dubois@cert.example.fr', 'poc', 'FRA');
    await enrolledClient(app, 'marc.leroy@diplomatie.example.fr', 'poc', 'FRA');
    await adminFra.client.get('/directory');
    const ids: string[] = [];
    for (const body of [
      pocBody(),
      pocBody({
        name: 'Marc Leroy',
        kind: 'diplomatic',
        rank: 'alternate',
        title: 'Conseiller; cyber',
        organisation: 'Ministère de l’Europe et des Affaires étrangères',
        emails: ['marc.leroy@diplomatie.example.fr'],
        phones: [
          { number: '+33 1 43 17 53 53', label: 'office' },
          { number: '+33 6 12 34 56 78', label: 'mobile' },
        ],
        languages: ['fr', 'en', 'es'],
        availability: 'mon-fri 09:00-17:30; sat 10:00-12:00',
        notes: 'Astreinte : appeler d’abord le "CERT";\npuis le cabinet, = +33 1 00',
        pgpKey: await publicKey('marc.leroy@diplomatie.example.fr'),
      }),
    ]) {
      const res = await adminFra.client.json('POST', '/api/v1/directory/entries', body);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal(res.json().entry.status, 'active');
      ids.push(res.json().entry.id);
    }
    for (const id of ids) assert.equal((await adminFra.client.json('PUT', `/api/v1/directory/entries/${id}/consent`, { organisations: ['OSCE'] })).statusCode, 200);
    source = ((await adminFra.client.json('GET', '/api/v1/directory/entries?state=FRA')).json() as { entries: PocEntry[] }).entries;
    assert.equal(source.length, 2);

    const org = await enrolledClient(app, 'sync@osce.example', 'regional-org', 'OSCE');
    await org.client.get('/tokens');
    const token = /data-new-token[^>]*>\s*(cadre_[A-Za-z0-9_-]+)/.exec((await org.client.post('/tokens', { name: 'sync', scopes: 'directory:read', expiresInDays: '30' })).body)![1]!;
    const exported = await app.inject({ url: '/api/v1/directory/export.json', headers: { authorization: `Bearer ${token}` } });
    assert.equal(exported.statusCode, 200);
    json = exported.body;
    assert.equal(JSON.parse(json).organisation, 'OSCE');
    const filtered = await secretariat.client.get('/directory/export.csv?sharedWith=OSCE&status=active');
    assert.equal(filtered.statusCode, 200);
    csv = filtered.body;
  });

  for (const [format, engine] of [['json', 'sqlite'], ['csv', 'sqlite'], ['json', 'postgres'], ['csv', 'postgres']] as const) {
    test(`the ${format.toUpperCase()} file imported into a fresh Cadre on ${engine} gives the same entries, field by field`, async (t) => {
      if (engine === 'postgres' && process.env.CI !== 'true' && !(await postgresReachable())) return t.skip('PostgreSQL not reachable');
      const other = await freshInstance(engine);
      try {
        const content = format === 'json' ? json : csv;
        const preview = await other.secretariat.client.json('POST', '/api/v1/directory/imports', { organisation: 'OSCE', format, content, fileName: `osce.${format}` });
        assert.equal(preview.statusCode, 201, preview.body);
        assert.deepEqual(preview.json().rows.map((r: { status: string }) => r.status), ['new', 'new'], JSON.stringify(preview.json().rows));
        const applied = await other.secretariat.client.json('POST', `/api/v1/directory/imports/${preview.json().id}/apply`, {});
        assert.equal(applied.statusCode, 200, applied.body);
        assert.equal(applied.json().created, 2);
        const imported = await storedEntries(other.app);
        assert.deepEqual(projection(imported, format), projection(source, format));
        if (format === 'json') assert.ok(imported.some((e) => e.pgpFingerprint), 'the key came across');
        assert.ok(imported.every((e) => e.nominationRef === `import:OSCE:osce.${format}`));
        // The same file again: every row is now the same person, unchanged.
        const again = await other.secretariat.client.json('POST', '/api/v1/directory/imports', { organisation: 'OSCE', format, content });
        assert.deepEqual(again.json().rows.map((r: { status: string }) => r.status), ['unchanged', 'unchanged']);
        if (format === 'json') await anotherKey(other, content);
      } finally {
        await other.close();
      }
    });
  }
});
