import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { parseBounce, type Bounce } from './bounce.ts';

/** The token of a check address, `check+TOKEN@domain`: kept byte for byte, never case-folded. */
const CHECK_LOCAL_PART = /^check\+([A-Za-z0-9_-]{20,200})$/;
const MAX_RECIPIENTS = 5;
const TEXT_CHARS = 2000;

/** A message sent to a `check+TOKEN` address, as the handler sees it. */
export interface InboundReply {
  /** From the recipient address, exactly as received (case-sensitive). */
  token: string;
  from: {
    /** The SMTP envelope sender (MAIL FROM), lower-cased; '' for the null sender `<>`. */
    envelope: string;
    /** The address of the From header, lower-cased; null when absent or unreadable. */
    header: string | null;
  };
  subject: string;
  /** The plain text (mailparser derives it from the HTML when there is none), first 2,000 characters. */
  text: string;
  /** The reply's own Message-ID, with angle brackets; null when absent. */
  messageId: string | null;
  /** In-Reply-To and References, to match `<check.TARGETID@host>`; both may be missing. */
  inReplyTo: string | null;
  references: string[];
  receivedAt: Date;
  /**
   * True for a message a machine wrote: Auto-Submitted other than `no` (RFC 3834), X-Autoreply,
   * X-Autorespond, Precedence auto_reply/bulk/junk, the null envelope sender, or an out-of-office
   * subject. Such a reply proves the mailbox exists but is not an acknowledgement by a person: the
   * handler decides (record it as "delivered, no acknowledgement", or refuse it).
   */
  automatic: boolean;
}

export type InboundVerdict = { accepted: true } | { accepted: false; reason: string };

export interface InboundHandler {
  /**
   * A reply to a check address. A refusal is answered `550 5.7.1 <reason>`: the sender's server
   * tells them, so write the reason for them (ASCII, one line; it is cut at 200 characters).
   * A thrown error is answered 451 (try again later).
   */
  reply(reply: InboundReply): Promise<InboundVerdict>;
  /** A delivery status notification, sent to `bounces@domain` or recognised as one anywhere. Answered 250. */
  bounce(bounce: Bounce, context: { receivedAt: Date; recipients: string[] }): Promise<void>;
}

export interface InboundLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface InboundSmtpOptions {
  port: number;
  host: string;
  /** Domain of `check+TOKEN@…` and `bounces@…`, compared case-insensitively. */
  domain: string;
  /** Largest message accepted, in bytes; larger ones get 552. Default 1 MB. */
  maxBytes?: number;
  handler: InboundHandler;
  logger?: InboundLogger;
}

export interface InboundSmtp {
  /** The port listened on (the one chosen by the system when asked for 0). */
  port: number;
  close(): Promise<void>;
}

type Recipient = { kind: 'check'; token: string; address: string } | { kind: 'bounces'; address: string };

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/**
 * Cadre's own SMTP server for mail coming back: replies to communication checks and bounces.
 * Plain SMTP for now: no AUTH, STARTTLS neither offered nor accepted (no key or certificate is
 * configured), so it belongs behind the domain's MX relay, which does TLS with the world.
 * Nothing of a message body is logged: a log line names at most the token's first 6 characters,
 * the sender's domain and the reason.
 */
export async function startInboundSmtp(options: InboundSmtpOptions): Promise<InboundSmtp> {
  const domain = options.domain.toLowerCase();
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const { handler, logger } = options;

  /** The recipient an address stands for, or null if it is none of ours. */
  function recipientFor(address: string): Recipient | null {
    const at = address.lastIndexOf('@');
    if (at <= 0 || address.slice(at + 1).toLowerCase() !== domain) return null;
    const local = address.slice(0, at);
    if (local.toLowerCase() === 'bounces') return { kind: 'bounces', address };
    const token = CHECK_LOCAL_PART.exec(local)?.[1];
    return token ? { kind: 'check', token, address } : null;
  }

  async function deliver(raw: Buffer, session: SMTPServerSession): Promise<string> {
    const receivedAt = new Date();
    const recipients = session.envelope.rcptTo.map((r) => recipientFor(r.address)).filter((r) => r !== null);
    let parsed: ParsedMail;
    try {
      parsed = await simpleParser(raw);
    } catch {
      throw smtpError(554, '5.6.0 malformed message');
    }
    // mailparser reads nearly anything; a message without a single header field is not mail (RFC 5322, 3.6).
    if (parsed.headers.size === 0) throw smtpError(554, '5.6.0 malformed message');
    const bounce = parseBounce(raw);
    const envelopeFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address.toLowerCase() : '';
    if (bounce || recipients.some((r) => r.kind === 'bounces')) {
      if (bounce) {
        await handler.bounce(bounce, { receivedAt, recipients: recipients.map((r) => r.address) });
      } else {
        // An auto-reply sent to the envelope sender, or stray mail: nothing to act on.
        logger?.info({ senderDomain: domainOf(envelopeFrom) }, 'inbound mail to the bounce address is no delivery status notification; dropped');
      }
      return '2.0.0 OK';
    }
    const check = recipients.find((r): r is Extract<Recipient, { kind: 'check' }> => r.kind === 'check');
    if (!check) throw smtpError(554, '5.1.1 no valid recipients');
    const reply: InboundReply = {
      token: check.token,
      from: { envelope: envelopeFrom, header: parsed.from?.value[0]?.address?.toLowerCase() ?? null },
      subject: parsed.subject ?? '',
      text: (parsed.text ?? '').slice(0, TEXT_CHARS),
      messageId: parsed.messageId ?? null,
      inReplyTo: parsed.inReplyTo ?? null,
      references: typeof parsed.references === 'string' ? [parsed.references] : (parsed.references ?? []),
      receivedAt,
      automatic: isAutomatic(parsed, envelopeFrom),
    };
    const verdict = await handler.reply(reply);
    if (!verdict.accepted) {
      const reason = oneAsciiLine(verdict.reason);
      logger?.warn(
        { token: check.token.slice(0, 6), senderDomain: domainOf(reply.from.header ?? envelopeFrom), automatic: reply.automatic, reason },
        'reply to a check refused',
      );
      throw smtpError(550, `5.7.1 ${reason}`);
    }
    return '2.0.0 OK';
  }

  const server = new SMTPServer({
    name: domain,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    size: maxBytes,
    maxRecipients: MAX_RECIPIENTS,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    onRcptTo(address, session, callback) {
      const recipient = recipientFor(address.address);
      if (!recipient) {
        callback(smtpError(550, `5.1.1 <${address.address}>: unknown recipient`));
        return;
      }
      // One check address per transaction, so each reply gets its own answer; a relay sends the
      // others again in a transaction of their own after a 452 (RFC 5321, 4.5.3.1.10).
      const otherCheck = session.envelope.rcptTo.some((r) => r.address !== address.address && recipientFor(r.address)?.kind === 'check');
      if (recipient.kind === 'check' && otherCheck) {
        callback(smtpError(452, '4.5.3 one check address per message, send the others separately'));
        return;
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(smtpError(552, `5.3.4 message larger than ${maxBytes} bytes`));
          return;
        }
        deliver(Buffer.concat(chunks), session).then(
          (message) => callback(null, message),
          (error: unknown) => {
            if (error instanceof Error && 'responseCode' in error) {
              callback(error);
              return;
            }
            logger?.warn({ error: error instanceof Error ? error.message : String(error) }, 'inbound mail handler failed');
            callback(smtpError(451, '4.3.0 temporary failure, try again later'));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A failed connection must not bring the process down: log it and go on.
  server.on('error', (error: Error) => logger?.warn({ error: error.message }, 'inbound SMTP error'));
  const { port } = server.server.address() as AddressInfo;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Out-of-office subjects in the six UN languages and German, as the common mail clients write them. */
const OUT_OF_OFFICE =
  /^\s*(auto(matic)?[ -]?reply|autoreply|auto:|out of (the )?office|absent|absence|abwesend|r[ée]ponse automatique|respuesta autom[áa]tica|fuera de la oficina|автоматический ответ|автоответ|нет на месте|вне офиса|自动回复|自動回覆|自動回复|不在办公室|رد تلقائي|خارج المكتب)/i;

function isAutomatic(parsed: ParsedMail, envelopeFrom: string): boolean {
  const header = (name: string): string => {
    const value = parsed.headers.get(name);
    return typeof value === 'string' ? value.trim().toLowerCase() : '';
  };
  const autoSubmitted = header('auto-submitted');
  if (autoSubmitted !== '' && autoSubmitted !== 'no') return true;
  if (parsed.headers.has('x-autoreply') || parsed.headers.has('x-autorespond')) return true;
  if (['auto_reply', 'bulk', 'junk'].includes(header('precedence'))) return true;
  if (envelopeFrom === '') return true;
  return OUT_OF_OFFICE.test(parsed.subject ?? '');
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1) || '(none)';
}

/** An SMTP reply line is ASCII and one line: anything else in the handler's reason becomes a space. */
function oneAsciiLine(text: string): string {
  return text.replace(/[^\x20-\x7e]+/g, ' ').trim().slice(0, 200) || 'refused';
}
