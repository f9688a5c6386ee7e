import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import { safeEqual, sha256Hex } from '../../../auth/crypto.ts';
import { seal, unseal } from '../../../auth/seal.ts';
import type { Database } from '../../../db/schema.ts';
import { defineJob, type JobDefinition } from '../../../jobs/registry.ts';
import { cadreMailer, type Mailer } from '../../../mail/mailer.ts';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, type Language } from '../../../web/i18n.ts';
import { formatInstant } from '../../../web/format.ts';
import type { Cadre } from '../../../web/types.ts';
import { findState } from '../state.repository.ts';
import { stateName } from '../state.names.ts';
import { composeDirectoryMail, DIRECTORY_MAIL_KINDS, type DirectoryMailKind } from './directory.mail.tsx';

export const DIRECTORY_MAIL_KIND = 'mail.directory';
const SEAL_PURPOSE = 'mail.directory.verify';

// As for invitations (src/mail/invitation.job.ts): a verification link's token is sealed under a key
// derived from CADRE_SECRET, bound to the address row; the database keeps only its hash.
const Payload = Type.Object(
  {
    kind: Type.Union(DIRECTORY_MAIL_KINDS.map((k) => Type.Literal(k))),
    /** Recipient: an address row of an entry, or an account. */
    emailId: Type.Optional(Type.String({ maxLength: 36 })),
    userId: Type.Optional(Type.String({ maxLength: 36 })),
    pocId: Type.Optional(Type.String({ maxLength: 36 })),
    /** A regional organisation's upload awaiting review. */
    importId: Type.Optional(Type.String({ maxLength: 36 })),
    state: Type.Optional(Type.String({ maxLength: 3 })),
    /** The confirmed-until or key expiry the reminder is about: a later confirmation makes it moot. */
    until: Type.Optional(Type.String({ maxLength: 32 })),
    sealedToken: Type.Optional(Type.String({ maxLength: 200 })),
    language: Type.Union(LANGUAGES.map((l) => Type.Literal(l))),
  },
  { additionalProperties: false },
);
export type DirectoryMail = Static<typeof Payload>;

export function directoryMailJob(cadre: Cadre, mailer?: Mailer): JobDefinition<typeof Payload> {
  let transport = mailer;
  return defineJob({
    kind: DIRECTORY_MAIL_KIND,
    payload: Payload,
    maxAttempts: 8,
    async handler(payload, ctx) {
      const composed = await prepare(cadre, payload);
      if (!composed) return; // moot: confirmed since, withdrawn, verified, or the recipient is gone
      ctx.signal.throwIfAborted();
      transport ??= cadreMailer(cadre);
      const host = new URL(cadre.config.baseUrl).hostname;
      await transport.send({ to: composed.to, ...composed.mail, language: payload.language, messageId: `<${ctx.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '.')}@${host}>` }, ctx.signal);
    },
  });
}

async function prepare(cadre: Cadre, p: DirectoryMail) {
  const db = cadre.database.db;
  const { baseUrl } = cadre.config;
  const compose = (kind: DirectoryMailKind, link: string, values: Record<string, string> = {}) =>
    composeDirectoryMail({ kind, language: p.language, link, values, site: baseUrl });
  const found = await recipient(db, p);
  if (!found) return null;
  const to = found.address;
  const entry = p.pocId ? await db.selectFrom('poc').selectAll().where('id', '=', p.pocId).executeTakeFirst() : undefined;
  // Dates in the reader's own time zone: their setting, else the entry's, else UTC.
  const zone = found.timeZone ?? entry?.time_zone ?? 'UTC';
  const when = (iso: string) => formatInstant(iso, p.language, zone);
  switch (p.kind) {
    case 'verify': {
      const row = await db.selectFrom('poc_email').selectAll().where('id', '=', p.emailId ?? '').executeTakeFirst();
      if (!row || row.verified_at || row.retired_at || !row.token_hash || !p.sealedToken) return null;
      const token = unseal(cadre.config.secret, SEAL_PURPOSE, p.sealedToken, row.id);
      if (!safeEqual(sha256Hex(token), row.token_hash)) return null; // a newer link replaced this one
      return { to, mail: compose('verify', `${baseUrl}/directory/verify/${token}`, { until: when(row.token_expires_at ?? '') }) };
    }
    case 'changed':
    case 'removed':
      return entry ? { to, mail: compose(p.kind, `${baseUrl}/directory/entries/${entry.id}`) } : null;
    case 'due':
    case 'lapsed':
      if (!entry || entry.status !== 'active' || entry.confirmed_until !== p.until) return null;
      return { to, mail: compose(p.kind, `${baseUrl}/directory/entries/${entry.id}`, { until: when(entry.confirmed_until) }) };
    case 'pgp':
      if (!entry || entry.status !== 'active' || entry.pgp_expires_at !== p.until) return null;
      return { to, mail: compose('pgp', `${baseUrl}/directory/entries/${entry.id}/edit`, { until: when(entry.pgp_expires_at ?? '') }) };
    case 'submitted': {
      const upload = await db.selectFrom('directory_import').select(['id', 'organisation_id', 'applied_at']).where('id', '=', p.importId ?? '').executeTakeFirst();
      if (!upload || upload.applied_at) return null;
      return { to, mail: compose('submitted', `${baseUrl}/directory/imports/${upload.id}`, { organisation: upload.organisation_id }) };
    }
    case 'chase': {
      const state = p.state ? await findState(db, p.state) : undefined;
      if (!state) return null;
      const active = await db.selectFrom('poc').select('id').where('state_iso3', '=', state.iso3).where('status', '=', 'active').limit(1).executeTakeFirst();
      if (active) return null;
      return { to, mail: compose('chase', `${baseUrl}/directory/nominate`, { state: stateName(state, p.language) }) };
    }
  }
}

async function recipient(db: Kysely<Database>, p: DirectoryMail): Promise<{ address: string; timeZone: string | null } | null> {
  if (p.emailId) {
    const row = await db.selectFrom('poc_email').select('address').where('id', '=', p.emailId).executeTakeFirst();
    return row ? { address: row.address, timeZone: null } : null;
  }
  if (p.userId) {
    const user = await db.selectFrom('app_user').select(['email', 'status', 'time_zone']).where('id', '=', p.userId).executeTakeFirst();
    return user && user.status !== 'disabled' ? { address: user.email, timeZone: user.time_zone } : null;
  }
  return null;
}

/** Queues a directory e-mail in the caller's transaction; the key makes it one per event, ever. */
export async function enqueueDirectoryMail(trx: Kysely<Database>, cadre: Cadre, mail: Omit<DirectoryMail, 'language'> & { language?: Language | string | null }, key: string): Promise<boolean> {
  if (!cadre.config.smtpUrl) return false;
  const language: Language = isLanguage(mail.language) ? mail.language : DEFAULT_LANGUAGE;
  return directoryMailJob(cadre).enqueue(trx, { ...mail, language } as DirectoryMail, { idempotencyKey: `${DIRECTORY_MAIL_KIND}:${key}` });
}

/** The sealed form of a verification token, for the job payload. */
export function sealVerificationToken(cadre: Cadre, emailId: string, token: string): string {
  return seal(cadre.config.secret, SEAL_PURPOSE, token, emailId);
}
