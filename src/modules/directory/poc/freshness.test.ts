import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { listAuditEvents } from '../../../audit/audit.repository.ts';
import { jobRegistry } from '../../../jobs/jobs.ts';
import { createWorker, type Worker } from '../../../jobs/worker.ts';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp, TestClient } from '../../../testing/app.ts';
import { startSmtpSink, type SmtpSink } from '../../../testing/smtp.ts';
import { enrolledClient } from '../../../testing/users.ts';
import type { App } from '../../../web/types.ts';
import { sweepFreshness } from './freshness.ts';
import { pocBody } from './poc.testing.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;
const DAY = 86_400_000;

eachEngine('directory e-mail: address changes, reminders, lapse, chasing', (ctx) => {
  let smtp: SmtpSink;
  let app: App;
  let worker: Worker;
  let adminFra: Enrolled;
  let pocFra: Enrolled;
  let secretariat: Enrolled;
  let entryId = '';
  let confirmedUntil = '';

  after(() => smtp?.close());

  test('setup: an active entry of France, mail through a real SMTP server', async () => {
    smtp = await startSmtpSink();
    app = await testApp(ctx(), { smtpUrl: smtp.url });
    worker = createWorker({ database: ctx().database, registry: jobRegistry(app.cadre), backoff: { baseSeconds: 0, maxSeconds: 0 } });
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    pocFra = await enrolledClient(app, 'poc@fr.example', 'poc', 'FRA');
    await enrolledClient(app, 'admin@br.example', 'state-admin', 'BRA');
    await adminFra.client.get('/directory');
    const res = await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: ['poc@fr.example'] }));
    assert.equal(res.statusCode, 201);
    entryId = res.json().entry.id;
    confirmedUntil = res.json().entry.confirmedUntil;
    assert.equal(res.json().entry.status, 'active');
  });

  test('a changed address is used only once verified; the old address is told', async () => {
    await adminFra.client.get(`/directory/entries/${entryId}/edit`);
    const res = await adminFra.client.json('PUT', `/api/v1/directory/entries/${entryId}`, pocBody({ emails: ['new.poc@fr.example'] }));
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().emails, ['poc@fr.example'], 'the old address stays in use meanwhile');
    await worker.drain();
    const [mail] = smtp.to('new.poc@fr.example');
    assert.ok(mail, 'the new address receives a verification link');
    const link = /http:\/\/cadre\.test(\/directory\/verify\/[A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '')?.[1];
    assert.ok(link);
    assert.doesNotMatch(mail.parsed.text ?? '', /Claire|poc@fr\.example/, 'nothing about the entry beyond the link');

    const holder = new TestClient(app);
    const page = await holder.get(link);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /new\.poc@fr\.example/);
    assert.equal((await holder.post(link, {})).statusCode, 200);
    assert.equal((await holder.post(link, {})).statusCode, 410, 'a link works once');

    const entry = (await adminFra.client.json('GET', `/api/v1/directory/entries/${entryId}`)).json();
    assert.deepEqual(entry.emails, ['new.poc@fr.example']);
    const account = await ctx().database.db.selectFrom('app_user').select('email').where('id', '=', pocFra.user.id).executeTakeFirstOrThrow();
    assert.equal(account.email, 'new.poc@fr.example', 'the account signs in with the new primary address');
    await worker.drain();
    const told = smtp.to('poc@fr.example');
    assert.equal(told.length, 1, 'the old address is told of the change');
    assert.match(told[0]!.parsed.subject ?? '', /replaced/);
  });

  test('a verified address removed with none in its place leaves at once, and is told', async () => {
    const put = (emails: string[]) => adminFra.client.json('PUT', `/api/v1/directory/entries/${entryId}`, pocBody({ emails }));
    assert.equal((await put(['new.poc@fr.example', 'desk@fr.example'])).statusCode, 200);
    await worker.drain();
    const link = /http:\/\/cadre\.test(\/directory\/verify\/[A-Za-z0-9_-]+)/.exec(smtp.to('desk@fr.example')[0]?.parsed.text ?? '')?.[1];
    assert.ok(link, 'the second address receives its verification link');
    const holder = new TestClient(app);
    await holder.get(link);
    assert.equal((await holder.post(link, {})).statusCode, 200);
    assert.deepEqual((await adminFra.client.json('GET', `/api/v1/directory/entries/${entryId}`)).json().emails, ['new.poc@fr.example', 'desk@fr.example']);

    const res = await put(['new.poc@fr.example']);
    assert.equal(res.statusCode, 200);
    assert.deepEqual(res.json().emails, ['new.poc@fr.example'], 'no successor to wait for: the address leaves now');
    await worker.drain();
    const told = smtp.to('desk@fr.example').slice(1);
    assert.equal(told.length, 1, 'the removed address is told, once');
    assert.match(told[0]!.parsed.subject ?? '', /removed/);
    assert.doesNotMatch(told[0]!.parsed.text ?? '', /new\.poc@fr\.example|Claire/, 'nothing about the entry beyond the link');
    assert.equal(smtp.to('new.poc@fr.example').length, 1, 'the address kept is not told (it had its verification link only)');
  });

  test('a reminder before "confirmed until", once; a lapse notice after; confirming stops them', async () => {
    const before = smtp.messages.length;
    app.cadre.clock = () => new Date(Date.parse(confirmedUntil) - 10 * DAY);
    assert.deepEqual(await sweepFreshness(app.cadre), { due: 1, lapsed: 0, pgp: 0 });
    assert.deepEqual(await sweepFreshness(app.cadre), { due: 0, lapsed: 0, pgp: 0 }, 'a second sweep sends nothing new');
    await worker.drain();
    const reminders = smtp.messages.slice(before);
    assert.deepEqual(reminders.flatMap((m) => m.recipients).sort(), ['admin@fr.example', 'new.poc@fr.example']);
    assert.match(reminders[0]!.parsed.text ?? '', /\/directory\/entries\//);

    app.cadre.clock = () => new Date(Date.parse(confirmedUntil) + DAY);
    assert.deepEqual(await sweepFreshness(app.cadre), { due: 0, lapsed: 1, pgp: 0 });
    const lapsed = (await adminFra.client.json('GET', `/api/v1/directory/entries/${entryId}`)).json();
    assert.equal(lapsed.lapsed, true);
    assert.equal((await listAuditEvents(app.cadre.database.db, { action: 'poc.lapsed', limit: 10 })).length, 1);

    await adminFra.client.get(`/directory/entries/${entryId}`);
    assert.equal((await adminFra.client.post(`/directory/entries/${entryId}/confirm`, {})).statusCode, 303);
    assert.deepEqual(await sweepFreshness(app.cadre), { due: 0, lapsed: 0, pgp: 0 });
    delete app.cadre.clock;
  });

  test('the Secretariat chases a State with no POC: its admins get one e-mail a day', async () => {
    await secretariat.client.get('/directory/overview?show=none');
    const res = await secretariat.client.post('/directory/overview/chase/BRA', {});
    assert.equal(res.statusCode, 303);
    assert.match(res.headers.location as string, /chased=BRA&sent=1/);
    const again = await secretariat.client.post('/directory/overview/chase/BRA', {});
    assert.match(again.headers.location as string, /sent=0/);
    await worker.drain();
    const [mail] = smtp.to('admin@br.example');
    assert.ok(mail);
    assert.match(mail.parsed.text ?? '', /\/directory\/nominate/);
    assert.equal((await secretariat.client.post('/directory/overview/chase/FRA', {})).statusCode, 409, 'France takes part');
    assert.equal((await secretariat.client.post('/directory/overview/chase/KEN', {})).statusCode, 409, 'Kenya has no admin to write to');
    await adminFra.client.get('/directory');
    assert.equal((await adminFra.client.post('/directory/overview/chase/BRA', {})).statusCode, 403);
  });

  test('settings: the Secretariat turns reciprocity off and shortens confirmations', async () => {
    await secretariat.client.get('/directory/settings');
    assert.equal((await secretariat.client.post('/directory/settings', { confirmMonths: '0', reminderDays: '30' })).statusCode, 400);
    assert.equal((await secretariat.client.post('/directory/settings', { confirmMonths: '3', reminderDays: '14' })).statusCode, 303);
    const page = await secretariat.client.get('/directory/settings');
    assert.match(page.body, /name="confirmMonths"[^>]*value="3"|value="3"[^>]*name="confirmMonths"/);
    const brazil = await enrolledClient(app, 'poc@br.example', 'poc', 'BRA');
    const seen = (await brazil.client.json('GET', `/api/v1/directory/entries/${entryId}`));
    assert.equal(seen.statusCode, 200, 'without reciprocity a State with no POC reads the others');
    assert.equal((await adminFra.client.get('/directory/settings')).statusCode, 403);
    const events = await listAuditEvents(app.cadre.database.db, { action: 'directory.settings.changed', limit: 10 });
    assert.equal(events.length, 1);
  });

  test('settings through the API: read and changed by the Secretariat only, checked, audited', async () => {
    const read = await secretariat.client.json('GET', '/api/v1/directory/settings');
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), { reciprocity: false, confirmMonths: 3, reminderDays: 14 });
    const bad = await secretariat.client.json('PUT', '/api/v1/directory/settings', { reciprocity: true, confirmMonths: 48, reminderDays: 30 }, { 'accept-language': 'fr' });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().errors[0].field, 'confirmMonths');
    const missing = await secretariat.client.json('PUT', '/api/v1/directory/settings', { reciprocity: true });
    assert.equal(missing.statusCode, 400, 'all three at once');
    const put = await secretariat.client.json('PUT', '/api/v1/directory/settings', { reciprocity: true, confirmMonths: 6, reminderDays: 30 });
    assert.equal(put.statusCode, 200, put.body);
    assert.deepEqual(put.json(), { reciprocity: true, confirmMonths: 6, reminderDays: 30 });
    assert.deepEqual((await secretariat.client.json('GET', '/api/v1/directory/settings')).json(), put.json());
    for (const other of [adminFra, pocFra]) {
      assert.equal((await other.client.json('GET', '/api/v1/directory/settings')).statusCode, 403);
      assert.equal((await other.client.json('PUT', '/api/v1/directory/settings', { reciprocity: false, confirmMonths: 1, reminderDays: 1 })).statusCode, 403);
    }
    assert.equal((await app.inject({ method: 'GET', url: '/api/v1/directory/settings' })).statusCode, 401);
    assert.deepEqual((await secretariat.client.json('GET', '/api/v1/directory/settings')).json(), put.json(), 'refusals changed nothing');
    const events = await listAuditEvents(app.cadre.database.db, { action: 'directory.settings.changed', limit: 10 });
    assert.equal(events.length, 2);
  });
});
