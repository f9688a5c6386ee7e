import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

// AES-256-GCM with a fresh random 96-bit nonce per call, shared by the sealing of short secrets
// (src/auth/seal.ts) and the encryption of content at rest (content.ts). Each caller keeps its own
// envelope and key derivation; only the cipher calls live here.

export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;

export interface GcmSealed {
  nonce: Buffer;
  /** ciphertext ‖ 16-byte tag */
  body: Buffer;
}

export function gcmEncrypt(key: Buffer, plaintext: Buffer, aad: Buffer): GcmSealed {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return { nonce, body };
}

/** The plaintext, or null when the tag does not hold (altered, another key or another AAD). */
export function gcmDecrypt(key: Buffer, { nonce, body }: GcmSealed, aad: Buffer): Buffer | null {
  if (nonce.length !== NONCE_BYTES || body.length < TAG_BYTES) return null;
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAAD(aad);
  decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]);
  } catch {
    return null;
  }
}
