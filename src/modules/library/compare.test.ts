import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../testing/engines.ts';
import { testApp } from '../../testing/app.ts';
import { seed } from '../../testing/seeds.ts';
import type { App } from '../../web/types.ts';
import { compareTexts } from './compare.service.ts';
import { ingestDocument } from './ingest.service.ts';

const OPERATOR = { id: null, label: 'test' };

interface PairJson {
  status: string;
  similarity: number;
  a: { eId: string; text: string; href: string } | null;
  b: { eId: string; text: string; href: string } | null;
  words?: { op: string; text: string }[];
  verbChange?: { from: string; to: string };
}

eachEngine('library comparison', (ctx) => {
  let app: App;
  let res: string;
  let draft: string;

  test('A/RES/73/27 against the 2019 draft: the recall list gains 73/27, "Accueille favorablement" becomes "Se félicite"', async () => {
    app = await testApp(ctx());
    res = (await ingestDocument(app.cadre, OPERATOR, { name: 'res.txt', bytes: seed('res7327') })).documentId;
    draft = (await ingestDocument(app.cadre, OPERATOR, { name: 'draft.txt', bytes: seed('draft2019') })).documentId;
    const r = await app.inject(`/api/v1/library/compare?a=${res}&b=${draft}`);
    assert.equal(r.statusCode, 200);
    const body = r.json() as { a: { symbol: string }; summary: Record<string, number>; pairs: PairJson[]; verbChanges: { a: string; b: string; from: string; to: string }[] };
    assert.equal(body.a.symbol, 'A/RES/73/27');
    const recall = body.pairs.find((p) => p.a?.eId === 'preamble__p_1')!;
    assert.equal(recall.status, 'modified');
    assert.equal(recall.b!.eId, 'preamble__p_1');
    assert.match(recall.a!.text, /^Rappelant ses résolutions 36\/103/);
    const inserted = recall.words!.filter((w) => w.op === 'insert').map((w) => w.text).join(' ');
    assert.match(inserted, /73\/27 du 5 décembre 2018/, 'the added resolution in the word diff');
    assert.ok(recall.words!.filter((w) => w.op === 'equal').some((w) => w.text.includes('36/103 du 9 décembre 1981')), 'the rest of the list unchanged');
    assert.ok(recall.similarity > 0.9);
    assert.ok(body.verbChanges.some((v) => v.a === 'para_1' && v.b === 'para_1' && v.from === 'Accueille favorablement' && v.to === 'Se félicite'));
    const total = body.pairs.length;
    assert.equal(Object.values(body.summary).reduce((x, y) => x + y, 0), total);
    assert.ok(body.summary.added! > 0 && body.summary.removed! > 0 && body.summary.unchanged! > 0, JSON.stringify(body.summary));
    // Each paragraph once, on its side.
    const eidsA = body.pairs.flatMap((p) => (p.a ? [p.a.eId] : []));
    assert.equal(new Set(eidsA).size, eidsA.length);
    assert.match(recall.a!.href, /^\/library\/fr\/A\/RES\/73\/27#preamble__p_1$/);
  });

  test('a document compared with itself is unchanged throughout', async () => {
    const view = await compareTexts(app.cadre, { id: res }, { id: res });
    assert.equal(view.result.summary.unchanged, view.a.paragraphs.length);
    assert.equal(view.result.pairs.length, view.a.paragraphs.length);
    assert.deepEqual(view.result.verbChanges, []);
  });

  test('version 1 against version 2 of a re-ingested text: one paragraph modified, one added, the rest unchanged', async () => {
    const revised = seed('res7327')
      .toString('utf8')
      .replace('Notant que des progrès considérables', 'Notant que des progrès remarquables')
      .replace(' Notant que le renforcement des capacités', ' Constatant que les menaces numériques évoluent rapidement,\n\n Notant que le renforcement des capacités');
    const r = await ingestDocument(app.cadre, OPERATOR, { name: 'revised.txt', bytes: Buffer.from(revised) });
    assert.equal(r.status, 'new-version');
    const view = await compareTexts(app.cadre, { id: res, version: 1 }, { id: res, version: 2 });
    assert.deepEqual({ ...view.result.summary, unchanged: 0 }, { unchanged: 0, modified: 1, moved: 0, added: 1, removed: 0, aligned: 0 });
    assert.equal(view.result.summary.unchanged, view.a.paragraphs.length - 1);
    const modified = view.result.pairs.find((p) => p.status === 'modified')!;
    assert.deepEqual(modified.words!.filter((w) => w.op !== 'equal').map((w) => w.text), ['considérables', 'remarquables']);
    const added = view.result.pairs.find((p) => p.status === 'added')!;
    assert.match(view.paragraphB.get(added.b!)!.text, /^Constatant/);
    const page = await app.inject(`/library/id/${res}?lang=en`);
    assert.match(page.body, new RegExp(`href="/library/compare\\?a=${res}&amp;av=1&amp;b=${res}&amp;bv=2">Compare with version 1<`));
  });

  test('the side-by-side page in English and in Arabic, each text column in its own language', async () => {
    const en = await app.inject(`/library/compare?a=${res}&av=1&b=${draft}&lang=en`);
    assert.equal(en.statusCode, 200);
    assert.match(en.body, /<h2 id="compare-text">Side by side<\/h2>/);
    assert.match(en.body, /<ins>[^<]*73\/27 du 5 décembre 2018/);
    assert.match(en.body, /<del>Accueille favorablement<\/del>/, 'the verb change listed');
    assert.match(en.body, /<td lang="fr" dir="ltr"><a class="permalink" href="\/library\/fr\/A\/RES\/73\/27\?version=1#preamble__p_1"/);
    assert.match(en.body, /<option value="[^"]+" selected>A\/RES\/73\/27/, 'the form keeps the choice');
    assert.match(en.body, /<th scope="col" lang="fr">Draft resolution, session 74 · Version 1<\/th>/, 'a draft without a symbol named by kind and session');
    const ar = await app.inject(`/library/compare?a=${res}&b=${draft}&lang=ar`);
    assert.equal(ar.statusCode, 200);
    assert.match(ar.body, /<html[^>]*dir="rtl"/);
    assert.match(ar.body, /جنباً إلى جنب/);
    assert.match(ar.body, /<td lang="fr" dir="ltr">/, 'the French text stays left to right on the Arabic page');
    assert.doesNotMatch(ar.body, /style=/);
  });

  test('paragraph text is escaped, inside and outside the word diff', async () => {
    const v1 = await ingestDocument(app.cadre, OPERATOR, { name: 'n1.txt', bytes: Buffer.from('Une note <b>grasse</b> sur les travaux.\n\nUn second alinéa <i>inchangé</i>.'), symbol: 'A/79/901' });
    await ingestDocument(app.cadre, OPERATOR, { name: 'n2.txt', bytes: Buffer.from('Une note <b>maigre</b> sur les travaux.\n\nUn second alinéa <i>inchangé</i>.'), symbol: 'A/79/901' });
    const page = await app.inject(`/library/compare?a=${v1.documentId}&av=1&b=${v1.documentId}&bv=2`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<del>grasse<\/del>/);
    assert.match(page.body, /&lt;b>|&lt;b&gt;/);
    assert.doesNotMatch(page.body, /<b>|<i>/);
  });

  test('unknown documents or versions: 404 page and problem; a missing choice: the form with a field message', async () => {
    const page = await app.inject(`/library/compare?a=${res}&b=00000000-0000-4000-8000-000000000000&lang=en`);
    assert.equal(page.statusCode, 404);
    assert.match(String(page.headers['content-type']), /text\/html/);
    assert.match(page.body, /<p id="b-error" class="error-message">There is no such document in the library\.<\/p>/, 'the form again, the message on the field');
    const noVersion = await app.inject(`/library/compare?a=${res}&av=7&b=${draft}&lang=en`);
    assert.equal(noVersion.statusCode, 404);
    assert.match(noVersion.body, /<p id="av-error" class="error-message">This document has no version 7\.<\/p>/);
    const api = await app.inject(`/api/v1/library/compare?a=nonsense&b=${res}`);
    assert.equal(api.statusCode, 404);
    assert.match(String(api.headers['content-type']), /application\/problem\+json/);
    assert.equal(api.json().errors[0].field, 'a');
    assert.equal((await app.inject(`/api/v1/library/compare?a=${res}&av=9&b=${res}`)).statusCode, 404);
    assert.equal((await app.inject(`/api/v1/library/compare?a=${res}`)).statusCode, 400);
    assert.match((await app.inject('/library?lang=en')).body, /<a href="\/library\/compare">Compare texts<\/a>/);
    const first = await app.inject('/library/compare?lang=en');
    assert.equal(first.statusCode, 200);
    assert.doesNotMatch(first.body, /error-message/);
    assert.match(first.body, /<option value="[^"]+">A\/RES\/73\/27/);
    const half = await app.inject(`/library/compare?a=${res}&b=&lang=en`);
    assert.equal(half.statusCode, 400);
    assert.match(half.body, /<p id="b-error" class="error-message">Choose the text to compare\.<\/p>/);
    assert.doesNotMatch(half.body, /id="a-error"/);
  });

  test('the English and French versions of one resolution are aligned by structure, not compared word by word', async () => {
    const english = [
      'Resolution adopted by the General Assembly on 5 December 2018',
      '',
      '73/27. Developments in the field of information and telecommunications in the context of international security',
      '',
      'The General Assembly,',
      '',
      'Recalling its resolutions 53/70 of 4 December 1998 and 71/28 of 5 December 2016,',
      '',
      'Noting that considerable progress has been achieved in developing and applying the latest information technologies,',
      '',
      '1. Welcomes the report of the Group of Governmental Experts (A/70/174);',
      '',
      '2. Requests the Secretary-General to submit a report at its seventy-fourth session;',
      '',
    ].join('\n');
    const en = (await ingestDocument(app.cadre, OPERATOR, { name: 'res-en.txt', bytes: Buffer.from(english), symbol: 'A/RES/73/27' })).documentId;
    const r = await app.inject(`/api/v1/library/compare?a=${res}&b=${en}`);
    assert.equal(r.statusCode, 200);
    const body = r.json() as { mode: string; summary: Record<string, number>; pairs: PairJson[] };
    assert.equal(body.mode, 'translation');
    assert.ok(body.pairs.every((p) => p.words === undefined));
    const aligned = body.pairs.filter((p) => p.status === 'aligned').map((p) => [p.a!.eId, p.b!.eId]);
    assert.ok(aligned.some(([a, b]) => a === 'para_1' && b === 'para_1'), JSON.stringify(aligned));
    assert.ok(aligned.some(([a, b]) => a === 'para_2' && b === 'para_2'), JSON.stringify(aligned));
    assert.ok(body.summary.removed! > 0, 'what the short English text lacks stands alone');
    const page = await app.inject(`/library/compare?a=${res}&b=${en}&lang=fr`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Les deux textes sont dans des langues différentes/);
    assert.match(page.body, /<span class="badge">Aligné<\/span>/);
    assert.doesNotMatch(page.body, /id="compare-verbs"/);
  });

  test('the comparison is public, listed in the OpenAPI document', async () => {
    const doc = (await app.inject('/api/openapi.json')).json() as { paths: Record<string, { get?: { responses: Record<string, unknown> } }> };
    assert.ok(doc.paths['/api/v1/library/compare']?.get?.responses['200']);
    await app.close();
  });
});
