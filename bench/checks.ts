// `npm run bench:checks`: a communication-check campaign to 1,000 POCs over real SMTP on loopback,
// against a raw nodemailer → smtp-server loop sending the same 1,000 messages, in the same run.
//
// The SMTP sink is an smtp-server in a child process (this file with `sink`) that accepts every
// message, reads it to the end without parsing it, and answers 250; it reports the moment its
// expected count was reached and the bytes it received. Per engine (BENCH_ENGINES, default
// sqlite,postgres; PostgreSQL skipped when unreachable), a fresh database gets 1,000 active entries
// (seedActivePocs: 193 States in turn, working languages rotating through the six UN languages).
//   - raw:   the 1,000 messages of the campaign, composed beforehand with composeCheckMail (same
//            languages, links, headers, Message-IDs, so the same sizes), sent with a nodemailer
//            transport made as Cadre's mailer makes it (one SMTP connection per message), CHECK_CONCURRENCY
//            at a time; measured from the first send to the sink's last acceptance.
//   - Cadre: startServer as `cadre serve` runs it (HTTP, worker with its defaults: concurrency 4,
//            poll every 1 s, 300 s lease), in this process; measured from startCampaign (the
//            Secretariat's call: targets, jobs and audit event in one transaction) to the sink's
//            last acceptance. Memory: this process's RSS sampled every 20 ms during the run (peak and
//            growth over the start), and resourceUsage().maxRSS.
// Goal: Cadre ≥ 70% of the raw rate.
//
// Environment: BENCH_ENGINES (sqlite,postgres), BENCH_PG_URL (else TEST_DATABASE_URL, else the
// local test database), BENCH_POCS (1000), CHECK_CONCURRENCY (4: the worker's default, which the
// raw loop copies).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { composeCheckMail } from '../src/modules/checks/check.mail.tsx';
import { startCampaign } from '../src/modules/checks/check.service.ts';
import { checkToken } from '../src/modules/checks/check.token.ts';
import { startServer } from '../src/server.ts';
import { seedActivePocs, seedSecretariat } from '../src/testing/checks.ts';
import { LANGUAGES } from '../src/web/i18n.ts';
import { BenchError, engines, fmt, positive, runBench, withPostgres } from './support.ts';

const SELF = fileURLToPath(import.meta.url);
const POCS = positive('BENCH_POCS', 1000);
const CONCURRENCY = positive('CHECK_CONCURRENCY', 4);
const BASE_URL = 'http://cadre.bench';
const MAIL_FROM = 'Cadre <no-reply@cadre.bench>';
const SECRET = Buffer.alloc(32, 5);
const TIMEOUT_MS = 10 * 60_000;

// ---------------------------------------------------------------------------------------------
// The sink, in a child

interface Accepted {
  /** Epoch ms (sub-ms) at which the sink accepted the expected count. */
  lastAt: number;
  count: number;
  bytes: number;
}

interface Sink {
  url: string;
  pid: number;
  /** Resets the sink's count and resolves once it accepted `n` more messages. */
  expect(n: number): Promise<Accepted>;
  stop(): Promise<void>;
}

function sink(): void {
  let count = 0;
  let bytes = 0;
  let expected = Infinity;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // No reverse DNS of the client per connection. smtp-server still waits 100 ms before its greeting
    // on every connection (to catch early talkers), as many relays do: see the pooled row.
    disableReverseLookup: true,
    size: 0,
    onData(stream, _session, callback) {
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      stream.on('error', callback);
      stream.on('end', () => {
        callback();
        if (++count === expected) process.stdout.write(`DONE ${performance.timeOrigin + performance.now()} ${count} ${bytes}\n`);
      });
    },
  });
  createInterface({ input: process.stdin }).on('line', (line) => {
    const m = /^EXPECT (\d+)$/.exec(line);
    if (!m) return;
    count = 0;
    bytes = 0;
    expected = Number(m[1]);
    process.stdout.write('EXPECTING\n');
  });
  process.stdin.on('end', () => server.close(() => process.exit(0)));
  server.listen(0, '127.0.0.1', () => process.stdout.write(`READY smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}\n`));
}

function startSink(): Promise<Sink> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', SELF, 'sink'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let waiting: ((line: string) => void) | undefined;
  lines.on('line', (line) => waiting?.(line));
  const next = (prefix: string, ms: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new BenchError(`the SMTP sink did not answer ${prefix} within ${ms / 1000} s`)), ms);
      waiting = (line) => {
        if (!line.startsWith(prefix)) return;
        clearTimeout(timer);
        waiting = undefined;
        resolve(line);
      };
    });
  return next('READY ', 30_000).then((ready) => ({
    url: ready.slice('READY '.length),
    pid: child.pid!,
    async expect(n) {
      const armed = next('EXPECTING', 5_000);
      child.stdin!.write(`EXPECT ${n}\n`);
      await armed;
      const [, at, count, bytes] = (await next('DONE ', TIMEOUT_MS)).split(' ');
      return { lastAt: Number(at), count: Number(count), bytes: Number(bytes) };
    },
    async stop() {
      child.stdin!.end();
      await exited;
    },
  }));
}

// ---------------------------------------------------------------------------------------------
// Memory

function sampleRss(): { stop(): { peak: number; start: number } } {
  const start = process.memoryUsage.rss();
  let peak = start;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage.rss());
      return { peak, start };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One engine

interface Result {
  engine: string;
  side: 'raw nodemailer loop' | 'Cadre campaign' | 'raw, pooled (reference)';
  seconds: number;
  count: number;
  bytes: number;
  rssPeak?: number;
  rssStart?: number;
}

async function runEngine(engine: string, databaseUrl: string | undefined, smtp: Sink): Promise<Result[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadre-bench-checks-'));
  const database = openDatabase({ databaseUrl, dataDir });
  try {
    await migrate(database);
    const seeded = await seedActivePocs(database, POCS, 'bench.example');
    const secretariat = await seedSecretariat(database);
    const config = loadConfig({}, { dataDir, databaseUrl, port: 0, host: '127.0.0.1', baseUrl: BASE_URL, smtpUrl: smtp.url, mailFrom: MAIL_FROM, secret: SECRET, demo: false });

    // Raw: the same messages (composed as the job composes them, before the clock starts).
    const deadline = new Date(Date.now() + 48 * 3_600_000).toISOString();
    const host = new URL(BASE_URL).hostname;
    const messages = seeded.map((p, i) => {
      const targetId = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const token = checkToken(SECRET, targetId, '00000000-0000-4000-8000-000000000000');
      // The working language seedActivePocs gave this entry, as the job reads it.
      const language = LANGUAGES[i % LANGUAGES.length]!;
      const mail = composeCheckMail({ language, mode: 'routine', link: `${BASE_URL}/checks/ack/${token}`, deadline, byReply: false, site: BASE_URL });
      return {
        from: MAIL_FROM,
        to: p.address,
        ...mail,
        messageId: `<check.${targetId}@${host}>`,
        headers: { 'X-Cadre-Check': token, 'Auto-Submitted': 'auto-generated', 'Content-Language': language },
      };
    });
    const rawLoop = async (side: Result['side'], pooled: boolean): Promise<Result> => {
      const options = { url: smtp.url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000, logger: false, debug: false };
      const transport = pooled ? nodemailer.createTransport({ ...options, pool: true, maxConnections: CONCURRENCY, maxMessages: Infinity }) : nodemailer.createTransport(options);
      const accepted = smtp.expect(messages.length);
      const start = performance.timeOrigin + performance.now();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < messages.length) await transport.sendMail(messages[next++]!);
        }),
      );
      const done = await accepted;
      transport.close();
      const row: Result = { engine, side, seconds: (done.lastAt - start) / 1000, count: done.count, bytes: done.bytes };
      process.stdout.write(`  ${engine.padEnd(9)} ${side.padEnd(24)} ${fmt(row.count / row.seconds, 1)} messages/s\n`);
      return row;
    };
    // As Cadre's mailer sends: a new SMTP connection per message.
    const rawRow = await rawLoop('raw nodemailer loop', false);
    // What connection reuse would give (nodemailer's pool, one connection per concurrent send): a reference, not the goal's base.
    const pooledRow = await rawLoop('raw, pooled (reference)', true);

    // Cadre: `cadre serve` in this process, then the Secretariat starts the campaign.
    const server = await startServer(config);
    let cadreRow: Result;
    try {
      const accepted = smtp.expect(POCS);
      const rss = sampleRss();
      const started = performance.timeOrigin + performance.now();
      const campaign = await startCampaign(server.app.cadre, secretariat, { mode: 'routine', scope: {} });
      const startedIn = performance.timeOrigin + performance.now() - started;
      if (campaign.target_count !== POCS) throw new BenchError(`the campaign has ${campaign.target_count} targets, expected ${POCS}`);
      const done = await accepted;
      const memory = rss.stop();
      cadreRow = { engine, side: 'Cadre campaign', seconds: (done.lastAt - started) / 1000, count: done.count, bytes: done.bytes, rssPeak: memory.peak, rssStart: memory.start };
      // Every target ends sent (the last acceptance precedes the last target's UPDATE by a moment).
      const sent = () => database.db.selectFrom('check_target').select((eb) => eb.fn.countAll<number>().as('n')).where('campaign_id', '=', campaign.id).where('status', '=', 'sent').executeTakeFirstOrThrow();
      let n = 0;
      for (let i = 0; i < 250 && n < POCS; i++) {
        n = Number((await sent()).n);
        if (n < POCS) await new Promise((r) => setTimeout(r, 20));
      }
      if (n !== POCS) throw new BenchError(`${n} of ${POCS} targets sent after the sink accepted ${done.count} messages`);
      process.stdout.write(
        `  ${engine.padEnd(9)} ${'Cadre campaign'.padEnd(24)} ${fmt(cadreRow.count / cadreRow.seconds, 1)} messages/s (startCampaign itself ${fmt(startedIn, 0)} ms)\n`,
      );
    } finally {
      await server.stop();
    }
    return [rawRow, cadreRow, pooledRow];
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function mb(bytes: number): string {
  return `${fmt(bytes / 1_048_576, 0)} MB`;
}

function table(rows: Result[]): string {
  const head = ['side', 'engine', 'messages', 'seconds', 'msg/s', 'avg size', 'vs raw', 'RSS peak (start)', 'goal', 'met'];
  const rawOf = new Map(rows.filter((r) => r.side === 'raw nodemailer loop').map((r) => [r.engine, r]));
  const body = rows.map((r) => {
    const raw = rawOf.get(r.engine)!;
    const ratio = r.count / r.seconds / (raw.count / raw.seconds);
    const isCadre = r.side === 'Cadre campaign';
    return [
      r.side,
      r.engine,
      fmt(r.count, 0),
      fmt(r.seconds, 2),
      fmt(r.count / r.seconds, 1),
      `${fmt(r.bytes / r.count, 0)} B`,
      `${fmt(ratio * 100, 1)}%`,
      r.rssPeak === undefined ? '' : `${mb(r.rssPeak)} (${mb(r.rssStart!)})`,
      isCadre ? '>=70%' : '',
      isCadre ? (ratio >= 0.7 ? 'yes' : 'MISSED') : '',
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i >= 2 && i <= 7 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<number> {
  if (process.argv[2] === 'sink') {
    sink();
    return new Promise<number>(() => undefined);
  }
  process.stdout.write(
    `Cadre checks bench: a campaign to ${POCS} POCs over SMTP on 127.0.0.1 (sink: smtp-server in a child process, accepting everything), ` +
      `against a raw nodemailer loop of the same messages, ${CONCURRENCY} at a time; Node ${process.version}; ` +
      `load average before start ${loadavg().map((l) => fmt(l, 2)).join(' ')} on ${cpus().length} cores.\n\n`,
  );
  const smtp = await startSink();
  const rows: Result[] = [];
  try {
    for (const engine of engines('sqlite,postgres')) {
      if (engine === 'sqlite') rows.push(...(await runEngine('sqlite', undefined, smtp)));
      else if (engine === 'postgres') {
        const r = await withPostgres((url) => runEngine('postgres', url, smtp));
        if (r !== 'unreachable') rows.push(...r);
      } else throw new BenchError(`unknown engine ${engine} in BENCH_ENGINES`);
    }
  } finally {
    await smtp.stop();
  }
  process.stdout.write(`\n${table(rows)}\n`);
  process.stdout.write(
    `\nCadre: startServer as cadre serve runs it (worker concurrency 4, poll 1 s, lease 300 s), in this process; timed from startCampaign to the sink's last acceptance.` +
      `\nRSS: this process (bench harness, Cadre server and worker, SQLite when used) sampled every 20 ms during the Cadre run; maxRSS over the whole run ${mb(process.resourceUsage().maxRSS * 1024)}.\n`,
  );
  return rows.every((r) => r.side !== 'Cadre campaign' || r.count / r.seconds >= 0.7 * (rows.find((x) => x.engine === r.engine && x.side === 'raw nodemailer loop')!.count / rows.find((x) => x.engine === r.engine && x.side === 'raw nodemailer loop')!.seconds)) ? 0 : 2;
}

runBench(main);
