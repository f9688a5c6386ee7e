import type { AuthenticationResponseJSON, PublicKeyCredentialCreationOptionsJSON, PublicKeyCredentialRequestOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { appendAuditEvent, recordAuditEvent } from '../../audit/audit.repository.ts';
import { openSignedInSession, recordFailedSignIn } from './sign-in-outcome.ts';
import {
  checkAssertion,
  checkRegistration,
  createAuthenticationOptions,
  createRegistrationOptions,
  deletePasskeyRow,
  findPasskey,
  insertPasskey,
  listPasskeys,
  passkeyRow,
  recordPasskeyUse,
  relyingParty,
  takeChallenge,
} from '../../auth/passkeys.ts';
import { authorize } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { clearSignInFailures, hitRateLimit, signInLockedFor } from '../../auth/rate-limit.ts';
import type { PasskeyTable, UserTable } from '../../db/schema.ts';
import { CadreError } from '../../errors.ts';
import type { Cadre } from '../../web/types.ts';
import * as users from '../users/user.repository.ts';
import type { Client } from './enrolment.service.ts';
import { passkeyPolicy } from './passkey.policy.ts';
import type { SignedIn } from './sign-in.service.ts';

/** Enough for every device a person uses; a bound keeps the account page and the table small. */
export const MAX_PASSKEYS = 20;
export const PASSKEY_NAME_MAX = 80;

// The same ceiling as password sign-in (sign-in.service.ts): the two methods share one budget per IP.
const IP_LIMIT = 30;
const IP_WINDOW_SECONDS = 600;
// Each options request stores a challenge row: anonymous visitors may not fill the table.
const OPTIONS_LIMIT = 60;

export type PasskeyListing = Pick<PasskeyTable, 'id' | 'name' | 'created_at' | 'last_used_at'>;

export async function listPasskeysFor(cadre: Cadre, principal: Principal): Promise<PasskeyListing[]> {
  authorize('passkey', passkeyPolicy, principal, 'list');
  const rows = await listPasskeys(cadre.database.db, principal.userId);
  return rows.map(({ id, name, created_at, last_used_at }) => ({ id, name, created_at, last_used_at }));
}

// ---- registration (signed in) ----

export async function startPasskeyRegistration(cadre: Cadre, principal: Principal): Promise<PublicKeyCredentialCreationOptionsJSON> {
  authorize('passkey', passkeyPolicy, principal, 'register');
  const db = cadre.database.db;
  const user = await users.findUserById(db, principal.userId);
  if (!user) throw new CadreError(404, 'users.notFound');
  const existing = await listPasskeys(db, user.id);
  if (existing.length >= MAX_PASSKEYS) throw new CadreError(409, 'passkey.tooMany', { max: MAX_PASSKEYS });
  return createRegistrationOptions(db, relyingParty(cadre.config), user, existing);
}

export interface PasskeyRegistration {
  name: string;
  response: RegistrationResponseJSON;
}

/** Verifies the new credential against this user's challenge, then stores it with its audit event. */
export async function finishPasskeyRegistration(cadre: Cadre, principal: Principal, input: PasskeyRegistration, ip: string): Promise<PasskeyListing> {
  authorize('passkey', passkeyPolicy, principal, 'register');
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (!name) throw new CadreError(400, 'passkey.nameRequired', {}, 'name');
  if (name.length > PASSKEY_NAME_MAX) throw new CadreError(400, 'validation.maxLength', { limit: PASSKEY_NAME_MAX }, 'name');
  const { database } = cadre;
  const verdict = await checkRegistration(database.db, relyingParty(cadre.config), principal.userId, input.response);
  if (!verdict.ok) {
    // Nothing changed, but an answer to someone else's challenge or a forged attestation should show.
    await recordAuditEvent(database, {
      actor: { id: principal.userId, label: principal.email },
      action: 'passkey.registration.refused',
      targetType: 'user',
      targetId: principal.userId,
      state: principal.state,
      ip,
      details: { reason: verdict.reason, ...(verdict.error ? { error: verdict.error } : {}) },
    });
    throw new CadreError(400, 'passkey.registrationFailed');
  }
  const row = passkeyRow(principal.userId, name, verdict.credential);
  await database.db.transaction().execute(async (trx) => {
    if (await findPasskey(trx, row.id)) throw new CadreError(409, 'passkey.alreadyRegistered');
    if ((await listPasskeys(trx, principal.userId)).length >= MAX_PASSKEYS) throw new CadreError(409, 'passkey.tooMany', { max: MAX_PASSKEYS });
    await insertPasskey(trx, row);
    await appendAuditEvent(trx, database.engine, {
      actor: { id: principal.userId, label: principal.email },
      action: 'passkey.registered',
      targetType: 'user',
      targetId: principal.userId,
      state: principal.state,
      ip,
      details: { credentialId: row.id, name, deviceType: verdict.credential.deviceType, backedUp: verdict.credential.backedUp },
    });
  });
  return { id: row.id, name: row.name, created_at: row.created_at, last_used_at: null };
}

/** Only the owner deletes a passkey; anyone else is refused (403, recorded), an unknown id is 404. */
export async function deletePasskey(cadre: Cadre, principal: Principal, credentialId: string, ip: string): Promise<void> {
  const { database } = cadre;
  await database.db.transaction().execute(async (trx) => {
    const passkey = await findPasskey(trx, credentialId);
    if (!passkey) throw new CadreError(404, 'passkey.notFound');
    authorize('passkey', passkeyPolicy, principal, 'delete', passkey);
    await deletePasskeyRow(trx, passkey.id);
    await appendAuditEvent(trx, database.engine, {
      actor: { id: principal.userId, label: principal.email },
      action: 'passkey.deleted',
      targetType: 'user',
      targetId: passkey.user_id,
      state: principal.state,
      ip,
      details: { credentialId: passkey.id, name: passkey.name },
    });
  });
}

// ---- sign-in (anonymous) ----

export async function startPasskeySignIn(cadre: Cadre, client: Client): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const db = cadre.database.db;
  const hit = await hitRateLimit(db, `passkey-options:ip:${client.ip}`, OPTIONS_LIMIT, IP_WINDOW_SECONDS);
  if (!hit.allowed) throw new CadreError(429, 'signIn.tooMany', { seconds: hit.retryAfterSeconds });
  return createAuthenticationOptions(db, relyingParty(cadre.config));
}

/**
 * Usernameless sign-in: the authenticator names its credential, the credential names the account.
 * Failures are audited and grow the same delay as wrong passwords: on the account's own key when
 * the credential is known (one lock for both methods), else on the client's address.
 */
export async function signInWithPasskey(
  cadre: Cadre,
  response: AuthenticationResponseJSON,
  client: Client,
  previousSessionId?: string,
): Promise<Omit<SignedIn, 'usedRecoveryCode'>> {
  const { database, config } = cadre;
  const db = database.db;

  const ipHit = await hitRateLimit(db, `sign-in:ip:${client.ip}`, IP_LIMIT, IP_WINDOW_SECONDS);
  if (!ipHit.allowed) throw new CadreError(429, 'signIn.tooMany', { seconds: ipHit.retryAfterSeconds });
  const addressKey = `passkey:ip:${client.ip}`;
  const addressLock = await signInLockedFor(db, addressKey);
  if (addressLock > 0) throw new CadreError(429, 'signIn.tooMany', { seconds: addressLock });

  const passkey = typeof response.id === 'string' ? await findPasskey(db, response.id) : undefined;
  const user: UserTable | undefined = passkey ? await users.findUserById(db, passkey.user_id) : undefined;
  const throttleKey = user ? `email:${user.email}` : addressKey;
  if (user) {
    const locked = await signInLockedFor(db, throttleKey);
    if (locked > 0) throw new CadreError(429, 'signIn.locked', { seconds: locked });
  }

  const fail = async (reason: string, error?: string): Promise<never> => {
    const lock = await recordFailedSignIn(cadre, {
      user,
      throttleKey,
      ip: client.ip,
      details: { method: 'passkey', reason, ...(error ? { error } : {}), ...(passkey ? {} : { credentialId: String(response.id ?? '').slice(0, 120) }) },
    });
    if (lock > 0) throw new CadreError(429, user ? 'signIn.locked' : 'signIn.tooMany', { seconds: lock });
    throw new CadreError(401, 'passkey.signInFailed');
  };

  // Taken (and so spent) before anything else is checked: a response is good for one try only.
  const taken = await takeChallenge(db, response.response?.clientDataJSON, 'authenticate');
  if (taken.status !== 'valid') return fail(`${taken.status}-challenge`);
  if (!passkey || !user) return fail('unknown-credential');
  if (user.status !== 'active') return fail(`account-${user.status}`);
  const verdict = await checkAssertion(relyingParty(config), response, passkey, taken.challenge);
  if (!verdict.ok) return fail(verdict.reason, verdict.error);

  await clearSignInFailures(db, throttleKey);
  // Rotation, as for passwords: the session presented before sign-in (if any) ends; a new id is issued.
  const session = await db.transaction().execute(async (trx) => {
    await recordPasskeyUse(trx, passkey.id, verdict.newCounter);
    return openSignedInSession(cadre, trx, { user, client, previousSessionId, details: { method: 'passkey', credentialId: passkey.id } });
  });
  return { user, session };
}
