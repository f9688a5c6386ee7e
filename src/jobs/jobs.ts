import { invitationMailJob } from '../mail/invitation.job.ts';
import { directoryMailJob } from '../modules/directory/poc/directory.jobs.ts';
import { freshnessJob } from '../modules/directory/poc/freshness.ts';
import { checkMailJob } from '../modules/checks/check.jobs.ts';
import { checkNoticeJob } from '../modules/checks/check.notice.ts';
import { followUpJob } from '../modules/checks/check.followup.ts';
import { messageNoticeJob } from '../modules/messages/message.notify.ts';
import { messageFollowUpJob } from '../modules/messages/message.followup.ts';
import type { Cadre } from '../web/types.ts';
import { createRegistry, type JobRegistry } from './registry.ts';

/**
 * Every job kind Cadre runs. A kind stays here while jobs of it may still be queued, even once
 * nothing enqueues it any more: a worker only claims kinds it has a handler for.
 */
export function jobRegistry(cadre: Cadre): JobRegistry {
  return createRegistry([invitationMailJob(cadre), directoryMailJob(cadre), freshnessJob(cadre), checkMailJob(cadre), checkNoticeJob(cadre), followUpJob(cadre), messageNoticeJob(cadre), messageFollowUpJob(cadre)]);
}
