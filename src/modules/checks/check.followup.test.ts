import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { listAuditEvents } from '../../audit/audit.repository.ts';
import { jobRegistry } from '../../jobs/jobs.ts';
import { createWorker, type Worker } from '../../jobs/worker.ts';
import { eachEngine } from '../../testing/engines.ts';
import { testApp } from '../../testing/app.ts';
import { startSmtpSink, type SmtpSink } from '../../testing/smtp.ts';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';
import { pocBody } from '../directory/poc/poc.testing.ts';
import { followUpChecks, markUndeliverable } from './check.followup.ts';
import { gradeOf } from './check.grade.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;
const HOUR = 3_600_000;

test('grades: verified, overdue, suspect (bounced, or silent twice), invalid (undeliverable twice)', () => {
  assert.equal(gradeOf([]), null);
  assert.equal(gradeOf(['acknowledged', 'silent']), 'verified');
  assert.equal(gradeOf(['silent', 'acknowledged']), 'overdue');
  assert.equal(gradeOf(['silent', 'silent']), 'suspect');
  assert.equal(gradeOf(['undeliverable']), 'suspect');
  assert.equal(gradeOf(['undeliverable', 'undeliverable']), 'invalid');
  assert.equal(gradeOf(['silent', 'undeliverable']), 'suspect');
});

eachEngine('check follow-up: reminders, the deadline, grades, notices, recurrence', (ctx) => {
  let smtp: SmtpSink;
  let app: App;
  let worker: Worker;
  let secretariat: Enrolled;
  let pocFra: Enrolled;
  let started = 0;
  const entries: Record<string, string> = {};
  const at = (ms: number) => {
    app.cadre.clock = () => new Date(started + ms);
  };
  const entry = async (id: string) => (await secretariat.client.json('GET', `/api/v1/directory/entries/${id}`)).json();

  after(() => smtp?.close());

  test('setup: France (diplomatic and technical POCs) and Kenya, a six-monthly check with a reminder 24 h before its deadline', async () => {
    smtp = await startSmtpSink();
    app = await testApp(ctx(), { smtpUrl: smtp.url });
    worker = createWorker({ database: ctx().database, registry: jobRegistry(app.cadre), backoff: { baseSeconds: 0, maxSeconds: 0 } });
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    const adminFra = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    const adminKen = await enrolledClient(app, 'admin@ke.example', 'state-admin', 'KEN');
    pocFra = await enrolledClient(app, 'tech@fr.example', 'poc', 'FRA');
    await enrolledClient(app, 'dipl@fr.example', 'poc', 'FRA');
    await enrolledClient(app, 'poc@ke.example', 'poc', 'KEN');
    await adminFra.client.get('/directory');
    for (const [email, kind] of [['tech@fr.example', 'technical'], ['dipl@fr.example', 'diplomatic']] as const) {
      entries[email] = (await adminFra.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: [email], kind, name: email }))).json().entry.id;
    }
    await adminKen.client.get('/directory');
    entries['poc@ke.example'] = (await adminKen.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: ['poc@ke.example'], name: 'Kenya' }))).json().entry.id;
    await worker.drain();
    smtp.messages.length = 0;
    started = Date.now();
    at(0);
    await secretariat.client.get('/checks');
    const res = await secretariat.client.json('POST', '/api/v1/checks', { mode: 'routine', deadlineHours: 48, reminders: [24], recurrenceMonths: 6 });
    assert.equal(res.statusCode, 201);
    assert.ok(res.json().nextRunAt);
    assert.equal(await worker.drain(), 3);
    assert.equal((await entry(entries['tech@fr.example']!)).checkGrade, null, 'no grade before a check settles');
  });

  test('the technical POC of France acknowledges in the portal: verified', async () => {
    const mine = await pocFra.client.get('/checks/mine');
    const id = /\/checks\/targets\/([0-9a-f-]{36})\/acknowledge/.exec(mine.body)![1]!;
    assert.equal((await pocFra.client.post(`/checks/targets/${id}/acknowledge`, {})).statusCode, 303);
    const e = await entry(entries['tech@fr.example']!);
    assert.equal(e.checkGrade, 'verified');
    assert.ok(e.checkVerifiedAt);
  });

  test('24 h before the deadline, those who have not answered get one reminder', async () => {
    at(10 * HOUR);
    assert.equal((await followUpChecks(app.cadre)).reminders, 0, 'not yet');
    at(25 * HOUR);
    assert.equal((await followUpChecks(app.cadre)).reminders, 2);
    assert.equal((await followUpChecks(app.cadre)).reminders, 0, 'once');
    smtp.messages.length = 0;
    assert.equal(await worker.drain(), 2);
    assert.deepEqual(smtp.messages.flatMap((m) => m.recipients).sort(), ['dipl@fr.example', 'poc@ke.example']);
    assert.match(smtp.messages[0]!.parsed.subject ?? '', /^(Rappel|Reminder) – /);
  });

  test('after the deadline: unanswered entries are overdue, and their State’s admin and diplomatic POC are told', async () => {
    smtp.messages.length = 0;
    at(49 * HOUR);
    const report = await followUpChecks(app.cadre);
    assert.equal(report.closed, 1);
    assert.equal((await followUpChecks(app.cadre)).closed, 0, 'closed once');
    assert.equal((await entry(entries['dipl@fr.example']!)).checkGrade, 'overdue');
    assert.equal((await entry(entries['tech@fr.example']!)).checkGrade, 'verified');
    await worker.drain();
    const told = smtp.messages.flatMap((m) => m.recipients).sort();
    assert.deepEqual(told, ['admin@fr.example', 'admin@ke.example', 'dipl@fr.example'], "Kenya's POC is technical: its admin is told");
    const page = await secretariat.client.get(`/directory/entries/${entries['dipl@fr.example']}`);
    assert.match(page.body, /data-check-grade="overdue"/);
  });

  test('six months on, the campaign starts again by itself, once; silent twice is suspect', async () => {
    at(183 * 24 * HOUR);
    assert.equal((await followUpChecks(app.cadre)).restarted, 1);
    assert.equal((await followUpChecks(app.cadre)).restarted, 0, 'one restart per period');
    const list = (await secretariat.client.json('GET', '/api/v1/checks')).json().campaigns;
    assert.equal(list.length, 2);
    assert.equal(list[0].recurrenceMonths, 6);
    assert.equal(list[1].nextRunAt, null);
    await worker.drain();
    at(183 * 24 * HOUR + 49 * HOUR);
    await followUpChecks(app.cadre);
    assert.equal((await entry(entries['dipl@fr.example']!)).checkGrade, 'suspect');
    assert.equal((await entry(entries['tech@fr.example']!)).checkGrade, 'overdue');
  });

  test('a bounce alerts the State’s admin and the Secretariat; twice undeliverable is invalid', async () => {
    await worker.drain();
    smtp.messages.length = 0;
    const db = app.cadre.database.db;
    const targets = await db.selectFrom('check_target').selectAll().where('poc_id', '=', entries['poc@ke.example']!).orderBy('sent_at').execute();
    for (const t of targets) await db.updateTable('check_target').set({ status: 'sent' }).where('id', '=', t.id).execute();
    for (const t of targets) await markUndeliverable(app.cadre, { ...t, status: 'sent' }, 'bounce: 5.1.1 user unknown');
    assert.equal((await entry(entries['poc@ke.example']!)).checkGrade, 'invalid');
    await worker.drain();
    const told = [...new Set(smtp.messages.flatMap((m) => m.recipients))].sort();
    assert.deepEqual(told, ['admin@ke.example', 'sec@un.example']);
    assert.equal((await listAuditEvents(db, { action: 'check.undeliverable', limit: 10 })).length, 2);
    assert.equal((await entry(entries['poc@ke.example']!)).status, 'active', 'nothing is disabled silently');
    delete app.cadre.clock;
  });
});
