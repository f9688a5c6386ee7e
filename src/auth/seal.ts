import { hkdfSync } from 'node:crypto';
import { gcmDecrypt, gcmEncrypt, NONCE_BYTES, TAG_BYTES } from '../crypto/aes-gcm.ts';

// Authenticated encryption of short secrets that must wait in the database (a token inside a job
// payload): AES-256-GCM under a key derived with HKDF-SHA256 from the installation secret, one key
// per `purpose`, so a sealed value is useless to anyone who can read the database but not the secret
// (a backup file, a read-only leak), and a value sealed for one purpose cannot be opened for another.
// `context` is authenticated, not encrypted: it binds the value to the row it belongs to, so a
// sealed value copied into another job does not open.

const VERSION = 'v1';

function keyFor(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `cadre/seal/${VERSION}/${purpose}`, 32));
}

/** `v1.<base64url(iv ‖ ciphertext ‖ tag)>` */
export function seal(secret: Buffer, purpose: string, plaintext: string, context: string): string {
  const { nonce, body } = gcmEncrypt(keyFor(secret, purpose), Buffer.from(plaintext, 'utf8'), Buffer.from(context, 'utf8'));
  return `${VERSION}.${Buffer.concat([nonce, body]).toString('base64url')}`;
}

/**
 * The plaintext, or an error when the value was altered, sealed for another purpose or context, or
 * sealed under another secret (CADRE_SECRET changed since). The error never quotes the value.
 */
export function unseal(secret: Buffer, purpose: string, sealed: string, context: string): string {
  const [version, encoded, ...rest] = sealed.split('.');
  const raw = encoded === undefined ? Buffer.alloc(0) : Buffer.from(encoded, 'base64url');
  if (version !== VERSION || rest.length > 0 || raw.length < NONCE_BYTES + TAG_BYTES) throw new SealError('not a sealed value');
  const opened = gcmDecrypt(keyFor(secret, purpose), { nonce: raw.subarray(0, NONCE_BYTES), body: raw.subarray(NONCE_BYTES) }, Buffer.from(context, 'utf8'));
  if (opened === null) throw new SealError('sealed value does not open with this secret and context (altered, or CADRE_SECRET changed)');
  return opened.toString('utf8');
}

export class SealError extends Error {
  override name = 'SealError';
}
