import { loadConfig } from '../src/config.ts';
import { isHttpProcess, startHttpProcess, startServingProcesses } from '../src/serve-processes.ts';
import { startServer } from '../src/server.ts';

/**
 * A bench's child process: Cadre on the database the bench seeded (DATABASE_URL, else SQLite in
 * `dataDir`), no request logger, `READY <url>` on stdout; SIGTERM or a closed stdin stops it. With
 * WEB_PROCESSES > 1 it serves as `cadre serve` does then: this process runs the background part and
 * forks the HTTP processes (which come back here, and serve).
 */
export async function serveSeeded(dataDir: string): Promise<number> {
  const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL || undefined };
  const config = loadConfig(env, { dataDir, port: 0, host: '127.0.0.1', demo: false, baseUrl: 'http://127.0.0.1' });
  if (isHttpProcess()) {
    const server = await startHttpProcess(config, false);
    process.once('SIGTERM', () => void server.stop().then(() => process.exit(0), () => process.exit(1)));
    return new Promise<number>(() => undefined);
  }
  const serving = config.webProcesses > 1 ? await startServingProcesses(config, (line) => process.stderr.write(`${line}\n`), false) : null;
  const server = serving ? null : await startServer(config, { logger: false });
  let url = serving ? `http://127.0.0.1:${serving.port}` : '';
  if (server) {
    const address = server.app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  }
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void (serving ?? server)!.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', shutdown);
  process.stdin.on('end', shutdown).resume();
  process.stdout.write(`READY ${url}\n`);
  return new Promise<number>(() => undefined);
}
