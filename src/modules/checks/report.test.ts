import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listAuditEvents } from '../../audit/audit.repository.ts';
import { newId } from '../../auth/crypto.ts';
import type { Database } from '../../db/schema.ts';
import { eachEngine } from '../../testing/engines.ts';
import { testApp, TestClient } from '../../testing/app.ts';
import { enrolledClient } from '../../testing/users.ts';
import type { App } from '../../web/types.ts';
import type { Kysely } from 'kysely';
import { quantile } from './report.service.ts';

type Enrolled = Awaited<ReturnType<typeof enrolledClient>>;
const HOUR = 3600;
const C1_AT = '2026-10-01T00:00:00.000Z';
const C2_AT = '2026-11-01T00:00:00.000Z';
const plus = (iso: string, seconds: number) => new Date(Date.parse(iso) + seconds * 1000).toISOString();

/** An active entry with its own account, written straight into app_user and poc. */
async function seedPoc(db: Kysely<Database>, state: string, kind: 'diplomatic' | 'technical'): Promise<{ id: string; name: string }> {
  const at = '2026-09-01T00:00:00.000Z';
  const userId = newId();
  const id = newId();
  const name = `${kind} POC of ${state}`;
  const email = `${kind}.${state.toLowerCase()}@report.example`;
  await db
    .insertInto('app_user')
    .values({ id: userId, email, display_name: name, role: 'poc', state_iso3: state, status: 'active', password_hash: null, totp_secret: null, totp_enabled: 0, totp_last_step: 0, locale: null, organisation_id: null, created_at: at, updated_at: at })
    .execute();
  await db
    .insertInto('poc')
    .values({
      id,
      state_iso3: state,
      kind,
      rank: 'primary',
      name,
      title: 'Officer',
      organisation: 'Ministry',
      user_id: userId,
      status: 'active',
      phones: '[]',
      languages: '["en"]',
      time_zone: 'UTC',
      availability: '{"always":true}',
      notes: '',
      nomination_ref: `NV/${state}/${kind}`,
      nomination_date: '2026-09-01',
      confirmed_until: '2027-09-01T00:00:00.000Z',
      version: 1,
      source: 'un',
      created_at: at,
      updated_at: at,
    })
    .execute();
  return { id, name };
}

interface Seeded {
  state: string;
  kind: 'diplomatic' | 'technical';
  status: 'queued' | 'sent' | 'undeliverable' | 'acknowledged';
  /** Seconds from sending to acknowledgement. */
  after?: number;
}

async function seedCampaign(db: Kysely<Database>, at: string, rows: Seeded[], pocs: Map<string, { id: string; name: string }>): Promise<string> {
  const id = newId();
  // Only the columns the campaign table has: `reminders` (none here) comes with the follow-up's change to the table.
  const columns = (await db.introspection.getTables()).find((t) => t.name === 'check_campaign')!.columns.map((c) => c.name);
  const row = { id, mode: 'routine' as const, scope: '{}', note: '', created_by: null, created_at: at, deadline_at: plus(at, 48 * HOUR), target_count: rows.length, reminders: '[]' };
  const campaign = Object.fromEntries(Object.entries(row).filter(([k]) => columns.includes(k))) as typeof row;
  await db.insertInto('check_campaign').values(campaign).execute();
  for (const r of rows) {
    const poc = pocs.get(`${r.state}:${r.kind}`)!;
    const sent = r.status === 'queued' || r.status === 'undeliverable' ? null : at;
    await db
      .insertInto('check_target')
      .values({
        id: newId(),
        campaign_id: id,
        poc_id: poc.id,
        state_iso3: r.state,
        kind: r.kind,
        address: `${r.kind}.${r.state.toLowerCase()}@report.example`,
        language: 'en',
        status: r.status,
        sent_at: sent,
        acknowledged_at: r.status === 'acknowledged' ? plus(at, r.after!) : null,
        channel: r.status === 'acknowledged' ? 'link' : null,
        failure: r.status === 'undeliverable' ? '550 5.1.1 no such user' : null,
      })
      .execute();
  }
  return id;
}

// Campaign 1 (older): France both acknowledged (1 h, 3 h), Germany silent, Kenya 30 h, Nigeria
// bounced, Mali 10 h, Japan 2 h and one never sent. Campaign 2: France 30 min and 1 h, Kenya 5 h, Germany silent.
const C1: Seeded[] = [
  { state: 'FRA', kind: 'diplomatic', status: 'acknowledged', after: 1 * HOUR },
  { state: 'FRA', kind: 'technical', status: 'acknowledged', after: 3 * HOUR },
  { state: 'DEU', kind: 'diplomatic', status: 'sent' },
  { state: 'KEN', kind: 'technical', status: 'acknowledged', after: 30 * HOUR },
  { state: 'NGA', kind: 'diplomatic', status: 'undeliverable' },
  { state: 'MLI', kind: 'technical', status: 'acknowledged', after: 10 * HOUR },
  { state: 'JPN', kind: 'diplomatic', status: 'acknowledged', after: 2 * HOUR },
  { state: 'JPN', kind: 'technical', status: 'queued' },
];
const C2: Seeded[] = [
  { state: 'FRA', kind: 'diplomatic', status: 'acknowledged', after: 1800 },
  { state: 'FRA', kind: 'technical', status: 'acknowledged', after: HOUR },
  { state: 'KEN', kind: 'technical', status: 'acknowledged', after: 5 * HOUR },
  { state: 'DEU', kind: 'diplomatic', status: 'sent' },
];

const tallyOf = (checked: number, acknowledged: number, undeliverable = 0) => ({ checked, acknowledged, undeliverable, rate: checked ? acknowledged / checked : null });

test('quantile interpolates between closest ranks', () => {
  assert.equal(quantile([], 0.5), null);
  assert.equal(quantile([7], 0.9), 7);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([10, 20, 30, 40, 50], 0.9), 46);
});

eachEngine('check reports: the figures are the recorded facts, each reader sees its share', (ctx) => {
  let app: App;
  let sec: Enrolled;
  let adminKen: Enrolled;
  let pocFra: Enrolled;
  let stakeholder: Enrolled;
  let c1 = '';
  let c2 = '';

  test('setup: two campaigns over six States in three regional groups', async () => {
    app = await testApp(ctx());
    sec = await enrolledClient(app, 'sec@un.example', 'secretariat');
    adminKen = await enrolledClient(app, 'admin@ke.example', 'state-admin', 'KEN');
    pocFra = await enrolledClient(app, 'poc@fr.example', 'poc', 'FRA');
    stakeholder = await enrolledClient(app, 'ngo@civil.example', 'stakeholder');
    const db = app.cadre.database.db;
    const pocs = new Map<string, { id: string; name: string }>();
    for (const r of [...C1, ...C2]) {
      const key = `${r.state}:${r.kind}`;
      if (!pocs.has(key)) pocs.set(key, await seedPoc(db, r.state, r.kind));
    }
    c1 = await seedCampaign(db, C1_AT, C1, pocs);
    c2 = await seedCampaign(db, C2_AT, C2, pocs);
  });

  test('the Secretariat’s report: rates overall, by group, organisation and kind; median, p90 and histogram', async () => {
    const res = await sec.client.json('GET', `/api/v1/checks/${c1}/report`);
    assert.equal(res.statusCode, 200);
    const r = res.json();
    assert.equal(r.audience, 'secretariat');
    assert.deepEqual(r.overall, tallyOf(8, 5, 1));
    // Times 1 h, 2 h, 3 h, 10 h, 30 h: median 3 h; p90 = 10 h + 0.6 × 20 h = 22 h.
    assert.deepEqual(r.time, { count: 5, medianSeconds: 3 * HOUR, p90Seconds: 22 * HOUR });
    assert.deepEqual(r.byGroup, [
      { group: 'African', ...tallyOf(3, 2, 1) },
      { group: 'Asia-Pacific', ...tallyOf(2, 1) },
      { group: 'Eastern European', ...tallyOf(0, 0) },
      { group: 'GRULAC', ...tallyOf(0, 0) },
      { group: 'WEOG', ...tallyOf(3, 2) },
    ]);
    // AU counts Mali (suspended); ECOWAS does not (Mali is a former member): Nigeria alone.
    assert.deepEqual(r.byOrganisation, [
      { organisation: 'ARF', ...tallyOf(2, 1) },
      { organisation: 'AU', ...tallyOf(3, 2, 1) },
      { organisation: 'COE', ...tallyOf(3, 2) },
      { organisation: 'ECOWAS', ...tallyOf(1, 0, 1) },
      { organisation: 'EU', ...tallyOf(3, 2) },
      { organisation: 'OSCE', ...tallyOf(3, 2) },
    ]);
    assert.deepEqual(r.byKind, [
      { kind: 'diplomatic', ...tallyOf(4, 2, 1) },
      { kind: 'technical', ...tallyOf(4, 3) },
    ]);
    assert.deepEqual(
      r.histogram.map((b: { count: number }) => b.count),
      [0, 3, 1, 0, 1, 0, 0],
    );
    assert.deepEqual(r.histogram[1], { fromSeconds: HOUR, toSeconds: 4 * HOUR, count: 3 });
    const outcomes = Object.fromEntries(r.states.map((s: { iso3: string; outcome: string }) => [s.iso3, s.outcome]));
    assert.deepEqual(outcomes, { DEU: 'none', FRA: 'all', JPN: 'some', KEN: 'all', MLI: 'all', NGA: 'undeliverable' });
    const fra = r.states.find((s: { iso3: string }) => s.iso3 === 'FRA');
    assert.deepEqual(fra, { iso3: 'FRA', group: 'WEOG', ...tallyOf(2, 2), outcome: 'all', medianSeconds: 2 * HOUR });
    assert.equal(r.targets.length, 8);
    const jpnQueued = r.targets.find((t: { state: string; kind: string }) => t.state === 'JPN' && t.kind === 'technical');
    assert.equal(jpnQueued.status, 'queued');
    assert.equal(jpnQueued.secondsToAcknowledge, null);
  });

  test('the page draws the map by outcome, with data attributes, words, legend, and no inline style', async () => {
    const page = await sec.client.get(`/checks/${c1}/report`);
    assert.equal(page.statusCode, 200);
    for (const [iso3, outcome] of [['FRA', 'all'], ['DEU', 'none'], ['JPN', 'some'], ['NGA', 'undeliverable'], ['KEN', 'all'], ['BRA', 'unchecked']]) {
      assert.match(page.body, new RegExp(`<path[^>]*data-iso3="${iso3}" data-outcome="${outcome}"`), `${iso3} drawn as ${outcome}`);
    }
    assert.match(page.body, /<tr data-iso3="NGA" data-outcome="undeliverable">/);
    assert.match(page.body, /None acknowledged, an address undeliverable/);
    assert.match(page.body, /<svg class="cr-map"[^>]*role="img" aria-label="World map of the outcome for each State: 3 all acknowledged, 1 some, 1 none, 1 none with an address undeliverable, 187 not checked/);
    assert.match(page.body, /<svg class="chart"[^>]*role="img" aria-label="Bar chart of acknowledgements by time taken: /);
    assert.doesNotMatch(page.body, /\sstyle=/);
    assert.match(page.body, /data-public="off"/);
  });

  test('right to left: the Arabic page runs the histogram from the right', async () => {
    // The x of each value label of the first chart on the page (the histogram), in drawing order.
    const x = (body: string) => {
      const chart = body.slice(body.indexOf('<svg class="chart"'), body.indexOf('</svg>', body.indexOf('<svg class="chart"')));
      return [...chart.matchAll(/<text class="chart-value" x="([\d.]+)"/g)].map((m) => Number(m[1]));
    };
    const en = x((await sec.client.get(`/checks/${c1}/report?lang=en`)).body);
    const arPage = (await sec.client.get(`/checks/${c1}/report?lang=ar`)).body;
    const ar = x(arPage);
    assert.equal(en.length, 7);
    assert.ok(en[0]! < en[6]!, 'left to right in English');
    assert.deepEqual(ar, [...en].reverse(), 'mirrored in Arabic');
    assert.match(arPage, /dir="rtl"/);
    await sec.client.get(`/checks/${c1}/report?lang=en`);
  });

  test('a State’s history across campaigns, newest first', async () => {
    const fra = (await sec.client.json('GET', '/api/v1/checks/states/FRA/history')).json();
    assert.deepEqual(fra, {
      state: 'FRA',
      campaigns: [
        { campaignId: c2, mode: 'routine', createdAt: C2_AT, ...tallyOf(2, 2), medianSeconds: 2700 },
        { campaignId: c1, mode: 'routine', createdAt: C1_AT, ...tallyOf(2, 2), medianSeconds: 2 * HOUR },
      ],
    });
    const deu = (await sec.client.json('GET', '/api/v1/checks/states/DEU/history')).json();
    assert.deepEqual(deu.campaigns.map((c: { rate: number; medianSeconds: number | null }) => [c.rate, c.medianSeconds]), [[0, null], [0, null]]);
    const page = await sec.client.get('/checks/states/KEN');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, new RegExp(`<tr data-campaign="${c2}" data-rate="1" data-median="18000">`));
    assert.match(page.body, new RegExp(`<tr data-campaign="${c1}" data-rate="1" data-median="108000">`));
    assert.match(page.body, /aria-label="Line chart of the median time to acknowledge per campaign, oldest first: /);
  });

  test('another State’s admin sees its own detail and the aggregate, nothing of other States', async () => {
    const r = (await adminKen.client.json('GET', `/api/v1/checks/${c1}/report`)).json();
    assert.equal(r.audience, 'state');
    assert.deepEqual(r.overall, tallyOf(8, 5, 1));
    assert.equal(r.byOrganisation.length, 6);
    assert.deepEqual(r.states, [{ iso3: 'KEN', group: 'African', ...tallyOf(1, 1), outcome: 'all', medianSeconds: 30 * HOUR }]);
    assert.deepEqual(r.targets.map((t: { state: string }) => t.state), ['KEN']);
    const page = await adminKen.client.get(`/checks/${c1}/report`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /technical POC of KEN/);
    assert.doesNotMatch(page.body, /POC of (FRA|DEU|NGA|MLI|JPN)/);
    assert.doesNotMatch(page.body, /data-iso3="FRA"/, 'no per-State map for a State');
    assert.match(page.body, new RegExp(`<tr data-campaign="${c2}" data-rate="1" data-median="18000">`), 'its own history');
    assert.equal((await adminKen.client.json('GET', '/api/v1/checks/states/FRA/history')).statusCode, 403);
    assert.equal((await adminKen.client.get('/checks/states/FRA')).statusCode, 403);
    assert.equal((await adminKen.client.json('GET', '/api/v1/checks/states/KEN/history')).statusCode, 200);
    const csv = await adminKen.client.get(`/checks/${c1}/report.csv`);
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /^text\/csv/);
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    assert.equal(lines[0], 'level,code,checked,acknowledged,undeliverable,response_rate,median_seconds,p90_seconds');
    assert.equal(lines[1], 'overall,,8,5,1,0.625,10800,79200');
    assert.ok(lines.includes('state,KEN,1,1,0,1,108000,'));
    assert.ok(lines.includes('organisation,ECOWAS,1,0,1,0,,'));
    assert.ok(!lines.some((l) => /,FRA,|POC of/.test(l)));
    // A point of contact of France reads France.
    const fra = (await pocFra.client.json('GET', `/api/v1/checks/${c2}/report`)).json();
    assert.deepEqual(fra.states.map((s: { iso3: string }) => s.iso3), ['FRA']);
  });

  test('the Secretariat’s exports: one CSV row per target, JSON under the page path', async () => {
    const csv = await sec.client.get(`/api/v1/checks/${c1}/report.csv`);
    assert.equal(csv.statusCode, 200);
    const lines = csv.body.replace(/^\ufeff/, '').trim().split('\r\n');
    assert.equal(lines[0], 'target_id,state,regional_group,kind,poc_id,name,status,sent_at,acknowledged_at,channel,seconds_to_acknowledge');
    assert.equal(lines.length, 9);
    const fraDip = lines.find((l) => l.includes(',FRA,WEOG,diplomatic,'))!;
    assert.match(fraDip, new RegExp(`,diplomatic POC of FRA,acknowledged,${C1_AT},${plus(C1_AT, HOUR)},link,3600$`));
    assert.match(lines.find((l) => l.includes(',NGA,'))!, /,undeliverable,,,,$/);
    const json = await sec.client.get(`/checks/${c1}/report.json`);
    assert.equal(json.statusCode, 200);
    assert.equal(JSON.parse(json.body).targets.length, 8);
  });

  test('the public: 404 while unpublished; once published, only the aggregate; the switch is the Secretariat’s and audited', async () => {
    const anon = new TestClient(app);
    for (const path of [`/checks/${c1}/report`, `/checks/${c1}/report.csv`, `/checks/${c1}/report.json`, `/api/v1/checks/${c1}/report`, `/api/v1/checks/${c1}/report.csv`, '/checks/reports']) {
      assert.equal((await anon.get(path)).statusCode, 404, path);
      assert.equal((await stakeholder.client.get(path)).statusCode, 404, `${path} (stakeholder)`);
    }
    assert.equal((await anon.get('/api/v1/checks/states/FRA/history')).statusCode, 401);
    await adminKen.client.get('/checks/reports');
    assert.equal((await adminKen.client.post('/checks/reports/public?set=on', {})).statusCode, 403);
    await sec.client.get(`/checks/${c1}/report`);
    const on = await sec.client.post(`/checks/reports/public?set=on&campaign=${c1}`, {});
    assert.equal(on.statusCode, 303);
    assert.equal(on.headers.location, `/checks/${c1}/report`);
    const events = await listAuditEvents(app.cadre.database.db, { action: 'check.reports.published', limit: 5 });
    assert.equal(events.length, 1);
    assert.deepEqual(JSON.parse(events[0]!.details), { before: 'off', after: 'on' });

    const r = (await anon.get(`/api/v1/checks/${c1}/report`, { accept: 'application/json' })).json();
    assert.equal(r.audience, 'public');
    assert.deepEqual(r.overall, tallyOf(8, 5, 1));
    assert.deepEqual(r.time, { count: 5, medianSeconds: 3 * HOUR, p90Seconds: null });
    // A group of one or two checked States would show those States: Japan alone, France and Germany.
    const withheld = { checked: 0, acknowledged: 0, undeliverable: 0, rate: null, withheld: true };
    assert.deepEqual(r.byGroup, [
      { group: 'African', ...tallyOf(3, 2, 1) },
      { group: 'Asia-Pacific', ...withheld },
      { group: 'Eastern European', ...tallyOf(0, 0) },
      { group: 'GRULAC', ...tallyOf(0, 0) },
      { group: 'WEOG', ...withheld },
    ]);
    for (const hidden of ['byOrganisation', 'byKind', 'histogram', 'states', 'targets']) assert.equal(r[hidden], undefined, hidden);
    const page = await anon.get(`/checks/${c1}/report`);
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /data-iso3=|POC of|data-public=/);
    assert.match(page.body, /<tr data-key="WEOG" data-rate data-withheld="yes"><th scope="row">[^<]+<\/th><td colspan="4">Withheld: fewer than 3 States/);
    const csv = (await anon.get(`/checks/${c1}/report.csv`)).body.replace(/^\ufeff/, '').trim().split('\r\n');
    assert.deepEqual(csv.map((l) => l.split(',')[0]), ['level', 'overall', 'group', 'group', 'group', 'group', 'group']);
    assert.equal(csv[1], 'overall,,8,5,1,0.625,10800,');
    assert.ok(csv.includes('group,WEOG,,,,,,'), 'a withheld group has no figure in the CSV either');
    assert.equal((await anon.get('/checks/reports')).statusCode, 200);
    assert.equal((await anon.get(`/checks/${newId()}/report`)).statusCode, 404);

    await sec.client.post('/checks/reports/public?set=off', {});
    assert.equal((await anon.get(`/checks/${c1}/report`)).statusCode, 404);
  });
});
