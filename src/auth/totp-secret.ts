import type { Kysely } from 'kysely';
import { ContentError, decryptContent, encryptContent } from '../crypto/content.ts';
import { totpStep } from './totp.ts';
import type { Database } from '../db/schema.ts';

// TOTP secrets must be known to the server (RFC 6238), so they cannot be hashed like passwords:
// they are stored encrypted under the content key (CONTENT_KEY), bound to their user, so that a
// copy of the database or of a backup cannot mint second factors. Secrets written before this
// (plain base32, which never holds a ".") are still read, and sealed at the next start.

const context = (userId: string) => `totp:${userId}`;

export function sealTotpSecret(contentKey: Buffer, userId: string, secret: string): string {
  return encryptContent(contentKey, secret, context(userId));
}

/** The base32 secret, from its stored form. */
export function openTotpSecret(contentKey: Buffer, userId: string, stored: string): string {
  return stored.startsWith('c1.') ? decryptContent(contentKey, stored, context(userId)) : stored;
}

/**
 * The time step a code belongs to, for a user's stored secret; null for a wrong code, and for a
 * secret that no longer opens (a database restored under another CONTENT_KEY): the user then signs
 * in with a recovery code and enrols an authenticator again, never with an error page.
 */
export function totpStepOf(contentKey: Buffer, userId: string, stored: string, code: string): number | null {
  try {
    return totpStep(openTotpSecret(contentKey, userId, stored), code);
  } catch (error) {
    if (error instanceof ContentError) return null;
    throw error;
  }
}

/** Seals every secret still stored in clear (older installations, the demo accounts). Returns how many. */
export async function sealClearTotpSecrets(db: Kysely<Database>, contentKey: Buffer): Promise<number> {
  const clear = await db.selectFrom('app_user').select(['id', 'totp_secret']).where('totp_secret', 'is not', null).where('totp_secret', 'not like', 'c1.%').execute();
  for (const u of clear) {
    await db.updateTable('app_user').set({ totp_secret: sealTotpSecret(contentKey, u.id, u.totp_secret!) }).where('id', '=', u.id).where('totp_secret', '=', u.totp_secret).execute();
  }
  return clear.length;
}
