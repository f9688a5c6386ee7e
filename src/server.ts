import type { Config } from './config.ts';
import { openDatabase, type Db } from './db/database.ts';
import { migrate } from './db/migrate.ts';
import { seedDemo } from './demo.ts';
import { buildApp } from './web/app.ts';
import type { App } from './web/types.ts';

export interface RunningServer {
  app: App;
  database: Db;
  url: string;
  stop(): Promise<void>;
}

/** Opens the database, applies migrations (and the demo data when asked), and listens. */
export async function startServer(config: Config, options: { logger?: boolean } = {}): Promise<RunningServer> {
  const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrate(database);
  if (config.demo) await seedDemo(database);
  const app = await buildApp({ database, config }, { logger: options.logger ?? false });
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  return {
    app,
    database,
    url: `http://localhost:${port}`,
    stop: async () => {
      await app.close();
      await database.close();
    },
  };
}
