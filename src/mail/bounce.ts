import type { ParsedMail, StructuredHeader } from 'mailparser';

/** RFC 3464 section 2.3.3; `relayed` and `expanded` are rare but valid. */
export type BounceAction = 'failed' | 'delayed' | 'delivered' | 'relayed' | 'expanded';

export interface BounceRecipient {
  /** The Final-Recipient address, lower-cased, without its `rfc822;` type. */
  address: string;
  action: BounceAction;
  /** `5.1.1`, `4.4.1`…; null when the report gave none (plain-text bounces often do not). */
  status: string | null;
  /** A 5.x.x status, or a failure without a status: retrying will not help. 4.x.x is transient. */
  permanent: boolean;
  /** Diagnostic-Code without its `smtp;` type, as the remote server phrased it; null when absent. */
  diagnostic: string | null;
}

export interface Bounce {
  /** `rfc3464`: a multipart/report DSN; `plain-text`: a non-standard bounce read best-effort. */
  format: 'rfc3464' | 'plain-text';
  recipients: BounceRecipient[];
  /** Message-ID of the returned message, with its angle brackets (`<check.42@host>`); null when not quoted. */
  originalMessageId: string | null;
  /** The returned message's `X-Cadre-Check` header, exactly as sent; null when not quoted. */
  checkToken: string | null;
}

interface Part {
  headers: Map<string, string>;
  body: string;
}

/** An enhanced status code (RFC 3463), not a piece of an IP address. */
const STATUS = /(?<![\d.])([245])\.\d{1,3}\.\d{1,3}(?![\d.])/;
const DELIVERY_STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const ORIGINAL_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);
/** Subjects of common non-standard bounces (Postfix, Exim, qmail, Sendmail, Exchange, Gmail). */
const BOUNCE_SUBJECT =
  /undeliver(ed|able)|returned mail|returned to sender|delivery (status notification|failure|has failed|failed)|mail delivery (failed|failure|subsystem)|failure notice|could not be delivered|delayed mail/i;
const MAILER_DAEMON = /\b(mailer-daemon|postmaster)@/i;

/**
 * Reads a delivery status notification. A raw message (string or Buffer) is read exactly, its MIME
 * parts walked here; a ParsedMail from mailparser has already folded the report into its text and
 * attachments, so it is read from those, best-effort. Returns null for anything that is not a bounce.
 */
export function parseBounce(message: ParsedMail | string | Buffer): Bounce | null {
  if (typeof message === 'string' || Buffer.isBuffer(message)) return fromRaw(typeof message === 'string' ? message : message.toString('utf8'));
  return fromParsed(message);
}

function fromRaw(raw: string): Bounce | null {
  const root = parsePart(raw);
  const type = contentType(root);
  if (type.value === 'multipart/report' && (type.params.get('report-type') ?? '').toLowerCase() === 'delivery-status') {
    const parts = flatten(root);
    const status = parts.find((p) => DELIVERY_STATUS_TYPES.has(contentType(p).value));
    if (status) {
      const original = parts.find((p) => ORIGINAL_TYPES.has(contentType(p).value));
      const quoted = original ? parsePart(decodeBody(original)).headers : new Map<string, string>();
      return {
        format: 'rfc3464',
        recipients: recipientsFromStatus(decodeBody(status)),
        originalMessageId: quoted.get('message-id')?.trim() || null,
        checkToken: quoted.get('x-cadre-check')?.trim() || null,
      };
    }
  }
  const subject = root.headers.get('subject') ?? '';
  const from = root.headers.get('from') ?? '';
  if (!BOUNCE_SUBJECT.test(subject) && !MAILER_DAEMON.test(from)) return null;
  const text = flatten(root)
    .filter((p) => contentType(p).value.startsWith('text/') || ORIGINAL_TYPES.has(contentType(p).value) || p === root)
    .map(decodeBody)
    .join('\n');
  return fromPlainText(subject, text, root.headers.get('x-failed-recipients') ?? null);
}

function fromParsed(parsed: ParsedMail): Bounce | null {
  // mailparser gives Content-Type as { value, params }.
  const type = parsed.headers.get('content-type') as StructuredHeader | undefined;
  const isReport = type?.value === 'multipart/report' && (type.params['report-type'] ?? '').toLowerCase() === 'delivery-status';
  // mailparser puts message/delivery-status into the text unless told to keep it as an attachment.
  const reports = parsed.attachments.filter((a) => DELIVERY_STATUS_TYPES.has(a.contentType)).map((a) => a.content.toString('utf8'));
  const statusText = reports.length > 0 ? reports.join('\n\n') : (parsed.text ?? '');
  const original = parsed.attachments.find((a) => ORIGINAL_TYPES.has(a.contentType));
  const quotedText = original ? original.content.toString('utf8') : (parsed.text ?? '');
  const recipients = isReport ? recipientsFromStatus(statusText) : [];
  if (isReport && recipients.length > 0) {
    const quoted = original ? parsePart(quotedText).headers : headersQuotedIn(quotedText);
    return {
      format: 'rfc3464',
      recipients,
      originalMessageId: quoted.get('message-id')?.trim() || null,
      checkToken: quoted.get('x-cadre-check')?.trim() || null,
    };
  }
  const subject = parsed.subject ?? '';
  const from = parsed.from?.text ?? '';
  if (!BOUNCE_SUBJECT.test(subject) && !MAILER_DAEMON.test(from)) return null;
  const failed = parsed.headers.get('x-failed-recipients');
  return fromPlainText(subject, [parsed.text ?? '', original ? quotedText : ''].join('\n'), typeof failed === 'string' ? failed : null);
}

/** The per-recipient groups of a message/delivery-status body (RFC 3464 section 2.1). */
function recipientsFromStatus(body: string): BounceRecipient[] {
  const recipients: BounceRecipient[] = [];
  for (const group of body.replace(/\r\n/g, '\n').split(/\n[ \t]*\n/)) {
    const fields = parseHeaderBlock(group);
    const final = fields.get('final-recipient') ?? fields.get('original-recipient');
    const action = (fields.get('action') ?? '').trim().toLowerCase().split(/\s/)[0] ?? '';
    if (!final || !isAction(action)) continue;
    const status = STATUS.exec(fields.get('status') ?? '')?.[0] ?? null;
    recipients.push({
      address: withoutType(final).replace(/^<|>$/g, '').toLowerCase(),
      action,
      status,
      permanent: status ? status.startsWith('5') : action === 'failed',
      diagnostic: fields.has('diagnostic-code') ? withoutType(fields.get('diagnostic-code')!) : null,
    });
  }
  return recipients;
}

/**
 * Best-effort reading of a bounce written for people: the failed addresses from `X-Failed-Recipients`
 * (Exim) or `<address>:` lines (Postfix, qmail), the first enhanced status code, and the returned
 * message's headers wherever they are quoted.
 */
function fromPlainText(subject: string, text: string, failedHeader: string | null): Bounce {
  const normalised = text.replace(/\r\n/g, '\n');
  const addresses = new Set<string>();
  for (const a of (failedHeader ?? '').split(',')) if (a.includes('@')) addresses.add(a.trim().toLowerCase());
  if (addresses.size === 0) {
    for (const m of normalised.matchAll(/^[ \t]*<([^<>\s@]+@[^<>\s@]+)>:/gm)) addresses.add(m[1]!.toLowerCase());
  }
  const status = STATUS.exec(normalised)?.[0] ?? null;
  const delayed = /delay|still being retried|will (continue|keep) trying/i.test(subject) || status?.startsWith('4') === true;
  const quoted = headersQuotedIn(normalised);
  // The remote server's words: after "said:" (Postfix) or Exim's "SMTP error …:" line, up to the next blank line.
  const said = /(?:\bsaid:|SMTP error from remote mail server[^\n]*:\n)([\s\S]*?)(?:\n[ \t]*\n|$)/i.exec(normalised)?.[1];
  const diagnostic = said?.replace(/\s+/g, ' ').trim() || null;
  return {
    format: 'plain-text',
    recipients: [...addresses].map((address) => ({
      address,
      action: delayed ? 'delayed' : 'failed',
      status,
      permanent: status ? status.startsWith('5') : !delayed,
      diagnostic,
    })),
    originalMessageId: quoted.get('message-id') ?? null,
    checkToken: quoted.get('x-cadre-check') ?? null,
  };
}

/** Message-ID and X-Cadre-Check lines quoted anywhere in a text, with or without `> ` quoting. */
function headersQuotedIn(text: string): Map<string, string> {
  const found = new Map<string, string>();
  const messageId = /^[ \t>]*Message-ID:[ \t]*(<[^<>\s]+>)/im.exec(text)?.[1];
  const token = /^[ \t>]*X-Cadre-Check:[ \t]*([A-Za-z0-9_-]+)/im.exec(text)?.[1];
  if (messageId) found.set('message-id', messageId);
  if (token) found.set('x-cadre-check', token);
  return found;
}

function isAction(value: string): value is BounceAction {
  return value === 'failed' || value === 'delayed' || value === 'delivered' || value === 'relayed' || value === 'expanded';
}

/** `rfc822; poc@example.org` → `poc@example.org`; `smtp; 550 …` → `550 …`. */
function withoutType(value: string): string {
  const semicolon = value.indexOf(';');
  return (semicolon >= 0 ? value.slice(semicolon + 1) : value).trim();
}

/** Header fields of a block, unfolded, names lower-cased; the first occurrence of a name wins. */
function parseHeaderBlock(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | null = null;
  for (const line of block.replace(/\r\n/g, '\n').split('\n')) {
    if (/^[ \t]/.test(line) && last) {
      if (fields.get(last) !== undefined) fields.set(last, `${fields.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      last = null;
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    last = fields.has(name) ? null : name;
    if (last) fields.set(name, line.slice(colon + 1).trim());
  }
  return fields;
}

function parsePart(raw: string): Part {
  const text = raw.replace(/\r\n/g, '\n');
  if (text.startsWith('\n')) return { headers: new Map(), body: text.slice(1) };
  const end = text.search(/\n[ \t]*\n/);
  const head = end < 0 ? text : text.slice(0, end);
  return { headers: parseHeaderBlock(head), body: end < 0 ? '' : text.slice(text.indexOf('\n', end + 1) + 1) };
}

function contentType(part: Part): { value: string; params: Map<string, string> } {
  const [value = '', ...rest] = (part.headers.get('content-type') ?? 'text/plain').split(';');
  const params = new Map<string, string>();
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq > 0) params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1'));
  }
  return { value: value.trim().toLowerCase(), params };
}

/** The part and every part inside it, depth first; a message/rfc822 part is a leaf (its headers are read apart). */
function flatten(part: Part): Part[] {
  const type = contentType(part);
  const boundary = type.params.get('boundary');
  if (!type.value.startsWith('multipart/') || !boundary) return [part];
  const delimiter = `--${boundary}`;
  const sections = part.body.split('\n');
  const children: string[][] = [];
  let current: string[] | null = null;
  for (const line of sections) {
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) break;
    if (trimmed === delimiter) {
      current = [];
      children.push(current);
    } else current?.push(line);
  }
  return [part, ...children.flatMap((lines) => flatten(parsePart(lines.join('\n'))))];
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '').trim().toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    // Decoded byte by byte, so an escaped multi-byte UTF-8 character comes out whole.
    const bytes: number[] = [];
    const body = part.body.replace(/=[ \t]*\n/g, '');
    for (let i = 0; i < body.length; i++) {
      const hex = body[i] === '=' ? /^[0-9A-Fa-f]{2}/.exec(body.slice(i + 1, i + 3))?.[0] : undefined;
      if (hex) {
        bytes.push(parseInt(hex, 16));
        i += 2;
      } else bytes.push(...Buffer.from(body[i]!, 'utf8'));
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return part.body;
}
