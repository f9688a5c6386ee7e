import type { Kysely } from 'kysely';
import type { CheckCampaignTable, CheckTargetTable, Database } from '../../db/schema.ts';

type Db = Kysely<Database>;

export function findCampaign(db: Db, id: string): Promise<CheckCampaignTable | undefined> {
  return db.selectFrom('check_campaign').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listCampaigns(db: Db, limit = 100): Promise<CheckCampaignTable[]> {
  return db.selectFrom('check_campaign').selectAll().orderBy('created_at', 'desc').limit(limit).execute();
}

export function findTarget(db: Db, id: string): Promise<CheckTargetTable | undefined> {
  return db.selectFrom('check_target').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The time zone of the checked entry, in which its e-mail gives the deadline. */
export async function targetTimeZone(db: Db, target: CheckTargetTable): Promise<string> {
  const entry = await db.selectFrom('poc').select('time_zone').where('id', '=', target.poc_id).executeTakeFirst();
  return entry?.time_zone ?? 'UTC';
}

export async function insertTargets(db: Db, rows: CheckTargetTable[]): Promise<void> {
  // In slices: PostgreSQL takes at most 65,535 parameters in one statement.
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('check_target').values(rows.slice(i, i + 500)).execute();
}

export interface StatusCounts {
  queued: number;
  sent: number;
  undeliverable: number;
  acknowledged: number;
  /** Sent, not acknowledged, and the deadline has passed. */
  overdue: number;
}

export async function countByStatus(db: Db, campaignIds: readonly string[], now: string): Promise<Map<string, StatusCounts>> {
  const result = new Map<string, StatusCounts>();
  if (campaignIds.length === 0) return result;
  const rows = await db
    .selectFrom('check_target')
    .innerJoin('check_campaign', 'check_campaign.id', 'check_target.campaign_id')
    .select((eb) => [
      'check_target.campaign_id as campaign_id',
      'check_target.status as status',
      eb.fn.countAll<number>().as('n'),
      eb.fn.sum<number>(eb.case().when('check_campaign.deadline_at', '<', now).then(1).else(0).end()).as('late'),
    ])
    .where('check_target.campaign_id', 'in', [...campaignIds])
    .groupBy(['check_target.campaign_id', 'check_target.status'])
    .execute();
  for (const id of campaignIds) result.set(id, { queued: 0, sent: 0, undeliverable: 0, acknowledged: 0, overdue: 0 });
  for (const r of rows) {
    const c = result.get(r.campaign_id)!;
    c[r.status as keyof Omit<StatusCounts, 'overdue'>] = Number(r.n);
    if (r.status === 'sent' || r.status === 'queued') c.overdue += Number(r.late);
  }
  return result;
}

/** A campaign's targets with the State and name of each entry, for its page. */
export function targetsOf(db: Db, campaignId: string) {
  return db
    .selectFrom('check_target')
    .innerJoin('poc', 'poc.id', 'check_target.poc_id')
    .select(['check_target.id', 'check_target.state_iso3', 'check_target.kind', 'check_target.status', 'check_target.sent_at', 'check_target.acknowledged_at', 'check_target.channel', 'poc.name', 'poc.id as poc_id'])
    .where('check_target.campaign_id', '=', campaignId)
    .orderBy('check_target.state_iso3')
    .orderBy('poc.name')
    .execute();
}

/** Open checks of the entries an account stands behind. */
export function openTargetsOf(db: Db, userId: string) {
  return db
    .selectFrom('check_target')
    .innerJoin('poc', 'poc.id', 'check_target.poc_id')
    .innerJoin('check_campaign', 'check_campaign.id', 'check_target.campaign_id')
    .select(['check_target.id', 'check_target.status', 'check_campaign.mode', 'check_campaign.deadline_at', 'check_campaign.created_at', 'poc.name', 'poc.id as poc_id'])
    .where('poc.user_id', '=', userId)
    .where('check_target.status', 'in', ['queued', 'sent'])
    .orderBy('check_campaign.created_at', 'desc')
    .execute();
}

/** The latest check result of each entry: its last acknowledgement and whether a check is overdue. */
export async function lastResults(db: Db, pocIds: readonly string[], now: string): Promise<Map<string, { verifiedAt: string | null; overdue: boolean }>> {
  const result = new Map<string, { verifiedAt: string | null; overdue: boolean }>();
  if (pocIds.length === 0) return result;
  const rows = await db
    .selectFrom('check_target')
    .innerJoin('check_campaign', 'check_campaign.id', 'check_target.campaign_id')
    .select(['check_target.poc_id', 'check_target.status', 'check_target.acknowledged_at', 'check_campaign.deadline_at'])
    .where('check_target.poc_id', 'in', [...pocIds])
    .execute();
  for (const r of rows) {
    const cur = result.get(r.poc_id) ?? { verifiedAt: null, overdue: false };
    if (r.acknowledged_at && (!cur.verifiedAt || r.acknowledged_at > cur.verifiedAt)) cur.verifiedAt = r.acknowledged_at;
    if ((r.status === 'sent' || r.status === 'queued') && r.deadline_at < now) cur.overdue = true;
    result.set(r.poc_id, cur);
  }
  return result;
}
