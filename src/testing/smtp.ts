import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** RCPT TO addresses of the SMTP envelope. */
  recipients: string[];
  parsed: ParsedMail;
  /** The message as it came over the wire. */
  raw: string;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:PORT`, for `smtpUrl`. */
  url: string;
  messages: ReceivedMail[];
  /** Messages whose envelope includes this address. */
  to(address: string): ReceivedMail[];
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 (a free port) that accepts any sender without authentication and
 * keeps every message, parsed. Plain text only (STARTTLS not offered), as a local relay would be.
 * `refuse` answers 550 to RCPT TO for the addresses it returns true for, as a server that knows no
 * such mailbox does.
 */
export async function startSmtpSink(options: { refuse?: (address: string) => boolean } = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    // No reverse DNS lookup of each client (127.0.0.1): it only slows the tests down.
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) {
        callback(Object.assign(new Error(`5.1.1 <${address.address}>: mailbox unavailable`), { responseCode: 550 }));
        return;
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            messages.push({ recipients: session.envelope.rcptTo.map((r) => r.address), parsed, raw: raw.toString('utf8') });
            callback();
          })
          .catch(callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    to: (address) => messages.filter((m) => m.recipients.includes(address)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
