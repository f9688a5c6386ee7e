import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import type { Command } from './main.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  usage: 'migrate',
  summary: 'Apply pending database migrations and refresh the Member States',
  async run({ config, io }) {
    const database = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      const report = await migrate(database);
      io.out(`${database.engine} ${database.location}: ${report.applied.length ? `applied ${report.applied.join(', ')}` : 'schema up to date'}; ${report.states} Member States`);
      return 0;
    } finally {
      await database.close();
    }
  },
};
