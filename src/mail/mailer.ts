import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
import { alternativePart, pgpMimeSignedPart, type MimeEntity } from '../crypto/pgp-mail.ts';
import { loadSigningKey, mailAddress, type SigningKey } from '../crypto/signing-key.ts';
import type { Cadre } from '../web/types.ts';
import type { Language } from '../web/i18n.ts';

/** One message, already composed and localized. */
export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  language: Language;
  /** `<…@host>`; derive it from the job's idempotency key so a resend after a crash carries the same one. */
  messageId: string;
  /** Where replies go (a check's reply address carries its token). */
  replyTo?: string;
  /** Further headers (e.g. `X-Cadre-Check`), added to Cadre's own. */
  headers?: Record<string, string>;
}

/**
 * A message whose body is a ready MIME entity (PGP/MIME signed or encrypted): its bytes must reach the
 * recipient unchanged, so the mailer writes the headers itself and hands nodemailer the whole message.
 */
export interface OutgoingMime extends Omit<OutgoingMail, 'text' | 'html'> {
  mime: MimeEntity;
}

export interface Mailer {
  /** Resolves once the SMTP server accepted the message; rejects otherwise (the job then retries). */
  send(mail: OutgoingMail | OutgoingMime, signal?: AbortSignal): Promise<void>;
  close(): void;
}

/**
 * An SMTP mailer from SMTP_URL (`smtp://user:pass@host:587`, `smtps://…:465`). Nodemailer reads
 * further settings from the URL's query (`?requireTLS=true`, `?ignoreTLS=true`), and those win over
 * the defaults below. Nodemailer's own logger stays off: at debug level it prints whole messages,
 * and an invitation's body holds its link.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, signingKey?: () => Promise<SigningKey>): Mailer {
  if (!config.smtpUrl) throw new Error('SMTP_URL is not set: Cadre cannot send e-mail');
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    // Fail an attempt in well under the job lease (5 minutes) rather than nodemailer's 2 and 10 minutes.
    connectionTimeout: 30_000,
    greetingTimeout: 30_000,
    socketTimeout: 60_000,
    logger: false,
    debug: false,
  });
  return {
    async send(mail, signal) {
      if (!('mime' in mail) && signingKey) {
        // Signed by Cadre's published key (PGP/MIME): the text and its HTML rendering, as written.
        const { text, html, ...rest } = mail;
        mail = { ...rest, mime: await pgpMimeSignedPart(alternativePart(text, html), await signingKey()) };
      }
      if ('mime' in mail) {
        await transport.sendMail({ raw: rawMessage(config.mailFrom, mail), envelope: { from: mailAddress(config.mailFrom), to: [mail.to] }, ...(signal ? { signal } : {}) });
        return;
      }
      await transport.sendMail({
        from: config.mailFrom,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        // RFC 3834: no vacation auto-replies to an automatic message.
        headers: { ...mail.headers, 'Auto-Submitted': 'auto-generated', 'Content-Language': mail.language },
        ...(signal ? { signal } : {}),
      });
    },
    close() {
      transport.close();
    },
  };
}

/** Cadre's mailer: SMTP_URL, every message signed with Cadre's own OpenPGP key (published at /pgp-key). */
export function cadreMailer(cadre: Cadre): Mailer {
  return createMailer(cadre.config, () => loadSigningKey(cadre.database.db, cadre.config));
}

/** RFC 2047 encoded words (UTF-8, base64) for a header value that is not plain ASCII; whole characters per word. */
export function encodeHeader(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const ch of value) {
    // 45 bytes of UTF-8 make 60 base64 characters: each encoded word stays under 75.
    if (Buffer.byteLength(chunk + ch) > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** `Name <a@b>` with a non-ASCII name: the name encoded, the address as is. */
function encodeAddress(value: string): string {
  const m = /^\s*"?([^"<]*?)"?\s*<([^<>]+)>\s*$/.exec(value);
  return m && m[1] ? `${encodeHeader(m[1])} <${m[2]}>` : value.trim();
}

/** The whole message for nodemailer's `raw`: Cadre's headers, then the entity's Content-Type and body, CRLF line ends. */
export function rawMessage(from: string, mail: OutgoingMime, date: Date = new Date()): string {
  const headers: Array<[string, string]> = [
    ['From', encodeAddress(from)],
    ['To', mail.to],
    ['Subject', encodeHeader(mail.subject)],
    ['Date', date.toUTCString().replace(/GMT$/, '+0000')],
    ['Message-ID', mail.messageId],
    ...(mail.replyTo ? ([['Reply-To', mail.replyTo]] as Array<[string, string]>) : []),
    ...Object.entries(mail.headers ?? {}).map(([k, v]) => [k, encodeHeader(v)] as [string, string]),
    // RFC 3834: no vacation auto-replies to an automatic message.
    ['Auto-Submitted', 'auto-generated'],
    ['Content-Language', mail.language],
    ['MIME-Version', '1.0'],
    ['Content-Type', mail.mime.contentType],
  ];
  return `${headers.map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${mail.mime.body}`;
}
