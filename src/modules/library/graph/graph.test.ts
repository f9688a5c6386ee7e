import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { seed, SEED_FILES } from '../../../testing/seeds.ts';
import type { App } from '../../../web/types.ts';
import { parseXml, walk } from '../akn/xml.testing.ts';
import { ingestDocument } from '../ingest.service.ts';
import { layoutGraph } from './graph.layout.ts';
import { yearOfSymbol, type CitationGraph } from './graph.service.ts';

const OPERATOR = { id: null, label: 'test' };

test('a symbol gives its year: one written in it, else its General Assembly session', () => {
  assert.equal(yearOfSymbol('A/RES/73/27'), 2018);
  assert.equal(yearOfSymbol('A/68/98'), 2013);
  assert.equal(yearOfSymbol('A/C.1/74/L.50/Rev.1'), 2019);
  assert.equal(yearOfSymbol('A/AC.292/2022/L.1'), 2022);
  assert.equal(yearOfSymbol('S/2019/123'), 2019);
  assert.equal(yearOfSymbol('E/CN.4/xyz'), null);
});

test('the layout is deterministic: one row per year, newest first, no two nodes on one spot', () => {
  const node = (id: string, year: number | null) => ({ id, symbol: id, inLibrary: true, kind: 'report', language: 'en', title: null, year, href: `/x/${id}` });
  const graph: CitationGraph = {
    nodes: [node('c', 2020), node('b', 2018), node('a', 2018), node('z', null)],
    edges: [{ from: 'c', to: 'a', weight: 2, paragraphs: ['p1', 'p2'] }],
  };
  const one = layoutGraph(graph);
  const two = layoutGraph(structuredClone(graph));
  assert.deepEqual([...one.at], [...two.at]);
  assert.deepEqual(one.rows.map((r) => r.year), [2020, 2018, null]);
  assert.ok(one.at.get('c')!.y < one.at.get('a')!.y);
  assert.equal(one.at.get('a')!.y, one.at.get('b')!.y);
  assert.ok(one.at.get('a')!.x < one.at.get('b')!.x, 'the cited node comes first in its row, under its citer');
  assert.equal(new Set([...one.at.values()].map((p) => `${p.x},${p.y}`)).size, 4);
});

eachEngine('citation graph', (ctx) => {
  let app: App;
  const ids = new Map<string, string>();

  test('with the seeds ingested: a node per document, the expected citation edges, cited texts outside the library', async () => {
    app = await testApp(ctx());
    for (const name of Object.keys(SEED_FILES) as (keyof typeof SEED_FILES)[]) {
      ids.set(name, (await ingestDocument(app.cadre, OPERATOR, { name: SEED_FILES[name], bytes: seed(name) })).documentId);
    }
    const res = await app.inject('/api/v1/library/graph');
    assert.equal(res.statusCode, 200);
    const graph = res.json() as CitationGraph;
    const held = graph.nodes.filter((n) => n.inLibrary);
    assert.deepEqual(held.map((n) => n.id).sort(), [...ids.values()].sort());
    const edge = (from: string, to: string) => graph.edges.find((e) => e.from === from && e.to === to);
    const draftTo7327 = edge(ids.get('draft2019')!, ids.get('res7327')!);
    assert.ok(draftTo7327, 'the 2019 draft cites A/RES/73/27');
    assert.ok(draftTo7327.paragraphs.includes('preamble__p_1'));
    const toGge = edge(ids.get('res7327')!, ids.get('gge2013')!);
    assert.ok(toGge, 'A/RES/73/27 cites A/68/98');
    assert.equal(toGge.weight, toGge.paragraphs.length);
    assert.ok(toGge.weight >= 2);
    const external = graph.nodes.find((n) => n.id === 'A/70/174');
    assert.ok(external && !external.inLibrary && external.year === 2015, 'A/70/174 is cited but not held');
    assert.ok(edge(ids.get('res7327')!, 'A/70/174'));
    assert.ok(!graph.edges.some((e) => e.from === e.to), 'no self-citations');
    assert.ok(held.every((n) => n.year !== null), 'every held text has a row: a text without date or symbol sits with the newest text it cites');
  });

  test('the page: a well-formed, labelled SVG with a link per library document, and the same edges as a table', async () => {
    const res = await app.inject('/library/graph');
    assert.equal(res.statusCode, 200);
    const svgText = /<svg[^>]*role="img"[\s\S]*?<\/svg>/.exec(res.body)?.[0];
    assert.ok(svgText, 'an inline SVG');
    assert.doesNotMatch(res.body, /\sstyle=/, 'no inline style (CSP)');
    const svg = parseXml(svgText);
    assert.equal(svg.attrs['aria-labelledby'], 'graph-title graph-desc');
    assert.equal(svg.children[0]!.name, 'title');
    assert.equal(svg.children[1]!.name, 'desc');
    const graph = (await app.inject('/api/v1/library/graph')).json() as CitationGraph;
    const links = [...walk(svg)].filter((e) => e.name === 'a').map((a) => a.attrs.href);
    for (const n of graph.nodes.filter((x) => x.inLibrary)) assert.equal(links.filter((h) => h === n.href).length, 1, `one link to ${n.href}`);
    const rows = /<table[\s\S]*?<\/table>/.exec(res.body)![0].match(/<tr>/g)!.length - 1;
    assert.equal(rows, graph.edges.length);
    assert.match(res.body, /href="\/library\/fr\/A\/68\/98"/);
    const openapi = (await app.inject('/api/openapi.json')).json();
    assert.ok(openapi.paths['/api/v1/library/graph']?.get, 'the JSON is in the OpenAPI document');
    const list = await app.inject('/library');
    assert.match(list.body, /href="\/library\/graph"/);
  });

  test('the page renders in English and Arabic', async () => {
    const en = await app.inject({ url: '/library/graph', headers: { 'accept-language': 'en' } });
    assert.match(en.body, /Citation graph/);
    const ar = await app.inject('/library/graph?lang=ar');
    assert.equal(ar.statusCode, 200);
    assert.match(ar.body, /<html[^>]*dir="rtl"/);
    assert.match(ar.body, /مخطط الإحالات/);
    assert.match(ar.body, /<div class="table-scroll graph" dir="ltr">/);
    parseXml(/<svg[^>]*role="img"[\s\S]*?<\/svg>/.exec(ar.body)![0]);
    await app.close();
  });
});
