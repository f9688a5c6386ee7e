import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { loadConfig } from '../config.ts';
import type { Bounce } from './bounce.ts';
import { startInboundSmtp, type InboundReply, type InboundSmtp } from './inbound.ts';

const TOKEN = 'aB3dE5fG7hJ9kL1mN3pQ5r';
const REFUSED = 'Zz9_Expired-Token-0000042';
const THROWS = 'Boom-Boom-Boom-Boom-Boom';
const MAX_BYTES = 20_000;

/** What Postfix returns for a check sent to a mailbox that does not exist (RFC 3464, headers only). */
const POSTFIX_FAILED = `Return-Path: <>
Date: Tue, 25 Nov 2026 10:02:11 +0000 (UTC)
From: MAILER-DAEMON@relay.cadre.test (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@cadre.test
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="3F2A1C0123.1764064931/relay.cadre.test"
Content-Transfer-Encoding: 8bit
Message-Id: <20261125100211.3F2A1C0123@relay.cadre.test>

This is a MIME-encapsulated message.

--3F2A1C0123.1764064931/relay.cadre.test
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host relay.cadre.test.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

<poc@mfa.example.org>: host mx.mfa.example.org[192.0.2.25] said: 550 5.1.1
    <poc@mfa.example.org>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

--3F2A1C0123.1764064931/relay.cadre.test
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.cadre.test
X-Postfix-Queue-ID: 3F2A1C0123
X-Postfix-Sender: rfc822; bounces@cadre.test
Arrival-Date: Tue, 25 Nov 2026 10:02:10 +0000 (UTC)

Final-Recipient: rfc822; poc@mfa.example.org
Original-Recipient: rfc822;poc@mfa.example.org
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.mfa.example.org
Diagnostic-Code: smtp; 550 5.1.1 <poc@mfa.example.org>: Recipient address
    rejected: User unknown in virtual mailbox table

--3F2A1C0123.1764064931/relay.cadre.test
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers
Content-Transfer-Encoding: 8bit

Return-Path: <bounces@cadre.test>
From: Cadre <no-reply@cadre.test>
To: poc@mfa.example.org
Reply-To: check+${TOKEN}@cadre.test
Subject: Communication check
Message-ID: <check.42@cadre.test>
X-Cadre-Check: ${TOKEN}
Date: Tue, 25 Nov 2026 10:01:58 +0000

--3F2A1C0123.1764064931/relay.cadre.test--
`.replace(/\n/g, '\r\n');

const replies: InboundReply[] = [];
const bounces: { bounce: Bounce; recipients: string[] }[] = [];
const logLines: string[] = [];
let server: InboundSmtp;
let transport: ReturnType<typeof nodemailer.createTransport>;

/** What an SMTP client is told when the server refuses: the reply code and its text. */
async function refusal(send: Promise<unknown>): Promise<{ responseCode: number; response: string }> {
  const error = await send.then(
    () => assert.fail('the server accepted the message'),
    (e: unknown) => e as { responseCode: number; response: string },
  );
  return error;
}

before(async () => {
  server = await startInboundSmtp({
    port: 0,
    host: '127.0.0.1',
    domain: 'Cadre.Test',
    maxBytes: MAX_BYTES,
    // A real pino logger, as the server will pass, writing into an array.
    logger: pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) }),
    handler: {
      async reply(reply) {
        if (reply.token === THROWS) throw new Error('database unavailable');
        replies.push(reply);
        return reply.token === REFUSED ? { accepted: false, reason: 'this check has expired; reply to the latest one' } : { accepted: true };
      },
      async bounce(bounce, context) {
        bounces.push({ bounce, recipients: context.recipients });
      },
    },
  });
  transport = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true, logger: false });
});

after(async () => {
  transport.close();
  await server.close();
});

test('a reply to check+TOKEN reaches the handler with the token as sent and both senders lower-cased', async () => {
  const info = await transport.sendMail({
    envelope: { from: 'Relay-Sender@MFA.example.org', to: `check+${TOKEN}@CADRE.TEST` },
    from: 'Jane Doe <Jane.Doe@MFA.example.org>',
    to: `check+${TOKEN}@cadre.test`,
    subject: 'Re: Communication check',
    text: 'Received and read. — Jane',
    inReplyTo: '<check.42@cadre.test>',
    references: '<check.42@cadre.test>',
  });
  // nodemailer lower-cases the domain, not the local part; the server's domain is configured as Cadre.Test.
  assert.deepEqual(info.accepted, [`check+${TOKEN}@cadre.test`]);
  const reply = replies.at(-1);
  assert.ok(reply);
  assert.equal(reply.token, TOKEN);
  assert.deepEqual(reply.from, { envelope: 'relay-sender@mfa.example.org', header: 'jane.doe@mfa.example.org' });
  assert.equal(reply.subject, 'Re: Communication check');
  assert.equal(reply.text.trim(), 'Received and read. — Jane');
  assert.equal(reply.messageId, info.messageId);
  assert.equal(reply.inReplyTo, '<check.42@cadre.test>');
  assert.deepEqual(reply.references, ['<check.42@cadre.test>']);
  assert.equal(reply.automatic, false);
  assert.ok(Date.now() - reply.receivedAt.getTime() < 5000);
});

test('the text handed over stops at 2,000 characters', async () => {
  await transport.sendMail({ from: 'jane@mfa.example.org', to: `check+${TOKEN}@cadre.test`, subject: 'Re: check', text: 'x'.repeat(5000) });
  assert.equal(replies.at(-1)?.text.length, 2000);
});

test('a refused reply is answered 550 5.7.1 with the reason, and the log keeps no body nor whole token', async () => {
  const { responseCode, response } = await refusal(
    transport.sendMail({ from: 'someone@cert.example.net', to: `check+${REFUSED}@cadre.test`, subject: 'Re: check', text: 'CONFIDENTIAL-BODY-TEXT' }),
  );
  assert.equal(responseCode, 550);
  assert.match(response, /^550 5\.7\.1 this check has expired; reply to the latest one$/);
  const warning = logLines.find((l) => l.includes('reply to a check refused'));
  assert.ok(warning, 'a warning was logged');
  const fields = JSON.parse(warning) as Record<string, unknown>;
  assert.equal(fields.token, REFUSED.slice(0, 6));
  assert.equal(fields.senderDomain, 'cert.example.net');
  assert.equal(fields.reason, 'this check has expired; reply to the latest one');
  assert.ok(!logLines.join('\n').includes('CONFIDENTIAL-BODY-TEXT'));
  assert.ok(!logLines.join('\n').includes(REFUSED));
});

test('unknown recipients are refused at RCPT TO with 550 5.1.1', async () => {
  for (const to of ['someone@cadre.test', `check+${TOKEN}@elsewhere.example`, 'check+short@cadre.test', `check+${TOKEN}!@cadre.test`]) {
    const error = (await refusal(transport.sendMail({ from: 'a@b.example', to, subject: 's', text: 't' }))) as { responseCode: number; response: string; command?: string };
    assert.equal(error.responseCode, 550, to);
    assert.match(error.response, /5\.1\.1 .*unknown recipient/, to);
    assert.equal(error.command, 'RCPT TO', to);
  }
});

test('a second check address in one message is deferred with 452, so each reply gets its own answer', async () => {
  const other = 'Another-Token-1234567890';
  const info = await transport.sendMail({ from: 'a@b.example', to: [`check+${TOKEN}@cadre.test`, `check+${other}@cadre.test`], subject: 'Re', text: 't' });
  assert.deepEqual(info.accepted, [`check+${TOKEN}@cadre.test`]);
  assert.deepEqual(info.rejected, [`check+${other}@cadre.test`]);
  assert.match(String(info.rejectedErrors?.[0]?.response), /^452 4\.5\.3/);
});

test('a message larger than the limit is refused with 552', async () => {
  const { responseCode } = await refusal(
    transport.sendMail({ from: 'a@b.example', to: `check+${TOKEN}@cadre.test`, subject: 'big', text: 'y'.repeat(MAX_BYTES * 2) }),
  );
  assert.equal(responseCode, 552);
});

test('a message without any header is refused with 554 5.6.0', async () => {
  const { responseCode, response } = await refusal(
    transport.sendMail({ envelope: { from: 'a@b.example', to: `check+${TOKEN}@cadre.test` }, raw: '\r\nThis line has no header before it.\r\n' }),
  );
  assert.equal(responseCode, 554);
  assert.match(response, /5\.6\.0 malformed message/);
});

test('a failing handler makes the sender try again later (451)', async () => {
  const { responseCode } = await refusal(transport.sendMail({ from: 'a@b.example', to: `check+${THROWS}@cadre.test`, subject: 'Re', text: 't' }));
  assert.equal(responseCode, 451);
});

test('auto-replies reach the handler flagged automatic, not as a person’s acknowledgement', async () => {
  const cases: { headers?: Record<string, string>; subject: string; envelopeFrom?: string }[] = [
    { headers: { 'Auto-Submitted': 'auto-replied' }, subject: 'Re: Communication check' },
    { headers: { 'X-Autoreply': 'yes' }, subject: 'Re: Communication check' },
    { headers: { Precedence: 'bulk' }, subject: 'Re: Communication check' },
    { subject: 'Réponse automatique : Communication check' },
    { subject: 'Out of Office: Communication check' },
    { subject: '自动回复: Communication check' },
    { subject: 'Re: Communication check', envelopeFrom: '' },
  ];
  for (const c of cases) {
    await transport.sendMail({
      envelope: { from: c.envelopeFrom ?? 'jane@mfa.example.org', to: `check+${TOKEN}@cadre.test` },
      from: 'jane@mfa.example.org',
      to: `check+${TOKEN}@cadre.test`,
      subject: c.subject,
      text: 'I am away until Monday.',
      ...(c.headers ? { headers: c.headers } : {}),
    });
    assert.equal(replies.at(-1)?.automatic, true, JSON.stringify(c));
  }
  await transport.sendMail({ from: 'jane@mfa.example.org', to: `check+${TOKEN}@cadre.test`, subject: 'Re: Communication check', headers: { 'Auto-Submitted': 'no' }, text: 'Here.' });
  assert.equal(replies.at(-1)?.automatic, false);
});

test('a Postfix DSN to bounces@ from the null sender reaches handler.bounce, parsed', async () => {
  const info = await transport.sendMail({ envelope: { from: '', to: 'bounces@cadre.test' }, raw: POSTFIX_FAILED });
  assert.deepEqual(info.accepted, ['bounces@cadre.test']);
  assert.deepEqual(bounces.at(-1), {
    recipients: ['bounces@cadre.test'],
    bounce: {
      format: 'rfc3464',
      recipients: [
        {
          address: 'poc@mfa.example.org',
          action: 'failed',
          status: '5.1.1',
          permanent: true,
          diagnostic: '550 5.1.1 <poc@mfa.example.org>: Recipient address rejected: User unknown in virtual mailbox table',
        },
      ],
      originalMessageId: '<check.42@cadre.test>',
      checkToken: TOKEN,
    },
  });
});

test('a DSN that reaches a check address is a bounce, not a reply', async () => {
  const before = replies.length;
  await transport.sendMail({ envelope: { from: '', to: `check+${TOKEN}@cadre.test` }, raw: POSTFIX_FAILED });
  assert.equal(replies.length, before);
  assert.equal(bounces.at(-1)?.bounce.checkToken, TOKEN);
});

test('INBOUND_SMTP_PORT, INBOUND_SMTP_HOST and INBOUND_MAIL_DOMAIN are read, a bad port stops the start', () => {
  const base = { CADRE_SECRET: 's'.repeat(32), BASE_URL: 'https://Cadre.Example.org' };
  const unset = loadConfig(base);
  assert.equal(unset.inboundSmtpPort, null);
  assert.equal(unset.inboundSmtpHost, '0.0.0.0');
  assert.equal(unset.inboundMailDomain, 'cadre.example.org');
  const set = loadConfig({ ...base, INBOUND_SMTP_PORT: '2525', INBOUND_SMTP_HOST: '127.0.0.1', INBOUND_MAIL_DOMAIN: 'Mail.Cadre.Example.org' });
  assert.equal(set.inboundSmtpPort, 2525);
  assert.equal(set.inboundSmtpHost, '127.0.0.1');
  assert.equal(set.inboundMailDomain, 'mail.cadre.example.org');
  for (const bad of ['smtp', '25x', '-1', '70000', '25.5']) {
    assert.throws(() => loadConfig({ ...base, INBOUND_SMTP_PORT: bad }), /INBOUND_SMTP_PORT must be a port number/, bad);
  }
});
