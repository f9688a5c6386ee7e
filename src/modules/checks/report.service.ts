import { appendAuditEvent } from '../../audit/audit.repository.ts';
import { authorize } from '../../auth/policy.ts';
import type { Principal } from '../../auth/principal.ts';
import { REGIONAL_GROUPS, type RegionalMembershipTable, type StateTable } from '../../db/schema.ts';
import { CadreError } from '../../errors.ts';
import { cadreNow, type Cadre } from '../../web/types.ts';
import { listMemberships } from '../directory/regional-organisation.repository.ts';
import { listStates } from '../directory/state.repository.ts';
import { POC_KINDS } from '../directory/poc/types.ts';
import { reportPolicy } from './report.policy.ts';
import * as repo from './report.repository.ts';

// Reports of communication checks (issue 5, "Reports"). Definitions, stated once:
// - response rate = acknowledged targets ÷ targets checked (undeliverable and unanswered count as not acknowledged);
// - time to acknowledge = acknowledged_at − sent_at, for acknowledged targets that were sent;
// - median and 90th percentile by linear interpolation between closest ranks (as PERCENTILE.INC);
// - a regional organisation counts its members, suspended members and associates, not former members.

/** Who is reading, which decides how much of a report they get. */
export type Audience = { kind: 'secretariat' } | { kind: 'state'; state: string } | { kind: 'public' };

/** Each checked State's outcome in one campaign; 'unchecked' for a State it did not check. */
export const OUTCOMES = ['all', 'some', 'none', 'undeliverable', 'unchecked'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface Tally {
  checked: number;
  acknowledged: number;
  undeliverable: number;
  /** acknowledged ÷ checked, 0..1; null when nothing was checked. */
  rate: number | null;
  /** Public aggregate only: figures of fewer than MIN_PUBLIC_STATES States, left out (all zero) so that no State can be read off them. */
  withheld?: true;
}

/** The public aggregate shows no figure made of fewer States than this: one or two States would be readable. */
export const MIN_PUBLIC_STATES = 3;

const WITHHELD: Tally = { checked: 0, acknowledged: 0, undeliverable: 0, rate: null, withheld: true };

/** The tally of targets, or WITHHELD when they come from fewer than MIN_PUBLIC_STATES States. */
function publicTally(targets: readonly (Counted & { state_iso3: string })[]): Tally {
  const states = new Set(targets.map((t) => t.state_iso3));
  return states.size > 0 && states.size < MIN_PUBLIC_STATES ? { ...WITHHELD } : tally(targets);
}

export interface TimeStats {
  /** Acknowledgements with a known sending time. */
  count: number;
  medianSeconds: number | null;
  p90Seconds: number | null;
}

export interface HistogramBin {
  fromSeconds: number;
  /** Exclusive; null for the last, open bin. */
  toSeconds: number | null;
  count: number;
}

export interface StateReportRow extends Tally {
  iso3: string;
  group: string;
  outcome: Outcome;
  medianSeconds: number | null;
}

export interface TargetReportRow {
  targetId: string;
  state: string;
  group: string;
  kind: string;
  pocId: string;
  name: string;
  status: string;
  sentAt: string | null;
  acknowledgedAt: string | null;
  channel: string | null;
  secondsToAcknowledge: number | null;
}

export interface CampaignReport {
  campaign: { id: string; mode: string; createdAt: string; deadlineAt: string; targets: number };
  audience: Audience['kind'];
  asOf: string;
  overall: Tally;
  time: TimeStats;
  byGroup: (Tally & { group: string })[];
  /** Not in the public aggregate. */
  byOrganisation?: (Tally & { organisation: string })[];
  byKind?: (Tally & { kind: string })[];
  histogram?: HistogramBin[];
  /** Every checked State for the Secretariat; the reader's own State for a State. */
  states?: StateReportRow[];
  targets?: TargetReportRow[];
}

export interface HistoryRow extends Tally {
  campaignId: string;
  mode: string;
  createdAt: string;
  medianSeconds: number | null;
}

const HOUR = 3600;
/** Histogram bin edges in seconds: 1 h, 4 h, 12 h, 24 h, 48 h (the default deadline), 7 days. */
export const BIN_EDGES = [0, HOUR, 4 * HOUR, 12 * HOUR, 24 * HOUR, 48 * HOUR, 168 * HOUR] as const;

/** The q-quantile (0..1) of sorted values, linear between closest ranks; null for none. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** Whole seconds from sending to acknowledgement; null when not acknowledged or never sent. */
export function secondsToAcknowledge(t: { sent_at: string | null; acknowledged_at: string | null }): number | null {
  if (!t.sent_at || !t.acknowledged_at) return null;
  return Math.max(0, Math.round((Date.parse(t.acknowledged_at) - Date.parse(t.sent_at)) / 1000));
}

type Counted = Pick<repo.ReportTarget, 'status' | 'sent_at' | 'acknowledged_at'>;

export function tally(targets: readonly Counted[]): Tally {
  const acknowledged = targets.filter((t) => t.status === 'acknowledged').length;
  const undeliverable = targets.filter((t) => t.status === 'undeliverable').length;
  return { checked: targets.length, acknowledged, undeliverable, rate: targets.length ? acknowledged / targets.length : null };
}

function sortedTimes(targets: readonly Counted[]): number[] {
  return targets
    .map(secondsToAcknowledge)
    .filter((s): s is number => s !== null)
    .sort((a, b) => a - b);
}

export function timeStats(targets: readonly Counted[]): TimeStats {
  const times = sortedTimes(targets);
  return { count: times.length, medianSeconds: quantile(times, 0.5), p90Seconds: quantile(times, 0.9) };
}

export function histogram(targets: readonly Counted[]): HistogramBin[] {
  const times = sortedTimes(targets);
  return BIN_EDGES.map((from, i) => {
    const to = BIN_EDGES[i + 1] ?? null;
    return { fromSeconds: from, toSeconds: to, count: times.filter((s) => s >= from && (to === null || s < to)).length };
  });
}

/** All acknowledged / some / none; none acknowledged with an address that bounced reads 'undeliverable'. */
export function outcomeOf(t: Tally): Outcome {
  if (t.checked === 0) return 'unchecked';
  if (t.acknowledged === t.checked) return 'all';
  if (t.acknowledged > 0) return 'some';
  return t.undeliverable > 0 ? 'undeliverable' : 'none';
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

interface ReportFacts {
  campaign: repo.ReportCampaign;
  targets: repo.ReportTarget[];
  states: StateTable[];
  memberships: RegionalMembershipTable[];
  audience: Audience;
  asOf: string;
}

/** The figures of one campaign, cut to what the audience may read. */
export function buildCampaignReport({ campaign, targets, states, memberships, audience, asOf }: ReportFacts): CampaignReport {
  const groupOf = new Map(states.map((s) => [s.iso3, s.regional_group]));
  const byState = groupBy(targets, (t) => t.state_iso3);
  const byGroup = groupBy(targets, (t) => groupOf.get(t.state_iso3) ?? '');
  const time = timeStats(targets);
  if (audience.kind === 'public') {
    const overall = publicTally(targets);
    return {
      campaign: { id: campaign.id, mode: campaign.mode, createdAt: campaign.created_at, deadlineAt: campaign.deadline_at, targets: overall.withheld ? 0 : targets.length },
      audience: audience.kind,
      asOf,
      overall,
      time: overall.withheld ? { count: 0, medianSeconds: null, p90Seconds: null } : { count: time.count, medianSeconds: time.medianSeconds, p90Seconds: null },
      byGroup: REGIONAL_GROUPS.map((group) => ({ group, ...publicTally(byGroup.get(group) ?? []) })),
    };
  }
  const report: CampaignReport = {
    campaign: { id: campaign.id, mode: campaign.mode, createdAt: campaign.created_at, deadlineAt: campaign.deadline_at, targets: targets.length },
    audience: audience.kind,
    asOf,
    overall: tally(targets),
    time,
    byGroup: REGIONAL_GROUPS.map((group) => ({ group, ...tally(byGroup.get(group) ?? []) })),
  };

  const members = groupBy(
    memberships.filter((m) => m.status !== 'former'),
    (m) => m.organisation_id,
  );
  report.byOrganisation = [...members]
    .map(([organisation, rows]) => {
      const inOrg = new Set(rows.map((m) => m.state_iso3));
      return { organisation, ...tally(targets.filter((t) => inOrg.has(t.state_iso3))) };
    })
    .filter((o) => o.checked > 0)
    .sort((a, b) => (a.organisation < b.organisation ? -1 : 1));
  report.byKind = POC_KINDS.map((kind) => ({ kind, ...tally(targets.filter((t) => t.kind === kind)) }));
  report.histogram = histogram(targets);

  const visible = (iso3: string) => audience.kind === 'secretariat' || (audience.kind === 'state' && audience.state === iso3);
  report.states = [...byState]
    .filter(([iso3]) => visible(iso3))
    .map(([iso3, rows]) => {
      const t = tally(rows);
      return { iso3, group: groupOf.get(iso3) ?? '', ...t, outcome: outcomeOf(t), medianSeconds: timeStats(rows).medianSeconds };
    });
  report.targets = targets
    .filter((t) => visible(t.state_iso3))
    .map((t) => ({
      targetId: t.id,
      state: t.state_iso3,
      group: groupOf.get(t.state_iso3) ?? '',
      kind: t.kind,
      pocId: t.poc_id,
      name: t.name,
      status: t.status,
      sentAt: t.sent_at,
      acknowledgedAt: t.acknowledged_at,
      channel: t.channel,
      secondsToAcknowledge: secondsToAcknowledge(t),
    }));
  return report;
}

/** What a principal may read of the reports: null means nothing (the public while the setting is off). */
export async function audienceOf(cadre: Cadre, p: Principal | null): Promise<Audience | null> {
  if (reportPolicy(p, 'readAll')) return { kind: 'secretariat' };
  if (p?.state && reportPolicy(p, 'readState', { state_iso3: p.state })) return { kind: 'state', state: p.state };
  if (reportPolicy(p, 'readPublic') && (await repo.readPublicReports(cadre.database.db))) return { kind: 'public' };
  return null;
}

/** One campaign's report for a principal; 404 when the campaign is unknown or the reader may not see reports. */
export async function campaignReport(cadre: Cadre, p: Principal | null, campaignId: string): Promise<{ report: CampaignReport; states: StateTable[] }> {
  const db = cadre.database.db;
  const audience = await audienceOf(cadre, p);
  const campaign = audience ? await repo.findReportCampaign(db, campaignId) : undefined;
  if (!audience || !campaign) throw new CadreError(404, 'checks.notFound');
  const [targets, states, memberships] = await Promise.all([repo.reportTargets(db, [campaign.id]), listStates(db), listMemberships(db)]);
  const report = buildCampaignReport({ campaign, targets, states, memberships, audience, asOf: cadreNow(cadre).toISOString() });
  return { report, states };
}

/** The campaigns a reader may list (all of them, when it may read reports at all). */
export async function reportCampaigns(cadre: Cadre, p: Principal | null): Promise<{ audience: Audience; campaigns: repo.ReportCampaign[] }> {
  const audience = await audienceOf(cadre, p);
  if (!audience) throw new CadreError(404, 'checks.notFound');
  return { audience, campaigns: await repo.listReportCampaigns(cadre.database.db) };
}

/** A State's results across the campaigns that checked it, newest first: is it getting faster? */
export async function stateHistory(cadre: Cadre, p: Principal | null, iso3: string): Promise<HistoryRow[]> {
  authorize('check-report', reportPolicy, p, 'readState', { state_iso3: iso3 });
  const db = cadre.database.db;
  const campaigns = await repo.campaignsOfState(db, iso3);
  const byCampaign = groupBy(await repo.reportTargets(db, campaigns.map((c) => c.id), iso3), (t) => t.campaign_id);
  return campaigns.map((c) => {
    const rows = byCampaign.get(c.id) ?? [];
    return { campaignId: c.id, mode: c.mode, createdAt: c.created_at, ...tally(rows), medianSeconds: timeStats(rows).medianSeconds };
  });
}

/** The Secretariat publishes (or withdraws) the public aggregate; audited with before and after. */
export async function setPublicReports(cadre: Cadre, actor: Principal, on: boolean, ip: string | null): Promise<void> {
  authorize('check-report', reportPolicy, actor, 'publish');
  const db = cadre.database.db;
  const before = await repo.readPublicReports(db);
  await db.transaction().execute(async (trx) => {
    await repo.writePublicReports(trx, on, cadreNow(cadre).toISOString());
    await appendAuditEvent(trx, cadre.database.engine, {
      actor: { id: actor.userId, label: actor.email },
      action: 'check.reports.published',
      targetType: 'setting',
      targetId: repo.PUBLIC_REPORTS_KEY,
      ip,
      details: { before: before ? 'on' : 'off', after: on ? 'on' : 'off' },
    });
  });
}
