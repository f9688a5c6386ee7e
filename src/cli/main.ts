import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config.ts';
import { openDatabase, type Db } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { commands } from './commands.ts';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
}

export interface CommandContext {
  args: string[];
  io: CliIo;
  config: Config;
  /** Opens the configured database and applies migrations. */
  open(): Promise<Db>;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  run(ctx: CommandContext): Promise<number>;
}

const USAGE = `Usage: cadre <command> [options]

Commands:
${commands.map((c) => `  ${c.usage.padEnd(58)} ${c.summary}`).join('\n')}

Environment: DATABASE_URL (postgres://…; unset = SQLite in CADRE_DATA_DIR, default ./data),
PORT, BASE_URL, SMTP_URL, CADRE_SECRET. See README.md.`;

const defaultIo: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) };

/** Runs one CLI command and returns the process exit code. */
export async function main(argv: string[], io: CliIo = defaultIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  const command =
    commands.find((c) => c.name === words.slice(0, 2).join(' ')) ?? commands.find((c) => c.name === words[0]);
  if (!command || argv.includes('--help') || argv.includes('-h')) {
    (command ? io.out : io.err)(command ? `Usage: cadre ${command.usage}\n\n${command.summary}` : USAGE);
    return command ? 0 : 2;
  }
  const rest = argv.slice(command.name.split(' ').length);
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (e) {
    io.err(`cadre: ${(e as Error).message}`);
    return 2;
  }
  const ctx: CommandContext = {
    args: rest,
    io,
    config,
    open: async () => {
      const db = openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
      await migrate(db);
      return db;
    },
  };
  try {
    return await command.run(ctx);
  } catch (e) {
    if (e instanceof TypeError && 'code' in e && String((e as { code: unknown }).code).startsWith('ERR_PARSE_ARGS')) {
      io.err(`cadre ${command.name}: ${e.message}\nUsage: cadre ${command.usage}`);
      return 2;
    }
    io.err(`cadre ${command.name}: ${(e as Error).message}`);
    return 1;
  }
}

export { parseArgs };
