import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { newId, nowIso } from '../../auth/crypto.ts';
import type { Db } from '../../db/database.ts';
import { insertCaughtMail } from './mailcatcher.repository.ts';

/** The loopback address the catcher listens on: never a public interface. */
export const CATCHER_HOST = '127.0.0.1';
/** Each part (text, HTML) is kept up to this many characters. */
export const PART_LIMIT = 200 * 1024;
/** Larger messages are refused at SMTP (552): Cadre's own mail is a few kilobytes. */
const MESSAGE_LIMIT = 10 * 1024 * 1024;

export interface MailCatcher {
  /** `smtp://127.0.0.1:PORT`: becomes the configuration's smtpUrl, so every mail path really goes over SMTP. */
  url: string;
  host: string;
  port: number;
  /** Where to report errors from now on (the app's log, which exists only once the app is built). */
  logTo(logger: CatcherLogger): void;
  close(): Promise<void>;
}

/** Where connection errors and failed stores are reported; never a message's content. */
export interface CatcherLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

function cut(text: string): string {
  return text.length > PART_LIMIT ? text.slice(0, PART_LIMIT) : text;
}

/**
 * The demo's built-in mail catcher (`--demo` without SMTP_URL): an SMTP server on 127.0.0.1, on a
 * free port, that accepts every message from this machine and keeps it in `caught_mail` for the
 * Secretariat's /mail page. No authentication and no TLS: it is reachable only over loopback.
 */
export async function startMailCatcher(database: Db): Promise<MailCatcher> {
  let logger: CatcherLogger | undefined;
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MESSAGE_LIMIT,
    logger: false,
    // A sender left connected must not hold up a stop for long.
    closeTimeout: 5_000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('5.3.4 message too big for the demo mail catcher'), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) =>
            insertCaughtMail(database.db, {
              id: newId(),
              received_at: nowIso(),
              mail_from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              recipients: JSON.stringify(session.envelope.rcptTo.map((r) => r.address)),
              subject: parsed.subject ?? '',
              message_id: parsed.messageId ?? null,
              text: cut(parsed.text ?? ''),
              html: typeof parsed.html === 'string' ? cut(parsed.html) : null,
              raw_size: raw.length,
            }),
          )
          .then(
            () => callback(),
            (error: unknown) => {
              logger?.warn({ error: error instanceof Error ? error.message : String(error) }, 'the demo mail catcher could not keep a message');
              callback(error instanceof Error ? error : new Error(String(error)));
            },
          );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, CATCHER_HOST, () => resolve());
  });
  server.on('error', (error: Error) => logger?.warn({ error: error.message }, 'demo mail catcher SMTP error'));
  const { address, port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${address}:${port}`,
    host: address,
    port,
    logTo: (given) => {
      logger = given;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
