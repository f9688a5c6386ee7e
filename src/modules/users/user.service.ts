import type { Transaction } from 'kysely';
import { appendAuditEvent, type AuditActor } from '../../audit/audit.repository.ts';
import { authorize } from '../../auth/policy.ts';
import { roleHasOrganisation, roleHasState, type Principal } from '../../auth/principal.ts';
import { newId, nowIso, randomToken, sha256Hex } from '../../auth/crypto.ts';

import { ROLES, type Database, type Role, type UserTable } from '../../db/schema.ts';
import { CadreError } from '../../errors.ts';
import { enqueueInvitationMail, invitationMailDelivery, type InvitationMailDelivery } from '../../mail/invitation.job.ts';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../../web/i18n.ts';
import type { Cadre } from '../../web/types.ts';
import { userPolicy } from './user.policy.ts';
import * as repo from './user.repository.ts';

/** The operator at the command line acts outside the policy layer, as the installation's owner. */
export const OPERATOR = 'operator' as const;
type Actor = Principal | typeof OPERATOR;

function auditActor(actor: Actor): AuditActor {
  return actor === OPERATOR ? { id: null, label: 'operator (cli)' } : { id: actor.userId, label: actor.email };
}

export interface InviteInput {
  email: string;
  displayName?: string | undefined;
  role: string;
  state?: string | null | undefined;
  /** The regional organisation of a `regional-org` client (e.g. 'OSCE'). */
  organisation?: string | null | undefined;
  /** The new account's time zone (a nominated POC's, from the entry); else it reads UTC until set. */
  timeZone?: string | null | undefined;
}

export interface IssueOptions {
  ip?: string | null | undefined;
  /** The language of the inviter's request: the e-mail's, unless the account has a language of its own. */
  language?: Language | undefined;
  /**
   * 'auto' (the default): e-mailed when SMTP_URL is set, else handed back. 'link': handed back
   * even with SMTP (the operator's `cadre user add --print-link`, tests).
   */
  delivery?: 'auto' | 'link' | undefined;
}

interface Issued {
  user: UserTable;
  expiresAt: string;
}

/** A link for the caller to deliver; only its hash is stored. */
export type LinkInvitation = Issued & { mailed: false; link: string };
/** The link went to a `mail.invitation` job, sealed, in the same transaction; the caller never sees it. */
export type MailedInvitation = Issued & { mailed: true };
export type Invitation = LinkInvitation | MailedInvitation;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Creates an invited account and its single-use, expiring enrolment link, with its audit event, and
 * with SMTP the job that e-mails the link, all in one transaction.
 */
export function inviteUser(cadre: Cadre, actor: Actor, input: InviteInput, options: IssueOptions & { delivery: 'link' }): Promise<LinkInvitation>;
export function inviteUser(cadre: Cadre, actor: Actor, input: InviteInput, options?: IssueOptions): Promise<Invitation>;
export async function inviteUser(cadre: Cadre, actor: Actor, input: InviteInput, options: IssueOptions = {}): Promise<Invitation> {
  return cadre.database.db.transaction().execute((trx) => inviteUserIn(trx, cadre, actor, input, options));
}

/** The same, inside the caller's transaction (a nomination invites its point of contact). */
export async function inviteUserIn(trx: Transaction<Database>, cadre: Cadre, actor: Actor, input: InviteInput, options: IssueOptions = {}): Promise<Invitation> {
  const email = input.email.trim().toLowerCase();
  if (!EMAIL.test(email) || email.length > 320) throw new CadreError(400, 'validation.email', {}, 'email');
  if (!(ROLES as readonly string[]).includes(input.role)) throw new CadreError(400, 'validation.choice', {}, 'role');
  const role = input.role as Role;
  const state = input.state ? input.state.trim().toUpperCase() : null;
  if (roleHasState(role) && !state) throw new CadreError(400, 'users.stateRequired', {}, 'state');
  if (!roleHasState(role) && state) throw new CadreError(400, 'users.stateNotAllowed', {}, 'state');
  const organisation = input.organisation ? input.organisation.trim().toUpperCase() : null;
  if (roleHasOrganisation(role) && !organisation) throw new CadreError(400, 'users.organisationRequired', {}, 'organisation');
  if (!roleHasOrganisation(role) && organisation) throw new CadreError(400, 'users.organisationNotAllowed', {}, 'organisation');
  if (actor !== OPERATOR) authorize('user', userPolicy, actor, 'invite', { role, state_iso3: state });

  if (state && !(await trx.selectFrom('state').select('iso3').where('iso3', '=', state).executeTakeFirst())) {
    throw new CadreError(400, 'users.unknownState', { state }, 'state');
  }
  if (organisation && !(await trx.selectFrom('regional_organisation').select('id').where('id', '=', organisation).executeTakeFirst())) {
    throw new CadreError(400, 'users.unknownOrganisation', { organisation }, 'organisation');
  }
  if (await repo.findUserByEmail(trx, email)) throw new CadreError(409, 'users.emailTaken', { email }, 'email');
  const now = nowIso();
  const user: UserTable = {
    id: newId(),
    email,
    display_name: input.displayName?.trim() || email.split('@')[0]!,
    role,
    state_iso3: state,
    status: 'invited',
    password_hash: null,
    totp_secret: null,
    totp_enabled: 0,
    totp_last_step: 0,
    locale: null,
    time_zone: input.timeZone ?? null,
    organisation_id: organisation,
    created_at: now,
    updated_at: now,
  };
  await repo.insertUser(trx, user);
  const issued = await issueInvitation(trx, cadre, user, 'enrol', actor, options);
  await appendAuditEvent(trx, cadre.database.engine, {
    actor: auditActor(actor),
    action: 'user.invited',
    targetType: 'user',
    targetId: user.id,
    state,
    ip: options.ip ?? null,
    details: { role, email, ...(organisation ? { organisation } : {}), delivery: issued.mailed ? 'mail' : 'link' },
  });
  return issued;
}

/** A new single-use link (earlier open ones stop working), e-mailed or handed back as `options` and SMTP_URL say. */
async function issueInvitation(
  trx: Transaction<Database>,
  cadre: Cadre,
  user: UserTable,
  purpose: 'enrol' | 'reset',
  actor: Actor,
  options: IssueOptions,
): Promise<Invitation> {
  const token = randomToken();
  const now = nowIso();
  const expiresAt = nowIso(cadre.config.invitationHours * 3600);
  const invitationId = newId();
  await repo.expireOpenInvitations(trx, user.id, now);
  await repo.insertInvitation(trx, {
    id: invitationId,
    user_id: user.id,
    token_hash: sha256Hex(token),
    purpose,
    created_by: actor === OPERATOR ? null : actor.userId,
    created_at: now,
    expires_at: expiresAt,
    used_at: null,
  });
  if (options.delivery !== 'link' && cadre.config.smtpUrl) {
    const language = isLanguage(user.locale) ? user.locale : (options.language ?? DEFAULT_LANGUAGE);
    await enqueueInvitationMail(trx, cadre, { userId: user.id, invitationId, purpose, language, token });
    return { user, expiresAt, mailed: true };
  }
  return { user, expiresAt, mailed: false, link: `${cadre.config.baseUrl}/enrol/${token}` };
}

/**
 * Resets an account's credentials: password, TOTP and recovery codes cleared, every session
 * ended, and a new single-use link issued for the user to enrol again.
 */
export function resetUser(cadre: Cadre, actor: Actor, userId: string, options: IssueOptions & { delivery: 'link' }): Promise<LinkInvitation>;
export function resetUser(cadre: Cadre, actor: Actor, userId: string, options?: IssueOptions): Promise<Invitation>;
export async function resetUser(cadre: Cadre, actor: Actor, userId: string, options: IssueOptions = {}): Promise<Invitation> {
  const { database } = cadre;
  return database.db.transaction().execute(async (trx) => {
    const user = await repo.findUserById(trx, userId);
    if (!user) throw new CadreError(404, 'users.notFound');
    if (actor !== OPERATOR) authorize('user', userPolicy, actor, 'reset', user);
    await repo.updateUser(trx, user.id, { password_hash: null, totp_secret: null, totp_enabled: 0, status: 'invited', updated_at: nowIso() });
    await repo.replaceRecoveryCodes(trx, user.id, []);
    await trx.deleteFrom('passkey').where('user_id', '=', user.id).execute();
    await trx.deleteFrom('session').where('user_id', '=', user.id).execute();
    const issued = await issueInvitation(trx, cadre, user, 'reset', actor, options);
    await appendAuditEvent(trx, database.engine, {
      actor: auditActor(actor),
      action: 'user.reset',
      targetType: 'user',
      targetId: user.id,
      state: user.state_iso3,
      ip: options.ip ?? null,
      details: { delivery: issued.mailed ? 'mail' : 'link' },
    });
    return issued;
  });
}

/** Disables or re-enables an account; disabling ends its sessions at once. */
export async function setUserEnabled(cadre: Cadre, actor: Principal, userId: string, enabled: boolean, ip: string | null = null): Promise<UserTable> {
  const { database } = cadre;
  return database.db.transaction().execute(async (trx) => {
    const user = await repo.findUserById(trx, userId);
    if (!user) throw new CadreError(404, 'users.notFound');
    authorize('user', userPolicy, actor, enabled ? 'enable' : 'disable', user);
    const status = enabled ? (user.password_hash || user.totp_enabled ? 'active' : 'invited') : 'disabled';
    await repo.updateUser(trx, user.id, { status, updated_at: nowIso() });
    if (!enabled) await trx.deleteFrom('session').where('user_id', '=', user.id).execute();
    await appendAuditEvent(trx, database.engine, {
      actor: auditActor(actor),
      action: enabled ? 'user.enabled' : 'user.disabled',
      targetType: 'user',
      targetId: user.id,
      state: user.state_iso3,
      ip,
    });
    return { ...user, status };
  });
}


export interface UserQuery {
  state?: string | undefined;
  role?: Role | undefined;
  page: number;
}

export const USERS_PAGE_SIZE = 50;

/** The accounts this principal may see: everything for the Secretariat, its own State for a State admin. */
export async function listUsersFor(cadre: Cadre, principal: Principal, query: UserQuery): Promise<UserTable[]> {
  authorize('user', userPolicy, principal, 'list');
  let state = query.state?.toUpperCase();
  if (principal.role !== 'secretariat') {
    if (state && state !== principal.state) authorize('user', userPolicy, principal, 'list', { role: 'poc', state_iso3: state });
    state = principal.state ?? '---';
  }
  return repo.listUsers(cadre.database.db, { state, role: query.role, limit: USERS_PAGE_SIZE, offset: (query.page - 1) * USERS_PAGE_SIZE });
}

export async function getUserFor(cadre: Cadre, principal: Principal, id: string): Promise<UserTable> {
  const user = await repo.findUserById(cadre.database.db, id);
  // An account the principal may not see answers like one that does not exist… after the refusal is recorded.
  if (!user) throw new CadreError(404, 'users.notFound');
  authorize('user', userPolicy, principal, 'view', user);
  return user;
}

/**
 * How the open enrolment link of an invited account is being e-mailed; undefined when it is not
 * (the link was handed to the inviter, or it is spent or expired). For a user `getUserFor` returned.
 */
export async function invitationDeliveryFor(cadre: Cadre, user: UserTable): Promise<InvitationMailDelivery | undefined> {
  if (user.status !== 'invited') return undefined;
  const invitation = await repo.findLatestInvitation(cadre.database.db, user.id);
  if (!invitation || invitation.used_at || Date.parse(invitation.expires_at) <= Date.now()) return undefined;
  return invitationMailDelivery(cadre.database.db, invitation.id);
}
