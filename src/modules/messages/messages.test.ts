import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../testing/engines.ts';
import { testApp, TestClient } from '../../testing/app.ts';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';
import { pocBody } from '../directory/poc/poc.testing.ts';
import { formatInstant } from '../../web/format.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;

const ASSISTANCE = {
  summary: 'Ransomware at the national grid operator',
  whatHappened: 'Historian servers of the transmission operator were encrypted. Substations run on manual control.',
  occurredAt: { local: '2026-11-24T09:30', timeZone: 'Europe/Paris' },
  sectors: ['energy'],
  indicators: [{ type: 'ip', value: '192.0.2.1' }],
  request: 'Please take down the command server hosted in your territory and share its logs.',
  urgency: 'critical',
  tlp: 'AMBER',
};

eachEngine('POC-to-POC messages: a request for assistance from France to Kenya', (ctx) => {
  let app: App;
  let secretariat: Enrolled;
  let pocFra: Enrolled;
  let pocKen: Enrolled;
  let pocKen2: Enrolled;
  let pocBra: Enrolled;
  let threadId = '';
  const entries: Record<string, string> = {};

  test('setup: active POCs in France, Kenya (two) and Brazil; Japan has none', async () => {
    app = await testApp(ctx());
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    pocFra = await enrolledClient(app, 'cert@fr.example', 'poc', 'FRA');
    pocKen = await enrolledClient(app, 'cert@ke.example', 'poc', 'KEN');
    pocKen2 = await enrolledClient(app, 'desk@ke.example', 'poc', 'KEN');
    pocBra = await enrolledClient(app, 'cert@br.example', 'poc', 'BRA');
    for (const [state, email, kind] of [['FRA', 'cert@fr.example', 'technical'], ['KEN', 'cert@ke.example', 'technical'], ['KEN', 'desk@ke.example', 'diplomatic'], ['BRA', 'cert@br.example', 'technical']] as const) {
      const admin = await enrolledClient(app, `admin.${email}`, 'state-admin', state);
      await admin.client.get('/directory');
      const res = await admin.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: [email], kind, name: email }));
      assert.equal(res.statusCode, 201);
      entries[email] = res.json().entry.id;
    }
  });

  test('bad input: missing fields, no recipient, a State with no active POC, RED without names', async () => {
    await pocFra.client.get('/messages/new?template=request-assistance&lang=fr');
    const form = await pocFra.client.post('/messages?lang=fr', { template: 'request-assistance', tlp: 'AMBER', urgency: 'critical' });
    assert.equal(form.statusCode, 400);
    assert.match(form.body, /id="whatHappened-error"/);
    assert.match(form.body, /id="recipients-error"/);
    const japan = await pocFra.client.json('POST', '/api/v1/messages', { template: 'request-assistance', fields: ASSISTANCE, to: ['JPN'] });
    assert.equal(japan.statusCode, 400);
    assert.match(JSON.stringify(japan.json().errors), /diplomati(c channel|que)/);
    const red = await pocFra.client.json('POST', '/api/v1/messages', { template: 'request-assistance', fields: { ...ASSISTANCE, tlp: 'RED' }, to: ['KEN'] });
    assert.equal(red.statusCode, 400);
    const count = await app.cadre.database.db.selectFrom('message_thread').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0, 'nothing half-sent');
  });

  test('France’s technical POC sends; the content is stored encrypted', async () => {
    const res = await pocFra.client.json('POST', '/api/v1/messages', { template: 'request-assistance', fields: ASSISTANCE, to: ['KEN'], kind: 'technical' });
    assert.equal(res.statusCode, 201);
    threadId = res.json().id;
    const raw = await app.cadre.database.db.selectFrom('message').select('content').where('thread_id', '=', threadId).executeTakeFirstOrThrow();
    assert.doesNotMatch(raw.content, /Ransomware|grid|192\.0\.2\.1/);
    assert.match(raw.content, /^c1\./);
  });

  test('Kenya reads it; Brazil, the Secretariat and the public do not see the content', async () => {
    const page = await pocKen.client.get(`/messages/${threadId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Historian servers/);
    assert.match(page.body, /192\.0\.2\.1/);
    const api = (await pocKen.client.json('GET', `/api/v1/messages/${threadId}`)).json();
    assert.equal(api.messages[0].fields.summary, ASSISTANCE.summary);
    assert.equal((await pocBra.client.get(`/messages/${threadId}`)).statusCode, 404);
    assert.equal((await pocBra.client.json('GET', `/api/v1/messages/${threadId}`)).statusCode, 404);
    const sec = await secretariat.client.get(`/messages/${threadId}`);
    assert.equal(sec.statusCode, 200);
    assert.doesNotMatch(sec.body, /Historian|Ransomware|192\.0\.2\.1/);
    const secApi = (await secretariat.client.json('GET', `/api/v1/messages/${threadId}`)).json();
    assert.equal(secApi.messages[0].fields, undefined);
    assert.equal(secApi.template, 'request-assistance');
    assert.equal((await new TestClient(app).get(`/messages/${threadId}`)).statusCode, 303);
    const inbox = await pocBra.client.get('/messages');
    assert.doesNotMatch(inbox.body, new RegExp(threadId));
  });

  test('deadlines are stored in UTC and shown in each reader’s own time zone', async () => {
    const thread = (await pocKen.client.json('GET', `/api/v1/messages/${threadId}`)).json();
    assert.match(thread.ackDeadlineAt, /Z$/);
    const fromEntry = await pocKen.client.get(`/messages/${threadId}`);
    assert.ok(fromEntry.body.includes(formatInstant(thread.ackDeadlineAt, 'en', 'Europe/Paris')), 'none chosen: the time zone of the reader’s directory entry');
    const secretariatPage = await secretariat.client.get(`/messages/${threadId}`);
    assert.ok(secretariatPage.body.includes(formatInstant(thread.ackDeadlineAt, 'en', 'UTC')), 'no time zone and no entry: UTC');
    await pocKen.client.post('/account/preferences', { language: '', timeZone: 'Africa/Nairobi' });
    await pocFra.client.get('/account');
    await pocFra.client.post('/account/preferences', { language: 'fr', timeZone: 'Europe/Paris' });
    const nairobi = await pocKen.client.get(`/messages/${threadId}?lang=en`);
    assert.ok(nairobi.body.includes(formatInstant(thread.ackDeadlineAt, 'en', 'Africa/Nairobi')));
    assert.ok(nairobi.body.includes(formatInstant(thread.responseDeadlineAt, 'en', 'Africa/Nairobi')));
    assert.ok(!nairobi.body.includes(formatInstant(thread.ackDeadlineAt, 'en', 'UTC')));
    const paris = await pocFra.client.get(`/messages/${threadId}`);
    assert.match(paris.body, /<html lang="fr"/);
    assert.ok(paris.body.includes(formatInstant(thread.ackDeadlineAt, 'fr', 'Europe/Paris')));
    await pocFra.client.get('/messages?lang=en');
  });

  test('Kenya acknowledges and answers; France sees the timeline; each side does only its part', async () => {
    await pocKen.client.get(`/messages/${threadId}`);
    assert.equal((await pocKen.client.json('POST', `/api/v1/messages/${threadId}/replies`, { template: 'closure', fields: { outcome: 'resolved', tlp: 'AMBER' } })).statusCode, 403);
    const ack = await pocKen.client.json('POST', `/api/v1/messages/${threadId}/replies`, { template: 'acknowledgement', fields: { reference: 'KE-NCERT/2026/0042', tlp: 'GREEN' } });
    assert.equal(ack.statusCode, 201);
    let thread = (await pocFra.client.json('GET', `/api/v1/messages/${threadId}`)).json();
    assert.equal(thread.status, 'acknowledged');
    assert.equal(thread.messages[1].tlp, 'AMBER', 'a reply inherits the most restrictive label of the thread');
    await pocKen.client.get(`/messages/${threadId}`);
    assert.equal((await pocKen.client.post(`/messages/${threadId}/response-state`, { responseState: 'disputed', reason: '' })).statusCode, 400);
    assert.equal((await pocKen.client.post(`/messages/${threadId}/response-state`, { responseState: 'in-progress' })).statusCode, 303);
    const answer = await pocKen.client.json('POST', `/api/v1/messages/${threadId}/replies`, { template: 'response', fields: { answer: 'The server was taken offline.', tlp: 'AMBER' } });
    assert.equal(answer.statusCode, 201);
    await pocFra.client.get('/messages');
    assert.equal((await pocFra.client.json('POST', `/api/v1/messages/${threadId}/replies`, { template: 'acknowledgement', fields: { tlp: 'AMBER' } })).statusCode, 403);
    const page = await pocFra.client.get(`/messages/${threadId}`);
    assert.equal([...page.body.matchAll(/data-seq="/g)].length, 3);
    assert.match(page.body, /The server was taken offline/);
    assert.match(page.body, /data-party="KEN"/);
    thread = (await pocFra.client.json('GET', `/api/v1/messages/${threadId}`)).json();
    assert.equal(thread.status, 'answered');
    assert.equal(thread.parties.find((p: { state: string }) => p.state === 'KEN').responseState, 'in-progress');
    const close = await pocFra.client.json('POST', `/api/v1/messages/${threadId}/replies`, { template: 'closure', fields: { outcome: 'resolved', tlp: 'AMBER' } });
    assert.equal(close.statusCode, 201);
    await pocKen.client.get('/messages');
    assert.equal((await pocKen.client.json('POST', `/api/v1/messages/${threadId}/replies`, { template: 'response', fields: { answer: 'late', tlp: 'AMBER' } })).statusCode, 409);
  });

  test('TLP:RED reaches only the named point of contact', async () => {
    await pocFra.client.get('/messages');
    const res = await pocFra.client.json('POST', '/api/v1/messages', { template: 'request-assistance', fields: { ...ASSISTANCE, tlp: 'RED', summary: 'Red matter' }, to: ['KEN'], pocs: [entries['cert@ke.example']] });
    assert.equal(res.statusCode, 201);
    const id = res.json().id;
    assert.match((await pocKen.client.get(`/messages/${id}`)).body, /Historian servers/);
    const other = await pocKen2.client.get(`/messages/${id}`);
    assert.equal(other.statusCode, 200, 'Kenya’s other POC sees that the exchange exists…');
    assert.doesNotMatch(other.body, /Historian servers/, '…but not its content');
  });
  test('hidden co-recipients see neither each other nor each other’s replies; the Secretariat’s inbox marks what it has looked at', async () => {
    await pocFra.client.get('/messages');
    const res = await pocFra.client.json('POST', '/api/v1/messages', { template: 'incident-notification', fields: { summary: 'Phishing wave', whatHappened: 'Spear phishing against ministries.', occurredAt: ASSISTANCE.occurredAt, urgency: 'routine', tlp: 'GREEN' }, to: ['KEN', 'BRA'], hideRecipients: true });
    assert.equal(res.statusCode, 201);
    const id = res.json().id;
    await pocBra.client.get('/messages');
    assert.equal((await pocBra.client.json('POST', `/api/v1/messages/${id}/replies`, { template: 'acknowledgement', fields: { reference: 'BR-REF-77', tlp: 'GREEN' } })).statusCode, 201);
    const kenya = await pocKen.client.get(`/messages/${id}`);
    assert.doesNotMatch(kenya.body, /BR-REF-77|data-party="BRA"/);
    const api = (await pocKen.client.json('GET', `/api/v1/messages/${id}`)).json();
    assert.deepEqual(api.messages.map((m: { authorState: string }) => m.authorState), ['FRA']);
    const france = await pocFra.client.get(`/messages/${id}`);
    assert.match(france.body, /BR-REF-77/, 'the sender sees every reply');
    const unread = new RegExp(`data-thread="${id}" data-unread="yes"`);
    assert.match((await secretariat.client.get('/messages')).body, unread, 'new to the Secretariat before it looks');
    await secretariat.client.get(`/messages/${id}`);
    assert.doesNotMatch((await secretariat.client.get('/messages')).body, unread);
    // The inbox's State filter is a form control, and it narrows to threads with that State.
    const inbox = await pocFra.client.get('/messages?state=BRA');
    assert.match(inbox.body, /<select id="state" name="state"[^>]*>.*<option value="BRA" selected>Brazil<\/option>/s);
    const listed = [...inbox.body.matchAll(/data-thread="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(listed, [id]);
    const kenyaOnly = [...(await pocFra.client.get('/messages?state=KEN')).body.matchAll(/data-thread="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(kenyaOnly.includes(id) && kenyaOnly.includes(threadId));
  });
  test('the inbox shows fifty threads a page', async () => {
    await pocFra.client.get('/messages');
    for (let i = 0; i < 50; i++) {
      const res = await pocFra.client.json('POST', '/api/v1/messages', { template: 'incident-notification', fields: { summary: `Notice ${i}`, whatHappened: 'Scanning.', occurredAt: ASSISTANCE.occurredAt, urgency: 'routine', tlp: 'GREEN' }, to: ['KEN'] });
      assert.equal(res.statusCode, 201);
    }
    const total = Number((await app.cadre.database.db.selectFrom('message_thread').select((eb) => eb.fn.countAll<number>().as('n')).where('from_state', '=', 'FRA').executeTakeFirstOrThrow()).n);
    const first = await pocFra.client.get('/messages');
    assert.equal([...first.body.matchAll(/<tr data-thread=/g)].length, 50);
    assert.match(first.body, /href="\/messages\?page=2"/);
    const second = await pocFra.client.get('/messages?page=2');
    assert.equal([...second.body.matchAll(/<tr data-thread=/g)].length, total - 50);
  });
});
