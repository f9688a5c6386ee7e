// Shared pieces of the HTTP benches (bench/http.ts, bench/directory.ts): servers in child processes
// that print `READY <url>`, autocannon runs that keep every 2xx latency, CPU shares from /proc, a
// PostgreSQL database made for the run, cookies and CSRF tokens of real pages, and the result table.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';

/** A failure the bench explains itself (printed without a stack). */
export class BenchError extends Error {}

export function positive(name: string, fallback: number, zeroOk = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!zeroOk && n === 0)) throw new BenchError(`${name} must be a ${zeroOk ? 'non-negative' : 'positive'} number`);
  return n;
}

export const SECONDS = positive('BENCH_SECONDS', 10);
export const WARMUP_SECONDS = positive('BENCH_WARMUP_SECONDS', 2, true);
export const CONNECTIONS = positive('BENCH_CONNECTIONS', 50);
export const PG_URL = process.env.BENCH_PG_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** BENCH_ENGINES as a list, `fallback` when unset. */
export function engines(fallback: string): string[] {
  return (process.env.BENCH_ENGINES ?? fallback).split(',').map((s) => s.trim());
}

export interface Row {
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
  /** A goal on the share of bare Fastify's requests/s (optional) and on p99. */
  target?: { ratio?: number; p99Ms: number };
}

// ---------------------------------------------------------------------------------------------
// Child processes

export interface Target {
  url: string;
  pid: number;
  /** Lines `KEY value` the child printed before READY. */
  info: Map<string, string>;
  /** Sends a command line to the child and waits for the answer line. */
  command(line: string, answer: string): Promise<void>;
  stop(): Promise<void>;
}

const children = new Set<ChildProcess>();

/**
 * Runs `node --import tsx <script> ...args` with NODE_ENV=production, without the caller's
 * DATABASE_URL (unless `env` sets it) and CADRE_DATA_DIR, and waits for its `READY <url>` line;
 * `flags` go to node before the script (e.g. `--cpu-prof`).
 */
export function startTarget(script: string, args: string[], env: NodeJS.ProcessEnv = {}, flags: string[] = []): Promise<Target> {
  const name = args[0] ?? script;
  const nodeArgs = [...flags, '--import', 'tsx'];
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, NODE_ENV: 'production' };
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  delete childEnv.CADRE_DATA_DIR;
  const child = spawn(process.execPath, [...nodeArgs, script, ...args], { env: childEnv, stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    children.delete(child);
    resolve(code);
  }));
  return new Promise<Target>((resolve, reject) => {
    const timer = setTimeout(() => reject(new BenchError(`${name} server did not start within 60 s`)), 60_000);
    const lines = createInterface({ input: child.stdout! });
    const waiting = new Map<string, () => void>();
    const info = new Map<string, string>();
    lines.on('line', (line) => {
      if (process.env.BENCH_SERVER_LOG) appendFileSync(process.env.BENCH_SERVER_LOG, `${line}\n`);
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
            void exited.then((code) => fail(new BenchError(`${name} server exited (status ${code}) during "${text}"`)));
            child.stdin!.write(`${text}\n`);
          }),
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          const code = await exited;
          if (code !== 0) throw new BenchError(`${name} server exited with status ${code}`);
        },
      });
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new BenchError(`${name} server exited (status ${code}) before it was ready`));
    });
  });
}

export function killChildren(): void {
  for (const child of children) child.kill('SIGTERM');
}

// ---------------------------------------------------------------------------------------------
// Pages

export function cookiesOf(res: Response): Map<string, string> {
  const jar = new Map<string, string>();
  for (const header of res.headers.getSetCookie()) {
    const [pair] = header.split(';');
    const eq = pair!.indexOf('=');
    if (eq > 0) jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
  }
  return jar;
}

export function csrfOf(html: string): string | undefined {
  return /<input[^>]*name="_csrf"[^>]*value="([^"]+)"/.exec(html)?.[1] ?? /<input[^>]*value="([^"]+)"[^>]*name="_csrf"/.exec(html)?.[1];
}

// ---------------------------------------------------------------------------------------------
// Load

export interface LoadResult {
  rps: number;
  /** Latencies of every 2xx response, in ms, sorted (autocannon's own histogram rounds to whole ms). */
  latencies: Float64Array;
  /** Mean size of a 2xx response, headers included, in bytes. */
  bytes: number;
}

export interface LoadOptions {
  headers?: Record<string, string>;
  /** autocannon's request sequence, each connection cycling through it (varied paths, per-connection headers). */
  requests?: autocannon.Request[];
  /** Seconds after which a request counts as timed out (voiding the run); 10 by default. */
  timeoutSeconds?: number;
}

/** One autocannon run at CONNECTIONS; any non-2xx, error, timeout or reset voids it. */
export function load(url: string, options: LoadOptions, seconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const times: number[] = [];
    let bytes = 0;
    const opts: autocannon.Options = { url, connections: CONNECTIONS, duration: seconds, headers: options.headers ?? {}, timeout: options.timeoutSeconds ?? 10 };
    if (options.requests) opts.requests = options.requests;
    const instance = autocannon(opts, (err, result) => {
      if (err) return reject(err);
      const bad = result.non2xx + result.errors + result.timeouts + result.resets;
      if (bad > 0 || result['2xx'] === 0) {
        return reject(
          new BenchError(
            `${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts, ${result.resets} resets, ${result['2xx']} 2xx: the run is void`,
          ),
        );
      }
      resolve({ rps: result.requests.average, latencies: Float64Array.from(times).sort(), bytes: times.length ? bytes / times.length : 0 });
    });
    instance.on('response', (_client, statusCode, size, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) {
        times.push(responseTime);
        bytes += size;
      }
    });
  });
}

export function percentile(sorted: Float64Array, p: number): number {
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
/** CPU seconds of the process and of its child processes now running (the HTTP processes of WEB_PROCESSES). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let seconds = (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
    for (const child of childPids(pid)) seconds += cpuSeconds(child) ?? 0;
    return seconds;
  } catch {
    return undefined;
  }
}

/** The processes whose parent is `pid`, from /proc/<n>/stat. */
function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return children;
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

export interface MeasureOptions extends LoadOptions {
  /** Where to write one CPU profile of the server for the measured run (the child must answer PROFILE_START/PROFILE_STOP). */
  profileDir?: string | undefined;
  onProfile?: (file: string) => void;
}

/** Warm-up, then one measured run of SECONDS, printed as one line as it ends. */
export async function measure(name: string, engine: string, server: Target, path: string, options: MeasureOptions = {}): Promise<Row> {
  process.stdout.write(`  ${name.padEnd(36)} ${engine.padEnd(9)} `);
  const url = `${server.url}${path}`;
  if (WARMUP_SECONDS > 0) await load(url, options, WARMUP_SECONDS);
  if (options.profileDir) await server.command('PROFILE_START', 'PROFILING');
  const cpuBefore = cpuSeconds(server.pid);
  const hostBefore = hostTicks();
  const started = performance.now();
  const r = await load(url, options, SECONDS);
  const wall = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds(server.pid);
  const hostAfter = hostTicks();
  if (options.profileDir) {
    const file = join(options.profileDir, `${engine}-${name.replace(/\W+/g, '_').replace(/^_|_$/g, '')}.cpuprofile`);
    await server.command(`PROFILE_STOP ${file}`, 'PROFILED');
    options.onProfile?.(file);
  }
  const row: Row = { name, engine, rps: r.rps, p50: percentile(r.latencies, 50), p99: percentile(r.latencies, 99) };
  if (cpuBefore !== undefined && cpuAfter !== undefined) row.serverCpu = (cpuAfter - cpuBefore) / wall;
  if (hostBefore && hostAfter) row.hostCpu = (hostAfter.busy - hostBefore.busy) / (hostAfter.total - hostBefore.total);
  process.stdout.write(
    `${fmt(row.rps, 0)} req/s, p50 ${fmt(row.p50, 2)} ms, p99 ${fmt(row.p99, 2)} ms` +
      `, ${fmt(r.bytes / 1024, 1)} KB per response` +
      `${row.serverCpu === undefined ? '' : `, server process ${fmt(row.serverCpu * 100, 0)}% of a core`}` +
      `${row.hostCpu === undefined ? '' : `, machine ${fmt(row.hostCpu * 100, 0)}% busy (${cpus().length} cores)`}\n`,
  );
  return row;
}

/** The bare Fastify `hello` server of bench/serve-target.ts, measured: the reference of the ratios. */
export async function measureBare(): Promise<Row> {
  const hello = await startTarget(new URL('./serve-target.ts', import.meta.url).pathname, ['hello']);
  try {
    return await measure('bare Fastify GET / (hello)', 'none', hello, '/');
  } finally {
    await hello.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL: a database made for the run

export async function adminQuery(sql: string): Promise<void> {
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

export async function withPostgres<T>(body: (url: string) => Promise<T>): Promise<T | 'unreachable'> {
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

export function fmt(n: number, digits: number): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function targetMet(r: Row): boolean | undefined {
  if (!r.target) return undefined;
  return (r.target.ratio === undefined || r.ratio! >= r.target.ratio) && r.p99 < r.target.p99Ms;
}

export function table(rows: Row[]): string {
  const head = ['target', 'engine', 'req/s', 'p50 ms', 'p99 ms', 'vs bare', 'srv CPU', 'host', 'goal', 'met'];
  const body = rows.map((r) => {
    const met = r.target ? (targetMet(r) ? 'yes' : 'MISSED') : '';
    const goal = r.target ? [r.target.ratio === undefined ? '' : `>=${fmt(r.target.ratio * 100, 0)}%`, `p99<${r.target.p99Ms}`].filter(Boolean).join(', ') : '';
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

/** The notice when the bare server was not the bottleneck of its own run. */
export function bareNotice(bare: Row): string | undefined {
  if (bare.serverCpu === undefined || bare.serverCpu >= 0.9) return undefined;
  return (
    `the bare server used only ${fmt(bare.serverCpu * 100, 0)}% of a core: the load generator, not the server, set its pace, ` +
    'so the bare figure is low and the ratios are flattering'
  );
}

/** Runs the bench: exit 0 or main's status, 1 on any error; Ctrl-C stops the servers and drops the database. */
export function runBench(main: () => Promise<number>): void {
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
}
