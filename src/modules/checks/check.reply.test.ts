import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { listAuditEvents } from '../../audit/audit.repository.ts';
import { jobRegistry } from '../../jobs/jobs.ts';
import { createWorker, type Worker } from '../../jobs/worker.ts';
import { startInboundSmtp, type InboundSmtp } from '../../mail/inbound.ts';
import { eachEngine } from '../../testing/engines.ts';
import { testApp } from '../../testing/app.ts';
import { startSmtpSink, type SmtpSink } from '../../testing/smtp.ts';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';
import { pocBody } from '../directory/poc/poc.testing.ts';
import { checkInboundHandler } from './check.inbound.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;

/** What a relay returns for a check sent to a mailbox that does not exist (RFC 3464). */
function dsn(token: string, targetId: string): string {
  return `From: MAILER-DAEMON@relay.example (Mail Delivery System)
To: bounces@inbound.test
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example

Final-Recipient: rfc822; gone@fr.example
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--B
Content-Type: text/rfc822-headers

Message-ID: <check.${targetId}@cadre.test>
X-Cadre-Check: ${token}
To: gone@fr.example

--B--
`.replace(/\n/g, '\r\n');
}

eachEngine('communication checks acknowledged by reply, and bounces', (ctx) => {
  let smtp: SmtpSink;
  let inbound: InboundSmtp;
  let app: App;
  let worker: Worker;
  let secretariat: Enrolled;
  let campaignId = '';
  const send = (mail: SendMailOptions) => nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false, ignoreTLS: true }).sendMail(mail);

  after(async () => {
    await inbound?.close();
    await smtp?.close();
  });

  test('setup: a campaign to two POCs of France, with a reply address', async () => {
    smtp = await startSmtpSink();
    app = await testApp(ctx(), { smtpUrl: smtp.url, inboundSmtpPort: 0, inboundMailDomain: 'inbound.test' });
    inbound = await startInboundSmtp({ port: 0, host: '127.0.0.1', domain: 'inbound.test', handler: checkInboundHandler(app.cadre) });
    worker = createWorker({ database: ctx().database, registry: jobRegistry(app.cadre), backoff: { baseSeconds: 0, maxSeconds: 0 } });
    secretariat = await enrolledClient(app, 'sec@un.example', 'secretariat');
    const admin = await enrolledClient(app, 'admin@fr.example', 'state-admin', 'FRA');
    await enrolledClient(app, 'poc@fr.example', 'poc', 'FRA');
    await enrolledClient(app, 'gone@fr.example', 'poc', 'FRA');
    await admin.client.get('/directory');
    for (const [email, kind] of [['poc@fr.example', 'technical'], ['gone@fr.example', 'diplomatic']] as const) {
      assert.equal((await admin.client.json('POST', '/api/v1/directory/entries', pocBody({ emails: [email], kind, name: email }))).statusCode, 201);
    }
    await worker.drain();
    smtp.messages.length = 0;
    await secretariat.client.get('/checks');
    const res = await secretariat.client.json('POST', '/api/v1/checks', { mode: 'routine', states: ['FRA'] });
    assert.equal(res.statusCode, 201);
    campaignId = res.json().id;
    assert.equal(await worker.drain(), 2);
  });

  test('a reply from an address that is not the POC’s, or an automatic one, is refused at SMTP and acknowledges nothing', async () => {
    const mail = smtp.to('poc@fr.example')[0]!;
    const replyTo = (mail.parsed.replyTo?.value[0]?.address ?? '') as string;
    assert.match(replyTo, /^check\+[0-9a-f]{64}@inbound\.test$/);
    await assert.rejects(send({ from: 'someone@else.example', to: replyTo, subject: 'Re: check', text: 'received' }), (e: { responseCode?: number }) => e.responseCode === 550);
    await assert.rejects(
      send({ from: 'poc@fr.example', to: replyTo, subject: 'Out of office', text: 'I am away', headers: { 'Auto-Submitted': 'auto-replied' } }),
      (e: { responseCode?: number }) => e.responseCode === 550,
    );
    const counts = (await secretariat.client.json('GET', `/api/v1/checks/${campaignId}`)).json().counts;
    assert.equal(counts.acknowledged, 0);
    const refused = await listAuditEvents(app.cadre.database.db, { action: 'check.refused', limit: 10 });
    assert.deepEqual(refused.map((e) => JSON.parse(e.details).reason).sort(), ['automatic reply', 'sender is not this point of contact']);
  });

  test('a reply from the POC’s own address acknowledges, once', async () => {
    const replyTo = smtp.to('poc@fr.example')[0]!.parsed.replyTo!.value[0]!.address!;
    await send({ from: 'Poc <poc@fr.example>', to: replyTo, subject: 'Re: check', text: 'Received, thank you.' });
    const counts = (await secretariat.client.json('GET', `/api/v1/checks/${campaignId}`)).json().counts;
    assert.equal(counts.acknowledged, 1);
    const acked = await listAuditEvents(app.cadre.database.db, { action: 'check.acknowledged', limit: 10 });
    assert.match(acked[0]!.details, /"channel":"reply"/);
    await assert.rejects(send({ from: 'poc@fr.example', to: replyTo, subject: 'Re: check', text: 'again' }), (e: { responseCode?: number }) => e.responseCode === 550);
  });

  test('a bounce marks the address undeliverable', async () => {
    const mail = smtp.to('gone@fr.example')[0]!;
    const token = String(mail.parsed.headers.get('x-cadre-check'));
    const targetId = /<check\.([0-9a-f-]{36})@/.exec(mail.parsed.messageId ?? '')?.[1] ?? /check\.([0-9a-f-]{36})@/.exec(String(mail.parsed.headers.get('message-id')))![1]!;
    await send({ envelope: { from: '', to: ['bounces@inbound.test'] }, raw: dsn(token, targetId) });
    const counts = (await secretariat.client.json('GET', `/api/v1/checks/${campaignId}`)).json().counts;
    assert.equal(counts.undeliverable, 1);
    assert.equal((await listAuditEvents(app.cadre.database.db, { action: 'check.undeliverable', limit: 10 })).length, 1);
  });
});
