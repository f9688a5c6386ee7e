// `npm run bench`: HTTP throughput and latency of Cadre on loopback, against a bare Fastify server.
//
// Each server runs in its own child process (bench/serve-target.ts), so autocannon, here, never
// shares an event loop with what it measures. Cadre starts with the demo accounts on a fresh
// temporary database and WITHOUT the per-request pino logger of `cadre serve`. The bench signs in
// over real HTTP as a demo account (GET /sign-in for the visitor cookie and CSRF token, POST
// /sign-in with password and the current TOTP) and measures, with that session cookie:
//   - the signed-in page  GET /users/:id (own account: session lookup, an indexed query, JSX), and
//     GET /account (four queries, the largest page) reported without a goal
//   - the API read        GET /api/v1/states/FRA  (idem)
//   - the same API read with an API token (Authorization: Bearer), looked up in the database each
//     request; the token is made over HTTP too: a regional-org account (invited by the server at
//     start, like `cadre user add`) enrols with password and TOTP and creates it on /tokens
// and a bare Fastify `hello` server, the reference for the ratios. SQLite first, then PostgreSQL on
// a database created for the run and dropped after (skipped with a notice when unreachable).
//
// Environment: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (50),
// BENCH_PG_URL (else TEST_DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test),
// BENCH_ENGINES (sqlite,postgres), BENCH_TARGETS (page,api,bearer), BENCH_PROFILE=<dir>: one CPU profile of the
// server per measured run, written into <dir> (summarise with bench/cpu-profile-summary.ts).
//
// Exit status: 0 when every run completed, targets met or not (a missed target prints MISSED);
// 1 on any error, including a single non-2xx response or connection error during a run.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { currentTotp } from '../src/auth/totp.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/demo.ts';

const SECONDS = positive('BENCH_SECONDS', 10);
const WARMUP_SECONDS = positive('BENCH_WARMUP_SECONDS', 2, true);
const CONNECTIONS = positive('BENCH_CONNECTIONS', 50);
const PG_URL = process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const ENGINES = (process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(',').map((s) => s.trim());
const CADRE_TARGETS = (process.env.BENCH_TARGETS ?? 'page,api,bearer').split(',').map((s) => s.trim());
const PROFILE_DIR = process.env.BENCH_PROFILE ? resolve(process.env.BENCH_PROFILE) : undefined;
const profiles: string[] = [];
const ACCOUNT = DEMO_ACCOUNTS.find((a) => a.email === 'admin.fra@demo.cadre.example')!;
const TARGET = fileURLToPath(new URL('./serve-target.ts', import.meta.url));

/** The issue's targets: share of bare Fastify's requests/s, and p99 ceiling. */
const TARGETS = { page: { ratio: 0.1, p99Ms: 50 }, api: { ratio: 0.15, p99Ms: 50 } } as const;

interface Row {
  name: string;
  engine: string;
  rps: number;
  p50: number;
  p99: number;
  /** Share of one core the server process used during the measured run (Linux only). */
  serverCpu?: number;
  /** Share of the whole machine (all cores) that was busy during the measured run (Linux only). */
  hostCpu?: number;
  ratio?: number;
  target?: { ratio: number; p99Ms: number };
}

class BenchError extends Error {}

function positive(name: string, fallback: number, zeroOk = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!zeroOk && n === 0)) throw new BenchError(`${name} must be a ${zeroOk ? 'non-negative' : 'positive'} number`);
  return n;
}

// ---------------------------------------------------------------------------------------------
// Child processes

interface Target {
  url: string;
  pid: number;
  /** Lines `KEY value` the child printed before READY. */
  info: Map<string, string>;
  /** Sends a command line to the child and waits for the answer line. */
  command(line: string, answer: string): Promise<void>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

function startTarget(kind: 'cadre' | 'hello', env: NodeJS.ProcessEnv = {}): Promise<Target> {
  const nodeArgs = ['--import', 'tsx'];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, NODE_ENV: 'production' };
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  delete childEnv.CADRE_DATA_DIR;
  const child = spawn(process.execPath, [...nodeArgs, TARGET, kind], { env: childEnv, stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  return new Promise<Target>((resolve, reject) => {
    const timer = setTimeout(() => reject(new BenchError(`${kind} server did not start within 60 s`)), 60_000);
    const lines = createInterface({ input: child.stdout! });
    const waiting = new Map<string, () => void>();
    const info = new Map<string, string>();
    lines.on('line', (line) => {
      waiting.get(line)?.();
      waiting.delete(line);
      const m = /^READY (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (!m) {
        const kv = /^([A-Z]+) (\S+)$/.exec(line);
        if (kv) info.set(kv[1]!, kv[2]!);
        return;
      }
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        pid: child.pid!,
        info,
        command: (text, answer) =>
          new Promise<void>((done, fail) => {
            waiting.set(answer, done);
            void exited.then((code) => fail(new BenchError(`${kind} server exited (status ${code}) during "${text}"`)));
            child.stdin!.write(`${text}\n`);
          }),
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          const code = await exited;
          if (code !== 0) throw new BenchError(`${kind} server exited with status ${code}`);
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new BenchError(`${kind} server exited (status ${code}) before it was ready`));
    });
  });
}

function killChildren(): void {
  for (const child of children) child.kill('SIGTERM');
}

// ---------------------------------------------------------------------------------------------
// Signing in over HTTP, and checking the session is really checked

function cookiesOf(res: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const eq = pair!.indexOf('=');
    if (eq > 0) jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
  return jar;
}

function csrfOf(html: string): string | undefined {
  return /<input[^>]*name="_csrf"[^>]*value="([^"]+)"/.exec(html)?.[1] ?? /<input[^>]*value="([^"]+)"[^>]*name="_csrf"/.exec(html)?.[1];
}

async function signIn(base: string): Promise<string> {
  const page = await fetch(`${base}/sign-in`, { redirect: 'manual' });
  if (page.status !== 200) throw new BenchError(`GET /sign-in answered ${page.status}`);
  const visitor = cookiesOf(page).get('cadre_visitor');
  const csrf = csrfOf(await page.text());
  if (!visitor || !csrf) throw new BenchError('GET /sign-in gave no cadre_visitor cookie or no _csrf field');
  const form = new URLSearchParams({ _csrf: csrf, email: ACCOUNT.email, password: DEMO_PASSWORD, code: currentTotp(ACCOUNT.totpSecret) });
  const res = await fetch(`${base}/sign-in`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie: `cadre_visitor=${visitor}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
  });
  const session = cookiesOf(res).get('cadre_session');
  if (res.status !== 303 || !session) throw new BenchError(`POST /sign-in answered ${res.status} without a session cookie`);
  return `cadre_session=${session}`;
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  redirect: 'manual' as const,
  body: new URLSearchParams(fields).toString(),
});

/**
 * An API token the way a regional organisation gets one: enrol from the invitation (password and
 * TOTP), then create a `states:read` token on /tokens. Returns the Authorization header value.
 */
async function bearerToken(base: string, invitePath: string): Promise<string> {
  const enrolPage = await fetch(`${base}${invitePath}`, { redirect: 'manual' });
  const enrolHtml = await enrolPage.text();
  const visitor = cookiesOf(enrolPage).get('cadre_visitor');
  const secret = /data-totp-secret[^>]*>\s*([A-Z2-7]+)\s*</.exec(enrolHtml)?.[1];
  const enrolCsrf = csrfOf(enrolHtml);
  if (enrolPage.status !== 200 || !visitor || !secret || !enrolCsrf) throw new BenchError(`GET ${invitePath.slice(0, 8)}… answered ${enrolPage.status} without a usable enrolment form`);
  const password = randomBytes(18).toString('base64url');
  const enrolled = await fetch(`${base}${invitePath}`, {
    ...form({ _csrf: enrolCsrf, password, confirm: password, code: currentTotp(secret) }),
    headers: { cookie: `cadre_visitor=${visitor}`, 'content-type': 'application/x-www-form-urlencoded' },
  });
  await enrolled.arrayBuffer();
  const session = cookiesOf(enrolled).get('cadre_session');
  if (enrolled.status !== 200 || !session) throw new BenchError(`enrolment answered ${enrolled.status} without a session`);
  const cookie = `cadre_session=${session}`;
  const tokensPage = await fetch(`${base}/tokens`, { redirect: 'manual', headers: { cookie } });
  const tokensCsrf = csrfOf(await tokensPage.text());
  if (tokensPage.status !== 200 || !tokensCsrf) throw new BenchError(`GET /tokens answered ${tokensPage.status} without a form`);
  const created = await fetch(`${base}/tokens`, {
    ...form({ _csrf: tokensCsrf, name: 'bench', scopes: 'states:read' }),
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
  });
  const token = /data-new-token[^>]*>\s*(cadre_[A-Za-z0-9_-]+)\s*</.exec(await created.text())?.[1];
  if (created.status !== 201 || !token) throw new BenchError(`POST /tokens answered ${created.status} without a token`);
  const authorization = `Bearer ${token}`;

  // The token is recognised and checked: it reads the States, while on /api/v1/me (which no scope
  // covers) it is refused as a known caller (403) where a forged token is unknown (401).
  const expectations: [string, string, number][] = [
    ['/api/v1/states/FRA', authorization, 200],
    ['/api/v1/me', authorization, 403],
    ['/api/v1/me', `Bearer cadre_${randomBytes(32).toString('base64url')}`, 401],
  ];
  for (const [path, auth, expect] of expectations) {
    const res = await fetch(`${base}${path}`, { headers: { authorization: auth } });
    await res.arrayBuffer();
    if (res.status !== expect) throw new BenchError(`GET ${path} with ${auth === authorization ? 'the' : 'a forged'} token answered ${res.status}, expected ${expect}`);
  }
  return authorization;
}

/**
 * Before and after measuring: the session shows the signed-in user, and the server really checks
 * it: without it, or with a forged one, the page sends to sign-in and a forged cookie is cleared.
 */
async function checkEndpoints(base: string, cookie: string): Promise<void> {
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { redirect: 'manual', headers });
  const account = await get('/account', { cookie });
  const body = await account.text();
  if (account.status !== 200 || !body.includes(ACCOUNT.email) || !body.includes('action="/sign-out"')) {
    throw new BenchError(`GET /account with the session answered ${account.status} without showing ${ACCOUNT.email} signed in`);
  }
  const api = await get('/api/v1/states/FRA', { cookie });
  const json = (await api.json()) as { iso3?: string };
  if (api.status !== 200 || json.iso3 !== 'FRA') throw new BenchError(`GET /api/v1/states/FRA with the session answered ${api.status}`);

  if (cookiesOf(account).has('cadre_session') || cookiesOf(api).has('cadre_session')) {
    throw new BenchError('a valid session cookie was cleared or replaced');
  }

  // The same requests without the session, or with a forged one: the page sends to sign-in, and a
  // forged cookie is looked up, found wanting and cleared (the States API itself is public, so it
  // still answers 200; the cleared cookie is the proof the session was checked).
  const forged = `cadre_session=${randomBytes(32).toString('base64url')}`;
  for (const [path, headers, expect] of [
    ['/account', {}, 303],
    ['/account', { cookie: forged }, 303],
    ['/api/v1/states/FRA', { cookie: forged }, 200],
  ] as const) {
    const res = await get(path, headers);
    await res.arrayBuffer();
    const what = `GET ${path} ${'cookie' in headers ? 'with a forged session' : 'signed out'}`;
    if (res.status !== expect) throw new BenchError(`${what} answered ${res.status}, expected ${expect}`);
    if (expect === 303 && !res.headers.get('location')?.startsWith('/sign-in')) throw new BenchError(`${what} did not send to /sign-in`);
    if ('cookie' in headers && cookiesOf(res).get('cadre_session') !== '') throw new BenchError(`${what} did not clear the forged cookie`);
  }
}

// ---------------------------------------------------------------------------------------------
// Load

interface LoadResult {
  rps: number;
  /** Latencies of every 2xx response, in ms, sorted (autocannon's own histogram rounds to whole ms). */
  latencies: Float64Array;
}

function load(url: string, headers: Record<string, string>, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    const instance = autocannon({ url, connections: CONNECTIONS, duration: seconds, headers, timeout: 10 }, (err, result) => {
      if (err) return reject(err);
      const bad = result.non2xx + result.errors + result.timeouts + result.resets;
      if (bad > 0 || result['2xx'] === 0) {
        return reject(
          new BenchError(
            `${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts, ${result.resets} resets, ${result['2xx']} 2xx: the run is void`,
          ),
        );
      }
      resolve({ rps: result.requests.average, latencies: Float64Array.from(times).sort() });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
    });
  });
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined where there is no /proc. */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}

/** Busy and total jiffies of the whole machine, from /proc/stat; undefined where there is none. */
function hostTicks(): { busy: number; total: number } | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = cpu.reduce((a, b) => a + b, 0);
    return { busy: total - cpu[3]! - (cpu[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

async function measure(name: string, engine: string, server: Target, path: string, headers: Record<string, string> = {}): Promise<Row> {
  process.stdout.write(`  ${name.padEnd(36)} ${engine.padEnd(9)} `);
  const url = `${server.url}${path}`;
  if (WARMUP_SECONDS > 0) await load(url, headers, WARMUP_SECONDS);
  if (PROFILE_DIR) await server.command('PROFILE_START', 'PROFILING');
  const cpuBefore = cpuSeconds(server.pid);
  const hostBefore = hostTicks();
  const started = performance.now();
  const r = await load(url, headers, SECONDS);
  const wall = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds(server.pid);
  const hostAfter = hostTicks();
  if (PROFILE_DIR) {
    const file = join(PROFILE_DIR, `${engine}-${name.replace(/\W+/g, '_').replace(/^_|_$/g, '')}.cpuprofile`);
    await server.command(`PROFILE_STOP ${file}`, 'PROFILED');
    profiles.push(file);
  }
  const row: Row = { name, engine, rps: r.rps, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99) };
  if (cpuBefore !== undefined && cpuAfter !== undefined) row.serverCpu = (cpuAfter - cpuBefore) / wall;
  if (hostBefore && hostAfter) row.hostCpu = (hostAfter.busy - hostBefore.busy) / (hostAfter.total - hostBefore.total);
  process.stdout.write(
    `${fmt(row.rps, 0)} req/s, p50 ${fmt(row.p50, 2)} ms, p99 ${fmt(row.p99, 2)} ms` +
      `${row.serverCpu === undefined ? '' : `, server process ${fmt(row.serverCpu * 100, 0)}% of a core`}` +
      `${row.hostCpu === undefined ? '' : `, machine ${fmt(row.hostCpu * 100, 0)}% busy (${cpus().length} cores)`}\n`,
  );
  return row;
}

async function benchCadre(engine: string, databaseUrl: string | undefined, bare: Row): Promise<Row[]> {
  const env: NodeJS.ProcessEnv = { BENCH_INVITE_EMAIL: 'bench.client@regional.example' };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  const server = await startTarget('cadre', env);
  try {
    const cookie = await signIn(server.url);
    await checkEndpoints(server.url, cookie);
    const invite = server.info.get('INVITE');
    const authorization = CADRE_TARGETS.includes('bearer') && invite ? await bearerToken(server.url, invite) : undefined;
    const rows: Row[] = [];
    if (CADRE_TARGETS.includes('page')) {
      // The target page has the shape the goal was set on: session lookup, an indexed query, JSX.
      const me = (await (await fetch(`${server.url}/api/v1/me`, { headers: { cookie } })).json()) as { id: string };
      const page = await measure('signed-in page GET /users/:id', engine, server, `/users/${me.id}`, { cookie });
      rows.push({ ...page, ratio: page.rps / bare.rps, target: TARGETS.page });
      // The account page runs four queries and renders the most; reported without a goal.
      const account = await measure('account page GET /account', engine, server, '/account', { cookie });
      rows.push({ ...account, ratio: account.rps / bare.rps });
    }
    if (CADRE_TARGETS.includes('api')) {
      const api = await measure('API GET /api/v1/states/FRA', engine, server, '/api/v1/states/FRA', { cookie });
      rows.push({ ...api, ratio: api.rps / bare.rps, target: TARGETS.api });
    }
    if (authorization) {
      const api = await measure('API GET /api/v1/states/FRA, Bearer', engine, server, '/api/v1/states/FRA', { authorization });
      rows.push({ ...api, ratio: api.rps / bare.rps, target: TARGETS.api });
    }
    // The session must have survived the load: a run of redirects would have been caught as non-2xx,
    // and this confirms it is still the same signed-in user.
    await checkEndpoints(server.url, cookie);
    return rows;
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a database made for the run

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** The database to drop if the run is interrupted. */
let pgDatabase: string | undefined;

async function withPostgres<T>(body: (url: string) => Promise<T>): Promise<T | 'unreachable'> {
  const name = `cadre_bench_${randomBytes(6).toString('hex')}`;
  try {
    await adminQuery(`CREATE DATABASE ${name}`);
    pgDatabase = name;
  } catch (e) {
    const where = new URL(PG_URL);
    process.stdout.write(`\nNOTICE: PostgreSQL not usable at ${where.host}${where.pathname} (${e instanceof Error ? e.message : String(e)}): PostgreSQL figures skipped\n`);
    return 'unreachable';
  }
  try {
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    return await body(u.toString());
  } finally {
    await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    pgDatabase = undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// Report

function fmt(n: number, digits: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function table(rows: Row[]): string {
  const head = ['target', 'engine', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'srv CPU', 'host', 'goal', 'met'];
  const body = rows.map((r) => {
    const met = r.target ? (r.ratio! >= r.target.ratio && r.p99 < r.target.p99Ms ? 'yes' : 'MISSED') : '';
    const goal = r.target ? `>=${fmt(r.target.ratio * 100, 0)}%, p99<${r.target.p99Ms}` : '';
    const cpu = r.serverCpu === undefined ? 'n/a' : `${fmt(r.serverCpu * 100, 0)}%`;
    const host = r.hostCpu === undefined ? 'n/a' : `${fmt(r.hostCpu * 100, 0)}%`;
    return [r.name, r.engine, fmt(r.rps, 0), fmt(r.p50, 2), fmt(r.p99, 2), r.ratio === undefined ? '100%' : `${fmt(r.ratio * 100, 1)}%`, cpu, host, goal, met];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 7 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    line(head),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(line),
    `srv CPU: the server process, in % of one core; host: all ${cpus().length} cores busy (load generator, server, database and anything else).`,
  ].join('\n');
}

async function main(): Promise<number> {
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  process.stdout.write(
    `Cadre HTTP bench: ${CONNECTIONS} connections on 127.0.0.1, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per target; ` +
      `servers in child processes (Node ${process.version}), Cadre without request logging, signed in as ${ACCOUNT.email}; ` +
      `sessions checked in the database on every request.\n\n`,
  );
  const hello = await startTarget('hello');
  let bare: Row;
  try {
    bare = await measure('bare Fastify GET / (hello)', 'none', hello, '/');
  } finally {
    await hello.stop();
  }
  const rows: Row[] = [bare];
  const notices: string[] = [];
  if (ENGINES.includes('sqlite')) rows.push(...(await benchCadre('sqlite', undefined, bare)));
  if (ENGINES.includes('postgres')) {
    const pgRows = await withPostgres((url) => benchCadre('postgres', url, bare));
    if (pgRows === 'unreachable') notices.push('PostgreSQL: skipped (unreachable)');
    else rows.push(...pgRows);
  }
  process.stdout.write(`\n${table(rows)}\n`);
  if (bare.serverCpu !== undefined && bare.serverCpu < 0.9) {
    notices.push(
      `the bare server used only ${fmt(bare.serverCpu * 100, 0)}% of a core: the load generator, not the server, set its pace, ` +
        'so the bare figure is low and the ratios are flattering',
    );
  }
  for (const n of notices) process.stdout.write(`NOTICE: ${n}\n`);
  const missed = rows.filter((r) => r.target && !(r.ratio! >= r.target.ratio && r.p99 < r.target.p99Ms));
  process.stdout.write(
    missed.length
      ? `\nMISSED: ${missed.map((r) => `${r.name} [${r.engine}]`).join('; ')}\n`
      : '\nAll targets met.\n',
  );
  if (PROFILE_DIR) {
    process.stdout.write(
      `\nCPU profiles of the measured runs (profiling slows the servers: these figures are not comparable):\n` +
        profiles.map((f) => `  npx tsx bench/cpu-profile-summary.ts ${f}\n`).join(''),
    );
  }
  return 0;
}

process.once('SIGINT', () => {
  killChildren();
  const drop = pgDatabase ? adminQuery(`DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`) : Promise.resolve();
  void drop.catch(() => undefined).finally(() => process.exit(130));
});

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    killChildren();
    process.stdout.write('\n');
    process.stderr.write(`bench failed: ${e instanceof BenchError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
