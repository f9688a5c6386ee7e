import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../auth/crypto.ts';
import { decryptContent, encryptContent } from '../../crypto/content.ts';
import type { Database, MessageAttachmentTable } from '../../db/schema.ts';
import type { FieldProblem } from '../../errors.ts';
import type { Cadre } from '../../web/types.ts';

// Files attached to a message: what an incident report carries (logs, indicator lists, a report,
// a screenshot, a packet capture). The type is decided by the content, not by the name alone: a
// file must be what its extension says (a PDF starts %PDF-, a text is UTF-8 without NUL bytes…);
// anything else (programs, archives, office documents that carry macros) is refused. Bytes are
// encrypted at rest and only ever sent back as a download to those who may read the thread.

export const ATTACHMENT_LIMITS = { files: 5, fileBytes: 5 * 1024 * 1024, totalBytes: 10 * 1024 * 1024 } as const;

type Sniff = (bytes: Buffer) => boolean;

const utf8Text: Sniff = (b) => !b.includes(0) && isUtf8(b);
const startsWith = (...magic: number[][]): Sniff => (b) => magic.some((m) => m.every((x, i) => b[i] === x));

/** Extension → media type and the test its bytes must pass. */
const TYPES: Record<string, { mediaType: string; sniff: Sniff }> = {
  txt: { mediaType: 'text/plain', sniff: utf8Text },
  log: { mediaType: 'text/plain', sniff: utf8Text },
  csv: { mediaType: 'text/csv', sniff: utf8Text },
  json: { mediaType: 'application/json', sniff: (b) => utf8Text(b) && parsesAsJson(b) },
  xml: { mediaType: 'application/xml', sniff: (b) => utf8Text(b) && /^\uFEFF?\s*</u.test(b.toString('utf8', 0, 64)) },
  pdf: { mediaType: 'application/pdf', sniff: startsWith([0x25, 0x50, 0x44, 0x46, 0x2d]) },
  png: { mediaType: 'image/png', sniff: startsWith([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  jpg: { mediaType: 'image/jpeg', sniff: startsWith([0xff, 0xd8, 0xff]) },
  jpeg: { mediaType: 'image/jpeg', sniff: startsWith([0xff, 0xd8, 0xff]) },
  pcap: { mediaType: 'application/vnd.tcpdump.pcap', sniff: startsWith([0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0xc3, 0xd4], [0x4d, 0x3c, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d]) },
  pcapng: { mediaType: 'application/vnd.tcpdump.pcap', sniff: startsWith([0x0a, 0x0d, 0x0d, 0x0a]) },
};
/** The extensions accepted, for the form's hint and the error message. */
export const ACCEPTED_EXTENSIONS = Object.keys(TYPES);

function isUtf8(b: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b);
    return true;
  } catch {
    return false;
  }
}

function parsesAsJson(b: Buffer): boolean {
  try {
    JSON.parse(b.toString('utf8').replace(/^\uFEFF/, ''));
    return true;
  } catch {
    return false;
  }
}

export interface IncomingAttachment {
  name: string;
  bytes: Buffer;
}

export interface AcceptedAttachment {
  name: string;
  mediaType: string;
  bytes: Buffer;
}

/** A file name as shown and offered for download: its last path part, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[\u0000-\u001f\u007f"]/gu, '').trim();
  return clean.length > 200 ? clean.slice(clean.length - 200) : clean;
}

/** Every file checked at once; the problems name each refused file (field `attachments`). */
export function checkAttachments(files: readonly IncomingAttachment[]): { accepted: AcceptedAttachment[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const accepted: AcceptedAttachment[] = [];
  const problem = (messageKey: string, values: Record<string, string | number>) => problems.push({ field: 'attachments', messageKey, values });
  if (files.length > ATTACHMENT_LIMITS.files) problem('messages.attachment.tooMany', { limit: ATTACHMENT_LIMITS.files });
  let total = 0;
  for (const file of files.slice(0, ATTACHMENT_LIMITS.files)) {
    const name = cleanFileName(file.name) || 'file';
    total += file.bytes.length;
    if (file.bytes.length === 0) {
      problem('messages.attachment.empty', { name });
      continue;
    }
    if (file.bytes.length > ATTACHMENT_LIMITS.fileBytes) {
      problem('messages.attachment.tooLarge', { name, limit: ATTACHMENT_LIMITS.fileBytes / 1024 / 1024 });
      continue;
    }
    const extension = /\.([A-Za-z0-9]{1,10})$/.exec(name)?.[1]?.toLowerCase() ?? '';
    const type = TYPES[extension];
    if (!type) {
      problem('messages.attachment.type', { name, accepted: ACCEPTED_EXTENSIONS.join(', ') });
      continue;
    }
    if (!type.sniff(file.bytes)) {
      problem('messages.attachment.content', { name, extension });
      continue;
    }
    accepted.push({ name, mediaType: type.mediaType, bytes: file.bytes });
  }
  if (total > ATTACHMENT_LIMITS.totalBytes) problem('messages.attachment.totalTooLarge', { limit: ATTACHMENT_LIMITS.totalBytes / 1024 / 1024 });
  return { accepted, problems };
}

/** Stores a message's accepted files, encrypted, in the caller's transaction. */
export async function storeAttachments(trx: Transaction<Database>, cadre: Cadre, message: { id: string; thread_id: string; created_at: string }, files: readonly AcceptedAttachment[]): Promise<void> {
  for (const f of files) {
    const id = newId();
    await trx
      .insertInto('message_attachment')
      .values({
        id,
        message_id: message.id,
        thread_id: message.thread_id,
        file_name: f.name,
        media_type: f.mediaType,
        size: f.bytes.length,
        sha256: createHash('sha256').update(f.bytes).digest('hex'),
        created_at: message.created_at,
        content: encryptContent(cadre.config.contentKey, f.bytes.toString('base64'), `attachment:${id}`),
      })
      .execute();
  }
}

export type AttachmentListing = Omit<MessageAttachmentTable, 'content'>;

/** The files of a thread's messages, without their bytes. */
export function listAttachments(db: Kysely<Database>, threadId: string): Promise<AttachmentListing[]> {
  return db
    .selectFrom('message_attachment')
    .select(['id', 'message_id', 'thread_id', 'file_name', 'media_type', 'size', 'sha256', 'created_at'])
    .where('thread_id', '=', threadId)
    .orderBy('created_at')
    .orderBy('file_name')
    .execute();
}

/**
 * One file with its bytes, or undefined when it is not in this thread or `mayRead` refuses the
 * State that wrote its message; the bytes are decrypted only then. The caller has checked that the
 * reader may read the thread.
 */
export async function attachmentBytes(cadre: Cadre, threadId: string, attachmentId: string, mayRead: (authorState: string) => boolean): Promise<{ listing: AttachmentListing; bytes: Buffer } | undefined> {
  const row = await cadre.database.db
    .selectFrom('message_attachment')
    .innerJoin('message', 'message.id', 'message_attachment.message_id')
    .selectAll('message_attachment')
    .select('message.author_state')
    .where('message_attachment.id', '=', attachmentId)
    .where('message_attachment.thread_id', '=', threadId)
    .executeTakeFirst();
  if (!row || !mayRead(row.author_state)) return undefined;
  const { content, author_state: _author, ...listing } = row;
  return { listing, bytes: Buffer.from(decryptContent(cadre.config.contentKey, content, `attachment:${row.id}`), 'base64') };
}

/** How many files came with a message (the encrypted notice says so; the files stay on Cadre). */
export async function countAttachments(db: Kysely<Database>, messageId: string): Promise<number> {
  const row = await db.selectFrom('message_attachment').select((eb) => eb.fn.countAll<number>().as('n')).where('message_id', '=', messageId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266): an ASCII fallback and the exact name. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/[\\"]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
