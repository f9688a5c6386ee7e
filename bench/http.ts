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
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentTotp } from '../src/auth/totp.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../src/demo.ts';
import {
  BenchError,
  bareNotice,
  CONNECTIONS,
  cookiesOf,
  csrfOf,
  engines,
  measure as measureRun,
  runBench,
  SECONDS,
  startTarget as startScript,
  table,
  targetMet,
  WARMUP_SECONDS,
  withPostgres,
  type Row,
  type Target,
} from './support.ts';

const ENGINES = engines('sqlite,postgres');
const CADRE_TARGETS = (process.env.BENCH_TARGETS ?? 'page,api,bearer').split(',').map((s) => s.trim());
const PROFILE_DIR = process.env.BENCH_PROFILE ? resolve(process.env.BENCH_PROFILE) : undefined;
const profiles: string[] = [];
const ACCOUNT = DEMO_ACCOUNTS.find((a) => a.email === 'admin.fra@demo.cadre.example')!;
const TARGET = fileURLToPath(new URL('./serve-target.ts', import.meta.url));

/** The issue's targets: share of bare Fastify's requests/s, and p99 ceiling. */
const TARGETS = { page: { ratio: 0.1, p99Ms: 50 }, api: { ratio: 0.15, p99Ms: 50 } } as const;

function startTarget(kind: 'cadre' | 'hello', env: NodeJS.ProcessEnv = {}): Promise<Target> {
  return startScript(TARGET, [kind], env);
}

/** A measured run of bench/support.ts, profiled into BENCH_PROFILE when set. */
function measure(name: string, engine: string, server: Target, path: string, headers: Record<string, string> = {}): Promise<Row> {
  return measureRun(name, engine, server, path, { headers, profileDir: PROFILE_DIR, onProfile: (file) => profiles.push(file) });
}

// ---------------------------------------------------------------------------------------------
// Signing in over HTTP, and checking the session is really checked

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
// Report

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
  const slowBare = bareNotice(bare);
  if (slowBare) notices.push(slowBare);
  for (const n of notices) process.stdout.write(`NOTICE: ${n}\n`);
  const missed = rows.filter((r) => targetMet(r) === false);
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

runBench(main);
