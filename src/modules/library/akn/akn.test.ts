import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { seed, SEED_FILES } from '../../../testing/seeds.ts';
import type { App } from '../../../web/types.ts';
import { ingestDocument } from '../ingest.service.ts';
import { AKN_NAMESPACE, serializeAkn, type AknSource } from './akn.serializer.ts';
import { escapeAttribute, escapeText, XmlWriter } from './xml-writer.ts';
import { parseXml, walk, type XmlElement } from './xml.testing.ts';

const OPERATOR = { id: null, label: 'test' };

test('the writer escapes text and attributes, drops characters XML forbids, refuses bad names and unbalanced trees', () => {
  assert.equal(escapeText('a < b && c > "d"'), 'a &lt; b &amp;&amp; c &gt; "d"');
  assert.equal(escapeAttribute(`x"y'<&>\n`), 'x&quot;y&apos;&lt;&amp;&gt;&#10;');
  assert.equal(escapeText('bell\u0007 and lone \uD800 surrogate, 😀 kept'), 'bell and lone  surrogate, 😀 kept');
  const w = new XmlWriter().open('root', { a: '1 < 2 & "3"' }).element('p', {}, '<script>&amp;</script>').empty('br').close();
  const root = parseXml(w.toString());
  assert.equal(root.attrs.a, '1 < 2 & "3"');
  assert.equal(root.children[0]!.text, '<script>&amp;</script>');
  assert.throws(() => new XmlWriter().open('bad name'), /not an XML name/);
  assert.throws(() => new XmlWriter().open('a', { 'on"x': '1' }), /not an XML name/);
  assert.throws(() => new XmlWriter().open('a').toString(), /unclosed/);
  assert.throws(() => new XmlWriter().open('a').close('b'), /closing <b>/);
});

test('a synthetic text with markup characters, nested points, a section and an annex serialises to well-formed AKN', () => {
  const p = (eid: string, kind: string, num: string | null, parent: string | null, text: string, opening: string | null = null) => ({ eid, kind, num, parent_eid: parent, opening_word: opening, text });
  const src: AknSource = {
    document: { id: '00000000-0000-4000-8000-000000000001', symbol: 'A/RES/99/1', language: 'en' },
    version: { version: 2, kind: 'resolution', title: 'Tags & <things>', date: '2044-12-01', ingested_at: '2044-12-02T10:00:00.000Z' },
    paragraphs: [
      p('preface__p_1', 'heading', null, null, '99/1. Tags & <things>'),
      p('preamble__formula', 'heading', null, null, 'The General Assembly,'),
      p('preamble__p_1', 'preambular', null, null, 'Recalling resolution 73/27 and A/68/98 "quoted" <b>bold</b>,', 'Recalling'),
      p('para_1', 'operative', '1', null, 'Decides that a < b & c > d:', 'Decides'),
      p('para_1__point_a', 'point', 'a', 'para_1', 'first;'),
      p('para_1__point_a__point_i', 'point', 'i', 'para_1__point_a', 'deeper \u0001 still;'),
      p('sec_II__heading', 'heading', 'II', null, 'Section & two'),
      p('para_2', 'operative', '2', null, 'Requests "everyone".', 'Requests'),
      p('annex_1__heading', 'heading', null, null, 'Annex'),
      p('annex_1__sec_A__heading', 'heading', 'A', null, 'First part'),
      p('annex_1__sec_A__para_1', 'body', '1', null, 'Annex text.'),
    ],
    footnotes: [
      { num: '1', text: 'See A/68/98 & <more>.', paragraph_eid: 'preamble__p_1' },
      { num: '*', text: 'Unplaced note.', paragraph_eid: null },
    ],
    citations: [
      { paragraph_eid: 'preamble__p_1', target_symbol: 'A/RES/73/27' },
      { paragraph_eid: 'preamble__p_1', target_symbol: 'A/68/98' },
    ],
    works: new Map([['A/68/98', '/akn/un/doc/report/unga/2013-06-24/A-68-98']]),
  };
  const xml = serializeAkn(src);
  const root = parseXml(xml);
  assert.equal(root.name, 'akomaNtoso');
  assert.equal(root.attrs.xmlns, AKN_NAMESPACE);
  const statement = root.children[0]!;
  assert.equal(statement.name, 'statement');
  assert.equal(statement.attrs.name, 'resolution');
  assert.deepEqual(statement.children.map((c) => c.name), ['meta', 'preface', 'preamble', 'mainBody', 'conclusions', 'attachments']);
  const byEid = new Map<string, XmlElement>();
  for (const el of walk(root)) {
    if (!el.attrs.eId) continue;
    assert.ok(!byEid.has(el.attrs.eId), `eId ${el.attrs.eId} twice`);
    byEid.set(el.attrs.eId, el);
  }
  for (const para of src.paragraphs) assert.ok(byEid.has(para.eid), para.eid);
  assert.match(byEid.get('para_1')!.text, /a < b & c > d/);
  assert.deepEqual(byEid.get('para_1')!.children.map((c) => c.name), ['num', 'intro', 'point']);
  assert.equal(byEid.get('para_1__point_a__point_i')!.text, 'i)deeper  still;', 'control character dropped');
  assert.equal(byEid.get('sec_II')!.name, 'hcontainer');
  assert.equal(byEid.get('sec_II__heading')!.name, 'heading');
  assert.equal(byEid.get('att_1')!.children[0]!.attrs.name, 'annex');
  const pre = byEid.get('preamble__p_1')!;
  const refs = [...walk(pre)].filter((e) => e.name === 'ref');
  assert.deepEqual(refs.map((r) => [r.text, r.attrs.href]), [
    ['A/68/98', '/akn/un/doc/report/unga/2013-06-24/A-68-98'],
    ['A/68/98', '/akn/un/doc/report/unga/2013-06-24/A-68-98'],
  ], 'held texts are refs (in the paragraph and its note); 73/27, not held, stays text');
  assert.equal([...walk(pre)].find((e) => e.name === 'i')?.text, 'Recalling');
  const note = [...walk(pre)].find((e) => e.name === 'authorialNote')!;
  assert.equal(note.attrs.marker, '1');
  assert.equal(note.attrs.placement, 'bottom');
  assert.match(note.text, /See A\/68\/98 & <more>\./);
  assert.ok([...walk(root)].some((e) => e.name === 'authorialNote' && e.attrs.marker === '*'), 'an unplaced note is kept');
  const frbr = (level: string, name: string) => [...walk(root)].find((e) => e.name === level)!.children.find((c) => c.name === name)!.attrs;
  assert.equal(frbr('FRBRWork', 'FRBRthis').value, '/akn/un/statement/deliberation/unga/2044-12-01/A-RES-99-1/!main');
  assert.equal(frbr('FRBRExpression', 'FRBRlanguage').language, 'eng');
  assert.equal(frbr('FRBRExpression', 'FRBRuri').value, '/akn/un/statement/deliberation/unga/2044-12-01/A-RES-99-1/eng@cadre-v2');
  assert.equal([...walk(root)].find((e) => e.name === 'docTitle')?.text, 'Tags & <things>');
});

eachEngine('Akoma Ntoso export', (ctx) => {
  let app: App;
  const ids = new Map<string, string>();

  test('every seed exports as well-formed AKN with each paragraph eId exactly once', async () => {
    app = await testApp(ctx());
    for (const name of Object.keys(SEED_FILES) as (keyof typeof SEED_FILES)[]) {
      const r = await ingestDocument(app.cadre, OPERATOR, { name: SEED_FILES[name], bytes: seed(name) });
      ids.set(name, r.documentId);
    }
    for (const [name, id] of ids) {
      const res = await app.inject(`/api/v1/library/documents/${id}/akn.xml`);
      assert.equal(res.statusCode, 200, name);
      assert.match(res.headers['content-type'] as string, /^application\/akn\+xml/);
      assert.match(res.headers['content-disposition'] as string, /^attachment; filename="[A-Za-z0-9._-]+\.fr\.akn\.xml"$/);
      const root = parseXml(res.body);
      const doc = (await app.inject(`/api/v1/library/documents/${id}`)).json() as { paragraphs: { eId: string }[]; footnotes: unknown[] };
      const seen = new Map<string, number>();
      for (const el of walk(root)) if (el.attrs.eId) seen.set(el.attrs.eId, (seen.get(el.attrs.eId) ?? 0) + 1);
      for (const [eid, n] of seen) assert.equal(n, 1, `${name}: eId ${eid} appears ${n} times`);
      for (const p of doc.paragraphs) assert.ok(seen.has(p.eId), `${name}: ${p.eId} missing`);
      assert.equal([...walk(root)].filter((e) => e.name === 'authorialNote').length, doc.footnotes.length, `${name}: every footnote once`);
    }
  });

  test('A/RES/73/27: a resolution statement, the 13 norms under para_1, 5 footnotes where they are called, refs to A/68/98', async () => {
    const res = await app.inject(`/api/v1/library/documents/${ids.get('res7327')}/akn.xml`);
    assert.equal(res.headers['content-disposition'], 'attachment; filename="A_RES_73_27.fr.akn.xml"');
    const root = parseXml(res.body);
    const statement = root.children[0]!;
    assert.equal(statement.name, 'statement');
    assert.equal(statement.attrs.name, 'resolution');
    const find = (eid: string) => [...walk(root)].find((e) => e.attrs.eId === eid)!;
    const norms = find('para_1').children.filter((c) => c.attrs.eId?.startsWith('para_1__'));
    assert.equal(norms.length, 13);
    assert.deepEqual(norms.map((n) => n.children[0]!.text), Array.from({ length: 13 }, (_, i) => `1.${i + 1}`));
    assert.equal(find('para_1').children[0]!.text, '1.');
    assert.equal(find('para_1').children[1]!.name, 'intro');
    assert.equal(find('para_4__point_c').children[0]!.text, 'c)');
    assert.equal(find('preamble__p_1').name, 'container');
    assert.equal(find('preamble__formula').name, 'formula');
    const notes = [...walk(root)].filter((e) => e.name === 'authorialNote');
    assert.deepEqual(notes.map((n) => n.attrs.marker), ['1', '2', '3', '4', '5']);
    assert.ok([...walk(find('para_1__para_1-5'))].some((e) => e.name === 'authorialNote' && e.attrs.marker === '5'));
    const refs = [...walk(root)].filter((e) => e.name === 'ref');
    assert.ok(refs.some((r) => r.text === 'A/68/98' && /^\/akn\/un\/doc\/report\/unga\/\d{4}-\d{2}-\d{2}\/A-68-98$/.test(r.attrs.href!)), 'the held A/68/98 is a ref');
    const lang = [...walk(root)].find((e) => e.name === 'FRBRlanguage')!;
    assert.equal(lang.attrs.language, 'fra');
    const work = [...walk(root)].find((e) => e.name === 'FRBRWork')!;
    assert.match(work.children.find((c) => c.name === 'FRBRthis')!.attrs.value!, /^\/akn\/un\/statement\/deliberation\/unga\/2018-12-05\/A-RES-73-27\/!main$/);
    assert.equal([...walk(root)].find((e) => e.name === 'docNumber')?.text, 'A/RES/73/27');
  });

  test('the OEWG report puts its annex in <attachments>, its sections in hcontainers', async () => {
    const root = parseXml((await app.inject(`/api/v1/library/documents/${ids.get('oewg2022')}/akn.xml`)).body);
    assert.equal(root.children[0]!.name, 'doc');
    assert.equal(root.children[0]!.attrs.name, 'report');
    const attachment = [...walk(root)].find((e) => e.name === 'attachment')!;
    assert.equal(attachment.children[0]!.attrs.name, 'annex');
    assert.ok([...walk(attachment)].some((e) => e.attrs.eId === 'annex_1__sec_E__para_16'));
    assert.ok([...walk(attachment)].some((e) => e.name === 'hcontainer' && e.attrs.name === 'recommendedNextStep'));
    assert.ok([...walk(root)].some((e) => e.name === 'hcontainer' && e.attrs.eId === 'sec_II__sec_A'));
  });

  test('markup characters in a stored text are escaped; versions and unknown ids', async () => {
    const text = 'Note sur <b>les balises</b> & "guillemets" > fin.\n\nDeuxième alinéa <i>avec</i> &amp; entité.';
    const r = await ingestDocument(app.cadre, OPERATOR, { name: 'tags.txt', bytes: Buffer.from(text), symbol: 'A/79/997' });
    const res = await app.inject(`/api/v1/library/documents/${r.documentId}/akn.xml`);
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /&lt;b&gt;les balises&lt;\/b&gt; &amp; "guillemets" &gt; fin/);
    assert.match(res.body, /&amp;amp; entité/);
    const root = parseXml(res.body);
    assert.match(root.text, /<b>les balises<\/b> & "guillemets" > fin/, 'round-trips to the stored text');
    assert.equal((await app.inject(`/api/v1/library/documents/${ids.get('res7327')}/akn.xml?version=1`)).statusCode, 200);
    assert.equal((await app.inject(`/api/v1/library/documents/${ids.get('res7327')}/akn.xml?version=9`)).statusCode, 404);
    assert.equal((await app.inject('/api/v1/library/documents/00000000-0000-4000-8000-000000000000/akn.xml')).statusCode, 404);
    const page = await app.inject('/library/fr/A/RES/73/27');
    assert.match(page.body, new RegExp(`href="/api/v1/library/documents/${ids.get('res7327')}/akn.xml"`));
    const openapi = (await app.inject('/api/openapi.json')).json();
    assert.ok(openapi.paths['/api/v1/library/documents/{id}/akn.xml']?.get, 'listed in the OpenAPI document');
    await app.close();
  });
});
