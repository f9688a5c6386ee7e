// Notices of POC-to-POC messages over real SMTP, checked by GnuPG as a point of contact would:
// no content in plain notices (signed by Cadre), the whole message encrypted to a POC's key, never
// for TLP:RED; reminders and the alert after the acknowledgement deadline, with a controlled clock.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { publishedKey } from '../../crypto/signing-key.ts';
import { jobRegistry } from '../../jobs/jobs.ts';
import { createWorker, type Worker } from '../../jobs/worker.ts';
import { eachEngine } from '../../testing/engines.ts';
import { testApp } from '../../testing/app.ts';
import { assertSignedBy, base64Body, Gpg } from '../../testing/gpg.ts';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../../testing/smtp.ts';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';
import { pocBody } from '../directory/poc/poc.testing.ts';
import { followUpMessages } from './message.followup.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;

const gpg = new Gpg();
after(() => gpg.close());

const ASSISTANCE = {
  summary: 'Ransomware at the national grid operator',
  whatHappened: 'Historian servers of the transmission operator were encrypted.',
  occurredAt: { local: '2026-11-24T09:30', timeZone: 'Europe/Paris' },
  sectors: ['energy'],
  indicators: [{ type: 'ip', value: '192.0.2.77' }],
  request: 'Please take down the command server hosted in your territory.',
  urgency: 'critical',
  tlp: 'AMBER',
};
const CONTENT = [/Ransomware/, /Historian servers/, /192\.0\.2\.77/, /command server/];

eachEngine('message notices: signed, encrypted to a POC key, never for RED; reminders and the alert', (ctx) => {
  let app: App;
  let smtp: SmtpSink;
  let worker: Worker;
  let pocFra: Enrolled;
  let fingerprint = '';
  let threadId = '';
  const entries: Record<string, string> = {};
  const ken: Record<string, Enrolled> = {};
  const started = Date.now() + 60_000;

  const assertSignedByCadre = (status: string): void => assertSignedBy(status, fingerprint);
  /** A multipart/signed mail verified by GnuPG; returns the signed text. */
  const verifySigned = (mail: ReceivedMail): string => base64Body(gpg.verifySignedMail(mail, fingerprint));

  test('setup: France sends; Kenya has a technical POC, one with an OpenPGP key, a diplomatic POC and admins', async () => {
    smtp = await startSmtpSink();
    app = await testApp(ctx(), { smtpUrl: smtp.url });
    worker = createWorker({ database: ctx().database, registry: jobRegistry(app.cadre), backoff: { baseSeconds: 0, maxSeconds: 0 } });
    app.cadre.clock = () => new Date(started);
    fingerprint = (await publishedKey(app.cadre.database.db, app.cadre.config)).fingerprint;
    gpg.importKey((await publishedKey(app.cadre.database.db, app.cadre.config)).armored);
    pocFra = await enrolledClient(app, 'cert@fr.example', 'poc', 'FRA');
    for (const email of ['cert@ke.example', 'keyed@ke.example', 'desk@ke.example']) ken[email] = await enrolledClient(app, email, 'poc', 'KEN');
    const key = gpg.makeKey('Keyed POC <keyed@ke.example>');
    for (const [state, email, kind, pgpKey] of [['FRA', 'cert@fr.example', 'technical', ''], ['KEN', 'cert@ke.example', 'technical', ''], ['KEN', 'keyed@ke.example', 'technical', key], ['KEN', 'desk@ke.example', 'diplomatic', '']] as const) {
      const admin = await enrolledClient(app, `admin.${email}`, 'state-admin', state);
      await admin.client.get('/directory');
      const res = await admin.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: [email], kind, name: email, timeZone: 'Africa/Nairobi', pgpKey }));
      assert.equal(res.statusCode, 201, res.body);
      entries[email] = res.json().entry.id;
    }
    await worker.drain();
    smtp.messages.length = 0;
  });

  test('a thread to Kenya: the plain POC gets a signed notice with the link and no content; the keyed POC the whole message, encrypted and signed', async () => {
    await pocFra.client.get('/messages');
    const file = { name: 'iocs.txt', contentBase64: Buffer.from('file-only-marker 198.51.100.9\n').toString('base64') };
    const res = await pocFra.client.json('POST', '/api/v1/messages', { template: 'request-assistance', fields: ASSISTANCE, to: ['KEN'], kind: 'technical', attachments: [file] });
    assert.equal(res.statusCode, 201, res.body);
    threadId = res.json().id;
    await worker.drain();
    const plain = smtp.to('cert@ke.example');
    assert.equal(plain.length, 1);
    assert.equal(smtp.to('desk@ke.example').length, 0, 'the diplomatic POC was not addressed');
    assert.equal(smtp.to('cert@fr.example').length, 0, 'not the author');
    const text = verifySigned(plain[0]!);
    assert.ok(text.includes(`http://cadre.test/messages/${threadId}#m1`), text);
    assert.match(text, /Request for assistance/);
    assert.match(text, /Critical/);
    assert.match(text, /Kenya|France/);
    assert.match(text, /EAT|GMT\+3/, 'the deadline in the reader’s time zone');
    for (const c of CONTENT) assert.doesNotMatch(plain[0]!.raw, c);

    const keyed = smtp.to('keyed@ke.example');
    assert.equal(keyed.length, 1);
    assert.match(keyed[0]!.raw, /^Content-Type: multipart\/encrypted; .*protocol="application\/pgp-encrypted"/m);
    for (const c of CONTENT) assert.doesNotMatch(keyed[0]!.raw, c);
    const armored = /-----BEGIN PGP MESSAGE-----[\s\S]*-----END PGP MESSAGE-----/.exec(keyed[0]!.raw)![0];
    const { status, entity } = gpg.decrypt(armored);
    assertSignedByCadre(status);
    const decrypted = base64Body(entity);
    for (const c of CONTENT) assert.match(decrypted, c);
    assert.ok(decrypted.includes(`/messages/${threadId}#m1`));
    // The file stays on Cadre, even in the encrypted mail: the mail only says it is there.
    assert.match(decrypted, /1 file comes with this message/);
    for (const mail of [keyed[0]!, plain[0]!]) assert.doesNotMatch(mail.raw, /file-only-marker|198\.51\.100\.9|iocs\.txt/);
    assert.doesNotMatch(decrypted, /file-only-marker|198\.51\.100\.9/);
  });

  test('a reply goes to the sending State; the acknowledging State’s reference shows in its later notices', async () => {
    smtp.messages.length = 0;
    // Kenya's addressed POC acknowledges with its own reference.
    const pocKen = ken['cert@ke.example']!;
    await pocKen.client.get(`/messages/${threadId}`);
    const ack = await pocKen.client.json('POST', `/api/v1/messages/${threadId}/replies`, { template: 'acknowledgement', fields: { reference: 'KE-NCERT/2026/0042', tlp: 'GREEN' } });
    assert.equal(ack.statusCode, 201, ack.body);
    await worker.drain();
    const toFra = smtp.to('cert@fr.example');
    assert.equal(toFra.length, 1);
    assert.ok(verifySigned(toFra[0]!).includes(`/messages/${threadId}#m2`));
    const keyed = smtp.to('keyed@ke.example');
    assert.equal(keyed.length, 0, 'not the acknowledging State’s own people');
  });

  test('TLP:RED: nothing of the content to anyone, even with a key; the notice only says that a message awaits', async () => {
    smtp.messages.length = 0;
    await pocFra.client.get('/messages');
    const res = await pocFra.client.json('POST', '/api/v1/messages', { template: 'request-assistance', fields: { ...ASSISTANCE, tlp: 'RED', urgency: 'routine' }, to: ['KEN'], pocs: [entries['keyed@ke.example']] });
    assert.equal(res.statusCode, 201, res.body);
    await worker.drain();
    assert.equal(smtp.messages.length, 1);
    const mail = smtp.to('keyed@ke.example')[0]!;
    assert.doesNotMatch(mail.raw, /multipart\/encrypted|BEGIN PGP MESSAGE/);
    const text = verifySigned(mail);
    assert.match(text, /awaits you/);
    assert.doesNotMatch(text, /Request for assistance|France/);
    for (const c of CONTENT) assert.doesNotMatch(mail.raw, c);
  });

  test('the acknowledgement deadline: a reminder at half time, then one alert to Kenya’s diplomatic POC and admins, once', async () => {
    smtp.messages.length = 0;
    await pocFra.client.get('/messages');
    const res = await pocFra.client.json('POST', '/api/v1/messages', { template: 'request-assistance', fields: { ...ASSISTANCE, summary: 'Second' }, to: ['KEN'], kind: 'technical' });
    assert.equal(res.statusCode, 201);
    const second = res.json().id;
    await worker.drain();
    smtp.messages.length = 0;
    app.cadre.clock = () => new Date(started + 30 * 60_000);
    assert.equal((await followUpMessages(app.cadre)).reminders, 0, 'too early');
    app.cadre.clock = () => new Date(started + 65 * 60_000);
    assert.equal((await followUpMessages(app.cadre)).reminders, 2);
    assert.equal((await followUpMessages(app.cadre)).reminders, 0, 'once');
    await worker.drain();
    const reminder = smtp.to('cert@ke.example');
    assert.equal(reminder.length, 1);
    assert.match(reminder[0]!.parsed.subject ?? '', /Reminder/);
    assert.ok(verifySigned(reminder[0]!).includes(`/messages/${second}`));
    smtp.messages.length = 0;
    app.cadre.clock = () => new Date(started + 2 * 3_600_000 + 60_000);
    const report = await followUpMessages(app.cadre);
    assert.equal(report.alerts, 1, 'the second thread only: the first was acknowledged, the RED one is routine (72 h)');
    assert.equal((await followUpMessages(app.cadre)).alerts, 0, 'alerted once');
    await worker.drain();
    const desk = smtp.to('desk@ke.example');
    assert.equal(desk.length, 1);
    const text = verifySigned(desk[0]!);
    assert.ok(text.includes(`/messages/${second}`));
    for (const c of CONTENT) assert.doesNotMatch(desk[0]!.raw, c);
    assert.equal(smtp.to('admin.cert@ke.example').length, 1);
    assert.equal(smtp.to('admin.cert@fr.example').length, 0);
    delete app.cadre.clock;
  });

  test('an exercise thread: EXERCISE in the subject and the body, in the reader’s language, the subject encoded as RFC 2047 says', async () => {
    smtp.messages.length = 0;
    const now = app.cadre.clock ? app.cadre.clock() : new Date();
    const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    const secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    await secretariat.client.get('/exercises/new');
    const created = await secretariat.client.post('/exercises', { title: 'Grid storm', scenario: 'A grid attack.', startsAt: local(now.getTime() - 3_600_000), endsAt: local(now.getTime() + 86_400_000), states: 'FRA KEN' });
    assert.equal(created.statusCode, 303, created.body);
    const exerciseId = String(created.headers.location).split('/').pop()!;
    await secretariat.client.get(`/exercises/${exerciseId}`);
    assert.equal((await secretariat.client.post(`/exercises/${exerciseId}/start`, {})).statusCode, 303);
    const pocKen = ken['cert@ke.example']!;
    await pocKen.client.get('/account');
    assert.equal((await pocKen.client.post('/account/preferences', { language: 'fr', timeZone: 'Africa/Nairobi' })).statusCode, 303);
    await pocFra.client.get('/messages');
    const res = await pocFra.client.json('POST', '/api/v1/messages', { template: 'request-assistance', fields: { ...ASSISTANCE, urgency: 'routine' }, to: ['KEN'], kind: 'technical', exerciseId });
    assert.equal(res.statusCode, 201, res.body);
    await worker.drain();
    const mail = smtp.to('cert@ke.example')[0]!;
    const subjectLine = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(mail.raw)![1]!;
    assert.match(subjectLine, /^=\?UTF-8\?[BQ]\?/i, 'a non-ASCII subject travels encoded');
    assert.match(mail.parsed.subject ?? '', /^EXERCICE — Demande d’assistance/);
    const text = verifySigned(mail);
    assert.match(text, /^EXERCICE — ce message fait partie d’un exercice/m);
    for (const c of CONTENT) assert.doesNotMatch(mail.raw, c);
    const keyed = smtp.to('keyed@ke.example')[0]!;
    assert.match(keyed.parsed.subject ?? '', /^EXERCISE — /, 'the keyed POC reads English (no language set)');
  });

  test('teardown', async () => {
    await smtp.close();
  });
});
