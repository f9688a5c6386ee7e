import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/server.ts';

/**
 * A bench's child process: Cadre on the database the bench seeded (DATABASE_URL, else SQLite in
 * `dataDir`), no request logger, `READY <url>` on stdout; SIGTERM or a closed stdin stops it.
 */
export async function serveSeeded(dataDir: string): Promise<number> {
  const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL || undefined };
  const config = loadConfig(env, { dataDir, port: 0, host: '127.0.0.1', demo: false, baseUrl: 'http://127.0.0.1' });
  const server = await startServer(config, { logger: false });
  const address = server.app.server.address();
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.on('SIGTERM', shutdown);
  process.stdin.on('end', shutdown).resume();
  process.stdout.write(`READY http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
  return new Promise<number>(() => undefined);
}
