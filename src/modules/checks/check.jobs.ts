import { Type } from '@sinclair/typebox';
import { defineJob, type JobDefinition } from '../../jobs/registry.ts';
import { cadreMailer, type Mailer } from '../../mail/mailer.ts';
import { isLanguage } from '../../web/i18n.ts';
import type { Cadre } from '../../web/types.ts';
import { composeCheckMail } from './check.mail.tsx';
import * as repo from './check.repository.ts';
import { checkToken } from './check.token.ts';
import { markUndeliverable } from './check.followup.ts';

export const CHECK_MAIL_KIND = 'mail.check';

const Payload = Type.Object(
  {
    targetId: Type.String({ maxLength: 36 }),
    /** A reminder, this many hours before the deadline, to a POC that has not answered. */
    reminder: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false },
);

/** An SMTP refusal that will not change on retry (5xx): the address is undeliverable. */
function permanent(error: unknown): string | null {
  const code = (error as { responseCode?: number }).responseCode;
  return typeof code === 'number' && code >= 500 && code < 600 ? `${code} ${String((error as Error).message).slice(0, 200)}` : null;
}

/**
 * One e-mail per checked point of contact. The token is made again from the target and CADRE_SECRET
 * (never stored); the Message-ID derives from the target, so a resend after a crash is the same
 * message. A permanent refusal marks the address undeliverable instead of retrying.
 */
export function checkMailJob(cadre: Cadre, mailer?: Mailer): JobDefinition<typeof Payload> {
  let transport = mailer;
  return defineJob({
    kind: CHECK_MAIL_KIND,
    payload: Payload,
    maxAttempts: 8,
    async handler(payload, ctx) {
      const db = cadre.database.db;
      const target = await repo.findTarget(db, payload.targetId);
      const reminder = payload.reminder;
      // The check goes while queued; a reminder only while sent and unanswered.
      if (!target || target.status !== (reminder ? 'sent' : 'queued')) return;
      const [campaign, timeZone] = await Promise.all([repo.findCampaign(db, target.campaign_id), repo.targetTimeZone(db, target)]);
      if (!campaign) return;
      const { baseUrl, inboundSmtpPort, inboundMailDomain, secret } = cadre.config;
      const token = checkToken(secret, target.id, campaign.id);
      const language = isLanguage(target.language) ? target.language : 'en';
      const mail = composeCheckMail({ language, mode: campaign.mode, link: `${baseUrl}/checks/ack/${token}`, deadline: campaign.deadline_at, timeZone, byReply: inboundSmtpPort !== null, site: baseUrl, reminder: reminder !== undefined });
      ctx.signal.throwIfAborted();
      transport ??= cadreMailer(cadre);
      try {
        await transport.send(
          {
            to: target.address,
            ...mail,
            language,
            messageId: `<check.${target.id}${reminder ? `.r${reminder}` : ''}@${new URL(baseUrl).hostname}>`,
            ...(inboundSmtpPort !== null ? { replyTo: `check+${token}@${inboundMailDomain}` } : {}),
            headers: { 'X-Cadre-Check': token },
          },
          ctx.signal,
        );
      } catch (error) {
        const reason = permanent(error);
        if (!reason) throw error;
        await markUndeliverable(cadre, target, reason);
        return;
      }
      if (reminder) return;
      await db.updateTable('check_target').set({ status: 'sent', sent_at: new Date().toISOString() }).where('id', '=', target.id).where('status', '=', 'queued').execute();
    },
  });
}
