import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../testing/engines.ts';
import { testApp } from '../../testing/app.ts';
import { seed } from '../../testing/seeds.ts';
import type { App } from '../../web/types.ts';
import { ingestDocument } from '../library/ingest.service.ts';
import { frameworkRegister, type FrameworkEntry, type FrameworkFamily } from './framework.service.ts';
import { citationReaches } from './register.ts';

const OPERATOR = { id: null, label: 'test' };

const ids = (families: FrameworkFamily[], family: string) => families.find((f) => f.family === family)!.entries.map((e) => e.id);
const entry = (families: FrameworkFamily[], id: string): FrameworkEntry => families.flatMap((f) => f.entries).find((e) => e.id === id)!;

test('a citation naming a paragraph reaches the entries inside it, and only those', () => {
  assert.ok(citationReaches('1.8', { annex: false, path: ['1', '8'] }));
  assert.ok(citationReaches('1', { annex: false, path: ['1', '8'] }));
  assert.ok(!citationReaches('1.3', { annex: false, path: ['1', '8'] }));
  assert.ok(citationReaches('26 c', { annex: false, path: ['26', 'c'] }));
  assert.ok(!citationReaches('16 a', { annex: true, path: ['16', 'a'] }), 'a body paragraph is not the annex one');
  assert.ok(citationReaches('annex 16 a', { annex: true, path: ['16', 'a'] }));
  assert.ok(citationReaches('annex I 16', { annex: true, path: ['16', 'a'] }));
});

eachEngine('framework register', (ctx) => {
  let app: App;

  test('without its source texts the page says what to add to the library, and the API has no entries', async () => {
    app = await testApp(ctx());
    const page = await app.inject('/framework?lang=en');
    assert.equal(page.statusCode, 200);
    for (const symbol of ['A/RES/73/27', 'A/68/98', 'A/77/275']) assert.match(page.body, new RegExp(`${symbol} is not in the library yet`));
    assert.match(page.body, /href="\/library"/);
    const json = (await app.inject('/api/v1/framework')).json();
    assert.ok(json.families.every((f: FrameworkFamily) => f.source === null && f.entries.length === 0));
    assert.equal((await app.inject('/framework/norm-1.1')).statusCode, 404);
    assert.equal((await app.inject('/api/v1/framework/norm-1.1')).statusCode, 404);
  });

  test('read from the seeds: 13 norms, CBMs 26 a–f, capacity building 32 a–e, proposals and next steps of A/77/275', async () => {
    await ingestDocument(app.cadre, OPERATOR, { name: 'res.txt', bytes: seed('res7327') });
    await ingestDocument(app.cadre, OPERATOR, { name: 'gge.txt', bytes: seed('gge2013') });
    // The seed of A/77/275 does not state its symbol (it opens with the title).
    await ingestDocument(app.cadre, OPERATOR, { name: 'oewg.txt', bytes: seed('oewg2022'), symbol: 'A/77/275' });
    await ingestDocument(app.cadre, OPERATOR, { name: 'draft2019.txt', bytes: seed('draft2019') });
    await ingestDocument(app.cadre, OPERATOR, { name: 'draft2023.txt', bytes: seed('draft2023') });
    const started = performance.now();
    const families = await frameworkRegister(app.cadre, 'fr');
    process.stderr.write(`framework register built in ${(performance.now() - started).toFixed(1)} ms [${ctx().engine}]\n`);

    assert.deepEqual(ids(families, 'norm'), Array.from({ length: 13 }, (_, i) => `norm-1.${i + 1}`));
    assert.deepEqual(ids(families, 'cbm'), ['a', 'b', 'c', 'd', 'e', 'f'].map((l) => `cbm-26${l}`));
    assert.deepEqual(ids(families, 'capacity'), ['a', 'b', 'c', 'd', 'e'].map((l) => `capacity-32${l}`));
    const nextSteps = ids(families, 'next-step');
    assert.equal(nextSteps.length, 20);
    assert.deepEqual(
      ['B', 'C', 'D', 'E', 'F', 'G'].map((s) => nextSteps.filter((id) => id.startsWith(`next-step-${s}-`)).length),
      [2, 3, 3, 5, 4, 3],
    );
    const proposals = ids(families, 'proposal');
    assert.equal(proposals.length, 24);
    assert.ok(proposals.includes('proposal-E-16a') && proposals.includes('proposal-G-18b'));
    assert.ok(!proposals.some((id) => id.startsWith('proposal-B-')), 'section B (threats) makes no proposals');

    const norm18 = entry(families, 'norm-1.8');
    assert.match(norm18.text, /^Les États répondent aux demandes d’aide/);
    assert.equal(norm18.source.eId, 'para_1__para_1-8');
    assert.equal(norm18.source.permalink, '/library/fr/A/RES/73/27#para_1__para_1-8');
    assert.ok(norm18.title.length > 0 && norm18.text.startsWith(norm18.title.replace(/…$/u, '')));
    assert.match(entry(families, 'cbm-26c').text, /incidents/);
    assert.match(entry(families, 'capacity-32a').text, /^Soutenir/);
    const poc = entry(families, 'next-step-E-2');
    assert.match(poc.text, /répertoire mondial et intergouvernemental/);
    assert.equal(poc.source.permalink, '/library/fr/A/77/275#annex_1__sec_E__nextstep_2');
    const c = entry(families, 'proposal-C-14c');
    assert.deepEqual(c.items.map((i) => i.num), ['i', 'ii'], 'roman sub-points folded into their proposal');

    // Cited by: both drafts recall 73/27, so every norm lists them; A/77/275's annex recalls A/68/98.
    for (const norm of families.find((f) => f.family === 'norm')!.entries) {
      const citing = norm.citedBy.filter((x) => x.symbol === null || x.symbol !== 'A/RES/73/27');
      assert.ok(citing.length >= 2, `${norm.id} cited by both drafts`);
    }
    const draftIds = (await ctx().database.db.selectFrom('document').select('id').where('kind', '=', 'draft-resolution').execute()).map((d) => d.id);
    assert.equal(draftIds.length, 2);
    for (const id of draftIds) assert.ok(norm18.citedBy.some((x) => x.href.startsWith(`/library/id/${id}#`)), `draft ${id} cites 73/27`);
    assert.ok(entry(families, 'cbm-26a').citedBy.some((x) => x.symbol === 'A/RES/73/27'));
    assert.ok(entry(families, 'cbm-26a').citedBy.some((x) => x.symbol === 'A/77/275'));
  });

  test('the ids are the same after a changed text is ingested as a new version, and in another language', async () => {
    const before = await frameworkRegister(app.cadre, 'fr');
    const changed = Buffer.from(seed('res7327').toString('utf8').replace('Les États répondent aux demandes', 'Les États répondent sans délai aux demandes'));
    const r = await ingestDocument(app.cadre, OPERATOR, { name: 'res-v2.txt', bytes: changed });
    assert.equal(r.status, 'new-version');
    const after = await frameworkRegister(app.cadre, 'en');
    for (const family of ['norm', 'cbm', 'capacity', 'proposal', 'next-step']) assert.deepEqual(ids(after, family), ids(before, family), family);
    const norm18 = entry(after, 'norm-1.8');
    assert.equal(norm18.source.version, 2);
    assert.match(norm18.text, /répondent sans délai/, 'read from the latest version (French: the only language held)');
    assert.equal(norm18.source.language, 'fr');
  });

  test('the reader\'s language is preferred where the library holds it; the ids do not depend on it', async () => {
    const english = [
      '73/27. Developments in the field of information and telecommunications in the context of international security',
      'The General Assembly,',
      'Recalling its resolutions 36/103 of 9 December 1981 and 71/28 of 5 December 2016,',
      '1. Welcomes the following set of international rules, norms and principles of responsible behaviour of States:',
      '1.1. Consistent with the purposes of the United Nations, States should cooperate in developing and applying measures to increase stability and security in the use of ICTs;',
      '1.2. In case of ICT incidents, States should consider all relevant information;',
      '1.3. States should not knowingly allow their territory to be used for internationally wrongful acts using ICTs;',
      '2. Calls upon Member States to promote further at multilateral levels the consideration of existing and potential threats;',
      '45th plenary meeting',
      '5 December 2018',
    ].join('\n\n');
    const r = await ingestDocument(app.cadre, OPERATOR, { name: 'res-en.txt', bytes: Buffer.from(english) });
    assert.equal(r.language, 'en');
    const en = await frameworkRegister(app.cadre, 'en');
    const fr = await frameworkRegister(app.cadre, 'fr');
    assert.deepEqual(ids(en, 'norm'), ['norm-1.1', 'norm-1.2', 'norm-1.3'], 'read from the English text');
    assert.equal(entry(en, 'norm-1.2').source.permalink, '/library/en/A/RES/73/27#para_1__para_1-2');
    assert.match(entry(en, 'norm-1.2').text, /^In case of ICT incidents/);
    assert.equal(ids(fr, 'norm').length, 13);
    assert.match(entry(fr, 'norm-1.2').text, /^Les États remplissent/);
    assert.deepEqual(ids(en, 'cbm'), ids(fr, 'cbm'), 'A/68/98 is held in French only: read in French for every reader');
    assert.equal(entry(en, 'cbm-26a').source.language, 'fr');
    const api = (await app.inject('/api/v1/framework/norm-1.3?lang=en')).json() as FrameworkEntry;
    assert.equal(api.source.language, 'en');
  });

  test('the page groups the entries by family, and the JSON says the same', async () => {
    const page = await app.inject('/framework?lang=fr');
    assert.equal(page.statusCode, 200);
    const json = (await app.inject('/api/v1/framework?lang=fr')).json() as { families: FrameworkFamily[] };
    const all = json.families.flatMap((f) => f.entries);
    assert.equal(all.length, 13 + 6 + 5 + 24 + 20);
    for (const e of all) {
      assert.ok(page.body.includes(`id="${e.id}"`), e.id);
      assert.ok(page.body.includes(`href="${e.source.permalink}"`), `${e.id} links its source paragraph`);
    }
    const escaped = (s: string) => s.replace(/&/gu, '&amp;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
    assert.ok(page.body.includes(escaped(all.find((e) => e.id === 'norm-1.11')!.text)));
    assert.doesNotMatch(page.body, /is not in the library yet|ne figure pas encore/);
    assert.match(page.body, /<nav[^>]*>[\s\S]*href="\/framework"/, 'the main navigation links the register');

    const one = await app.inject('/framework/cbm-26c?lang=ar');
    assert.equal(one.statusCode, 200);
    assert.match(one.body, /<html lang="ar" dir="rtl">/);
    assert.match(one.body, /<p lang="fr" dir="ltr">/, 'a French text inside an Arabic page keeps its own direction');
    const api = (await app.inject('/api/v1/framework/cbm-26c')).json() as FrameworkEntry;
    assert.deepEqual(api, json.families.find((f) => f.family === 'cbm')!.entries.find((e) => e.id === 'cbm-26c'));
    assert.equal((await app.inject('/framework/norm-1.14')).statusCode, 404);
    const spec = (await app.inject('/api/openapi.json')).json() as { paths: Record<string, unknown> };
    assert.ok(spec.paths['/api/v1/framework'] && spec.paths['/api/v1/framework/{id}']);
    await app.close();
  });
});
