import { createHash } from 'node:crypto';
import { gcmDecrypt, gcmEncrypt, NONCE_BYTES, TAG_BYTES } from './aes-gcm.ts';

// Encryption at rest of content (message bodies, Cadre's private OpenPGP key) under the content key
// (config.contentKey: CONTENT_KEY, else derived from CADRE_SECRET). The envelope is text, so it fits
// any column, and describes itself:
//
//   c1.<key id>.<base64url nonce>.<base64url ciphertext ‖ tag>
//
// `c1` is the format version; the key id (first 8 hex digits of SHA-256 of the key) tells keys apart
// so that a future rotation can keep old keys for reading and re-encrypt at leisure, and so that a
// changed key gives a clear error rather than "altered". The version, key id and `context` (the row's
// id) are authenticated: a value copied into another row does not open.

const VERSION = 'c1';
const ENVELOPE = /^c1\.([0-9a-f]{8})\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/;

export type ContentErrorReason = 'malformed' | 'unknownKey' | 'altered';

export class ContentError extends Error {
  override name = 'ContentError';
  constructor(
    readonly reason: ContentErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** First 8 hex digits of SHA-256 of the key: names the key without revealing it. */
export function contentKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** The key id an envelope names, or null when the text is not an envelope. */
export function envelopeKeyId(sealed: string): string | null {
  return ENVELOPE.exec(sealed)?.[1] ?? null;
}

const aad = (keyId: string, context: string): Buffer => Buffer.from(`${VERSION}.${keyId}.${context}`, 'utf8');

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new Error('the content key must be 32 bytes');
}

export function encryptContent(key: Buffer, plaintext: string, context: string): string {
  checkKey(key);
  const keyId = contentKeyId(key);
  const { nonce, body } = gcmEncrypt(key, Buffer.from(plaintext, 'utf8'), aad(keyId, context));
  return `${VERSION}.${keyId}.${nonce.toString('base64url')}.${body.toString('base64url')}`;
}

/**
 * The plaintext. `key` may be a list (the current key and older ones during a rotation): the one whose
 * id the envelope names is used. Throws a ContentError, never quoting the value: `unknownKey` when no
 * key given has that id (CONTENT_KEY or CADRE_SECRET changed), `altered` when the bytes or the context
 * do not match, `malformed` when the text is not an envelope.
 */
export function decryptContent(key: Buffer | readonly Buffer[], sealed: string, context: string): string {
  const match = ENVELOPE.exec(sealed);
  if (!match) throw new ContentError('malformed', 'not an encrypted content envelope (c1.…)');
  const keyId = match[1]!;
  const nonceText = match[2]!;
  const bodyText = match[3]!;
  const keys = Buffer.isBuffer(key) ? [key] : key;
  keys.forEach(checkKey);
  const chosen = keys.find((k) => contentKeyId(k) === keyId);
  if (!chosen) {
    throw new ContentError(
      'unknownKey',
      `content was encrypted under content key ${keyId}, but the configured key is ${keys.map(contentKeyId).join(', ')} (CONTENT_KEY or CADRE_SECRET changed?)`,
    );
  }
  const nonce = Buffer.from(nonceText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) throw new ContentError('malformed', 'not an encrypted content envelope (bad lengths)');
  const opened = gcmDecrypt(chosen, { nonce, body }, aad(keyId, context));
  if (opened === null) throw new ContentError('altered', `content under key ${keyId} does not open for this context (altered, or stored for another row)`);
  return opened.toString('utf8');
}
