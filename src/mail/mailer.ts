import nodemailer from 'nodemailer';
import type { Config } from '../config.ts';
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

export interface Mailer {
  /** Resolves once the SMTP server accepted the message; rejects otherwise (the job then retries). */
  send(mail: OutgoingMail, signal?: AbortSignal): Promise<void>;
  close(): void;
}

/**
 * An SMTP mailer from SMTP_URL (`smtp://user:pass@host:587`, `smtps://…:465`). Nodemailer reads
 * further settings from the URL's query (`?requireTLS=true`, `?ignoreTLS=true`), and those win over
 * the defaults below. Nodemailer's own logger stays off: at debug level it prints whole messages,
 * and an invitation's body holds its link.
 */
export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer {
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
