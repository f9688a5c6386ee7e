import { test } from 'node:test';
import assert from 'node:assert/strict';
import { migrate } from '../../db/migrate.ts';
import { eachEngine } from '../../testing/engines.ts';
import { testApp } from '../../testing/app.ts';
import type { App } from '../../web/types.ts';

eachEngine('regional organisations', (ctx) => {
  let app: App;

  test('the twelve organisations and their members are loaded from the reference facts', async () => {
    app = await testApp(ctx());
    const { organisations } = (await app.inject('/api/v1/regional-organisations')).json() as {
      organisations: { id: string; members: { iso3: string; status: string }[]; nonUnMembers: string[] }[];
    };
    assert.deepEqual(organisations.map((o) => o.id), ['ARF', 'ASEAN', 'AU', 'CIS', 'COE', 'ECOWAS', 'EU', 'LAS', 'OAS', 'OSCE', 'PIF', 'SCO']);
    const byId = new Map(organisations.map((o) => [o.id, o]));
    const osce = byId.get('OSCE')!;
    assert.equal(osce.members.length, 56);
    assert.deepEqual(osce.nonUnMembers, ['VAT']);
    const status = (org: string, iso3: string) => byId.get(org)!.members.find((m) => m.iso3 === iso3)?.status;
    assert.equal(status('AU', 'GIN'), 'suspended');
    assert.equal(status('AU', 'KEN'), 'member');
    assert.equal(status('OAS', 'NIC'), 'former');
    assert.equal(status('CIS', 'TKM'), 'associate');
    assert.equal(status('COE', 'RUS'), 'former');
    assert.equal(status('ECOWAS', 'MLI'), 'former');
    assert.equal(byId.get('EU')!.members.length, 27);
  });

  test('migrating again changes nothing', async () => {
    const before = await ctx().database.db.selectFrom('regional_membership').selectAll().execute();
    await migrate(ctx().database);
    const after = await ctx().database.db.selectFrom('regional_membership').selectAll().execute();
    assert.equal(after.length, before.length);
  });

  test('the page names organisations and States in the reader’s language', async () => {
    const fr = await app.inject('/regional-organisations?lang=fr');
    assert.equal(fr.statusCode, 200);
    assert.match(fr.body, /Organisation pour la sécurité et la coopération en Europe/);
    assert.match(fr.body, /56 États Membres, au 2025-12-31/);
    assert.match(fr.body, /suspendu/);
    const ar = await app.inject('/regional-organisations?lang=ar');
    assert.match(ar.body, /<html lang="ar" dir="rtl">/);
    assert.match(ar.body, /الاتحاد الأفريقي/);
    assert.match((await app.inject('/states')).body, /href="\/regional-organisations"/);
  });

  test('one organisation by code; an unknown code is a problem, not an error', async () => {
    const au = (await app.inject('/api/v1/regional-organisations/au')).json();
    assert.equal(au.id, 'AU');
    assert.deepEqual(au.nonUnMembers, ['ESH']);
    const missing = await app.inject('/api/v1/regional-organisations/XYZ');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.json().detail, /no regional organisation with the code XYZ/);
    await app.close();
  });
});
