// `npm run bench:library`: the library's ingest throughput and search latency on a corpus of at
// least BENCH_PARAGRAPHS (10,000) paragraphs: the five seeds plus generated variants of them
// (each a new document: its own symbol and a few dozen words swapped for others of the corpus).
//
//   ingest   paragraphs/s through ingestDocument (extraction, parsing, storage, search index, audit),
//            one transaction per text, as `cadre ingest` does;
//   search   the search service called in process (query analysis, matching, ranking, the page's
//            paragraphs, highlighting) against a raw FTS5 `MATCH … ORDER BY rank LIMIT 10` on the
//            same index (better-sqlite3, a prepared statement, no analysis), p50/p95 over the same
//            queries in the same run;
//   http     GET /library/search over HTTP at BENCH_CONCURRENCY (10) clients with autocannon, the
//            server in a child process (this file with `serve DIR`), its own p50/p95 per request.
// SQLite; BENCH_ENGINES=sqlite,postgres also measures ingest and the in-process service on
// PostgreSQL (raw and HTTP rows stay SQLite's). Targets (issue 3): service p95 ≤ 2 × raw p95,
// HTTP p95 < 20 ms, ingest ≥ 5,000 paragraphs/s; a missed target prints MISSED.
// Environment: BENCH_PARAGRAPHS (10000), BENCH_ITERATIONS (300 per query), BENCH_SECONDS (10),
// BENCH_CONCURRENCY (10), BENCH_PROFILE=<dir> (a V8 CPU profile of the HTTP server, for
// bench/cpu-profile-summary.ts), BENCH_PG_URL (else TEST_DATABASE_URL, else the local test database).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { ingestDocument } from '../src/modules/library/ingest.service.ts';
import { rebuildSearchIndex } from '../src/modules/library/search/search.repository.ts';
import { parseQuery, searchLibrary } from '../src/modules/library/search/search.service.ts';
import { startServer } from '../src/server.ts';
import { seed, SEED_FILES } from '../src/testing/seeds.ts';
import type { Cadre } from '../src/web/types.ts';

const PARAGRAPHS = num('BENCH_PARAGRAPHS', 10_000);
const ITERATIONS = num('BENCH_ITERATIONS', 300);
const SECONDS = num('BENCH_SECONDS', 10);
const CONCURRENCY = num('BENCH_CONCURRENCY', 10);
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite').split(',').map((s) => s.trim());
const PG_URL = process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const OPERATOR = { id: null, label: 'bench' };

/** Queries of several shapes: common and rare words, several words, phrases, a filter. */
const QUERIES: { q: string; document?: string; paragraphKind?: string }[] = [
  { q: 'etats membres' },
  { q: 'coopération internationale' },
  { q: '"mesures de confiance"' },
  { q: 'renforcer capacités' },
  { q: 'sécurité technologies information' },
  { q: 'Assemblée' },
  { q: 'recommandations', paragraphKind: 'operative' },
  { q: 'normes comportement responsable' },
  { q: 'cyberespace' },
  { q: 'groupe experts gouvernementaux' },
];

function num(name: string, fallback: number): number {
  const n = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number`);
  return n;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** A small deterministic generator, so every run builds the same corpus. */
function prng(seedValue: number) {
  let s = seedValue >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The seeds, then variants of them until the corpus holds PARAGRAPHS paragraphs. */
async function buildCorpus(cadre: Cadre): Promise<{ paragraphs: number; documents: number; seconds: number }> {
  const texts = (Object.keys(SEED_FILES) as (keyof typeof SEED_FILES)[]).map((k) => seed(k).toString('utf8'));
  const vocabulary = [...new Set(texts.join(' ').match(/\p{L}{6,}/gu) ?? [])];
  let paragraphs = 0;
  let documents = 0;
  let seconds = 0;
  const ingest = async (name: string, text: string, symbol?: string) => {
    const started = performance.now();
    const r = await ingestDocument(cadre, OPERATOR, { name, bytes: Buffer.from(text), symbol });
    seconds += (performance.now() - started) / 1000;
    paragraphs += r.parsed.paragraphs.length;
    documents++;
  };
  for (const [i, text] of texts.entries()) await ingest(`seed-${i}.txt`, text);
  const random = prng(73_27);
  for (let n = 1; paragraphs < PARAGRAPHS; n++) {
    const base = texts[n % texts.length]!;
    const swaps = new Map<string, string>();
    for (let k = 0; k < 40; k++) swaps.set(vocabulary[Math.floor(random() * vocabulary.length)]!, vocabulary[Math.floor(random() * vocabulary.length)]!);
    const text = base.replace(/\p{L}{6,}/gu, (w) => swaps.get(w) ?? w);
    await ingest(`variant-${n}.txt`, text, `A/BENCH/${n}`);
  }
  return { paragraphs, documents, seconds };
}

async function timeEach(runs: number, fn: () => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await fn();
    out.push(performance.now() - started);
  }
  return out;
}

/** Interleaved per query, so both see the same cache and machine state. */
async function latencies(cadre: Cadre, raw?: (fts: string) => unknown): Promise<{ service: number[]; raw: number[] }> {
  const service: number[] = [];
  const rawTimes: number[] = [];
  for (const q of QUERIES) {
    const parsed = parseQuery(q.q)!;
    // Warm-up: statement caches, JIT.
    for (let i = 0; i < 20; i++) {
      await searchLibrary(cadre, q);
      raw?.(parsed.fts);
    }
    for (let i = 0; i < ITERATIONS; i++) {
      service.push(...(await timeEach(1, () => searchLibrary(cadre, q))));
      if (raw) rawTimes.push(...(await timeEach(1, () => raw(parsed.fts))));
    }
  }
  return { service: service.sort((a, b) => a - b), raw: rawTimes.sort((a, b) => a - b) };
}

interface Row {
  what: string;
  engine: string;
  value: string;
  target: string;
  met: boolean | null;
}

const ms = (x: number) => `${x.toFixed(2)} ms`;

interface HttpResult {
  path: string;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  errors: number;
  requests: number;
}

/** Both search endpoints, the HTML page and the JSON API, one after the other on one server. */
async function http(dataDir: string): Promise<HttpResult[]> {
  const self = fileURLToPath(import.meta.url);
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', self, 'serve', dataDir], { env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^READY (\S+)$/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`search server exited with ${code}`)));
  });
  try {
    const out: HttpResult[] = [];
    for (const path of ['/library/search', '/api/v1/library/search']) out.push(await load(url, path));
    return out;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function load(url: string, path: string): Promise<HttpResult> {
  const requests = QUERIES.map((q) => ({ method: 'GET' as const, path: `${path}?${new URLSearchParams(q as Record<string, string>).toString()}` }));
  await autocannon({ url, connections: CONCURRENCY, duration: 2, requests });
  const times: number[] = [];
  let errors = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: CONCURRENCY, duration: SECONDS, requests }, (err, r) => (err ? reject(err) : resolve(r)));
    instance.on('response', (_client, status, _bytes, time) => {
      if (status !== 200) errors++;
      times.push(time);
    });
  });
  times.sort((a, b) => a - b);
  return { path, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), rps: result.requests.average, errors: errors + result.errors + result.non2xx, requests: times.length };
}

async function serve(dataDir: string): Promise<void> {
  const config = loadConfig({ ...process.env, DATABASE_URL: undefined }, { dataDir, port: 0, host: '127.0.0.1', demo: false, baseUrl: 'http://127.0.0.1' });
  const server = await startServer(config, { logger: false });
  const address = server.app.server.address();
  process.stdout.write(`READY http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
}

async function onEngine(engine: string, rows: Row[]): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadre-bench-library-'));
  let databaseUrl: string | undefined;
  let dropName: string | undefined;
  if (engine === 'postgres') {
    dropName = `cadre_bench_${randomBytes(5).toString('hex')}`;
    await admin(`CREATE DATABASE ${dropName}`);
    const u = new URL(PG_URL);
    u.pathname = `/${dropName}`;
    databaseUrl = u.toString();
  }
  let database: Db | undefined;
  try {
    database = openDatabase({ databaseUrl, dataDir });
    await migrate(database);
    const config = loadConfig({ ...process.env, DATABASE_URL: databaseUrl }, { dataDir, port: 0, host: '127.0.0.1', demo: false, baseUrl: 'http://127.0.0.1' });
    const cadre: Cadre = { database, config };
    const corpus = await buildCorpus(cadre);
    const rate = corpus.paragraphs / corpus.seconds;
    rows.push({ what: `ingest (${corpus.paragraphs} paragraphs, ${corpus.documents} texts)`, engine, value: `${Math.round(rate)} paragraphs/s`, target: '≥ 5000/s', met: rate >= 5000 });
    // The search index's share: the whole index rebuilt (analysis, stemming, rows, FTS5/GIN).
    const started = performance.now();
    await rebuildSearchIndex(database.db);
    const indexRate = corpus.paragraphs / ((performance.now() - started) / 1000);
    rows.push({ what: '  of which: search indexing alone (rebuild)', engine, value: `${Math.round(indexRate)} paragraphs/s`, target: '(share of ingest)', met: null });

    let raw: ((fts: string) => unknown) | undefined;
    let rawDb: Database.Database | undefined;
    if (engine === 'sqlite') {
      rawDb = new Database(join(dataDir, 'cadre.sqlite'), { readonly: true });
      const stmt = rawDb.prepare('select rowid, rank from paragraph_fts where paragraph_fts match ? order by rank limit 10');
      raw = (fts) => stmt.all(fts);
    }
    const l = await latencies(cadre, raw);
    rawDb?.close();
    const s95 = percentile(l.service, 95);
    if (raw) {
      const r95 = percentile(l.raw, 95);
      rows.push({ what: 'raw FTS5 MATCH … ORDER BY rank LIMIT 10', engine, value: `p50 ${ms(percentile(l.raw, 50))}, p95 ${ms(r95)}`, target: '(reference)', met: null });
      rows.push({ what: 'search service in process', engine, value: `p50 ${ms(percentile(l.service, 50))}, p95 ${ms(s95)} (${(s95 / r95).toFixed(2)}× raw)`, target: 'p95 ≤ 2× raw', met: s95 <= 2 * r95 });
    } else {
      rows.push({ what: 'search service in process', engine, value: `p50 ${ms(percentile(l.service, 50))}, p95 ${ms(s95)}`, target: '(no FTS5 reference)', met: null });
    }
    if (engine === 'sqlite') {
      await database.close();
      database = undefined;
      for (const h of await http(dataDir)) {
        if (h.errors) throw new Error(`${h.errors} failed HTTP requests on ${h.path}`);
        rows.push({
          what: `HTTP GET ${h.path}, ${CONCURRENCY} clients`,
          engine,
          value: `p50 ${ms(h.p50)}, p95 ${ms(h.p95)}, p99 ${ms(h.p99)}, ${Math.round(h.rps)} req/s (${h.requests} requests)`,
          target: 'p95 < 20 ms',
          met: h.p95 < 20,
        });
      }
    }
  } finally {
    await database?.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (dropName) await admin(`DROP DATABASE IF EXISTS ${dropName} WITH (FORCE)`);
  }
}

async function admin(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === 'serve') return serve(process.argv[3]!);
  const rows: Row[] = [];
  for (const engine of ENGINES) await onEngine(engine, rows);
  const head = ['measure', 'engine', 'result', 'target', 'met'];
  const table = rows.map((r) => [r.what, r.engine, r.value, r.target, r.met === null ? '–' : r.met ? 'yes' : 'MISSED']);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(head));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of table) console.log(line(r));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
