import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config.ts';
import { startServer, type ServerOptions } from '../server.ts';

// `cadre serve` in a child process, for tests that kill it (-9) or run two of them on one database:
// the same startServer (migrations, HTTP, job worker) with the test's settings, given as JSON in
// CADRE_TEST_SERVE. Prints `READY <workerId>` once the worker runs; SIGTERM stops it cleanly.

export interface ServeSettings {
  dataDir: string;
  databaseUrl: string | undefined;
  smtpUrl: string;
  /** Tells apart in the SMTP sink which process sent a message. */
  mailFrom: string;
  /** Hex of the CADRE_SECRET the parent uses (links must verify in both). */
  secretHex: string;
  worker: NonNullable<ServerOptions['worker']>;
}

export interface ServeChild {
  process: ChildProcess;
  pid: number;
  workerId: string;
  /** Resolves with the exit code (null) and signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const SELF = fileURLToPath(import.meta.url);

/** Starts the child and waits for READY (30 s at most). */
export function spawnServe(settings: ServeSettings): Promise<ServeChild> {
  const child = spawn(process.execPath, ['--import', 'tsx', SELF], {
    env: { ...process.env, CADRE_TEST_SERVE: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the serve child did not start within 30 s'));
    }, 30_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^READY (\S+)$/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve({ process: child, pid: child.pid!, workerId: m[1]!, exited });
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the serve child exited (${code ?? signal}) before it was ready`));
    });
  });
}

async function main(): Promise<void> {
  const settings = JSON.parse(process.env.CADRE_TEST_SERVE!) as ServeSettings;
  const config = loadConfig(
    {},
    {
      dataDir: settings.dataDir,
      databaseUrl: settings.databaseUrl,
      smtpUrl: settings.smtpUrl,
      mailFrom: settings.mailFrom,
      secret: Buffer.from(settings.secretHex, 'hex'),
      baseUrl: 'http://cadre.test',
      port: 0,
      host: '127.0.0.1',
      demo: false,
    },
  );
  const server = await startServer(config, { worker: settings.worker });
  process.once('SIGTERM', () => {
    void server.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  process.stdout.write(`READY ${server.worker!.id}\n`);
}

if (process.argv[1] === SELF) await main();
