// `npm run bench:directory`: the points-of-contact directory under load, against bare Fastify.
//
// A fresh database (SQLite; PostgreSQL too when BENCH_ENGINES includes postgres) holds the 193
// Member States × 4 entries (diplomatic and technical, primary and alternate) = 772 active entries.
// They are seeded in process through the service layer, as on the site: each State's admin (an
// operator invitation, then marked enrolled) calls nominatePoc, which invites the POC account; the
// POC then "enrols" as completeEnrolment does it minus the password hash (link spent, account
// active, activateEntriesOf, `user.enrolled` event), so every entry has its revisions and audit
// events. The seeding time is printed. Then the server runs in a child process (this file with
// `serve <dataDir>`) and BENCH_CONNECTIONS (50) clients on loopback, each with the session cookie of
// a POC of a different State (createSession, as sign-in makes it), measure:
//   - search      GET /directory?q=<word>&group=<group>, a rotation of text and group queries;
//   - State page  GET /directory/states/<ISO3> across the 193 States: a State viewed by a reader of
//                 another State writes one `poc.viewed` audit event per request (hash chain), counted;
//   - the bare Fastify server of bench/serve-target.ts, the reference of the ratios, in the same run.
// Goal: p99 < 50 ms on SQLite. Afterwards, per engine, the same reads in process (app.inject and
// the service calls one by one) show where a request's time goes.
//
// Directory reads are kept in memory while the directory's stamp stands (directory.memo.ts); the
// directory does not change during the measured runs, so after the first request of each reader's
// State and query they are answered from memory. The in-process steps marked "cold" replace the
// stamp before each request, as any change to the directory would: the cost of a read just after
// a change.
//
// Environment: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (50), BENCH_ENGINES
// (sqlite), BENCH_PAGES (search,state: the pages measured), BENCH_PG_URL (else TEST_DATABASE_URL,
// else the local test database), BENCH_ITERATIONS (200 in-process calls per step),
// BENCH_PROFILE=<dir> (a V8 CPU profile of the server for its whole life, both pages and their
// warm-ups: summarise it with bench/cpu-profile-summary.ts), BENCH_FLAGS (node flags for the
// server, space-separated; default HTTP_NODE_FLAGS, as `npm start` serves; empty for node's
// defaults), BENCH_SERVER_LOG=<file> (the server's standard output appended there, with
// BENCH_FLAGS="--trace-gc" say).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import { getExampleNumber, type CountryCode } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { appendAuditEvent } from '../src/audit/audit.repository.ts';
import { nowIso, sha256Hex } from '../src/auth/crypto.ts';
import type { Principal } from '../src/auth/principal.ts';
import { createSession } from '../src/auth/sessions.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { serveSeeded } from './serve-seeded.ts';
import { HTTP_NODE_FLAGS } from '../src/serve-processes.ts';
import { openDatabase, type Db } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import type { StateTable, UserTable } from '../src/db/schema.ts';
import { listRegionalOrganisations } from '../src/modules/directory/regional-organisation.repository.ts';
import { listStates } from '../src/modules/directory/state.repository.ts';
import { listDirectory, readerParticipates, readStateEntries, recordViews, searchDirectory } from '../src/modules/directory/poc/poc.read.ts';
import { consentsOf, listPocs, pageListing, verifiedEmails } from '../src/modules/directory/poc/poc.repository.ts';
import { activateEntriesOf, nominatePoc } from '../src/modules/directory/poc/poc.service.ts';
import type { PocInput } from '../src/modules/directory/poc/poc.input.ts';
import { consumeInvitation, findInvitation, updateUser } from '../src/modules/users/user.repository.ts';
import { inviteUser, OPERATOR } from '../src/modules/users/user.service.ts';
import { buildApp } from '../src/web/app.ts';
import type { Cadre } from '../src/web/types.ts';
import {
  bareNotice,
  BenchError,
  CONNECTIONS,
  engines,
  fmt,
  measure,
  measureBare,
  percentile,
  positive,
  runBench,
  SECONDS,
  startTarget,
  table,
  targetMet,
  WARMUP_SECONDS,
  withPostgres,
  type Row,
} from './support.ts';

const ENGINES = engines('sqlite');
const ITERATIONS = positive('BENCH_ITERATIONS', 200);
const PAGES = (process.env.BENCH_PAGES ?? 'search,state').split(',').map((p) => p.trim());
if (PAGES.some((p) => p !== 'search' && p !== 'state')) throw new BenchError(`BENCH_PAGES: "search" and/or "state", comma-separated; got "${process.env.BENCH_PAGES}"`);
const SELF = fileURLToPath(import.meta.url);
const GOAL = { p99Ms: 50 };
const CLIENT = { ip: '127.0.0.1', userAgent: 'cadre-bench' };
/** A search under 50 clients can queue for seconds: a timeout voids the run, so it is generous. */
const TIMEOUT = 30;

/** Search shapes: a word of titles, of organisations, of names, a group alone, both, no hit. */
const SEARCHES: Record<string, string>[] = [
  { q: 'cert' },
  { q: 'ministry', group: 'African' },
  { q: 'duty officer' },
  { q: 'diplomacy', group: 'WEOG' },
  { q: 'okafor' },
  { group: 'Asia-Pacific' },
  { q: 'agency', group: 'GRULAC' },
  { q: 'head' },
  { q: 'national', group: 'Eastern European' },
  { q: 'nobody-matches-this' },
];

const ZONES: Record<string, string> = { African: 'Africa/Nairobi', 'Asia-Pacific': 'Asia/Bangkok', 'Eastern European': 'Europe/Warsaw', GRULAC: 'America/Bogota', WEOG: 'Europe/Paris' };
const GIVEN = ['Amina', 'Carlos', 'Mei', 'Olga', 'Pierre', 'Sara', 'Kwame', 'Lucia', 'Arjun', 'Fatima', 'Jonas', 'Yuki'];
const FAMILY = ['Okafor', 'Silva', 'Chen', 'Ivanova', 'Martin', 'Haddad', 'Mensah', 'García', 'Rao', 'Nilsson', 'Tanaka', 'Kowalski'];

function nomination(state: StateTable, i: number, kind: 'diplomatic' | 'technical', rank: 'primary' | 'alternate'): PocInput {
  const n = i * 4 + (kind === 'technical' ? 2 : 0) + (rank === 'alternate' ? 1 : 0);
  let phone: string | undefined;
  try {
    phone = getExampleNumber(state.iso2 as CountryCode, examples)?.formatInternational();
  } catch {
    phone = undefined;
  }
  return {
    kind,
    rank,
    name: `${GIVEN[n % GIVEN.length]} ${FAMILY[(n * 7 + i) % FAMILY.length]}`,
    title: kind === 'diplomatic' ? (rank === 'primary' ? 'Head of Cyber Diplomacy' : 'Deputy Head, International Security') : rank === 'primary' ? 'Head of the National CERT' : 'CERT Duty Officer',
    organisation: kind === 'diplomatic' ? `Ministry of Foreign Affairs (${state.iso3})` : `National Cyber Security Agency (${state.iso3})`,
    emails: [`${kind}.${rank}@${state.iso3.toLowerCase()}.bench.example`],
    phones: phone ? [{ number: phone, label: 'office' }] : [],
    languages: rank === 'primary' ? ['en', 'fr'] : ['en'],
    timeZone: ZONES[state.regional_group] ?? 'UTC',
    availability: rank === 'primary' ? '24/7' : 'mon-fri 08:00-17:00',
    notes: '',
    nominationRef: `NV/${state.iso3}/2026/${n}`,
    nominationDate: '2026-11-02',
  };
}

function principalOf(u: Pick<UserTable, 'id' | 'email' | 'display_name' | 'role' | 'state_iso3' | 'organisation_id'>): Principal {
  return { userId: u.id, email: u.email, displayName: u.display_name, role: u.role, state: u.state_iso3, organisation: u.organisation_id, via: 'session' };
}

/** What completeEnrolment does in its transaction, without hashing a password: the link spent, the account active, its entries active. */
async function enrolWithoutPassword(cadre: Cadre, user: UserTable, link: string): Promise<void> {
  const invitation = await findInvitation(cadre.database.db, sha256Hex(new URL(link).pathname.split('/').pop()!));
  if (!invitation) throw new BenchError(`no invitation for ${user.email}`);
  await cadre.database.db.transaction().execute(async (trx) => {
    const now = nowIso();
    if (!(await consumeInvitation(trx, invitation.id, now))) throw new BenchError(`invitation of ${user.email} already used`);
    await updateUser(trx, user.id, { totp_enabled: 1, status: 'active', updated_at: now });
    await activateEntriesOf(trx, cadre, user);
    await appendAuditEvent(trx, cadre.database.engine, { actor: { id: user.id, label: user.email }, action: 'user.enrolled', targetType: 'user', targetId: user.id, state: user.state_iso3, ip: CLIENT.ip });
  });
}

interface Seeded {
  seconds: number;
  entries: number;
  /** One POC per client, each of a different State while there are States enough. */
  readers: Principal[];
  states: StateTable[];
}

async function seedDirectory(cadre: Cadre): Promise<Seeded> {
  const started = performance.now();
  const states = await listStates(cadre.database.db);
  const pocsByState: Principal[][] = [];
  for (const [i, state] of states.entries()) {
    const invited = await inviteUser(cadre, OPERATOR, { email: `admin@${state.iso3.toLowerCase()}.bench.example`, role: 'state-admin', state: state.iso3, displayName: `Administrator ${state.iso3}` }, { delivery: 'link' });
    await enrolWithoutPassword(cadre, invited.user, invited.link);
    const admin = principalOf(invited.user);
    const pocs: Principal[] = [];
    for (const kind of ['diplomatic', 'technical'] as const) {
      for (const rank of ['primary', 'alternate'] as const) {
        const { invitation } = await nominatePoc(cadre, admin, state.iso3, nomination(state, i, kind, rank), { delivery: 'link', ip: CLIENT.ip });
        if (!invitation || invitation.mailed) throw new BenchError(`nomination in ${state.iso3} gave no enrolment link`);
        await enrolWithoutPassword(cadre, invitation.user, invitation.link);
        pocs.push(principalOf(invitation.user));
      }
    }
    pocsByState.push(pocs);
  }
  const seconds = (performance.now() - started) / 1000;
  const active = await cadre.database.db.selectFrom('poc').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'active').executeTakeFirstOrThrow();
  const readers: Principal[] = [];
  for (let c = 0; c < CONNECTIONS; c++) {
    const stride = Math.max(1, Math.floor(states.length / CONNECTIONS));
    const s = (c * stride) % states.length;
    readers.push(pocsByState[s]![Math.floor((c * stride) / states.length) % 4]!);
  }
  return { seconds, entries: Number(active.n), readers, states };
}

async function countViews(db: Db): Promise<number> {
  const r = await db.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'poc.viewed').executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One cookie per connection (autocannon keeps `context` per connection), paths in rotation across connections. */
function rotation(paths: string[], cookies: string[], sent: { n: number }): autocannon.Request[] {
  let nextClient = 0;
  return [
    {
      setupRequest: (req, context) => {
        const client = context as { cookie?: string };
        client.cookie ??= cookies[nextClient++ % cookies.length]!;
        return { ...req, method: 'GET', path: paths[sent.n++ % paths.length]!, headers: { ...req.headers, cookie: client.cookie } };
      },
    },
  ];
}

async function fetchOk(url: string, cookie: string, expect: string): Promise<void> {
  const res = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  const body = await res.text();
  if (res.status !== 200 || !body.includes(expect)) throw new BenchError(`GET ${url} answered ${res.status} without "${expect}": not a signed-in directory page`);
}

interface Step {
  step: string;
  p50: number;
  p99: number;
}

/** What any change to the directory does to the reads kept in memory: a new stamp. */
async function changeDirectory(db: Db['db']): Promise<void> {
  await db.updateTable('directory_stamp').set({ stamp: randomBytes(8).toString('hex') }).where('id', '=', 1).execute();
}

/** Where a request's time goes: the whole request in process (no network), then each service call alone. */
async function breakdown(cadre: Cadre, reader: Principal, cookie: string, states: StateTable[]): Promise<Step[]> {
  const app = await buildApp(cadre, { logger: false });
  const other = states.find((s) => s.iso3 !== reader.state)!.iso3;
  const db = cadre.database.db;
  const search = { q: 'ministry', group: 'African' };
  const allIds = (await listPocs(db, { statuses: ['active'] })).map((r) => r.id);
  const steps: [string, () => Promise<unknown>][] = [
    ['search page q=ministry group=African, app.inject', () => app.inject({ method: 'GET', url: `/directory?q=${search.q}&group=${search.group}`, headers: { cookie } })],
    ['  listDirectory (q + group, page 1: what the page reads)', () => listDirectory(cadre, reader, search, 1)],
    ['  listDirectory (no filter, page 1)', () => listDirectory(cadre, reader, {}, 1)],
    ['  pageListing alone (no filter, page 1)', () => pageListing(db, { statuses: ['pending', 'active'] }, { limit: 50, offset: 0 })],
    ['searchDirectory (q + group: API and exports, every match whole)', () => searchDirectory(cadre, reader, search)],
    ['  searchDirectory (no filter: 772 entries)', () => searchDirectory(cadre, reader, {})],
    ['  listPocs alone (no filter)', () => listPocs(db, { statuses: ['pending', 'active'] })],
    ['  verifiedEmails of 772 entries', () => verifiedEmails(db, allIds)],
    ['  consentsOf 772 entries', () => consentsOf(db, allIds)],
    ['  listStates', () => listStates(db)],
    ['  listRegionalOrganisations', () => listRegionalOrganisations(db)],
    ['  readerParticipates', () => readerParticipates(cadre, reader)],
    ['search page q=ministry group=African, cold (the directory changed before each request)', async () => {
      await changeDirectory(db);
      return app.inject({ method: 'GET', url: `/directory?q=${search.q}&group=${search.group}`, headers: { cookie } });
    }],
    [`State page, app.inject (whole request, ${other})`, () => app.inject({ method: 'GET', url: `/directory/states/${other}`, headers: { cookie } })],
    [`State page, cold (the directory changed before each request)`, async () => {
      await changeDirectory(db);
      return app.inject({ method: 'GET', url: `/directory/states/${other}`, headers: { cookie } });
    }],
    ['  readStateEntries (incl. audit event)', () => readStateEntries(cadre, reader, other, CLIENT.ip, 'page')],
    ['  listPocs of one State', () => listPocs(db, { states: [other], statuses: ['pending', 'active', 'withdrawn'] })],
  ];
  // Each search of the rotation as a whole request: its cost follows the entries it lists.
  for (const s of SEARCHES) {
    const found = (await searchDirectory(cadre, reader, s)).total;
    const label = Object.entries(s).map(([k, v]) => `${k}=${v}`).join(' ');
    steps.push([`search page ${label} (${found} entries)`, () => app.inject({ method: 'GET', url: `/directory?${new URLSearchParams(s).toString()}`, headers: { cookie } })]);
  }
  const { entries } = await readStateEntries(cadre, reader, other, CLIENT.ip, 'page');
  steps.push(['  recordViews alone (audit event, hash chain)', () => recordViews(cadre, reader, entries, CLIENT.ip, 'page')]);
  const out: Step[] = [];
  try {
    for (const [step, fn] of steps) {
      for (let i = 0; i < 20; i++) await fn();
      const times = new Float64Array(ITERATIONS);
      for (let i = 0; i < ITERATIONS; i++) {
        const t = performance.now();
        await fn();
        times[i] = performance.now() - t;
      }
      times.sort();
      out.push({ step, p50: percentile(times, 50), p99: percentile(times, 99) });
    }
  } finally {
    await app.close();
  }
  return out;
}

interface EngineResult {
  rows: Row[];
  notes: string[];
  steps: Step[];
}

async function benchEngine(engine: string, databaseUrl: string | undefined, bare: Row): Promise<EngineResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadre-bench-directory-'));
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  const config: Config = loadConfig(env, { dataDir, port: 0, host: '127.0.0.1', demo: false, baseUrl: 'http://127.0.0.1' });
  const database = openDatabase({ databaseUrl, dataDir });
  const notes: string[] = [];
  try {
    await migrate(database);
    const cadre: Cadre = { database, config };
    const seeded = await seedDirectory(cadre);
    if (seeded.entries !== seeded.states.length * 4) throw new BenchError(`${seeded.entries} active entries, expected ${seeded.states.length * 4}`);
    notes.push(`${engine}: seeded ${seeded.entries} active entries of ${seeded.states.length} States through nominatePoc + enrolment (activateEntriesOf) in ${fmt(seeded.seconds, 1)} s`);
    process.stdout.write(`  (${notes[notes.length - 1]})\n`);
    const limits = { idleSeconds: config.sessionIdleSeconds, absoluteSeconds: config.sessionAbsoluteSeconds };
    const cookies: string[] = [];
    for (const r of seeded.readers) cookies.push(`cadre_session=${(await createSession(database.db, r.userId, limits, CLIENT)).token}`);

    const profile = [...(process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []), ...(process.env.BENCH_FLAGS?.split(' ').filter(Boolean) ?? HTTP_NODE_FLAGS)];
    const server = await startTarget(SELF, ['serve', dataDir], { DATABASE_URL: databaseUrl ?? '' }, profile);
    const rows: Row[] = [];
    try {
      await fetchOk(`${server.url}/directory?q=cert`, cookies[0]!, 'Head of the National CERT');
      await fetchOk(`${server.url}/directory/states/${seeded.states[0]!.iso3}`, cookies[1 % cookies.length]!, '@');
      if (PAGES.includes('search')) {
        const searchPaths = SEARCHES.map((s) => `/directory?${new URLSearchParams(s).toString()}`);
        const search = await measure('directory search GET /directory', engine, server, '', { requests: rotation(searchPaths, cookies, { n: 0 }), timeoutSeconds: TIMEOUT });
        rows.push({ ...search, ratio: search.rps / bare.rps, ...(engine === 'sqlite' ? { target: GOAL } : {}) });
      }
      if (PAGES.includes('state')) {
        // Requests of the search run still queued in the server would be measured with the State page: wait them out.
        await fetchOk(`${server.url}/directory/states/${seeded.states[0]!.iso3}`, cookies[0]!, '@');
        const viewsBefore = await countViews(database);
        const sent = { n: 0 };
        const statePaths = seeded.states.map((s) => `/directory/states/${s.iso3}`);
        const page = await measure('State page GET /directory/states/:iso3', engine, server, '', { requests: rotation(statePaths, cookies, sent), timeoutSeconds: TIMEOUT });
        rows.push({ ...page, ratio: page.rps / bare.rps, ...(engine === 'sqlite' ? { target: GOAL } : {}) });
        const written = (await countViews(database)) - viewsBefore;
        notes.push(
          `${engine}: State pages wrote ${fmt(written, 0)} poc.viewed audit events for ${fmt(sent.n, 0)} requests sent (warm-up included; ` +
            `a reader's own State writes none), about ${fmt(page.rps, 0)} hash-chained events/s in the measured run`,
        );
      }
      // The sessions held: still signed in after the load.
      await fetchOk(`${server.url}/directory?q=cert`, cookies[cookies.length - 1]!, 'Head of the National CERT');
    } finally {
      await server.stop();
    }
    const steps = await breakdown(cadre, seeded.readers[0]!, cookies[0]!, seeded.states);
    return { rows, notes, steps };
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  if (process.argv[2] === 'serve') return serveSeeded(process.argv[3]!);
  process.stdout.write(
    `Cadre directory bench: ${CONNECTIONS} signed-in POC clients (one session each, different States) on 127.0.0.1, ` +
      `${WARMUP_SECONDS} s warm-up + ${SECONDS} s per target; servers in child processes (Node ${process.version}), no request logging, ` +
      `WEB_PROCESSES=${process.env.WEB_PROCESSES || 1} (srv CPU counts them all); ` +
      `load average before start ${loadavg().map((l) => fmt(l, 2)).join(' ')} on ${cpus().length} cores.\n\n`,
  );
  const bare = await measureBare();
  const rows: Row[] = [bare];
  const notes: string[] = [];
  const steps: [string, Step[]][] = [];
  for (const engine of ENGINES) {
    const run = (url: string | undefined) => benchEngine(engine, url, bare);
    const result = engine === 'postgres' ? await withPostgres(run) : engine === 'sqlite' ? await run(undefined) : undefined;
    if (result === undefined) throw new BenchError(`unknown engine ${engine}`);
    if (result === 'unreachable') {
      notes.push('PostgreSQL: skipped (unreachable)');
      continue;
    }
    rows.push(...result.rows);
    notes.push(...result.notes);
    steps.push([engine, result.steps]);
  }
  process.stdout.write(`\n${table(rows)}\n`);
  const slowBare = bareNotice(bare);
  if (slowBare) notes.push(slowBare);
  for (const n of notes) process.stdout.write(`NOTE: ${n}\n`);
  for (const [engine, list] of steps) {
    process.stdout.write(`\nIn process, ${engine}, one call at a time (${ITERATIONS} each, after 20 warm-up):\n`);
    const width = Math.max(...list.map((s) => s.step.length));
    for (const s of list) process.stdout.write(`  ${s.step.padEnd(width)}  p50 ${fmt(s.p50, 2).padStart(7)} ms  p99 ${fmt(s.p99, 2).padStart(7)} ms\n`);
  }
  const sqlite = rows.filter((r) => r.engine === 'sqlite');
  if (sqlite.length) {
    const missed = sqlite.filter((r) => targetMet(r) === false);
    process.stdout.write(
      missed.length
        ? `\nMISSED p99 < ${GOAL.p99Ms} ms on SQLite: ${missed.map((r) => `${r.name} (p99 ${fmt(r.p99, 2)} ms)`).join('; ')}\n`
        : `\np99 < ${GOAL.p99Ms} ms on SQLite: met for search and State page.\n`,
    );
  }
  return 0;
}

runBench(main);
