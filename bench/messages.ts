// `npm run bench:messages`: POC-to-POC messages under load, against bare Fastify.
//
// A fresh database (SQLite; PostgreSQL too when BENCH_ENGINES includes postgres) holds one POC
// account per Member State (193) and BENCH_THREADS (10,000) threads between them: each from one
// State to one to three others, of 2 to 4 messages (the opening template, then acknowledgement,
// response, closure as the thread goes on). The rows are inserted directly, in batches, for speed;
// each message's fields are what validateTemplateInput makes of a realistic input (about 1.5 KB of
// text), encrypted with encryptContent under `message:<id>` exactly as message.service.ts stores
// them, so the thread page decrypts real envelopes. Then the server runs in a child process (this
// file with `serve <dataDir>`) and BENCH_CONNECTIONS (50) clients on loopback, each with the
// session cookie of the POC of a different State (createSession, as sign-in makes it), measure:
//   - inbox        GET /messages: the 200 most recently active threads of the reader's State;
//   - thread page  GET /messages/:id over threads the reader's State takes part in, every message
//                  decrypted, and the reader's `thread_read` row written on each request;
//   - the bare Fastify server of bench/serve-target.ts, the reference of the ratios, in the same run.
// Afterwards, in process: encryptAndSign (src/crypto/pgp-mail.ts) of a 4 KB body to 3 recipient
// keys, signed by Cadre's key, in ms per message, for Curve25519 and for RSA 3072 recipient keys.
//
// Environment: BENCH_SECONDS (10), BENCH_WARMUP_SECONDS (2), BENCH_CONNECTIONS (50), BENCH_ENGINES
// (sqlite), BENCH_PG_URL (else TEST_DATABASE_URL, else the local test database), BENCH_THREADS
// (10000), BENCH_ITERATIONS (100 encryptions per key type).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import { generateKey } from 'openpgp';
import { newId } from '../src/auth/crypto.ts';
import { createSession } from '../src/auth/sessions.ts';
import { loadConfig, type Config } from '../src/config.ts';
import { serveSeeded } from './serve-seeded.ts';
import { encryptContent } from '../src/crypto/content.ts';
import { encryptAndSign } from '../src/crypto/pgp-mail.ts';
import { loadSigningKey } from '../src/crypto/signing-key.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import type { MessageTable, MessageThreadTable, StateTable, ThreadPartyTable, UserTable } from '../src/db/schema.ts';
import { listStates } from '../src/modules/directory/state.repository.ts';
import { DEADLINES } from '../src/modules/messages/message.service.ts';
import { validateTemplateInput } from '../src/modules/messages/template-input.ts';
import type { Urgency } from '../src/modules/messages/templates.ts';
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
  WARMUP_SECONDS,
  withPostgres,
  type Row,
} from './support.ts';

const ENGINES = engines('sqlite');
const THREADS = positive('BENCH_THREADS', 10_000);
const ITERATIONS = positive('BENCH_ITERATIONS', 100);
const SELF = fileURLToPath(import.meta.url);
const CLIENT = { ip: '127.0.0.1', userAgent: 'cadre-bench' };
const TIMEOUT = 30;
const HOUR = 3_600_000;
const URGENCIES: Urgency[] = ['routine', 'urgent', 'critical'];
const LOREM =
  'Historian servers of the transmission operator were encrypted overnight; substations are run on manual control while the operator restores from offline backups. ' +
  'The intrusion began with a phishing message to a maintenance contractor, whose VPN account was then used from infrastructure hosted abroad. ';

/** A template's fields as validateTemplateInput stores them (the shape the thread page renders). */
function contentOf(template: string, input: Record<string, unknown>, now: Date): string {
  const checked = validateTemplateInput(template, input, now);
  if (!checked.ok) throw new BenchError(`bench content for ${template} is invalid: ${JSON.stringify(checked.problems)}`);
  return JSON.stringify(checked.value.fields);
}

function templatesOf(now: Date): { opening: string; template: string; replies: [string, string][] } {
  const occurred = new Date(now.getTime() - 6 * HOUR).toISOString().slice(0, 16);
  const opening = contentOf(
    'request-assistance',
    {
      summary: 'Ransomware at the national grid operator',
      whatHappened: LOREM.repeat(5),
      occurredAt: { local: occurred, timeZone: 'Europe/Paris' },
      sectors: ['energy'],
      indicators: [{ type: 'ip', value: '192.0.2.1' }, { type: 'domain', value: 'update-check.example' }],
      request: 'Please take down the command server hosted in your territory and share its logs with our national CERT.',
      urgency: 'urgent',
      tlp: 'AMBER',
    },
    now,
  );
  return {
    opening,
    template: 'request-assistance',
    replies: [
      ['acknowledgement', contentOf('acknowledgement', { reference: 'NCERT/2026/0042', note: 'Received; our duty officer is on it.', tlp: 'AMBER' }, now)],
      ['response', contentOf('response', { answer: LOREM.repeat(3), actionsTaken: 'The server was taken offline and its disk imaged.', tlp: 'AMBER' }, now)],
      ['closure', contentOf('closure', { outcome: 'resolved', note: 'Thank you for the swift help.', tlp: 'AMBER' }, now)],
    ],
  };
}

interface Seeded {
  seconds: number;
  threads: number;
  messages: number;
  /** One POC per client, of a different State each. */
  readers: UserTable[];
  /** For each reader, threads its State takes part in. */
  threadsOf: Map<string, string[]>;
}

async function insertBatches<T>(rows: T[], size: number, insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/** Direct inserts, in one transaction per 500 threads; the content encrypted as message.service.ts does. */
async function seedMessages(cadre: Cadre, states: StateTable[]): Promise<Seeded> {
  const started = performance.now();
  const db = cadre.database.db;
  const now = new Date();
  const at = now.toISOString();
  const pocs: UserTable[] = states.map((s) => ({
    id: newId(),
    email: `poc@${s.iso3.toLowerCase()}.bench.example`,
    display_name: `POC ${s.iso3}`,
    role: 'poc',
    state_iso3: s.iso3,
    status: 'active',
    password_hash: null,
    totp_secret: null,
    totp_enabled: 1,
    totp_last_step: 0,
    locale: null,
    time_zone: null,
    organisation_id: null,
    created_at: at,
    updated_at: at,
  }));
  await insertBatches(pocs, 50, (batch) => db.insertInto('app_user').values(batch).execute());
  const pocOf = new Map(pocs.map((p) => [p.state_iso3!, p]));
  const content = templatesOf(now);
  const byState = new Map<string, string[]>();
  let messages = 0;
  const CHUNK = 500;
  for (let start = 0; start < THREADS; start += CHUNK) {
    const threads: MessageThreadTable[] = [];
    const parties: ThreadPartyTable[] = [];
    const rows: MessageTable[] = [];
    for (let i = start; i < Math.min(THREADS, start + CHUNK); i++) {
      const from = states[i % states.length]!.iso3;
      // 1–3 recipient States, spread so every State gets a similar share.
      const to = [...new Set(Array.from({ length: 1 + (i % 3) }, (_, k) => states[(i * 7 + k * 31 + 1) % states.length]!.iso3))].filter((s) => s !== from);
      if (to.length === 0) to.push(states[(i + 1) % states.length]!.iso3);
      const count = 2 + (i % 3);
      const opened = new Date(now.getTime() - (THREADS - i) * 60_000);
      const urgency = URGENCIES[i % 3]!;
      const last = new Date(opened.getTime() + (count - 1) * 30 * 60_000).toISOString();
      const id = newId();
      threads.push({
        id,
        from_state: from,
        template: content.template,
        urgency,
        tlp: 'AMBER',
        status: count === 2 ? 'acknowledged' : count === 3 ? 'answered' : 'closed',
        hide_recipients: 0,
        exercise_id: null,
        created_by: pocOf.get(from)!.id,
        created_at: opened.toISOString(),
        ack_deadline_at: new Date(opened.getTime() + DEADLINES[urgency].ack * HOUR).toISOString(),
        response_deadline_at: new Date(opened.getTime() + DEADLINES[urgency].response * HOUR).toISOString(),
        last_activity_at: last,
        message_count: count,
      });
      const ackAt = new Date(opened.getTime() + 30 * 60_000).toISOString();
      for (const [state, role] of [[from, 'sender'] as const, ...to.map((s) => [s, 'recipient'] as const)]) {
        parties.push({ thread_id: id, state_iso3: state, role, addressed: '{}', response_state: role === 'recipient' && count > 2 ? 'in-progress' : 'not-assessed', response_reason: null, own_reference: role === 'recipient' ? 'NCERT/2026/0042' : null, acknowledged_at: role === 'recipient' ? ackAt : null, answered_at: null, alerted_at: null });
        (byState.get(state) ?? byState.set(state, []).get(state)!).push(id);
      }
      for (let seq = 1; seq <= count; seq++) {
        const messageId = newId();
        const [template, fields] = seq === 1 ? [content.template, content.opening] : content.replies[seq - 2]!;
        const author = seq === 1 || template === 'closure' ? from : to[0]!;
        rows.push({
          id: messageId,
          thread_id: id,
          seq,
          template,
          author_id: pocOf.get(author)!.id,
          author_state: author,
          tlp: 'AMBER',
          created_at: new Date(opened.getTime() + (seq - 1) * 30 * 60_000).toISOString(),
          content: encryptContent(cadre.config.contentKey, fields, `message:${messageId}`),
        });
      }
      messages += count;
    }
    await db.transaction().execute(async (trx) => {
      await insertBatches(threads, 200, (batch) => trx.insertInto('message_thread').values(batch).execute());
      await insertBatches(parties, 500, (batch) => trx.insertInto('thread_party').values(batch).execute());
      await insertBatches(rows, 300, (batch) => trx.insertInto('message').values(batch).execute());
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const readers: UserTable[] = [];
  const threadsOf = new Map<string, string[]>();
  const stride = Math.max(1, Math.floor(states.length / CONNECTIONS));
  for (let c = 0; c < CONNECTIONS; c++) {
    const reader = pocs[(c * stride) % pocs.length]!;
    readers.push(reader);
    threadsOf.set(reader.id, byState.get(reader.state_iso3!) ?? []);
  }
  return { seconds, threads: THREADS, messages, readers, threadsOf };
}

/** One cookie per connection (autocannon keeps `context` per connection); each connection cycles through its own paths. */
function perClient(cookies: string[], pathsOf: (client: number, n: number) => string): autocannon.Request[] {
  let nextClient = 0;
  return [
    {
      setupRequest: (req, context) => {
        const client = context as { index?: number; n?: number };
        client.index ??= nextClient++ % cookies.length;
        client.n = (client.n ?? 0) + 1;
        return { ...req, method: 'GET', path: pathsOf(client.index, client.n), headers: { ...req.headers, cookie: cookies[client.index]! } };
      },
    },
  ];
}

async function fetchOk(url: string, cookie: string, expect: string): Promise<void> {
  const res = await fetch(url, { headers: { cookie }, redirect: 'manual' });
  const body = await res.text();
  if (res.status !== 200 || !body.includes(expect)) throw new BenchError(`GET ${url} answered ${res.status} without "${expect}": not a signed-in messages page`);
}

interface EngineResult {
  rows: Row[];
  notes: string[];
}

async function benchEngine(engine: string, databaseUrl: string | undefined, bare: Row): Promise<EngineResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadre-bench-messages-'));
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  const config: Config = loadConfig(env, { dataDir, port: 0, host: '127.0.0.1', demo: false, baseUrl: 'http://127.0.0.1' });
  const database = openDatabase({ databaseUrl, dataDir });
  const notes: string[] = [];
  try {
    await migrate(database);
    const cadre: Cadre = { database, config };
    const states = await listStates(database.db);
    const seeded = await seedMessages(cadre, states);
    notes.push(`${engine}: seeded ${fmt(seeded.threads, 0)} threads, ${fmt(seeded.messages, 0)} encrypted messages between ${states.length} States (direct inserts) in ${fmt(seeded.seconds, 1)} s`);
    process.stdout.write(`  (${notes[notes.length - 1]})\n`);
    const limits = { idleSeconds: config.sessionIdleSeconds, absoluteSeconds: config.sessionAbsoluteSeconds };
    const cookies: string[] = [];
    for (const r of seeded.readers) cookies.push(`cadre_session=${(await createSession(database.db, r.id, limits, CLIENT)).token}`);
    const threadLists = seeded.readers.map((r) => seeded.threadsOf.get(r.id)!);
    const perState = threadLists.map((l) => l.length).sort((a, b) => a - b);
    notes.push(`${engine}: each reader's State takes part in ${perState[0]}–${perState[perState.length - 1]} threads (the inbox lists the 200 most recent)`);

    const server = await startTarget(SELF, ['serve', dataDir], databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '' });
    const rows: Row[] = [];
    try {
      await fetchOk(`${server.url}/messages`, cookies[0]!, `/messages/${threadLists[0]![threadLists[0]!.length - 1]}`);
      await fetchOk(`${server.url}/messages/${threadLists[1]![0]}`, cookies[1]!, 'Historian servers');
      const inbox = await measure('inbox GET /messages', engine, server, '', { requests: perClient(cookies, () => '/messages'), timeoutSeconds: TIMEOUT });
      rows.push({ ...inbox, ratio: inbox.rps / bare.rps });
      await fetchOk(`${server.url}/messages`, cookies[0]!, 'data-thread=');
      const thread = await measure('thread page GET /messages/:id', engine, server, '', {
        requests: perClient(cookies, (c, n) => {
          const list = threadLists[c]!;
          return `/messages/${list[(n * 13) % list.length]}`;
        }),
        timeoutSeconds: TIMEOUT,
      });
      rows.push({ ...thread, ratio: thread.rps / bare.rps });
      await fetchOk(`${server.url}/messages/${threadLists[2]![0]}`, cookies[2]!, 'Historian servers');
    } finally {
      await server.stop();
    }
    return { rows, notes };
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

interface Cost {
  label: string;
  mean: number;
  p50: number;
  p99: number;
}

/** encryptAndSign of a 4 KB body to 3 recipient keys, signed with Cadre's key: ms per message. */
async function encryptionCost(): Promise<Cost[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadre-bench-messages-key-'));
  const config = loadConfig({}, { dataDir, port: 0, host: '127.0.0.1', demo: false, baseUrl: 'http://127.0.0.1' });
  const database = openDatabase({ databaseUrl: undefined, dataDir });
  try {
    await migrate(database);
    const signingKey = await loadSigningKey(database.db, config);
    const body = `${LOREM.repeat(20)}`.slice(0, 4096);
    if (Buffer.byteLength(body) !== 4096) throw new BenchError('the body is not 4 KB');
    const out: Cost[] = [];
    const kinds = [
      ['3 × Curve25519 (ECDH) keys', { type: 'ecc', curve: 'curve25519Legacy' }],
      ['3 × RSA 3072 keys', { type: 'rsa', rsaBits: 3072 }],
    ] as const;
    for (const [label, options] of kinds) {
      const recipientsArmored = await Promise.all(
        [1, 2, 3].map(async (n) => (await generateKey({ ...options, userIDs: [{ name: `POC ${n}`, email: `poc${n}@bench.example` }], format: 'armored' })).publicKey),
      );
      for (let i = 0; i < 10; i++) await encryptAndSign({ text: body, recipientsArmored, signingKey });
      const times = new Float64Array(ITERATIONS);
      for (let i = 0; i < ITERATIONS; i++) {
        const t = performance.now();
        await encryptAndSign({ text: body, recipientsArmored, signingKey });
        times[i] = performance.now() - t;
      }
      const mean = times.reduce((a, b) => a + b, 0) / times.length;
      times.sort();
      out.push({ label, mean, p50: percentile(times, 50), p99: percentile(times, 99) });
    }
    return out;
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  if (process.argv[2] === 'serve') return serveSeeded(process.argv[3]!);
  process.stdout.write(
    `Cadre messages bench: ${CONNECTIONS} signed-in POC clients (one session each, different States) on 127.0.0.1, ` +
      `${WARMUP_SECONDS} s warm-up + ${SECONDS} s per target; servers in child processes (Node ${process.version}), no request logging; ` +
      `load average before start ${loadavg().map((l) => fmt(l, 2)).join(' ')} on ${cpus().length} cores.\n\n`,
  );
  const bare = await measureBare();
  const rows: Row[] = [bare];
  const notes: string[] = [];
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
  }
  process.stdout.write(`\n${table(rows)}\n`);
  const slowBare = bareNotice(bare);
  if (slowBare) notes.push(slowBare);
  for (const n of notes) process.stdout.write(`NOTE: ${n}\n`);
  const costs = await encryptionCost();
  process.stdout.write(`\nOpenPGP mail, in process: encryptAndSign of a 4 KB body to 3 recipient keys, signed by Cadre's Ed25519 key (${ITERATIONS} each, after 10 warm-up):\n`);
  const width = Math.max(...costs.map((c) => c.label.length));
  for (const c of costs) process.stdout.write(`  ${c.label.padEnd(width)}  mean ${fmt(c.mean, 2).padStart(6)} ms  p50 ${fmt(c.p50, 2).padStart(6)} ms  p99 ${fmt(c.p99, 2).padStart(6)} ms\n`);
  return 0;
}

runBench(main);
