import { appendAuditEvent, recordAuditEvent } from '../../audit/audit.repository.ts';
import { newId } from '../../auth/crypto.ts';
import { authorize } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { REGIONAL_GROUPS, type CheckCampaignTable, type CheckTargetTable, type PocTable } from '../../db/schema.ts';
import { CadreError, InvalidFields, type FieldProblem } from '../../errors.ts';
import { isLanguage, LANGUAGES } from '../../web/i18n.ts';
import { cadreNow, type Cadre } from '../../web/types.ts';
import * as pocs from '../directory/poc/poc.repository.ts';
import { POC_KINDS, type PocKind } from '../directory/poc/types.ts';
import { checkMailJob } from './check.jobs.ts';
import { checkPolicy } from './check.policy.ts';
import { regrade } from './check.grade.ts';
import * as repo from './check.repository.ts';
import { targetIdOf, tokenIsGenuine } from './check.token.ts';

export const CHECK_MODES = ['routine', 'exercise'] as const;
export type CheckMode = (typeof CHECK_MODES)[number];

/** Which active points of contact a campaign checks; nothing chosen = all of them. */
export interface CheckScope {
  kind?: PocKind | undefined;
  group?: string | undefined;
  organisation?: string | undefined;
  states?: string[] | undefined;
}

export interface CampaignInput {
  mode: string;
  scope: CheckScope;
  /** Hours until the deadline: 48 by default. */
  deadlineHours?: number | undefined;
  /** Hours before the deadline when those who have not answered are reminded: 24 by default (when the deadline allows). */
  reminders?: number[] | undefined;
  /** Start again this many months later, and so on (null or absent: once). */
  recurrenceMonths?: number | null | undefined;
  note?: string | undefined;
}

/** After the deadline, an acknowledgement still counts (late) for this long; then the link has expired. */
export const GRACE_DAYS = 30;
const DAY = 86_400_000;

/**
 * The Secretariat starts a campaign: the campaign, one target per active point of contact in scope
 * (its primary address and working language as they are now), one e-mail job per target and the
 * audit event, in one transaction; the worker sends.
 */
export async function startCampaign(cadre: Cadre, actor: Principal, input: CampaignInput, ip: string | null = null): Promise<CheckCampaignTable> {
  authorize('check', checkPolicy, actor, 'start');
  return launchCampaign(cadre, { id: actor.userId, label: actor.email }, input, ip);
}

/** The campaign itself, for the Secretariat's start and for the recurrence that starts it again. */
export async function launchCampaign(cadre: Cadre, by: { id: string | null; label: string }, input: CampaignInput, ip: string | null = null): Promise<CheckCampaignTable> {
  const problems: FieldProblem[] = [];
  if (!(CHECK_MODES as readonly string[]).includes(input.mode)) problems.push({ field: 'mode', messageKey: 'validation.choice' });
  const hours = input.deadlineHours ?? 48;
  if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 60) problems.push({ field: 'deadlineHours', messageKey: 'checks.deadlineRange' });
  const scope = input.scope;
  if (scope.kind && !(POC_KINDS as readonly string[]).includes(scope.kind)) problems.push({ field: 'kind', messageKey: 'validation.choice' });
  if (scope.group && !(REGIONAL_GROUPS as readonly string[]).includes(scope.group)) problems.push({ field: 'group', messageKey: 'validation.choice' });
  const reminders = input.reminders ?? (hours > 24 ? [24] : []);
  if (!Array.isArray(reminders) || reminders.length > 5 || reminders.some((h) => !Number.isInteger(h) || h < 1 || h >= hours)) problems.push({ field: 'reminders', messageKey: 'checks.remindersRange' });
  const recurrence = input.recurrenceMonths ?? null;
  if (recurrence !== null && (!Number.isInteger(recurrence) || recurrence < 1 || recurrence > 24)) problems.push({ field: 'recurrenceMonths', messageKey: 'checks.recurrenceRange' });
  const note = (input.note ?? '').trim();
  if (note.length > 500) problems.push({ field: 'note', messageKey: 'validation.maxLength', values: { limit: 500 } });
  if (problems.length) throw new InvalidFields(problems);
  if (!cadre.config.smtpUrl) throw new CadreError(409, 'checks.noMail');

  const db = cadre.database.db;
  const entries = await pocs.listPocs(db, {
    statuses: ['active'],
    kind: scope.kind,
    group: scope.group,
    organisation: scope.organisation?.toUpperCase(),
    states: scope.states?.length ? scope.states.map((s) => s.toUpperCase()) : undefined,
  });
  if (entries.length === 0) throw new CadreError(400, 'checks.noTargets');
  const emails = await pocs.verifiedEmails(db, entries.map((e) => e.id));
  const locales = new Map((await db.selectFrom('app_user').select(['id', 'locale']).where('id', 'in', [...new Set(entries.map((e) => e.user_id))]).execute()).map((u) => [u.id, u.locale]));
  const now = cadreNow(cadre);
  const campaign: CheckCampaignTable = {
    id: newId(),
    mode: input.mode as CheckMode,
    scope: JSON.stringify(cleanScope(scope)),
    note,
    created_by: by.id,
    created_at: now.toISOString(),
    deadline_at: new Date(now.getTime() + hours * 3_600_000).toISOString(),
    target_count: 0,
    reminders: JSON.stringify([...new Set(reminders)].sort((a, b) => b - a)),
    recurrence_months: recurrence,
    next_run_at: recurrence === null ? null : addMonths(now, recurrence).toISOString(),
    closed_at: null,
  };
  const targets: CheckTargetTable[] = entries
    .filter((e) => (emails.get(e.id) ?? []).length > 0)
    .map((e) => ({
      id: newId(),
      campaign_id: campaign.id,
      poc_id: e.id,
      state_iso3: e.state_iso3,
      kind: e.kind,
      address: emails.get(e.id)![0]!,
      language: languageOf(e, locales.get(e.user_id) ?? null),
      status: 'queued',
      sent_at: null,
      acknowledged_at: null,
      channel: null,
      failure: null,
    }));
  campaign.target_count = targets.length;
  const job = checkMailJob(cadre);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('check_campaign').values(campaign).execute();
    await repo.insertTargets(trx, targets);
    for (const t of targets) await job.enqueue(trx, { targetId: t.id }, { idempotencyKey: `mail.check:${t.id}` });
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: by,
      action: 'check.started',
      targetType: 'check_campaign',
      targetId: campaign.id,
      ip,
      details: { mode: campaign.mode, scope: cleanScope(scope), targets: targets.length, deadline: campaign.deadline_at, recurrenceMonths: recurrence },
    });
  });
  return campaign;
}

export function addMonths(from: Date, months: number): Date {
  const d = new Date(from.getTime());
  d.setUTCMonth(d.getUTCMonth() + months);
  return d;
}

function cleanScope(scope: CheckScope): CheckScope {
  return Object.fromEntries(Object.entries(scope).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))) as CheckScope;
}

/** The check goes out in the POC's first UN working language, else its account's, else English. */
function languageOf(entry: PocTable, locale: string | null): string {
  const spoken = (JSON.parse(entry.languages) as string[]).find((l) => (LANGUAGES as readonly string[]).includes(l));
  return spoken ?? (isLanguage(locale) ? locale : 'en');
}

export type AckChannel = 'link' | 'reply' | 'portal';

export type TokenProblem = 'invalid' | 'used' | 'expired';

/** What a token names, or why it names nothing usable (the refusal is audited). */
export async function openToken(cadre: Cadre, token: string, ip: string | null, channel: AckChannel): Promise<{ target: CheckTargetTable; campaign: CheckCampaignTable }> {
  const db = cadre.database.db;
  const id = targetIdOf(token);
  const target = id ? await repo.findTarget(db, id) : undefined;
  const campaign = target ? await repo.findCampaign(db, target.campaign_id) : undefined;
  const refuse = async (reason: TokenProblem) => {
    await recordAuditEvent(cadre.database, {
      actor: { id: null, label: channel === 'reply' ? 'inbound mail' : 'anonymous' },
      action: 'check.refused',
      targetType: 'check_target',
      targetId: target && reason !== 'invalid' ? target.id : null,
      state: target && reason !== 'invalid' ? target.state_iso3 : null,
      ip,
      details: { reason, channel },
    });
    return new CadreError(410, `checks.token.${reason}`);
  };
  if (!target || !campaign || !tokenIsGenuine(cadre.config.secret, token, target.id, campaign.id)) throw await refuse('invalid');
  if (target.status === 'acknowledged') throw await refuse('used');
  if (cadreNow(cadre).getTime() > Date.parse(campaign.deadline_at) + GRACE_DAYS * DAY) throw await refuse('expired');
  return { target, campaign };
}

/** A person acknowledged: recorded once, with its time and channel, and audited in the same transaction. */
async function acknowledge(cadre: Cadre, target: CheckTargetTable, channel: AckChannel, actor: { id: string | null; label: string }, ip: string | null): Promise<CheckTargetTable> {
  const at = cadreNow(cadre).toISOString();
  return cadre.database.db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('check_target')
      .set({ status: 'acknowledged', acknowledged_at: at, channel })
      .where('id', '=', target.id)
      .where('status', '!=', 'acknowledged')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw new CadreError(410, 'checks.token.used');
    await regrade(trx, target.poc_id, cadreNow(cadre));
    await appendAuditEvent(trx, cadre.database.engine, {
      actor,
      action: 'check.acknowledged',
      targetType: 'check_target',
      targetId: target.id,
      state: target.state_iso3,
      ip,
      details: { campaign: target.campaign_id, channel },
    });
    return { ...target, status: 'acknowledged', acknowledged_at: at, channel };
  });
}

/** By the signed link, after the button press. */
export async function acknowledgeByLink(cadre: Cadre, token: string, ip: string | null): Promise<CheckTargetTable> {
  const { target } = await openToken(cadre, token, ip, 'link');
  return acknowledge(cadre, target, 'link', { id: null, label: 'link holder' }, ip);
}

/** By a reply whose token the inbound server opened (openToken) and whose sender it checked. */
export function acknowledgeByReply(cadre: Cadre, target: CheckTargetTable): Promise<CheckTargetTable> {
  return acknowledge(cadre, target, 'reply', { id: null, label: `reply from ${target.address}` }, null);
}

/** A signed-in POC acknowledges one of its own open checks. */
export async function acknowledgeInPortal(cadre: Cadre, actor: Principal, targetId: string, ip: string | null): Promise<CheckTargetTable> {
  const db = cadre.database.db;
  const target = await repo.findTarget(db, targetId);
  const entry = target ? await pocs.findPoc(db, target.poc_id) : undefined;
  if (!target || !entry || !checkPolicy(actor, 'acknowledge', { user_id: entry.user_id })) throw new CadreError(404, 'checks.notFound');
  if (target.status === 'acknowledged') throw new CadreError(409, 'checks.token.used');
  return acknowledge(cadre, target, 'portal', { id: actor.userId, label: actor.email }, ip);
}
