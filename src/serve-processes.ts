import cluster, { type Worker as HttpProcess } from 'node:cluster';
import { createServer } from 'node:net';
import type { Config } from './config.ts';
import { startServer, type RunningServer } from './server.ts';

// WEB_PROCESSES > 1: `cadre serve` becomes a primary process that runs everything but HTTP
// (migrations, demo data, the job worker, inbound mail, the demo's mail catcher), and that many
// HTTP processes forked with node:cluster, which share the port: the primary accepts connections
// and hands them out in turn. They share the database like any two `cadre serve` on it.

/**
 * Node flags for a process serving HTTP: a young generation of 64 MB semi-spaces (16 MB by
 * default). A request leaves most of what it allocated as garbage at once; with room for many
 * requests' worth, fewer collections run and less is promoted to the old generation, whose
 * collections stall every request in flight (bench:directory: about 1.4× the requests/s of the State
 * page, p99 about a third lower). `npm start` and the HTTP processes of WEB_PROCESSES use them;
 * give them to `node` when starting `bin/cadre.js serve` otherwise.
 */
export const HTTP_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** The environment the primary gives its HTTP processes. */
const PORT_VARIABLE = 'CADRE_HTTP_PORT';
/** An HTTP process that stopped is replaced, but not more often than this. */
const RESTART_MS = 1_000;
/** How long HTTP processes have to finish their requests once told to stop. */
const STOP_MS = 10_000;

export interface ServingProcesses {
  /** The background part, run by this (primary) process. */
  background: RunningServer;
  /** Where to open Cadre: BASE_URL, or this host's port. */
  url: string;
  port: number;
  /** The process ids of the HTTP processes running now. */
  httpPids(): number[];
  /** Stops the HTTP processes (they finish the requests they hold), then the background part. */
  stop(): Promise<void>;
}

/** Is this process one of the HTTP processes of a primary? */
export function isHttpProcess(): boolean {
  return cluster.isWorker && process.env[PORT_VARIABLE] !== undefined;
}

/** In an HTTP process: serves HTTP on the port and database its primary prepared. */
export function startHttpProcess(config: Config, logger = true): Promise<RunningServer> {
  const port = Number(process.env[PORT_VARIABLE]);
  return startServer({ ...config, port }, { logger, role: 'http' });
}

/** In the primary: the background part here, then `config.webProcesses` HTTP processes, listening once all are. */
export async function startServingProcesses(config: Config, log: (line: string) => void, logger = true): Promise<ServingProcesses> {
  const background = await startServer(config, { logger, role: 'background' });
  try {
    const port = config.port === 0 ? await freePort(config.host) : config.port;
    const baseUrl = config.port === 0 && !process.env.BASE_URL ? `http://localhost:${port}` : config.baseUrl;
    const env: Record<string, string> = { [PORT_VARIABLE]: String(port), BASE_URL: baseUrl };
    // The demo's mail catcher runs here: the HTTP processes send to it too.
    if (background.mailCatcher) env.SMTP_URL = background.mailCatcher.url;
    cluster.setupPrimary({ execArgv: [...process.execArgv.filter((flag) => !flag.startsWith('--max-semi-space-size')), ...HTTP_NODE_FLAGS] });
    const running = new Set<HttpProcess>();
    let stopping = false;
    let lastStart = 0;
    const fork = () => {
      lastStart = Date.now();
      const child = cluster.fork(env);
      running.add(child);
      return child;
    };
    cluster.on('exit', (child, code, signal) => {
      running.delete(child);
      if (stopping) return;
      log(`an HTTP process stopped (${signal ?? `exit code ${code}`}); another is started`);
      setTimeout(() => {
        if (!stopping) fork();
      }, Math.max(0, lastStart + RESTART_MS - Date.now())).unref();
    });
    await new Promise<void>((resolve, reject) => {
      const listening = new Set<number>();
      const children = Array.from({ length: config.webProcesses }, fork);
      const onListening = (child: HttpProcess) => {
        listening.add(child.id);
        if (children.every((c) => listening.has(c.id))) {
          cluster.off('listening', onListening);
          cluster.off('exit', onEarlyExit);
          resolve();
        }
      };
      const onEarlyExit = (child: HttpProcess) => {
        if (listening.has(child.id)) return;
        cluster.off('listening', onListening);
        cluster.off('exit', onEarlyExit);
        stopping = true;
        for (const c of running) c.process.kill('SIGTERM');
        reject(new Error(`an HTTP process stopped before it listened on port ${port}; its log says why`));
      };
      cluster.on('listening', onListening);
      cluster.on('exit', onEarlyExit);
    });
    return {
      background,
      url: baseUrl,
      port,
      httpPids: () => [...running].map((c) => c.process.pid!).filter(Boolean),
      stop: async () => {
        stopping = true;
        await Promise.all([...running].map((child) => stopProcess(child)));
        await background.stop();
      },
    };
  } catch (error) {
    await background.stop();
    throw error;
  }
}

function stopProcess(child: HttpProcess): Promise<void> {
  if (child.isDead()) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.process.kill('SIGKILL'), STOP_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.process.kill('SIGTERM');
  });
}

/** A port free now on this host, for the HTTP processes to share (they cannot each ask for port 0). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
