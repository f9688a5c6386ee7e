import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { listAuditEvents } from '../../../audit/audit.repository.ts';
import { jobRegistry } from '../../../jobs/jobs.ts';
import { createWorker, type Worker } from '../../../jobs/worker.ts';
import { eachEngine } from '../../../testing/engines.ts';
import { startSmtpSink, type SmtpSink } from '../../../testing/smtp.ts';
import { testApp } from '../../../testing/app.ts';
import { enrolledClient } from '../../../testing/users.ts';
import type { App } from '../../../web/types.ts';
import { pocBody } from './poc.testing.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;

const HEADER = 'state,kind,rank,name,title,organisation,emails,phones,languages,time_zone,availability,notes';
const OSCE_FILE = [
  HEADER,
  // Line 2: the same person as France's UN entry, with another title (a conflict, for the Secretariat).
  'FRA,technical,primary,Claire Dubois,Directrice du CERT,ANSSI,claire.dubois@cert.example.fr,+33153595000 (office),fr; en,Europe/Paris,24/7,',
  // Line 3: an address that already belongs to Kenya's account: the organisation must not learn it.
  'FRA,technical,alternate,Paul Girard,,ANSSI,poc@ke.example,,fr,Europe/Paris,24/7,',
  // Line 4: Brazil is not a member of the OSCE; line 5: a bad time zone. Both are the file's own problems.
  'BRA,technical,primary,Ana Souza,,,ana@br.example,,pt,America/Sao_Paulo,24/7,',
  'FRA,diplomatic,primary,Inès Martin,,MEAE,ines.martin@diplomatie.example.fr,,fr,Mars/Olympus,24/7,',
].join('\r\n');

interface Row {
  line: number;
  state: string;
  name: string;
  errors: { field: string; code: string }[];
  status?: string;
  match?: unknown;
  differences?: unknown;
}

eachEngine('points of contact: a regional organisation uploads its own directory for the Secretariat to review', (ctx) => {
  after(() => smtp?.close());
  let app: App;
  let smtp: SmtpSink;
  let worker: Worker;
  let secretariat: Enrolled;
  let osceToken = '';
  let euToken = '';
  let importId = '';

  const asOrg = (token: string, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const tokenOf = async (email: string, organisation: string) => {
    const org = await enrolledClient(app, email, 'regional-org', organisation);
    await org.client.get('/tokens');
    // Two scopes: the form's checkboxes, posted as a browser does.
    const form = new URLSearchParams([['_csrf', org.client.csrf], ['name', `${organisation} directory`], ['scopes', 'directory:read'], ['scopes', 'directory:write'], ['expiresInDays', '30']]);
    const cookie = [...org.client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await app.inject({ method: 'POST', url: '/tokens', payload: form.toString(), headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.statusCode, 201, res.body);
    return /data-new-token[^>]*>\s*(cadre_[A-Za-z0-9_-]+)/.exec(res.body)![1]!;
  };

  test('setup: France’s entry, a Kenyan POC account, and OSCE and EU clients with read and write tokens', async () => {
    smtp = await startSmtpSink();
    app = await testApp(ctx(), { smtpUrl: smtp.url });
    worker = createWorker({ database: ctx().database, registry: jobRegistry(app.cadre), backoff: { baseSeconds: 0, maxSeconds: 0 } });
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    const adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    await enrolledClient(app, 'claire.dubois@cert.example.fr', 'poc', 'FRA');
    await enrolledClient(app, 'poc@ke.example', 'poc', 'KEN');
    await adminFra.client.get('/directory');
    assert.equal((await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody())).statusCode, 201);
    osceToken = await tokenOf('sync@osce.example', 'OSCE');
    euToken = await tokenOf('sync@eu.example', 'EU');
  });

  test('the OSCE uploads its directory: it learns its file’s problems, never what the directory holds', async () => {
    const res = await asOrg(osceToken, 'POST', '/api/v1/directory/imports', { organisation: 'OSCE', format: 'csv', content: OSCE_FILE, fileName: 'osce.csv' });
    assert.equal(res.statusCode, 201, res.body);
    const body = res.json() as { id: string; organisation: string; rows: Row[]; counts?: unknown };
    importId = body.id;
    assert.equal(body.organisation, 'OSCE');
    assert.equal(body.counts, undefined);
    assert.deepEqual(
      body.rows.map((r) => [r.line, r.errors.map((e) => e.field)]),
      [
        [2, []],
        [3, []],
        [4, ['state']],
        [5, ['timeZone']],
      ],
    );
    assert.equal(body.rows[2]!.errors[0]!.code, 'directory.import.notMember');
    for (const row of body.rows) {
      assert.equal(row.status, undefined);
      assert.equal(row.match, undefined);
      assert.equal(row.differences, undefined);
    }
    assert.doesNotMatch(res.body, /Cheffe du CERT|emailOtherAccount|conflict|ke\.example.*account/, 'nothing of the UN entry or of the Kenyan account');
    assert.deepEqual(
      (await listAuditEvents(app.cadre.database.db, { action: 'directory.import.previewed', limit: 5 })).map((e) => e.actor_label),
      ['sync@osce.example'],
    );
  });

  test('the OSCE reads its upload back the same way, and lists its own uploads; the EU sees none of it', async () => {
    const again = await asOrg(osceToken, 'GET', `/api/v1/directory/imports/${importId}`);
    assert.equal(again.statusCode, 200, again.body);
    assert.equal((again.json() as { rows: Row[] }).rows.length, 4);
    assert.doesNotMatch(again.body, /Cheffe du CERT|"status"|"match"/);
    const list = await asOrg(osceToken, 'GET', '/api/v1/directory/imports');
    assert.deepEqual((list.json() as { imports: { id: string; createdBy: string }[] }).imports.map((i) => [i.id, i.createdBy]), [[importId, 'sync@osce.example']]);
    assert.equal((await asOrg(euToken, 'GET', `/api/v1/directory/imports/${importId}`)).statusCode, 404);
    assert.deepEqual((await asOrg(euToken, 'GET', '/api/v1/directory/imports')).json(), { imports: [] });
  });

  test('an organisation uploads its own directory only, and never applies one', async () => {
    const other = await asOrg(osceToken, 'POST', '/api/v1/directory/imports', { organisation: 'EU', format: 'csv', content: OSCE_FILE });
    assert.equal(other.statusCode, 403);
    assert.match(other.body, /OSCE/);
    assert.equal((await asOrg(osceToken, 'POST', `/api/v1/directory/imports/${importId}/apply`, { goodRowsOnly: true })).statusCode, 403);
    assert.equal((await app.cadre.database.db.selectFrom('directory_import').select('id').execute()).length, 1, 'the refused upload was not kept');
  });

  test('the Secretariat is told by e-mail where to review it, once; nothing of the file is in the mail', async () => {
    await worker.drain();
    const told = smtp.to('sec@un.example');
    assert.equal(told.length, 1);
    assert.match(told[0]!.parsed.subject ?? '', /regional organisation sent its directory/);
    assert.match(told[0]!.parsed.text ?? '', new RegExp(`/directory/imports/${importId}`));
    assert.match(told[0]!.parsed.text ?? '', /OSCE/);
    assert.doesNotMatch(told[0]!.parsed.text ?? '', /Claire|Paul Girard|ke\.example|osce\.csv/);
    await secretariat.client.get('/directory/imports');
    const own = await secretariat.client.json('POST', '/api/v1/directory/imports', { organisation: 'OSCE', format: 'csv', content: OSCE_FILE });
    assert.equal(own.statusCode, 201);
    await worker.drain();
    assert.equal(smtp.to('sec@un.example').length, 1, 'the Secretariat’s own upload tells nobody');
  });

  test('the Secretariat finds it awaiting review, sees the whole report, and applies it', async () => {
    const page = await secretariat.client.get('/directory/imports?lang=en');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<tr data-import="${importId}">[\\s\\S]*?sent by the organisation[\\s\\S]*?Awaiting review`));
    const report = await secretariat.client.json('GET', `/api/v1/directory/imports/${importId}`);
    const rows = (report.json() as { rows: Row[] }).rows;
    assert.deepEqual(
      rows.map((r) => [r.line, r.status]),
      [
        [2, 'conflict'],
        [3, 'error'],
        [4, 'error'],
        [5, 'error'],
      ],
    );
    assert.deepEqual(rows[1]!.errors.map((e) => e.code), ['directory.emailOtherAccount']);
    const applied = await secretariat.client.json('POST', `/api/v1/directory/imports/${importId}/apply`, { acceptConflicts: [2], goodRowsOnly: true });
    assert.equal(applied.statusCode, 200, applied.body);
    assert.equal(applied.json().updated, 1);
    const listed = await secretariat.client.get('/directory/imports?lang=en');
    assert.match(listed.body, new RegExp(`<tr data-import="${importId}">[\\s\\S]*?Applied `));
    assert.match((await asOrg(osceToken, 'GET', `/api/v1/directory/imports/${importId}`)).body, /"appliedAt":"20/);
  });
});
