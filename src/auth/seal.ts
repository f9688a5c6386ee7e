import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// Authenticated encryption of short secrets that must wait in the database (a token inside a job
// payload): AES-256-GCM under a key derived with HKDF-SHA256 from the installation secret, one key
// per `purpose`, so a sealed value is useless to anyone who can read the database but not the secret
// (a backup file, a read-only leak), and a value sealed for one purpose cannot be opened for another.
// `context` is authenticated, not encrypted: it binds the value to the row it belongs to, so a
// sealed value copied into another job does not open.

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function keyFor(secret: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), `cadre/seal/${VERSION}/${purpose}`, 32));
}

/** `v1.<base64url(iv ‖ ciphertext ‖ tag)>` */
export function seal(secret: Buffer, purpose: string, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keyFor(secret, purpose), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${VERSION}.${Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')}`;
}

/**
 * The plaintext, or an error when the value was altered, sealed for another purpose or context, or
 * sealed under another secret (CADRE_SECRET changed since). The error never quotes the value.
 */
export function unseal(secret: Buffer, purpose: string, sealed: string, context: string): string {
  const [version, encoded, ...rest] = sealed.split('.');
  const raw = encoded === undefined ? Buffer.alloc(0) : Buffer.from(encoded, 'base64url');
  if (version !== VERSION || rest.length > 0 || raw.length < IV_BYTES + TAG_BYTES) throw new SealError('not a sealed value');
  const decipher = createDecipheriv('aes-256-gcm', keyFor(secret, purpose), raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]).toString('utf8');
  } catch {
    throw new SealError('sealed value does not open with this secret and context (altered, or CADRE_SECRET changed)');
  }
}

export class SealError extends Error {
  override name = 'SealError';
}
