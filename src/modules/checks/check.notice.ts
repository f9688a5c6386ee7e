import { Type, type Static } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { defineJob, type JobDefinition } from '../../jobs/registry.ts';
import { cadreMailer, type Mailer } from '../../mail/mailer.ts';
import { composeNotice } from '../../mail/notice.message.tsx';
import { findState } from '../directory/state.repository.ts';
import { stateName } from '../directory/state.names.ts';
import { DEFAULT_LANGUAGE, isLanguage, LANGUAGES, translator } from '../../web/i18n.ts';
import type { Cadre } from '../../web/types.ts';

export const CHECK_NOTICE_KIND = 'mail.check.notice';

const Payload = Type.Object(
  {
    /** undeliverable: a check could not be delivered; unanswered: the deadline passed without an answer. */
    kind: Type.Union([Type.Literal('undeliverable'), Type.Literal('unanswered')]),
    campaignId: Type.String({ maxLength: 36 }),
    state: Type.String({ maxLength: 3 }),
    userId: Type.String({ maxLength: 36 }),
    count: Type.Integer({ minimum: 1 }),
    language: Type.Union(LANGUAGES.map((l) => Type.Literal(l))),
  },
  { additionalProperties: false },
);
export type CheckNotice = Static<typeof Payload>;

/**
 * What the checks tell people who must act: a State's admins (and diplomatic POCs, after the
 * deadline) that its entries did not answer or could not be reached, and the Secretariat of every
 * bounce. Counts and links only; the entries themselves are behind sign-in.
 */
export function checkNoticeJob(cadre: Cadre, mailer?: Mailer): JobDefinition<typeof Payload> {
  let transport = mailer;
  return defineJob({
    kind: CHECK_NOTICE_KIND,
    payload: Payload,
    maxAttempts: 8,
    async handler(p, ctx) {
      const db = cadre.database.db;
      const user = await db.selectFrom('app_user').select(['email', 'status', 'role']).where('id', '=', p.userId).executeTakeFirst();
      const state = await findState(db, p.state);
      if (!user || user.status !== 'active' || !state) return;
      const { baseUrl } = cadre.config;
      const t = translator(p.language);
      const link = user.role === 'secretariat' ? `${baseUrl}/checks/${p.campaignId}` : `${baseUrl}/directory/states/${state.iso3}`;
      const key = `checks.notice.${p.kind}`;
      const values = { state: stateName(state, p.language), count: p.count };
      const mail = composeNotice({ language: p.language, subject: t(`${key}.subject`, values), body: t(`${key}.body`, values), action: t(`${key}.action`), link, site: baseUrl });
      ctx.signal.throwIfAborted();
      transport ??= cadreMailer(cadre);
      await transport.send({ to: user.email, ...mail, language: p.language, messageId: `<${ctx.idempotencyKey.replace(/[^A-Za-z0-9.-]/g, '.')}@${new URL(baseUrl).hostname}>` }, ctx.signal);
    },
  });
}

/** Queues one notice, once per key, in the caller's transaction; without SMTP nothing is sent. */
export async function enqueueNotice(trx: Kysely<Database>, cadre: Cadre, notice: Omit<CheckNotice, 'language'> & { language: string | null }, key: string): Promise<void> {
  if (!cadre.config.smtpUrl) return;
  const language = isLanguage(notice.language) ? notice.language : DEFAULT_LANGUAGE;
  await checkNoticeJob(cadre).enqueue(trx, { ...notice, language }, { idempotencyKey: `${CHECK_NOTICE_KIND}:${key}` });
}
