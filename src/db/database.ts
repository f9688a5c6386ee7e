import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, SqliteDriver, type DatabaseConnection, type Driver, type SqliteDatabase, type SqliteDialectConfig } from 'kysely';
import { SAFETY_CHECKPOINT_PAGES } from './checkpointer.ts';
import type { Database } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Db {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data lives, without credentials: a file path or host/database. */
  location: string;
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  /** SQLite file name inside dataDir; `:memory:` for a private in-memory database. */
  sqliteFile?: string | undefined;
  poolSize?: number;
  /** SQLite only: a read-only connection to an existing file (search threads); it changes no setting of the file. */
  readonly?: boolean;
  /**
   * SQLite only: who copies the write-ahead log back into the file. `commit` (default): the commit
   * that takes it past 4,000 pages; `thread`: a checkpoint thread (checkpointer.ts), the commits
   * only past SAFETY_CHECKPOINT_PAGES.
   */
  checkpoints?: 'commit' | 'thread';
}

export function openDatabase(options: DbOptions): Db {
  const url = options.databaseUrl;
  if (url && /^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options.poolSize ?? 10);
  if (url) throw new Error(`DATABASE_URL must start with postgres:// (got another scheme)`);
  return openSqlite(options);
}

function openSqlite(options: DbOptions): Db {
  const file = options.sqliteFile ?? 'cadre.sqlite';
  let path = file;
  if (file !== ':memory:') {
    mkdirSync(options.dataDir, { recursive: true });
    path = join(options.dataDir, file);
  }
  if (options.readonly) {
    // The file's WAL mode is persistent: a reader only waits politely on a writer's checkpoint.
    const reader = new SQLite(path, { readonly: true, fileMustExist: true });
    reader.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(reader) }) });
    return { db, engine: 'sqlite', location: path, close: () => db.destroy() };
  }
  const sqlite = new SQLite(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // Copy the write-ahead log back every ~16 MB rather than every 4 MB: fewer stalls during bulk ingestion, same durability.
  sqlite.pragma(`wal_autocheckpoint = ${options.checkpoints === 'thread' ? SAFETY_CHECKPOINT_PAGES : 4000}`);
  const db = new Kysely<Database>({ dialect: new WritingSqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, engine: 'sqlite', location: path, close: () => db.destroy() };
}

/**
 * Cadre's transactions write. SQLite's plain `begin` reads first and asks for the write lock at the
 * first write; when another process (a second `cadre serve`, the CLI) has committed in between,
 * that upgrade fails at once with SQLITE_BUSY(_SNAPSHOT), without waiting: the audit chain, which
 * reads its head before appending, lost events that way. `begin immediate` takes the write lock
 * first, waiting for it (busy_timeout) like any writer.
 */
class WritingSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;
  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

function openPostgres(url: string, max: number): Db {
  const pool = new pg.Pool({ connectionString: url, max });
  // A dropped connection must not crash the process; the next query reports the error.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const u = new URL(url);
  return { db, engine: 'postgres', location: `${u.hostname}:${u.port || 5432}${u.pathname}`, close: () => db.destroy() };
}

/**
 * Kysely's SQLite driver prepares each statement anew on every query; preparing costs more than
 * running a typical indexed read. Statements are kept by SQL text (least recently used dropped
 * past `max`). Cadre never streams a query (`.stream()`), which is the one use a shared
 * statement could not serve while another query with the same text runs.
 */
function withStatementCache(sqlite: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt) {
        cache.delete(sql);
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
