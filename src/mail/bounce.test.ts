import { test } from 'node:test';
import assert from 'node:assert/strict';
import { simpleParser } from 'mailparser';
import { parseBounce } from './bounce.ts';

const TOKEN = 'Qm7t-Zr2_XbT4nLp8VcY1sHdA9';

/** What Postfix sends when a message has waited in its queue for hours (RFC 3464, headers only returned). */
const POSTFIX_DELAYED = `Return-Path: <>
Received: by relay.cadre.test (Postfix)
\tid 7C1E2A0F31; Tue, 25 Nov 2026 14:02:11 +0000 (UTC)
Date: Tue, 25 Nov 2026 14:02:11 +0000 (UTC)
From: MAILER-DAEMON@relay.cadre.test (Mail Delivery System)
Subject: Delayed Mail (still being retried)
To: bounces@cadre.test
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="7C1E2A0F31.1764079331/relay.cadre.test"
Content-Transfer-Encoding: 8bit
Message-Id: <20261125140211.7C1E2A0F31@relay.cadre.test>

This is a MIME-encapsulated message.

--7C1E2A0F31.1764079331/relay.cadre.test
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host relay.cadre.test.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

Your message could not be delivered for more than 4 hour(s).
It will be retried until it is 5 day(s) old.

                   The mail system

<poc@mfa.example.org>: connect to mx.mfa.example.org[192.0.2.25]:25: Connection
    timed out

--7C1E2A0F31.1764079331/relay.cadre.test
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.cadre.test
X-Postfix-Queue-ID: 7C1E2A0F31
X-Postfix-Sender: rfc822; bounces@cadre.test
Arrival-Date: Tue, 25 Nov 2026 10:01:58 +0000 (UTC)

Final-Recipient: rfc822; poc@mfa.example.org
Original-Recipient: rfc822;poc@mfa.example.org
Action: delayed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.mfa.example.org[192.0.2.25]:25:
    Connection timed out
Will-Retry-Until: Sun, 30 Nov 2026 10:01:58 +0000 (UTC)

--7C1E2A0F31.1764079331/relay.cadre.test
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers
Content-Transfer-Encoding: 8bit

Return-Path: <bounces@cadre.test>
Received: from cadre.test (cadre.test [198.51.100.7])
\tby relay.cadre.test (Postfix) with ESMTP id 7C1E2A0F31
\tfor <poc@mfa.example.org>; Tue, 25 Nov 2026 10:01:58 +0000 (UTC)
From: Cadre <no-reply@cadre.test>
To: poc@mfa.example.org
Reply-To: check+${TOKEN}@cadre.test
Subject: Communication check
Message-ID: <check.42@cadre.test>
X-Cadre-Check: ${TOKEN}
Auto-Submitted: auto-generated
Date: Tue, 25 Nov 2026 10:01:58 +0000
MIME-Version: 1.0

--7C1E2A0F31.1764079331/relay.cadre.test--
`;

/** A large provider's failure report: CRLF, two recipients, the whole message returned as message/rfc822. */
const PROVIDER_FAILED = `Delivered-To: bounces@cadre.test
Return-Path: <>
From: Mail Delivery Subsystem <mailer-daemon@mail.example.com>
To: bounces@cadre.test
Subject: Delivery Status Notification (Failure)
Date: Tue, 25 Nov 2026 10:02:03 -0800
Message-ID: <5e8f0c2a.0a1b2c3d@mail.example.com>
MIME-Version: 1.0
Content-Type: multipart/report; boundary="000000000000c0ffee"; report-type="delivery-status"
Auto-Submitted: auto-replied

--000000000000c0ffee
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Your message wasn't delivered to ops@ministry.example or cert@ministry.exam=
ple because the address couldn't be found, or is unable to receive mail.

--000000000000c0ffee
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.com
Received-From-MTA: dns; cadre.test
Arrival-Date: Tue, 25 Nov 2026 10:02:01 -0800 (PST)

Final-Recipient: rfc822; OPS@ministry.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx1.ministry.example. (203.0.113.9, the server for the domain ministry.example.)
Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does not exist.
Last-Attempt-Date: Tue, 25 Nov 2026 10:02:03 -0800 (PST)

Final-Recipient: rfc822; cert@ministry.example
Action: failed
Status: 5.2.2
Diagnostic-Code: smtp; 552 5.2.2 Mailbox full

--000000000000c0ffee
Content-Type: message/rfc822

Return-Path: <bounces@cadre.test>
From: Cadre <no-reply@cadre.test>
To: ops@ministry.example, cert@ministry.example
Subject: Communication check
Message-ID: <check.43@cadre.test>
X-Cadre-Check: ${TOKEN}
Date: Tue, 25 Nov 2026 10:01:58 +0000
Content-Type: text/plain; charset=utf-8

Please reply to this message to confirm that this address reaches you.

--000000000000c0ffee--
`.replace(/\n/g, '\r\n');

/** An older relay's bounce for people only: plain text, the returned headers quoted after the report. */
const PLAIN_TEXT = `Return-Path: <>
From: MAILER-DAEMON@old-relay.example.net (Mail Delivery System)
To: bounces@cadre.test
Subject: Undelivered Mail Returned to Sender
Date: Tue, 25 Nov 2026 10:05:00 +0000
Content-Type: text/plain; charset=us-ascii

This is the mail system at host old-relay.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<contact@cert.example.net>: host mx.cert.example.net[198.51.100.40] said: 550
    5.1.1 <contact@cert.example.net>: Recipient address rejected: User unknown
    (in reply to RCPT TO command)

--- Below this line is a copy of the message headers.

> Return-Path: <bounces@cadre.test>
> From: Cadre <no-reply@cadre.test>
> To: contact@cert.example.net
> Subject: Communication check
> Message-ID: <check.44@cadre.test>
> X-Cadre-Check: ${TOKEN}
`;

/** Exim names the failed addresses in a header. */
const EXIM = `From: Mail Delivery System <Mailer-Daemon@exim.example.org>
To: bounces@cadre.test
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: desk@gov.example.org
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  desk@gov.example.org
    host mx.gov.example.org [192.0.2.80]
    SMTP error from remote mail server after RCPT TO:<desk@gov.example.org>:
    550 5.7.1 Relaying denied

------ This is a copy of the message, including all the headers. ------

Message-ID: <check.45@cadre.test>
X-Cadre-Check: ${TOKEN}
Subject: Communication check
`;

test('a Postfix delay warning is a transient 4.x.x report with the returned headers read', () => {
  const bounce = parseBounce(POSTFIX_DELAYED);
  assert.deepEqual(bounce, {
    format: 'rfc3464',
    recipients: [
      {
        address: 'poc@mfa.example.org',
        action: 'delayed',
        status: '4.4.1',
        permanent: false,
        diagnostic: 'connect to mx.mfa.example.org[192.0.2.25]:25: Connection timed out',
      },
    ],
    originalMessageId: '<check.42@cadre.test>',
    checkToken: TOKEN,
  });
});

test('a failure report with two recipients and the whole message returned (CRLF, message/rfc822)', () => {
  const bounce = parseBounce(Buffer.from(PROVIDER_FAILED, 'utf8'));
  assert.ok(bounce);
  assert.equal(bounce.format, 'rfc3464');
  assert.deepEqual(
    bounce.recipients.map((r) => [r.address, r.action, r.status, r.permanent]),
    [
      ['ops@ministry.example', 'failed', '5.1.1', true],
      ['cert@ministry.example', 'failed', '5.2.2', true],
    ],
  );
  assert.equal(bounce.recipients[0]!.diagnostic, '550-5.1.1 The email account that you tried to reach does not exist.');
  assert.equal(bounce.originalMessageId, '<check.43@cadre.test>');
  assert.equal(bounce.checkToken, TOKEN);
});

test('the same reports parsed by mailparser first give the same recipients and original message', async () => {
  for (const [raw, messageId] of [
    [POSTFIX_DELAYED, '<check.42@cadre.test>'],
    [PROVIDER_FAILED, '<check.43@cadre.test>'],
  ] as const) {
    const fromRaw = parseBounce(raw);
    const fromParsed = parseBounce(await simpleParser(raw));
    assert.ok(fromParsed, messageId);
    assert.equal(fromParsed.format, 'rfc3464');
    assert.deepEqual(fromParsed.recipients, fromRaw?.recipients);
    assert.equal(fromParsed.originalMessageId, messageId);
    assert.equal(fromParsed.checkToken, TOKEN);
  }
});

test('a plain-text bounce is read best-effort: address, status and quoted headers', async () => {
  const expected = {
    format: 'plain-text',
    recipients: [
      {
        address: 'contact@cert.example.net',
        action: 'failed',
        status: '5.1.1',
        permanent: true,
        diagnostic: '550 5.1.1 <contact@cert.example.net>: Recipient address rejected: User unknown (in reply to RCPT TO command)',
      },
    ],
    originalMessageId: '<check.44@cadre.test>',
    checkToken: TOKEN,
  };
  assert.deepEqual(parseBounce(PLAIN_TEXT), expected);
  assert.deepEqual(parseBounce(await simpleParser(PLAIN_TEXT)), expected);
});

test('Exim’s X-Failed-Recipients names the failed address', () => {
  const bounce = parseBounce(EXIM);
  assert.ok(bounce);
  assert.deepEqual(
    bounce.recipients.map((r) => [r.address, r.action, r.status, r.permanent]),
    [['desk@gov.example.org', 'failed', '5.7.1', true]],
  );
  assert.equal(bounce.recipients[0]!.diagnostic, '550 5.7.1 Relaying denied');
  assert.equal(bounce.originalMessageId, '<check.45@cadre.test>');
  assert.equal(bounce.checkToken, TOKEN);
});

test('a delivery status part in base64 is decoded', () => {
  const encoded = Buffer.from('Final-Recipient: rfc822; a@b.example\nAction: failed\nStatus: 5.0.0\n').toString('base64');
  const raw = POSTFIX_DELAYED.replace(
    /Content-Type: message\/delivery-status\n\n[\s\S]*?\n--7C1E2A0F31/,
    `Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n${encoded}\n\n--7C1E2A0F31`,
  );
  assert.deepEqual(parseBounce(raw)?.recipients, [{ address: 'a@b.example', action: 'failed', status: '5.0.0', permanent: true, diagnostic: null }]);
});

test('messages that are not bounces give null', async () => {
  const reply = `From: Jane <jane@mfa.example.org>\nTo: check+${TOKEN}@cadre.test\nSubject: Re: Communication check\nIn-Reply-To: <check.42@cadre.test>\n\nReceived, thank you. Delivery failed? No.\n`;
  const readReceipt = POSTFIX_DELAYED.replace('report-type=delivery-status', 'report-type=disposition-notification')
    .replace('From: MAILER-DAEMON@relay.cadre.test (Mail Delivery System)', 'From: jane@mfa.example.org')
    .replace('Subject: Delayed Mail (still being retried)', 'Subject: Read: Communication check');
  assert.equal(parseBounce(reply), null);
  assert.equal(parseBounce(await simpleParser(reply)), null);
  assert.equal(parseBounce(readReceipt), null);
});
