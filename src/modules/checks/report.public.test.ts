import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StateTable } from '../../db/schema.ts';
import { buildCampaignReport } from './report.service.ts';
import type { ReportTarget } from './report.repository.ts';

const campaign = { id: 'c', mode: 'routine', created_at: '2026-12-01T00:00:00.000Z', deadline_at: '2026-12-03T00:00:00.000Z', target_count: 3 };
const state = (iso3: string, group: string) => ({ iso3, regional_group: group }) as StateTable;
const STATES = [state('FRA', 'WEOG'), state('DEU', 'WEOG'), state('ITA', 'WEOG')];
const target = (iso3: string, n: number, acknowledged: boolean): ReportTarget => ({
  id: `${iso3}${n}`,
  campaign_id: 'c',
  poc_id: `${iso3}${n}`,
  state_iso3: iso3,
  kind: 'technical',
  status: acknowledged ? 'acknowledged' : 'sent',
  sent_at: '2026-12-01T00:00:00.000Z',
  acknowledged_at: acknowledged ? '2026-12-01T01:00:00.000Z' : null,
  channel: acknowledged ? 'link' : null,
  name: 'x',
});

test('a public report of a campaign checking one or two States publishes no figure at all', () => {
  const report = buildCampaignReport({ campaign, targets: [target('FRA', 1, true), target('FRA', 2, false), target('DEU', 1, true)], states: STATES, memberships: [], audience: { kind: 'public' }, asOf: '2026-12-04T00:00:00.000Z' });
  assert.deepEqual(report.overall, { checked: 0, acknowledged: 0, undeliverable: 0, rate: null, withheld: true });
  assert.deepEqual(report.time, { count: 0, medianSeconds: null, p90Seconds: null });
  assert.equal(report.campaign.targets, 0);
  assert.equal(report.byGroup.find((g) => g.group === 'WEOG')!.withheld, true);
  // Three States: published; the Secretariat always reads everything.
  const three = buildCampaignReport({ campaign, targets: [target('FRA', 1, true), target('DEU', 1, true), target('ITA', 1, false)], states: STATES, memberships: [], audience: { kind: 'public' }, asOf: '2026-12-04T00:00:00.000Z' });
  assert.deepEqual(three.overall, { checked: 3, acknowledged: 2, undeliverable: 0, rate: 2 / 3 });
  const secretariat = buildCampaignReport({ campaign, targets: [target('FRA', 1, true)], states: STATES, memberships: [], audience: { kind: 'secretariat' }, asOf: '2026-12-04T00:00:00.000Z' });
  assert.equal(secretariat.overall.checked, 1);
});
