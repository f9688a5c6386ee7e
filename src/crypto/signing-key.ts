// Cadre's own OpenPGP key: it signs every mail Cadre sends, and its public half is published so that
// points of contact can check those signatures. Made once per installation, on first use.
//
// Kept in the database (`setting` row `crypto.signingKey`) rather than in the data directory: every
// process of an installation shares one database but not always one data directory (several
// application servers on one PostgreSQL), the key travels with the backups that recipients' pinned
// fingerprints depend on, and an insert-if-absent makes the creation atomic across processes. The
// armored private key is stored encrypted under the content key (content.ts), so a copy of the
// database alone does not give the key away; it carries no passphrase of its own.
import type { Kysely } from 'kysely';
import { generateKey, readPrivateKey, type PrivateKey } from 'openpgp';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { ContentError, decryptContent, encryptContent } from './content.ts';

export const SIGNING_KEY_SETTING = 'crypto.signingKey';

export interface SigningKey {
  /** Decrypted, ready for openpgp's `signingKeys`. */
  privateKey: PrivateKey;
  publicKeyArmored: string;
  /** Upper-case hex, as gpg prints it. */
  fingerprint: string;
}

type KeyConfig = Pick<Config, 'contentKey' | 'mailFrom'>;

const cache = new WeakMap<Kysely<Database>, Promise<SigningKey>>();

/** Cadre's signing key, made on first call; cached per process and database. */
export function loadSigningKey(db: Kysely<Database>, config: KeyConfig): Promise<SigningKey> {
  let pending = cache.get(db);
  if (!pending) {
    pending = readOrCreateSigningKey(db, config);
    // A failed load (database down) is tried again next time rather than remembered.
    pending.catch(() => cache.delete(db));
    cache.set(db, pending);
  }
  return pending;
}

/** What the messages module publishes for verification. */
export async function publishedKey(db: Kysely<Database>, config: KeyConfig): Promise<{ armored: string; fingerprint: string }> {
  const { publicKeyArmored, fingerprint } = await loadSigningKey(db, config);
  return { armored: publicKeyArmored, fingerprint };
}

/**
 * Uncached: reads the stored key, or makes one and stores it if none is there yet. Two processes
 * starting together may both make a key; only the first insert lands, and both read back that one.
 */
export async function readOrCreateSigningKey(db: Kysely<Database>, config: KeyConfig): Promise<SigningKey> {
  const stored = await readStored(db);
  if (stored !== undefined) return openStored(stored, config);
  const { privateKey } = await generateKey({
    // EdDSA (legacy encoding) with a Curve25519 encryption subkey: v4 keys every GnuPG since 2.1 reads.
    type: 'ecc',
    curve: 'ed25519Legacy',
    userIDs: [{ name: 'Cadre', email: mailAddress(config.mailFrom) }],
    format: 'armored',
  });
  const value = encryptContent(config.contentKey, privateKey, SIGNING_KEY_SETTING);
  const now = new Date().toISOString();
  await db.insertInto('setting').values({ key: SIGNING_KEY_SETTING, value, updated_at: now }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const winner = await readStored(db);
  if (winner === undefined) throw new Error(`the ${SIGNING_KEY_SETTING} setting vanished right after it was written`);
  return openStored(winner, config);
}

async function readStored(db: Kysely<Database>): Promise<string | undefined> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', SIGNING_KEY_SETTING).executeTakeFirst();
  return row?.value;
}

async function openStored(value: string, config: KeyConfig): Promise<SigningKey> {
  let armored: string;
  try {
    armored = decryptContent(config.contentKey, value, SIGNING_KEY_SETTING);
  } catch (e) {
    if (!(e instanceof ContentError)) throw e;
    // Never replaced silently: recipients may have pinned the fingerprint.
    throw new Error(`Cadre's OpenPGP signing key in the database cannot be decrypted: ${e.message}. Restore the CONTENT_KEY (or CADRE_SECRET) it was made under.`);
  }
  const privateKey = await readPrivateKey({ armoredKey: armored });
  return { privateKey, publicKeyArmored: privateKey.toPublic().armor(), fingerprint: privateKey.getFingerprint().toUpperCase() };
}

/** `Cadre <no-reply@host>` or `no-reply@host` → `no-reply@host`. */
export function mailAddress(mailFrom: string): string {
  const angled = /<([^<>\s]+@[^<>\s]+)>/.exec(mailFrom);
  if (angled) return angled[1]!;
  const bare = mailFrom.trim();
  if (/^[^<>\s@]+@[^<>\s@]+$/.test(bare)) return bare;
  throw new Error(`MAIL_FROM must hold an e-mail address (got ${mailFrom})`);
}
