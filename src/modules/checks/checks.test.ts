import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { listAuditEvents } from '../../audit/audit.repository.ts';
import { jobRegistry } from '../../jobs/jobs.ts';
import { createWorker, type Worker } from '../../jobs/worker.ts';
import { eachEngine } from '../../testing/engines.ts';
import { testApp, TestClient } from '../../testing/app.ts';
import { startSmtpSink, type SmtpSink } from '../../testing/smtp.ts';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';
import { pocBody } from '../directory/poc/poc.testing.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;
const LINK = /http:\/\/cadre\.test(\/checks\/ack\/([0-9a-f]{64}))/;

eachEngine('communication checks: campaign, one e-mail each, acknowledgement by link and in the portal', (ctx) => {
  let smtp: SmtpSink;
  let app: App;
  let worker: Worker;
  let secretariat: Enrolled;
  let pocKen: Enrolled;
  let adminFra: Enrolled;
  let campaignId = '';

  after(() => smtp?.close());

  test('setup: three active POCs in France and Kenya, one of them unreachable', async () => {
    smtp = await startSmtpSink({ refuse: (a) => a.startsWith('gone') });
    app = await testApp(ctx(), { smtpUrl: smtp.url });
    worker = createWorker({ database: ctx().database, registry: jobRegistry(app.cadre), backoff: { baseSeconds: 0, maxSeconds: 0 } });
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    const adminKen = await enrolledClient(app, 'admin@ke.example', 'state-admin', 'KEN');
    await enrolledClient(app, 'poc@fr.example', 'poc', 'FRA');
    await enrolledClient(app, 'gone@fr.example', 'poc', 'FRA');
    pocKen = await enrolledClient(app, 'poc@ke.example', 'poc', 'KEN');
    await adminFra.client.get('/directory');
    for (const [email, kind] of [['poc@fr.example', 'technical'], ['gone@fr.example', 'diplomatic']] as const) {
      assert.equal((await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: [email], kind, name: email }))).statusCode, 201);
    }
    await adminKen.client.get('/directory');
    assert.equal((await adminKen.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: ['poc@ke.example'], languages: ['en', 'sw'], name: 'Kenyan POC' }))).statusCode, 201);
    await worker.drain();
    smtp.messages.length = 0;
  });

  test('only the Secretariat starts and follows checks', async () => {
    for (const c of [adminFra.client, pocKen.client]) {
      assert.equal((await c.get('/checks')).statusCode, 403);
      assert.equal((await c.get('/checks/new')).statusCode, 403);
      assert.equal((await c.json('POST', '/api/v1/checks', { mode: 'routine' })).statusCode, 403);
    }
    assert.equal((await new TestClient(app).get('/checks')).statusCode, 303);
  });

  test('a campaign writes one target and one e-mail job per active POC; each gets exactly one e-mail, in its language', async () => {
    await secretariat.client.get('/checks/new');
    const res = await secretariat.client.post('/checks', { mode: 'exercise', deadlineHours: '48', kind: '', group: '', organisation: '', state: '', note: '' });
    assert.equal(res.statusCode, 303);
    campaignId = /\/checks\/([0-9a-f-]{36})/.exec(res.headers.location as string)![1]!;
    const page = await secretariat.client.get(`/checks/${campaignId}`);
    assert.match(page.body, /queued: 3/);
    assert.equal(await worker.drain(), 5, 'three checks, and the refused address’s notices to France’s admin and the Secretariat');
    assert.equal(await worker.drain(), 0, 'nothing is sent twice');
    assert.match(smtp.to('admin@fr.example')[0]?.parsed.subject ?? '', /could not be delivered|n’a pas pu être remis/);
    assert.equal(smtp.to('sec@un.example').length, 1);
    assert.equal(smtp.to('gone@fr.example').length, 0, 'the refused address received nothing');
    const fr = smtp.to('poc@fr.example');
    assert.equal(fr.length, 1);
    assert.match(fr[0]!.parsed.subject ?? '', /^EXERCICE – test de communication/);
    assert.match(String(fr[0]!.parsed.headers.get('x-cadre-check')), /^[0-9a-f]{64}$/);
    assert.equal(smtp.to('poc@ke.example').length, 1);
    assert.match(smtp.to('poc@ke.example')[0]!.parsed.subject ?? '', /^EXERCISE/);
    const api = (await secretariat.client.json('GET', `/api/v1/checks/${campaignId}`)).json();
    assert.deepEqual(api.counts, { queued: 0, sent: 2, undeliverable: 1, acknowledged: 0, overdue: 0 });
  });

  test('the link shows a button; only pressing it acknowledges, once', async () => {
    const [, path, token] = LINK.exec(smtp.to('poc@fr.example')[0]!.parsed.text ?? '')!;
    const visitor = new TestClient(app);
    const page = await visitor.get(path!);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /EXERCICE|exercise|exercice/i);
    let counts = (await secretariat.client.json('GET', `/api/v1/checks/${campaignId}`)).json().counts;
    assert.equal(counts.acknowledged, 0, 'opening the link acknowledges nothing');
    assert.equal((await visitor.post(path!, {})).statusCode, 200);
    counts = (await secretariat.client.json('GET', `/api/v1/checks/${campaignId}`)).json().counts;
    assert.equal(counts.acknowledged, 1);
    const again = await visitor.post(path!, {});
    assert.equal(again.statusCode, 410);
    const forged = await visitor.get(`/checks/ack/${token!.slice(0, 63)}${token!.endsWith('0') ? '1' : '0'}`);
    assert.equal(forged.statusCode, 410);
    assert.equal((await visitor.get('/checks/ack/not-a-token')).statusCode, 410);
    const refused = await listAuditEvents(app.cadre.database.db, { action: 'check.refused', limit: 10 });
    assert.deepEqual(refused.map((e) => JSON.parse(e.details).reason).sort(), ['invalid', 'invalid', 'used']);
    const acked = await listAuditEvents(app.cadre.database.db, { action: 'check.acknowledged', limit: 10 });
    assert.equal(acked.length, 1);
    assert.match(acked[0]!.details, /"channel":"link"/);
  });

  test('a signed-in POC acknowledges its own open check in the portal, and no one else’s', async () => {
    const mine = await pocKen.client.get('/checks/mine');
    assert.equal(mine.statusCode, 200);
    const targetId = /\/checks\/targets\/([0-9a-f-]{36})\/acknowledge/.exec(mine.body)![1]!;
    await adminFra.client.get('/checks/mine');
    assert.equal((await adminFra.client.post(`/checks/targets/${targetId}/acknowledge`, {})).statusCode, 404, 'France’s admin cannot acknowledge for Kenya');
    const done = await pocKen.client.post(`/checks/targets/${targetId}/acknowledge`, {});
    assert.equal(done.statusCode, 303);
    assert.match((await pocKen.client.get('/checks/mine?done=1')).body, /notice-ok/);
    const counts = (await secretariat.client.json('GET', `/api/v1/checks/${campaignId}`)).json().counts;
    assert.equal(counts.acknowledged, 2);
  });

  test('after the deadline, what was not acknowledged is overdue', async () => {
    app.cadre.clock = () => new Date(Date.now() + 49 * 3_600_000);
    const counts = (await secretariat.client.json('GET', `/api/v1/checks/${campaignId}`)).json().counts;
    assert.equal(counts.overdue, 0, 'the undeliverable address is not counted overdue, it is undeliverable');
    const page = await secretariat.client.get(`/checks/${campaignId}`);
    assert.match(page.body, /data-status="undeliverable"/);
    delete app.cadre.clock;
  });

  test('a campaign by scope: the diplomatic POCs of France only', async () => {
    await secretariat.client.get('/checks');
    const res = await secretariat.client.json('POST', '/api/v1/checks', { mode: 'routine', kind: 'diplomatic', states: ['FRA'], deadlineHours: 24 });
    assert.equal(res.statusCode, 201);
    assert.equal(res.json().targets, 1);
    const none = await secretariat.client.json('POST', '/api/v1/checks', { mode: 'routine', group: 'GRULAC' });
    assert.equal(none.statusCode, 400);
    const bad = await secretariat.client.json('POST', '/api/v1/checks', { mode: 'drill', deadlineHours: 0 });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(bad.json().errors.map((e: { field: string }) => e.field).sort(), ['deadlineHours', 'mode']);
  });
});

eachEngine('communication checks without SMTP', (ctx) => {
  test('a check cannot start when Cadre sends no e-mail', async () => {
    const app = await testApp(ctx());
    const sec = await enrolledClient(app, 'sec@un.example', 'secretariat');
    await sec.client.get('/checks/new');
    const res = await sec.client.post('/checks', { mode: 'routine', deadlineHours: '48' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /SMTP_URL/);
  });
});
