// The OpenPGP public key a point of contact publishes so that others can write to it encrypted.
// Only a single, valid, unexpired public key with an encryption-capable (sub)key is kept; a private key is
// refused outright and never stored.
import { readKeys, type AlgorithmInfo, type Key } from 'openpgp';
import type { PgpKeyInfo } from './types.ts';

export const PGP_ERROR_CODES = [
  'directory.pgp.notAKey', // not an armored OpenPGP public key block
  'directory.pgp.tooLarge', // the text is too long to be one public key
  'directory.pgp.privateKey', // a private (secret) key was given: refused and not kept
  'directory.pgp.multipleKeys', // more than one key in what was given
  'directory.pgp.revoked', // the key has been revoked by its owner
  'directory.pgp.expired', // the key's expiry date has passed
  'directory.pgp.invalid', // the key's self-signatures do not hold (tampered, not yet valid, or too weak)
  'directory.pgp.noEncryptionKey', // neither the key nor a subkey can be used to encrypt
] as const;
export type PgpErrorCode = (typeof PGP_ERROR_CODES)[number];

export type PgpKeyResult = { ok: true; key: PgpKeyInfo } | { ok: false; code: PgpErrorCode };

const MAX_ARMORED_LENGTH = 100_000;
const BLOCK = /-----BEGIN PGP PUBLIC KEY BLOCK-----[\s\S]*?-----END PGP PUBLIC KEY BLOCK-----/g;

const refuse = (code: PgpErrorCode): PgpKeyResult => ({ ok: false, code });

/** Reads one armored public key; the checks are made at `now` (the key's expiry, revocation, subkeys). */
export async function parsePublicKey(armored: string, now: Date = new Date()): Promise<PgpKeyResult> {
  const text = armored.replace(/\r\n?/g, '\n');
  if (text.length > MAX_ARMORED_LENGTH) return refuse('directory.pgp.tooLarge');
  // Looked for in the raw text too: a private block pasted after the public one would otherwise ride along.
  if (/-----BEGIN PGP PRIVATE KEY BLOCK-----/.test(text)) return refuse('directory.pgp.privateKey');
  const blocks = text.match(BLOCK) ?? [];
  if (blocks.length === 0) return refuse('directory.pgp.notAKey');
  if (blocks.length > 1) return refuse('directory.pgp.multipleKeys');
  const block = blocks[0]!;

  let keys: Key[];
  try {
    keys = await readKeys({ armoredKeys: block });
  } catch {
    return refuse('directory.pgp.notAKey');
  }
  if (keys.length !== 1) return refuse(keys.length ? 'directory.pgp.multipleKeys' : 'directory.pgp.notAKey');
  const key = keys[0]!;
  if (key.isPrivate()) return refuse('directory.pgp.privateKey');

  if (await key.isRevoked(undefined, undefined, now)) return refuse('directory.pgp.revoked');
  const expiry = await key.getExpirationTime();
  if (expiry === null) return refuse('directory.pgp.invalid');
  if (expiry instanceof Date && expiry.getTime() <= now.getTime()) return refuse('directory.pgp.expired');
  try {
    await key.verifyPrimaryKey(now);
  } catch {
    return refuse('directory.pgp.invalid');
  }
  try {
    await key.getEncryptionKey(undefined, now);
  } catch {
    return refuse('directory.pgp.noEncryptionKey');
  }

  return {
    ok: true,
    key: {
      armored: `${block}\n`,
      fingerprint: key.getFingerprint().toUpperCase(),
      expiresAt: expiry instanceof Date ? expiry.toISOString() : null,
      createdAt: key.getCreationTime().toISOString(),
      userIds: key.getUserIDs(),
      algorithm: algorithmName(key.getAlgorithmInfo()),
    },
  };
}

/** 'rsa4096', 'ed25519', 'nistp256'… */
function algorithmName({ algorithm, bits, curve }: AlgorithmInfo): string {
  if (algorithm.startsWith('rsa') || algorithm === 'dsa') return `${algorithm.startsWith('rsa') ? 'rsa' : 'dsa'}${bits ?? ''}`;
  if (curve) return curve.replace(/Legacy$/, '').toLowerCase();
  return algorithm.toLowerCase();
}

/** True if the key expires within `days` of `now`, or already has; never for a key without expiry. */
export function expiresWithin(info: Pick<PgpKeyInfo, 'expiresAt'>, days: number, now: Date = new Date()): boolean {
  if (info.expiresAt === null) return false;
  return Date.parse(info.expiresAt) - now.getTime() <= days * 86_400_000;
}
