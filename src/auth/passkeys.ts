import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { Kysely, Transaction } from 'kysely';
import type { Config } from '../config.ts';
import type { Database, PasskeyTable, WebauthnChallengeTable } from '../db/schema.ts';
import { nowIso, safeEqual, sha256Hex } from './crypto.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A challenge answers within five minutes or not at all; the browser's own timeout matches. */
export const CHALLENGE_SECONDS = 300;
/** The `passkey.id` column holds the base64url credential id: 512 characters, 384 bytes. */
const MAX_CREDENTIAL_ID_CHARS = 512;
/** `passkey.counter` is a signed 32-bit integer on PostgreSQL; authenticators count in unsigned 32 bits. */
const MAX_STORED_COUNTER = 2 ** 31 - 1;

export interface RelyingParty {
  /** The WebAuthn RP ID: the host name of BASE_URL. */
  id: string;
  /** The only origin accepted in clientDataJSON. */
  origin: string;
  name: string;
}

/** Passkeys are bound to the public address: a passkey made on one BASE_URL host works only there. */
export function relyingParty(config: Pick<Config, 'baseUrl'>): RelyingParty {
  const url = new URL(config.baseUrl);
  return { id: url.hostname, origin: url.origin, name: 'Cadre' };
}

export type ChallengePurpose = WebauthnChallengeTable['purpose'];

export type Refusal = { ok: false; reason: string; error?: string };

// ---- challenges: rows, so that any server process can finish a ceremony another one began ----

async function storeChallenge(db: Q, challenge: string, purpose: ChallengePurpose, userId: string | null): Promise<void> {
  await db.deleteFrom('webauthn_challenge').where('expires_at', '<', nowIso()).execute();
  await db
    .insertInto('webauthn_challenge')
    .values({ id: sha256Hex(challenge), challenge, user_id: userId, purpose, expires_at: nowIso(CHALLENGE_SECONDS) })
    .execute();
}

/** The challenge the browser says it answered, read from the response's clientDataJSON. */
function answeredChallenge(clientDataJSON: unknown): string | null {
  if (typeof clientDataJSON !== 'string' || clientDataJSON.length > 4096) return null;
  try {
    const parsed = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8')) as { challenge?: unknown };
    return typeof parsed.challenge === 'string' && parsed.challenge.length > 0 && parsed.challenge.length <= 256 ? parsed.challenge : null;
  } catch {
    return null;
  }
}

export type TakenChallenge = { status: 'valid'; challenge: string; userId: string | null } | { status: 'unknown' | 'expired' };

/**
 * Single use: the row is deleted as it is read, so a replayed response finds nothing, even when
 * two copies arrive at two server processes at once (only one DELETE returns the row).
 */
export async function takeChallenge(db: Q, clientDataJSON: unknown, purpose: ChallengePurpose): Promise<TakenChallenge> {
  const challenge = answeredChallenge(clientDataJSON);
  if (!challenge) return { status: 'unknown' };
  const row = await db
    .deleteFrom('webauthn_challenge')
    .where('id', '=', sha256Hex(challenge))
    .where('purpose', '=', purpose)
    .returningAll()
    .executeTakeFirst();
  if (!row || !safeEqual(row.challenge, challenge)) return { status: 'unknown' };
  if (Date.parse(row.expires_at) <= Date.now()) return { status: 'expired' };
  return { status: 'valid', challenge: row.challenge, userId: row.user_id };
}

// ---- stored credentials ----

export function findPasskey(db: Q, credentialId: string): Promise<PasskeyTable | undefined> {
  return db.selectFrom('passkey').selectAll().where('id', '=', credentialId).executeTakeFirst();
}

export function listPasskeys(db: Q, userId: string): Promise<PasskeyTable[]> {
  return db.selectFrom('passkey').selectAll().where('user_id', '=', userId).orderBy('created_at').execute();
}

export async function insertPasskey(db: Q, row: PasskeyTable): Promise<void> {
  await db.insertInto('passkey').values(row).execute();
}

export async function deletePasskeyRow(db: Q, credentialId: string): Promise<boolean> {
  const r = await db.deleteFrom('passkey').where('id', '=', credentialId).executeTakeFirst();
  return Number(r.numDeletedRows) === 1;
}

/** After a good assertion: the authenticator's new signature counter, and when it was used. */
export async function recordPasskeyUse(db: Q, credentialId: string, counter: number): Promise<void> {
  await db
    .updateTable('passkey')
    .set({ counter: Math.min(counter, MAX_STORED_COUNTER), last_used_at: nowIso() })
    .where('id', '=', credentialId)
    .execute();
}

function transportsOf(row: PasskeyTable): AuthenticatorTransportFuture[] {
  try {
    const parsed: unknown = JSON.parse(row.transports);
    return Array.isArray(parsed) ? parsed.filter((t): t is AuthenticatorTransportFuture => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/** The user handle the authenticator keeps with a discoverable credential: the account id, as bytes. */
function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(userId);
}

// ---- registration ----

export interface RegistrationSubject {
  id: string;
  email: string;
  display_name: string;
}

/**
 * Options for navigator.credentials.create(). The passkey replaces both password and TOTP, so it
 * must be discoverable (usernameless sign-in) and verify its user (PIN or biometrics).
 */
export async function createRegistrationOptions(
  db: Q,
  rp: RelyingParty,
  user: RegistrationSubject,
  existing: PasskeyTable[],
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.display_name,
    userID: userHandleOf(user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p) })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
    timeout: CHALLENGE_SECONDS * 1000,
  });
  await storeChallenge(db, options.challenge, 'register', user.id);
  return options;
}

export interface NewCredential {
  id: string;
  /** COSE public key, base64url, as stored in `passkey.public_key`. */
  publicKey: string;
  counter: number;
  transports: AuthenticatorTransportFuture[];
  deviceType: string;
  backedUp: boolean;
}

/** Checks a registration response against the challenge issued to this same user. */
export async function checkRegistration(
  db: Q,
  rp: RelyingParty,
  userId: string,
  response: RegistrationResponseJSON,
): Promise<{ ok: true; credential: NewCredential } | Refusal> {
  const taken = await takeChallenge(db, response.response?.clientDataJSON, 'register');
  if (taken.status !== 'valid') return { ok: false, reason: `${taken.status}-challenge` };
  if (taken.userId !== userId) return { ok: false, reason: 'challenge-of-another-user' };
  try {
    const verified = await verifyRegistrationResponse({
      response,
      expectedChallenge: taken.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
    if (!verified.verified) return { ok: false, reason: 'not-verified' };
    const { credential, credentialDeviceType, credentialBackedUp } = verified.registrationInfo;
    if (credential.id.length > MAX_CREDENTIAL_ID_CHARS) return { ok: false, reason: 'credential-id-too-long' };
    return {
      ok: true,
      credential: {
        id: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? [],
        deviceType: credentialDeviceType,
        backedUp: credentialBackedUp,
      },
    };
  } catch (e) {
    return { ok: false, reason: 'invalid-response', error: errorText(e) };
  }
}

export function passkeyRow(userId: string, name: string, credential: NewCredential): PasskeyTable {
  return {
    id: credential.id,
    user_id: userId,
    public_key: credential.publicKey,
    counter: Math.min(credential.counter, MAX_STORED_COUNTER),
    transports: JSON.stringify(credential.transports),
    name,
    created_at: nowIso(),
    last_used_at: null,
  };
}

// ---- authentication ----

/** Options for navigator.credentials.get(): no allowCredentials, the authenticator offers its passkeys. */
export async function createAuthenticationOptions(db: Q, rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const options = await generateAuthenticationOptions({ rpID: rp.id, userVerification: 'required', timeout: CHALLENGE_SECONDS * 1000 });
  await storeChallenge(db, options.challenge, 'authenticate', null);
  return options;
}

/** Verifies an assertion made with a stored passkey, over a challenge already taken. Changes nothing. */
export async function checkAssertion(
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
  passkey: PasskeyTable,
  challenge: string,
): Promise<{ ok: true; newCounter: number } | Refusal> {
  const handle = response.response?.userHandle;
  if (handle && !safeEqual(handle, Buffer.from(userHandleOf(passkey.user_id)).toString('base64url'))) {
    return { ok: false, reason: 'user-handle-mismatch' };
  }
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: { id: passkey.id, publicKey: new Uint8Array(Buffer.from(passkey.public_key, 'base64url')), counter: passkey.counter, transports: transportsOf(passkey) },
      requireUserVerification: true,
    });
    if (!verified.verified) return { ok: false, reason: 'bad-signature' };
    return { ok: true, newCounter: verified.authenticationInfo.newCounter };
  } catch (e) {
    return { ok: false, reason: 'invalid-response', error: errorText(e) };
  }
}

function errorText(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 200);
}
