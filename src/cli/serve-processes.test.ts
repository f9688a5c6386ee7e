import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { main, type CliIo } from './main.ts';

// `cadre serve` with WEB_PROCESSES=2, as an operator starts it (bin/cadre.js, SQLite): a primary
// that runs the background part and two HTTP processes sharing the port; one killed is replaced;
// SIGTERM stops them all.

const BIN = fileURLToPath(new URL('../../bin/cadre.js', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'cadre-processes-'));
let primary: ChildProcess | undefined;
let exited: Promise<number | null> | undefined;

after(async () => {
  if (primary && primary.exitCode === null) primary.kill('SIGKILL');
  for (const pid of httpPids()) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

function httpPids(): number[] {
  if (!primary?.pid) return [];
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(primary.pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((pid) => pid > 0 && execFileSync('ps', ['-o', 'comm=', '-p', String(pid)], { encoding: 'utf8' }).trim() === 'node');
  } catch {
    return []; // ps exits 1 when there are none
  }
}

async function waitFor(what: string, ok: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** Fresh connections (Connection: close), so that they spread over the HTTP processes. */
async function getAll(base: string, paths: string[]): Promise<number[]> {
  return Promise.all(paths.map(async (p) => (await fetch(`${base}${p}`, { headers: { connection: 'close' } })).status));
}

let base = '';

test('WEB_PROCESSES=2: the primary prepares the database, two HTTP processes answer on one port', async () => {
  const env: NodeJS.ProcessEnv = { ...process.env, CADRE_DATA_DIR: dataDir, DATABASE_URL: '', WEB_PROCESSES: '2', LOG_LEVEL: 'warn' };
  delete env.BASE_URL;
  delete env.PORT;
  primary = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  exited = new Promise((resolve) => primary!.once('exit', (code) => resolve(code)));
  const lines: string[] = [];
  createInterface({ input: primary.stdout! }).on('line', (l) => lines.push(l));
  await waitFor('the Open line', () => {
    if (primary!.exitCode !== null) throw new Error(`cadre serve exited (${primary!.exitCode}): ${lines.join('\n')}`);
    return lines.some((l) => l.startsWith('Open '));
  }, 60_000);
  assert.ok(lines.some((l) => /^Cadre is running on sqlite .*, 2 HTTP processes$/.test(l)), lines.join('\n'));
  base = lines.find((l) => l.startsWith('Open '))!.slice(5);
  assert.match(base, /^http:\/\/localhost:\d+$/);
  assert.notEqual(base, 'http://localhost:0');
  assert.equal(httpPids().length, 2);
  const statuses = await getAll(base, ['/', '/library', '/sign-in', '/directory/participation', '/pgp-key.asc', '/', '/library', '/sign-in']);
  assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 200, 200]);
});

test('an HTTP process that dies is replaced, and requests go on being answered', async () => {
  const [victim] = httpPids();
  process.kill(victim!, 'SIGKILL');
  await waitFor('a replacement', () => httpPids().length === 2 && !httpPids().includes(victim!));
  await waitFor('the replacement to answer', async () => (await getAll(base, ['/', '/', '/', '/'])).every((s) => s === 200));
});

test('SIGTERM stops the primary and its HTTP processes, exit code 0', async () => {
  const children = httpPids();
  primary!.kill('SIGTERM');
  assert.equal(await exited, 0);
  const gone = (pid: number) => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };
  await waitFor('the HTTP processes to stop', () => children.every(gone), 5_000);
});

test('WEB_PROCESSES must be a whole number from 1 to 64: a clear message, exit code 2', async () => {
  const err: string[] = [];
  const io: CliIo = { out: () => undefined, err: (l) => err.push(l) };
  assert.equal(await main(['serve'], io, { CADRE_DATA_DIR: dataDir, WEB_PROCESSES: '0' }), 2);
  assert.match(err.join('\n'), /WEB_PROCESSES must be a whole number from 1 to 64 \(got 0\)/);
});
