import type { Kysely } from 'kysely';
import type { CheckTargetTable, Database } from '../../db/schema.ts';

type Db = Kysely<Database>;

// The queries of the check reports. Reads check_campaign and check_target (this module's tables)
// and the entry's name; States and regional memberships come through the directory's repositories.

export const PUBLIC_REPORTS_KEY = 'checks.publicReports';

export interface ReportCampaign {
  id: string;
  mode: string;
  created_at: string;
  deadline_at: string;
  target_count: number;
}

const CAMPAIGN_COLUMNS = ['id', 'mode', 'created_at', 'deadline_at', 'target_count'] as const;

export function findReportCampaign(db: Db, id: string): Promise<ReportCampaign | undefined> {
  return db.selectFrom('check_campaign').select(CAMPAIGN_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export function listReportCampaigns(db: Db, limit = 200): Promise<ReportCampaign[]> {
  return db.selectFrom('check_campaign').select(CAMPAIGN_COLUMNS).orderBy('created_at', 'desc').limit(limit).execute();
}

export interface ReportTarget {
  id: string;
  campaign_id: string;
  poc_id: string;
  state_iso3: string;
  kind: CheckTargetTable['kind'];
  status: CheckTargetTable['status'];
  sent_at: string | null;
  acknowledged_at: string | null;
  channel: CheckTargetTable['channel'];
  name: string;
}

function targets(db: Db) {
  return db
    .selectFrom('check_target')
    .innerJoin('poc', 'poc.id', 'check_target.poc_id')
    .select([
      'check_target.id',
      'check_target.campaign_id',
      'check_target.poc_id',
      'check_target.state_iso3',
      'check_target.kind',
      'check_target.status',
      'check_target.sent_at',
      'check_target.acknowledged_at',
      'check_target.channel',
      'poc.name',
    ]);
}

/** Every target of some campaigns, optionally of one State only. */
export function reportTargets(db: Db, campaignIds: readonly string[], state?: string): Promise<ReportTarget[]> {
  if (campaignIds.length === 0) return Promise.resolve([]);
  let q = targets(db).where('check_target.campaign_id', 'in', [...campaignIds]);
  if (state) q = q.where('check_target.state_iso3', '=', state);
  return q.orderBy('check_target.state_iso3').orderBy('check_target.kind').orderBy('poc.name').orderBy('check_target.id').execute();
}

/** The campaigns that checked a State, newest first. */
export function campaignsOfState(db: Db, state: string): Promise<ReportCampaign[]> {
  return db
    .selectFrom('check_campaign')
    .select(CAMPAIGN_COLUMNS)
    .where('id', 'in', db.selectFrom('check_target').select('campaign_id').where('state_iso3', '=', state))
    .orderBy('created_at', 'desc')
    .execute();
}

export async function readPublicReports(db: Db): Promise<boolean> {
  const row = await db.selectFrom('setting').select('value').where('key', '=', PUBLIC_REPORTS_KEY).executeTakeFirst();
  return row?.value === 'on';
}

export async function writePublicReports(db: Db, on: boolean, now: string): Promise<void> {
  const value = on ? 'on' : 'off';
  await db
    .insertInto('setting')
    .values({ key: PUBLIC_REPORTS_KEY, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}
