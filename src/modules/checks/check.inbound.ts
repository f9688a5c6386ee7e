import { recordAuditEvent } from '../../audit/audit.repository.ts';
import type { Bounce } from '../../mail/bounce.ts';
import type { InboundHandler, InboundReply, InboundVerdict } from '../../mail/inbound.ts';
import { CadreError } from '../../errors.ts';
import type { Cadre } from '../../web/types.ts';
import * as pocs from '../directory/poc/poc.repository.ts';
import { acknowledgeByReply, openToken } from './check.service.ts';
import * as repo from './check.repository.ts';
import { markUndeliverable } from './check.followup.ts';
import { targetIdOf } from './check.token.ts';

/**
 * What Cadre does with the mail its inbound server accepts: a reply from one of the POC's own
 * addresses acknowledges its check; anything else (unknown or used token, another sender, an
 * automatic reply) is refused at SMTP with the reason, and audited. A permanent bounce marks the
 * check's address undeliverable.
 */
export function checkInboundHandler(cadre: Cadre): InboundHandler {
  const refuse = async (reply: InboundReply, reason: string, targetId: string | null, state: string | null): Promise<InboundVerdict> => {
    await recordAuditEvent(cadre.database, {
      actor: { id: null, label: 'inbound mail' },
      action: 'check.refused',
      targetType: 'check_target',
      targetId,
      state,
      details: { reason, channel: 'reply', senderDomain: (reply.from.header ?? reply.from.envelope).split('@')[1] ?? '' },
    });
    return { accepted: false, reason: `${reason}: this message acknowledges nothing` };
  };
  return {
    async reply(reply) {
      let opened;
      try {
        opened = await openToken(cadre, reply.token, null, 'reply');
      } catch (error) {
        if (error instanceof CadreError) return { accepted: false, reason: 'unknown, used or expired check' };
        throw error;
      }
      const { target } = opened;
      if (reply.automatic) return refuse(reply, 'automatic reply', target.id, target.state_iso3);
      const addresses = new Set([target.address, ...((await pocs.verifiedEmails(cadre.database.db, [target.poc_id])).get(target.poc_id) ?? [])].map((a) => a.toLowerCase()));
      const senders = [reply.from.envelope, reply.from.header].filter((a): a is string => !!a);
      if (senders.length === 0 || !senders.every((s) => addresses.has(s))) return refuse(reply, 'sender is not this point of contact', target.id, target.state_iso3);
      try {
        await acknowledgeByReply(cadre, target);
      } catch (error) {
        if (error instanceof CadreError) return { accepted: false, reason: 'check already acknowledged' };
        throw error;
      }
      return { accepted: true };
    },

    async bounce(bounce: Bounce) {
      const failed = bounce.recipients.filter((r) => r.permanent && r.action === 'failed');
      if (failed.length === 0) return;
      const fromId = /^<check\.([0-9a-f-]{36})@/.exec(bounce.originalMessageId ?? '')?.[1];
      const id = (bounce.checkToken ? targetIdOf(bounce.checkToken) : null) ?? fromId ?? null;
      if (!id) return;
      const target = await repo.findTarget(cadre.database.db, id);
      if (!target || target.status === 'acknowledged') return;
      const diagnostic = failed.map((r) => `${r.status ?? ''} ${r.diagnostic ?? ''}`.trim()).join('; ').slice(0, 300);
      await markUndeliverable(cadre, target, `bounce: ${diagnostic}`);
    },
  };
}
