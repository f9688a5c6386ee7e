import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../testing/engines.ts';
import { testApp, TestClient } from '../../testing/app.ts';
import type { App } from '../../web/types.ts';
import { secretariatAndPocs, type Enrolled } from './messages.testing.ts';


const ASSISTANCE = {
  summary: 'Ransomware at the national grid operator',
  whatHappened: 'Historian servers of the transmission operator were encrypted.',
  occurredAt: { local: '2026-11-24T09:30', timeZone: 'Europe/Paris' },
  sectors: ['energy'],
  request: 'Please take down the command server hosted in your territory.',
  urgency: 'critical',
  tlp: 'AMBER',
};
const ACK = { template: 'acknowledgement', fields: { reference: 'REF-1', tlp: 'AMBER' } };
const ANSWER = { template: 'response', fields: { answer: 'Done.', tlp: 'AMBER' } };

eachEngine('Exercises and message statistics', (ctx) => {
  let app: App;
  let now = Date.parse('2026-11-25T10:00:00Z');
  const at = (iso: string) => (now = Date.parse(iso));
  let secretariat: Enrolled;
  let pocFra: Enrolled;
  let pocKen: Enrolled;
  let pocBra: Enrolled;
  let exerciseId = '';
  const threads: Record<string, string> = {};

  const open = async (who: Enrolled, to: string[], extra: Record<string, unknown> = {}, fields: Record<string, unknown> = {}) => {
    await who.client.get('/messages');
    return who.client.json('POST', '/api/v1/messages', { template: 'request-assistance', fields: { ...ASSISTANCE, ...fields }, to, ...extra });
  };
  const answer = async (who: Enrolled, id: string, body: object) => {
    await who.client.get('/messages');
    const res = await who.client.json('POST', `/api/v1/messages/${id}/replies`, body);
    assert.equal(res.statusCode, 201, res.body);
  };

  test('setup: active POCs in France, Kenya and Brazil', async () => {
    app = await testApp(ctx());
    app.cadre.clock = () => new Date(now);
    const people = await secretariatAndPocs(app, { FRA: 'cert@fr.example', KEN: 'cert@ke.example', BRA: 'cert@br.example' });
    ({ secretariat } = people);
    ({ FRA: pocFra, KEN: pocKen, BRA: pocBra } = people.pocs);
  });

  test('the Secretariat plans an exercise with France and Kenya; States may not', async () => {
    assert.equal((await pocFra.client.get('/exercises/new')).statusCode, 403);
    await pocFra.client.get('/exercises');
    assert.equal((await pocFra.client.post('/exercises', { title: 'x', scenario: 'y', startsAt: '2026-11-25T09:00', endsAt: '2026-11-26T09:00', states: 'FRA KEN' })).statusCode, 403);
    await secretariat.client.get('/exercises/new');
    const bad = await secretariat.client.post('/exercises', { title: '', scenario: 'Grid attack', startsAt: '2026-11-25T09:00', endsAt: '2026-11-25T08:00', states: 'FRA' });
    assert.equal(bad.statusCode, 400);
    for (const field of ['title', 'endsAt', 'states']) assert.match(bad.body, new RegExp(`id="${field}-error"`));
    const res = await secretariat.client.post('/exercises', { title: 'Cyber Storm Grid', scenario: 'A ransomware attack on the power grid spreads across borders.', startsAt: '2026-11-25T09:00', endsAt: '2026-11-26T09:00', states: 'FRA KEN' });
    assert.equal(res.statusCode, 303);
    exerciseId = String(res.headers.location).split('/').pop()!;
    await secretariat.client.get(`/exercises/${exerciseId}`);
    assert.equal((await secretariat.client.post(`/exercises/${exerciseId}/injects`, { at: '2026-11-25T11:00', toState: 'BRA', template: 'request-assistance', note: 'n' })).statusCode, 400, 'Brazil does not take part');
    assert.equal((await secretariat.client.post(`/exercises/${exerciseId}/injects`, { at: '2026-11-25T11:00', toState: 'FRA', template: 'request-assistance', note: 'Ask Kenya to take down the command server.' })).statusCode, 303);
  });

  test('participating States see the scenario, and an inject only once its time has come; others nothing', async () => {
    const page = await pocFra.client.get(`/exercises/${exerciseId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /ransomware attack on the power grid/);
    assert.doesNotMatch(page.body, /Ask Kenya/, 'the inject is not due yet');
    assert.match((await secretariat.client.get(`/exercises/${exerciseId}`)).body, /Ask Kenya/, 'the Secretariat sees every planned inject');
    assert.equal((await pocBra.client.get(`/exercises/${exerciseId}`)).statusCode, 404);
    assert.doesNotMatch((await pocBra.client.get('/exercises')).body, new RegExp(exerciseId));
    assert.match((await pocKen.client.get('/exercises')).body, new RegExp(exerciseId));
    assert.equal((await pocBra.client.json('GET', `/api/v1/exercises/${exerciseId}/report`)).statusCode, 404);
    const anonymous = new TestClient(app);
    assert.equal((await anonymous.get(`/exercises/${exerciseId}`)).statusCode, 303);
    assert.equal((await anonymous.json('GET', `/api/v1/exercises/${exerciseId}/report`)).statusCode, 401);
    assert.equal((await anonymous.json('GET', '/api/v1/messages/statistics')).statusCode, 401);
    assert.equal((await pocFra.client.post(`/exercises/${exerciseId}/start`, {})).statusCode, 403);
    // Not running yet: no thread may belong to it.
    assert.equal((await open(pocFra, ['KEN'], { exerciseId })).statusCode, 400);
    await secretariat.client.get(`/exercises/${exerciseId}`);
    assert.equal((await secretariat.client.post(`/exercises/${exerciseId}/start`, {})).statusCode, 303);
    assert.equal((await secretariat.client.post(`/exercises/${exerciseId}/start`, {})).statusCode, 409, 'only forwards');
    at('2026-11-25T11:30:00Z');
    assert.match((await pocFra.client.get(`/exercises/${exerciseId}`)).body, /Ask Kenya/);
    const inbox = await pocFra.client.get('/messages');
    assert.match(inbox.body, /data-inject=/);
    assert.match(inbox.body, /Ask Kenya/);
    assert.doesNotMatch((await pocKen.client.get('/messages')).body, /Ask Kenya/, 'the inject is for France only');
  });

  test('threads within the exercise are marked EXERCISE; a non-participating recipient is refused', async () => {
    at('2026-11-25T12:00:00Z');
    assert.equal((await open(pocFra, ['BRA'], { exerciseId })).statusCode, 400);
    const form = await pocFra.client.get(`/messages/new?template=request-assistance&exercise=${exerciseId}`);
    assert.match(form.body, /name="exerciseId"/);
    assert.match(form.body, /Cyber Storm Grid/);
    const e1 = await open(pocFra, ['KEN'], { exerciseId });
    assert.equal(e1.statusCode, 201, e1.body);
    threads.e1 = e1.json().id;
    const e2 = await open(pocKen, ['FRA'], { exerciseId });
    assert.equal(e2.statusCode, 201, e2.body);
    threads.e2 = e2.json().id;
    const a = await open(pocFra, ['KEN']);
    threads.a = a.json().id;
    const b = await open(pocFra, ['KEN', 'BRA'], {}, { urgency: 'urgent' });
    threads.b = b.json().id;
    const inbox = await pocKen.client.get('/messages');
    const row = (id: string) => inbox.body.match(new RegExp(`<tr data-thread="${id}"[^>]*>[\\s\\S]*?</tr>`))![0];
    assert.match(row(threads.e1!), /EXERCISE/);
    assert.doesNotMatch(row(threads.a!), /EXERCISE/);
    const page = await pocKen.client.get(`/messages/${threads.e1}`);
    assert.match(page.body, /<h1[^>]*>EXERCISE — /);
    assert.doesNotMatch((await pocKen.client.get(`/messages/${threads.a}`)).body, /EXERCISE/);
    assert.equal((await pocKen.client.json('GET', `/api/v1/messages/${threads.e1}`)).json().exercise, true);
    assert.match((await pocFra.client.get(`/exercises/${exerciseId}`)).body, new RegExp(threads.e1!));
  });

  test('acknowledgements and answers at known times', async () => {
    at('2026-11-25T12:10:00Z');
    await answer(pocKen, threads.e1!, ACK);
    at('2026-11-25T12:20:00Z');
    await answer(pocFra, threads.e2!, ACK);
    at('2026-11-25T12:30:00Z');
    await answer(pocKen, threads.a!, ACK);
    at('2026-11-25T13:00:00Z');
    await answer(pocKen, threads.e1!, ANSWER);
    at('2026-11-25T14:00:00Z');
    await answer(pocKen, threads.a!, ANSWER);
    at('2026-11-26T18:00:00Z'); // 30 h: after the urgent deadline of 24 h
    await answer(pocKen, threads.b!, ACK);
  });

  test('statistics match the real threads exactly, exercise threads left out', async () => {
    // Real: A (critical; Kenya acknowledged in 30 min, answered in 2 h), B (urgent; Kenya acknowledged
    // after 30 h, late; Brazil never). Exercise threads E1 and E2 would change every figure.
    const sec = (await secretariat.client.json('GET', '/api/v1/messages/statistics')).json();
    assert.equal(sec.audience, 'secretariat');
    assert.equal(sec.threads, 2);
    assert.deepEqual(sec.byUrgency, [{ urgency: 'critical', threads: 1 }, { urgency: 'urgent', threads: 1 }, { urgency: 'routine', threads: 0 }]);
    assert.equal(sec.byTemplate.find((t: { template: string }) => t.template === 'request-assistance').threads, 2);
    assert.equal(sec.byTemplate.reduce((n: number, t: { threads: number }) => n + t.threads, 0), 2);
    assert.equal(sec.deliveries, 3);
    assert.equal(sec.acknowledgedInTime, 1);
    assert.equal(sec.shareInTime, 1 / 3);
    assert.equal(sec.medianAckSeconds, (1800 + 108_000) / 2);
    assert.equal(sec.medianResponseSeconds, 7200);
    const bra = (await pocBra.client.json('GET', '/api/v1/messages/statistics')).json();
    assert.equal(bra.audience, 'state');
    assert.equal(bra.threads, 1, 'Brazil: its own thread only');
    assert.deepEqual(bra.byUrgency.map((u: { threads: number }) => u.threads), [0, 1, 0]);
    // Brazil's own part in B: never acknowledged. Kenya's timing on the same thread is not Brazil's to see.
    assert.deepEqual([bra.deliveries, bra.acknowledgedInTime, bra.medianAckSeconds, bra.medianResponseSeconds], [1, 0, null, null]);
    assert.deepEqual(bra.sent, { deliveries: 0, acknowledgedInTime: 0, shareInTime: null, medianAckSeconds: null, medianResponseSeconds: null });
    const ken = (await pocKen.client.json('GET', '/api/v1/messages/statistics')).json();
    assert.equal(ken.threads, 2, 'Kenya: the two real threads, not the exercise ones');
    // Kenya's own parts: A in 30 min (answered in 2 h), B in 30 h (late).
    assert.deepEqual([ken.deliveries, ken.acknowledgedInTime, ken.medianAckSeconds, ken.medianResponseSeconds], [2, 1, (1800 + 108_000) / 2, 7200]);
    assert.equal(ken.sent.deliveries, 0);
    // France opened A and B: its "sent" view counts Kenya's and Brazil's parts; it received nothing real.
    const fra = (await pocFra.client.json('GET', '/api/v1/messages/statistics')).json();
    assert.deepEqual([fra.deliveries, fra.sent.deliveries, fra.sent.acknowledgedInTime, fra.sent.medianAckSeconds], [0, 3, 1, (1800 + 108_000) / 2]);
    const fraPage = await pocFra.client.get('/messages/statistics');
    assert.match(fraPage.body, /data-timings="received" data-deliveries="0"/);
    assert.match(fraPage.body, /data-timings="sent" data-deliveries="3" data-in-time="1"/);
    assert.match(fraPage.body, /How other States answered your State’s requests/);
    assert.ok((await pocFra.client.get('/messages/statistics.csv')).body.includes('sent_deliveries,,3'));
    const page = await secretariat.client.get('/messages/statistics');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-threads="2"/);
    assert.doesNotMatch(page.body, /data-timings="sent"/);
    assert.match(page.body, /<svg class="chart"[^>]*role="img" aria-label="[^"]+"/);
    assert.doesNotMatch(page.body, /style=/);
    const csv = await secretariat.client.get('/messages/statistics.csv');
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.body.replace(/^\ufeff/, '').split('\r\n');
    assert.equal(lines[0], 'measure,code,value');
    for (const line of ['threads,,2', 'threads_by_urgency,critical,1', 'deliveries,,3', 'acknowledged_in_time,,1', 'median_seconds_to_acknowledge,,54900', 'median_seconds_to_respond,,7200']) assert.ok(lines.includes(line), line);
    assert.ok((await pocKen.client.get('/api/v1/messages/statistics.csv')).body.includes('threads,,2'));
  });

  test('the after-action report: per participating State, times to acknowledge and to respond', async () => {
    const report = (await pocFra.client.json('GET', `/api/v1/exercises/${exerciseId}/report`)).json();
    assert.deepEqual(report.states, [
      { state: 'FRA', deliveries: 1, medianAckSeconds: 1200, medianResponseSeconds: null },
      { state: 'KEN', deliveries: 1, medianAckSeconds: 600, medianResponseSeconds: 3600 },
    ]);
    assert.deepEqual(report.deliveries.map((d: { threadId: string; secondsToAcknowledge: number }) => [d.threadId, d.secondsToAcknowledge]).sort(), [[threads.e1, 600], [threads.e2, 1200]].sort());
    assert.deepEqual((await pocKen.client.json('GET', `/api/v1/exercises/${exerciseId}/report`)).json().states, report.states, 'the same medians for every participant');
    const page = await secretariat.client.get(`/exercises/${exerciseId}/report`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /data-state="KEN" data-ack="600" data-response="3600"/);
    assert.equal([...page.body.matchAll(/role="img"/g)].length, 2);
    const csv = await secretariat.client.get(`/exercises/${exerciseId}/report.csv`);
    const lines = csv.body.replace(/^\ufeff/, '').split('\r\n');
    assert.equal(lines[0], 'level,state,thread_id,template,urgency,created_at,acknowledged_at,answered_at,seconds_to_acknowledge,seconds_to_respond');
    assert.ok(lines.includes('state_median,KEN,,,,,,,600,3600'));
    assert.ok(lines.includes('state_median,FRA,,,,,,,1200,'));
    assert.ok(lines.includes(`thread,KEN,${threads.e1},request-assistance,critical,2026-11-25T12:00:00.000Z,2026-11-25T12:10:00.000Z,2026-11-25T13:00:00.000Z,600,3600`));
    assert.equal((await pocBra.client.get(`/exercises/${exerciseId}/report.csv`)).statusCode, 404);
  });

  test('form times are read in the author’s own time zone; a time the zone skips is refused', async () => {
    await secretariat.client.get('/account');
    assert.equal((await secretariat.client.post('/account/preferences', { language: '', timeZone: 'Europe/Paris' })).statusCode, 303);
    const form = await secretariat.client.get('/exercises/new');
    assert.match(form.body, /<label for="startsAt">Starts \(Europe\/Paris\)<\/label>/);
    const res = await secretariat.client.post('/exercises', { title: 'Paris time', scenario: 'Winter drill.', startsAt: '2026-12-01T10:00', endsAt: '2026-12-01T18:00', states: 'FRA KEN' });
    assert.equal(res.statusCode, 303);
    const id = String(res.headers.location).split('/').pop()!;
    const row = await app.cadre.database.db.selectFrom('exercise').select(['starts_at', 'ends_at']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { starts_at: '2026-12-01T09:00:00.000Z', ends_at: '2026-12-01T17:00:00.000Z' }, 'Paris is UTC+1 in December');
    // 29 March 2026, 02:30 does not exist in Paris (clocks go from 02:00 to 03:00).
    const gap = await secretariat.client.post('/exercises', { title: 'Gap', scenario: 'x', startsAt: '2026-03-29T02:30', endsAt: '2026-03-29T05:00', states: 'FRA KEN' });
    assert.equal(gap.statusCode, 400);
    assert.match(gap.body, /id="startsAt-error"/);
    // Back to UTC for what follows.
    await secretariat.client.post('/account/preferences', { language: '', timeZone: '' });
  });

  test('the Secretariat ends the exercise; no more exercise threads', async () => {
    await secretariat.client.get(`/exercises/${exerciseId}`);
    assert.equal((await secretariat.client.post(`/exercises/${exerciseId}/end`, {})).statusCode, 303);
    assert.match((await pocFra.client.get(`/exercises/${exerciseId}?lang=fr`)).body, /terminé/);
    assert.equal((await open(pocFra, ['KEN'], { exerciseId })).statusCode, 400);
  });
});
