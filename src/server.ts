import type { Config } from './config.ts';
import { startCheckpointer } from './db/checkpointer.ts';
import { openDatabase, type Db } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { seedDemoDirectory } from './modules/directory/poc/demo-directory.ts';
import { scheduleFreshness } from './modules/directory/poc/freshness.ts';
import { seedDemo } from './demo.ts';
import { sealClearTotpSecrets } from './auth/totp-secret.ts';
import { startInboundSmtp } from './mail/inbound.ts';
import { startMailCatcher, type MailCatcher } from './modules/mailcatcher/mail-catcher.ts';
import { checkInboundHandler } from './modules/checks/check.inbound.ts';
import { scheduleFollowUp } from './modules/checks/check.followup.ts';
import { scheduleMessageFollowUp } from './modules/messages/message.followup.ts';
import { jobRegistry } from './jobs/jobs.ts';
import { startWorker, type Worker, type WorkerOptions } from './jobs/worker.ts';
import { buildApp } from './web/app.ts';
import { closeSearchThreads, startSearchThreads } from './modules/library/search/search.threads.ts';
import type { App } from './web/types.ts';

export interface RunningServer {
  app: App;
  database: Db;
  url: string;
  /** Runs the durable jobs (e-mail) of this process (none in an `http` process); several processes may each run one. */
  worker: Worker | null;
  /** The port the inbound SMTP server listens on, or null when none runs. */
  inboundPort: number | null;
  /** The demo's built-in mail catcher (`--demo` without SMTP_URL), or null when none runs. */
  mailCatcher: Pick<MailCatcher, 'url' | 'host' | 'port'> | null;
  /** Stops the worker (waiting for the jobs it is running), then the HTTP server, then the database. */
  stop(): Promise<void>;
}

/**
 * What this process does: `all` (one process serves HTTP and runs the rest), `background`
 * (migrations, demo data, the job worker and its schedules, inbound mail, the demo's mail catcher:
 * everything but HTTP) or `http` (serves HTTP on a database that a `background` process prepared).
 */
export type ServerRole = 'all' | 'background' | 'http';

export interface ServerOptions {
  logger?: boolean;
  role?: ServerRole;
  /** Worker settings (poll interval, backoff…), for tests. */
  worker?: Pick<WorkerOptions, 'pollMs' | 'backoff' | 'concurrency' | 'leaseSeconds'>;
}

/** Opens the database, applies migrations (and the demo data when asked), listens, and runs the job worker. */
export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const role = options.role ?? 'all';
  // SQLite's checkpoints run on a thread of the process that runs the background part, never in a request.
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, checkpoints: 'thread' });
  if (role === 'http') return run(config, database, options, null);
  await migrate(database);
  if (config.demo) await seedDemo(database);
  // TOTP secrets written in clear (before they were encrypted, the demo's published ones) are sealed.
  await sealClearTotpSecrets(database.db, config.contentKey);
  // A demo without SMTP_URL sends its mail to a catcher on loopback, read on /mail: every mail path
  // (invitations, directory e-mails, checks) then runs unchanged, over real SMTP. Its log comes
  // from the app, built after it because the app's configuration needs the catcher's address.
  const catcher = config.demo && !config.smtpUrl ? await startMailCatcher(database) : null;
  if (catcher) config = { ...config, smtpUrl: catcher.url };
  try {
    return await run(config, database, options, catcher);
  } catch (error) {
    // A start that fails (the HTTP port taken…) must not leave the catcher holding the process open.
    await catcher?.close();
    throw error;
  }
}

async function run(config: Config, database: Db, options: ServerOptions, catcher: MailCatcher | null): Promise<RunningServer> {
  const role = options.role ?? 'all';
  const app = await buildApp({ database, config }, { logger: options.logger ?? false });
  catcher?.logTo(app.log.child({ module: 'mail-catcher' }));
  const background = role !== 'http';
  if (background) {
    if (config.demo) await seedDemoDirectory(app.cadre);
    // The directory's freshness sweep (reminders, lapses, expiring keys) runs hourly, in the worker.
    await scheduleFreshness(app.cadre);
    // Checks' reminders, follow-up after the deadline and recurring campaigns: every quarter of an hour.
    await scheduleFollowUp(app.cadre);
    // Messages' acknowledgement reminders and alerts after the deadline: every quarter of an hour.
    await scheduleMessageFollowUp(app.cadre);
  }
  const checkpointer = background && database.engine === 'sqlite' ? startCheckpointer(database.location) : null;
  const serving = role !== 'background';
  // Library searches run on threads beside this one (SQLite; SEARCH_THREADS).
  if (serving) {
    startSearchThreads(app.cadre);
    await app.listen({ port: config.port, host: config.host });
  } else {
    await app.ready();
  }
  const address = serving ? app.server.address() : null;
  const port = typeof address === 'object' && address ? address.port : config.port;
  // The worker logs job ids, kinds, attempts and error class names only: payloads and error
  // messages (which may quote addresses) stay in the job row.
  const worker = background ? startWorker({ ...options.worker, database, registry: jobRegistry(app.cadre), logger: app.log.child({ module: 'jobs' }) }) : null;
  // Replies to checks and bounces, when INBOUND_SMTP_PORT is set.
  const inbound =
    !background || config.inboundSmtpPort === null
      ? null
      : await startInboundSmtp({ port: config.inboundSmtpPort, host: config.inboundSmtpHost, domain: config.inboundMailDomain, handler: checkInboundHandler(app.cadre), logger: app.log.child({ module: 'inbound-mail' }) });
  return {
    app,
    database,
    url: `http://localhost:${port}`,
    inboundPort: inbound?.port ?? null,
    mailCatcher: catcher ? { url: catcher.url, host: catcher.host, port: catcher.port } : null,
    worker,
    stop: async () => {
      await inbound?.close();
      await worker?.stop();
      // After the worker (which may be sending to it), before the database (which it writes to).
      await catcher?.close();
      await app.close();
      await closeSearchThreads(app.cadre);
      await checkpointer?.stop();
      await database.close();
    },
  };
}
