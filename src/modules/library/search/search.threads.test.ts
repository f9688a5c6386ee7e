import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { seed, SEED_FILES } from '../../../testing/seeds.ts';
import type { App } from '../../../web/types.ts';
import { ingestDocument } from '../ingest.service.ts';
import { searchLibrary } from './search.service.ts';
import { closeSearchThreads, startSearchThreads, type SearchThreads } from './search.threads.ts';

const OPERATOR = { id: null, label: 'test' };
const QUERIES = ['etats membres', '"mesures de confiance"', 'cyberespace', 'renforcer capacités', 'xyzzy'];

eachEngine('library search on threads beside the HTTP thread', (ctx) => {
  let app: App;
  let threads: SearchThreads | null = null;
  after(async () => {
    if (app) await closeSearchThreads(app.cadre);
  });

  test('setup: the seeds; two search threads on SQLite, none on PostgreSQL (its queries run in its own processes)', async () => {
    app = await testApp(ctx(), { searchThreads: 2 });
    for (const name of ['res7327', 'gge2013'] as const) await ingestDocument(app.cadre, OPERATOR, { name: SEED_FILES[name], bytes: seed(name) });
    threads = startSearchThreads(app.cadre);
    if (ctx().engine === 'postgres') {
      assert.equal(threads, null);
      return;
    }
    assert.ok(threads);
    assert.equal(threads.size, 2);
    assert.equal(startSearchThreads(app.cadre), threads, 'one set of threads per database');
    await threads.ready();
  });

  test('the same results as a search in this thread, answered by the threads', async () => {
    const before = threads?.answered ?? 0;
    for (const q of QUERIES) {
      const expected = await searchLibrary(app.cadre, { q });
      const res = await app.inject({ method: 'GET', url: `/api/v1/library/search?q=${encodeURIComponent(q)}` });
      assert.equal(res.statusCode, 200);
      const body = res.json();
      assert.equal(body.status, expected.status);
      if (expected.status === 'ok') {
        assert.equal(body.total, expected.total, q);
        assert.deepEqual(body.results.map((r: { href: string }) => r.href), expected.hits.map((h) => h.href), q);
      }
    }
    if (threads) assert.equal(threads.answered - before, QUERIES.length, 'every search ran on a thread');
  });

  test('searches at once spread over the threads, and a text ingested now is found at once', async () => {
    const bytes = Buffer.from('Résolution adoptée par l’Assemblée générale\n\n1. Prend note de la xylographie quantique des États Membres.\n');
    await ingestDocument(app.cadre, OPERATOR, { name: 'fresh.txt', bytes, symbol: 'A/RES/99/1' });
    const pages = await Promise.all(Array.from({ length: 20 }, () => app.inject({ method: 'GET', url: '/library/search?q=xylographie' })));
    for (const page of pages) {
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<mark>xylographie<\/mark>/);
    }
  });

  test('a thread that stops fails no search: it runs here, and the thread is replaced', async () => {
    if (!threads) return;
    await Promise.all(threads.workers.map((w) => w.terminate()));
    const res = await app.inject({ method: 'GET', url: '/api/v1/library/search?q=cyberespace' });
    assert.equal(res.statusCode, 200);
    const here = await searchLibrary(app.cadre, { q: 'cyberespace' });
    assert.equal(res.json().total, here.status === 'ok' ? here.total : -1);
  });
});
