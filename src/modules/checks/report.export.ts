import type { CampaignReport, Tally } from './report.service.ts';

// A campaign's report as CSV for spreadsheets (UTF-8 with BOM, CRLF, RFC 4180 quoting): one row
// per target for the Secretariat, one row per aggregate (overall, group, organisation, kind, the
// reader's own State) for everyone else. Rates are fractions (0.625), times whole seconds.

const BOM = '\ufeff';
/** A cell starting like a formula is read as text (leading apostrophe), as in the directory's CSV. */
const FORMULA_START = /^[=+\-@\t\r]/;

function cell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",;\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

const lines = (rows: (string | number | null | undefined)[][]) => BOM + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';

export const TARGET_COLUMNS = ['target_id', 'state', 'regional_group', 'kind', 'poc_id', 'name', 'status', 'sent_at', 'acknowledged_at', 'channel', 'seconds_to_acknowledge'] as const;
export const AGGREGATE_COLUMNS = ['level', 'code', 'checked', 'acknowledged', 'undeliverable', 'response_rate', 'median_seconds', 'p90_seconds'] as const;

export function reportCsv(report: CampaignReport): string {
  if (report.audience === 'secretariat') {
    return lines([
      [...TARGET_COLUMNS],
      ...(report.targets ?? []).map((t) => [t.targetId, t.state, t.group, t.kind, t.pocId, t.name, t.status, t.sentAt, t.acknowledgedAt, t.channel, t.secondsToAcknowledge]),
    ]);
  }
  const row = (level: string, code: string, t: Tally, median: number | null = null, p90: number | null = null) =>
    t.withheld ? [level, code, null, null, null, null, null, null] : [level, code, t.checked, t.acknowledged, t.undeliverable, t.rate, median, p90];
  return lines([
    [...AGGREGATE_COLUMNS],
    row('overall', '', report.overall, report.time.medianSeconds, report.time.p90Seconds),
    ...report.byGroup.map((g) => row('group', g.group, g)),
    ...(report.byOrganisation ?? []).map((o) => row('organisation', o.organisation, o)),
    ...(report.byKind ?? []).map((k) => row('kind', k.kind, k)),
    ...(report.states ?? []).map((s) => row('state', s.iso3, s, s.medianSeconds)),
  ]);
}
