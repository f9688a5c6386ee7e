import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { seed, SEED_FILES } from '../../../testing/seeds.ts';
import type { App } from '../../../web/types.ts';
import { ingestDocument } from '../ingest.service.ts';
import { highlight } from './highlight.ts';
import { ensureSearchIndex } from './search.repository.ts';
import { countTerm, countTerms, parseQuery, searchLibrary, type SearchHit, type SearchInput } from './search.service.ts';
import { fold, indexText, term } from './stemming.ts';

const OPERATOR = { id: null, label: 'test' };

test('analysis: case and accents folded before Snowball stemming, Cyrillic й kept, Han as bigrams', () => {
  assert.equal(fold('ÉTATS'), 'etats');
  assert.equal(term('États', 'fr'), term('etats', 'fr'));
  assert.equal(term('coopération', 'fr'), term('coopérer', 'fr'));
  assert.equal(term('Recommandations', 'fr'), term('recommandé', 'fr'));
  assert.equal(term('cooperation', 'en'), term('cooperating', 'en'));
  assert.equal(term('государства', 'ru'), term('государство', 'ru'));
  assert.equal(term('información', 'es'), term('informacion', 'es'));
  assert.equal(fold('Ёлка'), 'елка');
  assert.equal(fold('йогурт'), 'йогурт');
  assert.equal(indexText('联合国', 'zh'), '联合 合国');
  assert.equal(indexText('l’État', 'fr'), 'l etat');
});

test('queries: words, "phrases", chunks of several words, nothing searchable', () => {
  assert.equal(parseQuery(''), null);
  assert.equal(parseQuery('  &&& *** ""  '), null);
  const q = parseQuery('etats "mesures de confiance"')!;
  assert.equal(q.groups.length, 2);
  assert.match(q.fts, /^\("etats" OR "etat"\) AND \("mesur de confianc" OR /);
  assert.match(q.tsquery, /'etat'/);
  assert.match(q.tsquery, /'mesur' <-> 'de' <-> 'confianc'/);
});

test('highlighting marks the matched words of the original text, adjacent ones together', () => {
  const segments = highlight('Invite tous les États Membres, et chaque État membre.', 'fr', parseQuery('etats membres')!.marks);
  assert.deepEqual(
    segments.filter((s) => s.mark).map((s) => s.text),
    ['États Membres', 'État membre'],
  );
  assert.equal(segments.map((s) => s.text).join(''), 'Invite tous les États Membres, et chaque État membre.');
  const phrase = highlight('Les mesures de confiance de la Charte', 'fr', parseQuery('"mesures de confiance"')!.marks);
  assert.deepEqual(
    phrase.filter((s) => s.mark).map((s) => s.text),
    ['mesures de confiance'],
  );
});

/** Top-10 eIds of a few queries, per engine, compared once both have run. */
const TOP: Record<string, Record<string, string[]>> = {};
const COMPARED = ['etats membres', 'cooperation internationale', '"mesures de confiance"', 'renforcer capacites', 'technologies information communications securite'];

eachEngine('library search', (ctx) => {
  let app: App;
  const search = (input: SearchInput) => searchLibrary(app.cadre, input);
  const hits = async (input: SearchInput): Promise<SearchHit[]> => {
    const r = await search(input);
    assert.equal(r.status, 'ok');
    return r.status === 'ok' ? r.hits : [];
  };

  test('the five seeds are indexed as they are ingested', async () => {
    app = await testApp(ctx());
    for (const name of Object.keys(SEED_FILES) as (keyof typeof SEED_FILES)[]) {
      await ingestDocument(app.cadre, OPERATOR, { name: SEED_FILES[name], bytes: seed(name) });
    }
    const db = ctx().database.db;
    const paragraphs = await db.selectFrom('paragraph').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const indexed = await db.selectFrom('paragraph_search').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(Number(indexed.n), Number(paragraphs.n));
  });

  test('"etats membres" finds paragraphs with "États Membres", marked, linked to their permalink', async () => {
    const r = await search({ q: 'etats membres' });
    assert.ok(r.status === 'ok' && r.total >= 10, JSON.stringify(r).slice(0, 200));
    for (const h of r.status === 'ok' ? r.hits : []) {
      const marked = h.segments.filter((s) => s.mark).map((s) => s.text.toLowerCase());
      assert.ok(marked.some((m) => /^(é|e)tats? membres?$/.test(m)), `${h.eId}: ${JSON.stringify(marked)}`);
      assert.equal(h.href, h.symbol ? `/library/${h.language}/${h.symbol}#${h.eId}` : `/library/id/${h.documentId}#${h.eId}`);
    }
    const page = await app.inject('/library/search?q=etats+membres');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<mark>États Membres<\/mark>/);
    assert.match(page.body, /href="\/library\/fr\/A\/RES\/73\/27#[a-z_0-9-]+"/);
  });

  test('a stem finds the inflected forms: "coopérer" finds "coopération"; "recommandations" finds "recommande"', async () => {
    const coop = await hits({ q: 'coopérer' });
    assert.ok(coop.length > 0);
    assert.ok(coop.some((h) => h.segments.some((s) => s.mark && /^coopération$/i.test(s.text))));
    const reco = await search({ q: 'recommandations', document: 'A/RES/73/27' });
    assert.ok(reco.status === 'ok' && reco.total > 0);
    const forms = new Set((reco.status === 'ok' ? reco.hits : []).flatMap((h) => h.segments.filter((s) => s.mark).map((s) => s.text.toLowerCase())));
    assert.ok([...forms].some((f) => f !== 'recommandations'), [...forms].join(', '));
  });

  test('a "quoted phrase" matches only the phrase', async () => {
    const words = await search({ q: 'confiance mesures' });
    const phrase = await search({ q: '"mesures de confiance"' });
    const reversed = await search({ q: '"confiance de mesures"' });
    assert.ok(words.status === 'ok' && phrase.status === 'ok' && reversed.status === 'ok');
    assert.ok(phrase.total > 0 && phrase.total < words.total, `${phrase.total} < ${words.total}`);
    assert.equal(reversed.total, 0);
    for (const h of phrase.hits) assert.match(h.segments.map((s) => s.text).join(''), /mesures? de confiance/i);
  });

  test('filters: document, kind, year, paragraph kind', async () => {
    const doc = await hits({ q: 'etats', document: 'A/68/98' });
    assert.ok(doc.length > 0 && doc.every((h) => h.symbol === 'A/68/98'));
    const kind = await hits({ q: 'etats', kind: 'report' });
    assert.ok(kind.length > 0 && kind.every((h) => h.documentKind === 'report'));
    const pre = await hits({ q: 'etats', paragraphKind: 'preambular' });
    assert.ok(pre.length > 0 && pre.every((h) => h.kind === 'preambular'));
    const y = await hits({ q: 'etats', year: 2018 });
    assert.ok(y.length > 0 && y.every((h) => h.date?.startsWith('2018')));
    assert.equal((await hits({ q: 'etats', year: 1950 })).length, 0);
    assert.equal((await hits({ q: 'etats', document: 'A/NOTHING/1' })).length, 0);
  });

  test('the same top ten on SQLite and PostgreSQL', async () => {
    const mine: Record<string, string[]> = {};
    for (const q of COMPARED) {
      const r = await search({ q });
      assert.ok(r.status === 'ok' && r.total > 0, q);
      assert.equal(r.status === 'ok' && r.ranking, 'shared', q);
      mine[q] = r.status === 'ok' ? r.hits.map((h) => `${h.symbol}#${h.eId}`) : [];
    }
    // Beyond the shared pool: the engine's order, but the same paragraphs, counted alike.
    const many = await search({ q: 'de' });
    assert.ok(many.status === 'ok' && many.ranking === 'engine' && many.total > 100);
    mine.manyTotal = [String(many.status === 'ok' ? many.total : 0)];
    TOP[ctx().engine] = mine;
    if (TOP.sqlite && TOP.postgres) assert.deepEqual(TOP.postgres, TOP.sqlite);
  });

  test('an empty or absurd query gets a clear message, not an error', async () => {
    assert.deepEqual(await search({ q: '   ' }), { status: 'empty' });
    assert.deepEqual(await search({ q: '*** ?? ¿' }), { status: 'empty' });
    const none = await search({ q: 'zzxqjvw' });
    assert.ok(none.status === 'ok' && none.total === 0);
    const page = await app.inject('/library/search?q=%22%22');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /role="status"/);
    const api = await app.inject('/api/v1/library/search?q=zzxqjvw&lang=fr');
    assert.equal(api.statusCode, 200);
    assert.equal(api.json().total, 0);
    assert.match(api.json().message, /zzxqjvw/);
    const blank = await app.inject('/library/search');
    assert.equal(blank.statusCode, 200);
    assert.match((await app.inject('/library')).body, /href="\/library\/search"/);
    assert.doesNotMatch(blank.body, /role="status"/);
  });

  test('the JSON API gives highlighted results and is in the OpenAPI document', async () => {
    const res = await app.inject('/api/v1/library/search?q=etats+membres&paragraphKind=operative');
    assert.equal(res.statusCode, 200);
    const body = res.json();
    assert.ok(body.total > 0);
    assert.ok(body.results.every((r: { kind: string }) => r.kind === 'operative'));
    assert.ok(body.results[0].highlight.some((s: { mark: boolean }) => s.mark));
    assert.equal(body.results[0].highlight.map((s: { text: string }) => s.text).join(''), body.results[0].text);
    const doc = (await app.inject('/api/openapi.json')).json();
    assert.ok(doc.paths['/api/v1/library/search']);
  });

  test('a new version replaces the old one in the results', async () => {
    const before = await search({ q: 'etats membres', document: 'A/RES/73/27' });
    assert.ok(before.status === 'ok');
    const changed = Buffer.from(`${seed('res7327').toString('utf8')}\n`.replace('Rappelant', 'Rappelant xylophoniquement'));
    const r = await ingestDocument(app.cadre, OPERATOR, { name: 'revised.txt', bytes: changed });
    assert.equal(r.status, 'new-version');
    const found = await hits({ q: 'xylophoniquement' });
    assert.equal(found.length, 1);
    assert.equal(found[0]!.version, 2);
    const after = await search({ q: 'etats membres', document: 'A/RES/73/27' });
    assert.ok(after.status === 'ok');
    assert.equal(after.total, before.status === 'ok' ? before.total : -1);
    assert.ok(after.hits.every((h) => h.version === 2));
  });

  test('ensureSearchIndex backfills versions stored without index rows, and is idempotent', async () => {
    const db = ctx().database.db;
    const count = async () => Number((await db.selectFrom('paragraph_search').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const full = await count();
    await db.deleteFrom('paragraph_search').execute();
    assert.equal((await hits({ q: 'etats' })).length, 0);
    assert.equal(await ensureSearchIndex(db), 5);
    assert.equal(await count(), full);
    assert.equal(await ensureSearchIndex(db), 0);
    assert.ok((await hits({ q: 'etats' })).length > 0);
  });
});

test('term counts for ranking: whole terms only, as splitting the list would count them', () => {
  const terms = 'etat membr etat etats membre etat';
  assert.equal(countTerm(terms, 'etat'), 3);
  assert.equal(countTerm(terms, 'membr'), 1);
  assert.equal(countTerm(terms, 'tat'), 0);
  assert.equal(countTerm(terms, 'etats'), 1);
  assert.equal(countTerm(terms, ''), 0);
  assert.equal(countTerms(terms), 6);
  assert.equal(countTerms(''), 0);
  assert.equal(countTerms('un'), 1);
  // Against the plain split, on generated lists.
  let seedValue = 7;
  const random = () => (seedValue = (seedValue * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const words = ['a', 'ab', 'ba', 'abc', 'b', 'cab'];
  for (let k = 0; k < 200; k++) {
    const list = Array.from({ length: 1 + Math.floor(random() * 12) }, () => words[Math.floor(random() * words.length)]!).join(' ');
    for (const w of words) assert.equal(countTerm(list, w), list.split(' ').filter((x) => x === w).length, `${w} in "${list}"`);
    assert.equal(countTerms(list), list.split(' ').length);
  }
});
