import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { safeEqual, sha256Hex } from '../auth/crypto.ts';
import { seal, unseal } from '../auth/seal.ts';
import type { Database } from '../db/schema.ts';
import { findJobByKey } from '../jobs/job.repository.ts';
import { defineJob, type JobDefinition } from '../jobs/registry.ts';
import { findState } from '../modules/directory/state.repository.ts';
import { findInvitationById, findUserById } from '../modules/users/user.repository.ts';
import { LANGUAGES, type Language } from '../web/i18n.ts';
import type { Cadre } from '../web/types.ts';
import { composeInvitationMail, type RoleHolder } from './invitation.message.tsx';
import { cadreMailer, type Mailer } from './mailer.ts';

// Where the token waits. The link needs the token, which exists only while the invitation is being
// created; the database keeps only its SHA-256. Three ways to get it to the worker:
//  - the token in the payload: anyone who reads the job table (or a backup) could enrol. Refused.
//  - the worker mints a new token when it sends: a retry after a send whose success was not
//    recorded would mail a second, different link and kill the first; the page that shows the link
//    when mail is off needs the token at creation anyway.
//  - chosen: the payload carries the token sealed with AES-256-GCM under a key derived (HKDF) from
//    CADRE_SECRET, which never sits in the database, bound to this invitation, user and purpose
//    (authenticated data). No schema change; a database read or a backup alone opens nothing. The
//    sealed value stays in the finished job row, but the invitation it opens is by then used,
//    superseded or expired, and the handler checks that before sending. Changing CADRE_SECRET makes
//    queued invitations fail (visible on the account page); a reset issues a fresh one.

export const INVITATION_MAIL_KIND = 'mail.invitation';
const SEAL_PURPOSE = 'mail.invitation.token';

/**
 * Retries with the worker's backoff (30 s doubling): 8 attempts span about an hour, so an SMTP
 * server down for a while still gets the invitation out, and a refusal (a 550 for an unknown
 * mailbox) shows as failed on the account page within the hour.
 */
const MAX_ATTEMPTS = 8;

const InvitationMailPayload = Type.Object(
  {
    userId: Type.String({ minLength: 1, maxLength: 36 }),
    invitationId: Type.String({ minLength: 1, maxLength: 36 }),
    purpose: Type.Union([Type.Literal('enrol'), Type.Literal('reset')]),
    language: Type.Union(LANGUAGES.map((l) => Type.Literal(l))),
    /** The token, sealed: see above. Never the token itself. */
    sealedToken: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
type InvitationMailPayload = Static<typeof InvitationMailPayload>;

/** One e-mail per invitation, ever: a second enqueue, a retry or a second worker cannot send it twice. */
export function invitationMailKey(invitationId: string): string {
  return `${INVITATION_MAIL_KIND}:${invitationId}`;
}

function sealContext(p: Pick<InvitationMailPayload, 'invitationId' | 'userId' | 'purpose'>): string {
  return `${p.invitationId}/${p.userId}/${p.purpose}`;
}

/**
 * The job definition. `mailer` is for tests; the worker's definition creates its SMTP transport
 * from the configuration on first use, and a definition used only to enqueue never does.
 */
export function invitationMailJob(cadre: Cadre, mailer?: Mailer): JobDefinition<typeof InvitationMailPayload> {
  let transport = mailer;
  return defineJob({
    kind: INVITATION_MAIL_KIND,
    payload: InvitationMailPayload,
    maxAttempts: MAX_ATTEMPTS,
    async handler(payload, ctx) {
      const { database, config } = cadre;
      const db = database.db;
      const invitation = await findInvitationById(db, payload.invitationId);
      // Nothing to send once the link is spent, superseded by a newer one (which has its own job) or expired.
      if (!invitation || invitation.user_id !== payload.userId || invitation.used_at) return;
      if (Date.parse(invitation.expires_at) <= Date.now()) return;
      const invitee = await findUserById(db, invitation.user_id);
      if (!invitee || invitee.status === 'disabled') return;
      const token = unseal(config.secret, SEAL_PURPOSE, payload.sealedToken, sealContext(payload));
      if (!safeEqual(sha256Hex(token), invitation.token_hash)) throw new Error('the sealed token does not belong to this invitation');
      const inviter = invitation.created_by ? await findUserById(db, invitation.created_by) : null;
      const holder = async (u: { role: RoleHolder['role']; state_iso3: string | null }): Promise<RoleHolder> => ({
        role: u.role,
        state: u.state_iso3 ? ((await findState(db, u.state_iso3)) ?? null) : null,
      });
      const mail = composeInvitationMail({
        purpose: payload.purpose,
        language: payload.language,
        link: `${config.baseUrl}/enrol/${token}`,
        expiresAt: invitation.expires_at,
        inviter: invitation.created_by === null ? 'operator' : inviter ? await holder(inviter) : null,
        invitee: await holder(invitee),
        site: config.baseUrl,
      });
      ctx.signal.throwIfAborted();
      transport ??= cadreMailer(cadre);
      await transport.send(
        { to: invitee.email, ...mail, language: payload.language, messageId: `<invitation.${invitation.id}@${new URL(config.baseUrl).hostname}>` },
        ctx.signal,
      );
    },
  });
}

export interface InvitationMailRequest {
  userId: string;
  invitationId: string;
  purpose: 'enrol' | 'reset';
  language: Language;
  /** Sealed here; the plaintext goes no further. */
  token: string;
}

/** Queues the invitation e-mail; pass the transaction that creates the invitation. */
export async function enqueueInvitationMail(trx: Kysely<Database>, cadre: Cadre, request: InvitationMailRequest): Promise<void> {
  const { token, ...rest } = request;
  const payload: InvitationMailPayload = { ...rest, sealedToken: seal(cadre.config.secret, SEAL_PURPOSE, token, sealContext(rest)) };
  await invitationMailJob(cadre).enqueue(trx, payload, { idempotencyKey: invitationMailKey(request.invitationId) });
}

/** Where an invitation's e-mail stands, as the account page and the API tell it. */
export type InvitationMailStatus = 'queued' | 'retrying' | 'sending' | 'sent' | 'failed';

export interface InvitationMailDelivery {
  status: InvitationMailStatus;
  /** When the status last changed. */
  at: string;
}

/** Undefined when the invitation was not e-mailed (its link was shown to the inviter). */
export async function invitationMailDelivery(db: Kysely<Database>, invitationId: string): Promise<InvitationMailDelivery | undefined> {
  const job = await findJobByKey(db, invitationMailKey(invitationId));
  if (!job) return undefined;
  const status: InvitationMailStatus =
    job.status === 'done' ? 'sent' : job.status === 'failed' ? 'failed' : job.status === 'running' ? 'sending' : job.attempts > 0 ? 'retrying' : 'queued';
  return { status, at: job.finished_at ?? job.updated_at };
}
