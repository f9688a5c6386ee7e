import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, before, after } from 'node:test';
import pg from 'pg';
import { openDatabase, type Db, type Engine } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';

/** Where the PostgreSQL half of the suite runs; `test` is the database this machine provides. */
export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let pgReachable: Promise<boolean> | undefined;

/**
 * Whether the test PostgreSQL answers. Under CI=true, where it is required, a slow answer (a busy
 * machine, a checkpoint after DROP DATABASE) is waited for: five tries of up to 5 s each. Elsewhere
 * one try of 2 s, so that a machine without PostgreSQL skips its half quickly.
 */
export function postgresReachable(): Promise<boolean> {
  pgReachable ??= (async () => {
    const required = process.env.CI === 'true';
    const tries = required ? 5 : 1;
    for (let attempt = 1; attempt <= tries; attempt++) {
      const client = new pg.Client({ connectionString: TEST_PG_URL, connectionTimeoutMillis: required ? 5000 : 2000 });
      try {
        await client.connect();
        await client.end();
        return true;
      } catch {
        await client.end().catch(() => undefined);
        if (attempt < tries) await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    return false;
  })();
  return pgReachable;
}

export interface EngineContext {
  engine: Engine;
  /** The fresh, migrated database of this describe block. */
  database: Db;
  /** Connection settings for a second process or pool on the same data. */
  databaseUrl: string | undefined;
  dataDir: string;
}

/**
 * Runs `body` once per engine, each on a fresh migrated database: a temporary SQLite file, and a
 * PostgreSQL database created for the block and dropped after. Without a reachable PostgreSQL the
 * PostgreSQL half is skipped with a notice, except under CI=true, where it fails.
 */
export function eachEngine(title: string, body: (ctx: () => EngineContext) => void): void {
  for (const engine of ['sqlite', 'postgres'] as const) {
    describe(`${title} [${engine}]`, async () => {
      const reachable = engine === 'sqlite' || (await postgresReachable());
      if (!reachable && process.env.CI === 'true') {
        throw new Error(`PostgreSQL is required under CI=true but ${TEST_PG_URL} is not reachable`);
      }
      if (!reachable) {
        process.stderr.write(`NOTICE: PostgreSQL not reachable at ${TEST_PG_URL}: skipping "${title} [postgres]"\n`);
      }
      let fresh: FreshDatabase | undefined;
      before(async () => {
        if (reachable) fresh = await freshDatabase(engine);
      });
      after(async () => {
        await fresh?.drop();
      });
      if (!reachable) return;
      body(() => {
        if (!fresh) throw new Error('engine context used outside a test');
        return fresh.ctx;
      });
    });
  }
}

export interface FreshDatabase {
  ctx: EngineContext;
  /** Closes the database and removes it (the SQLite file, or the PostgreSQL database). */
  drop(): Promise<void>;
}

/** A fresh, migrated database of this engine: a temporary SQLite file, or a new PostgreSQL database. */
export async function freshDatabase(engine: Engine): Promise<FreshDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cadre-test-'));
  let databaseUrl: string | undefined;
  let dropName: string | undefined;
  if (engine === 'postgres') {
    dropName = `cadre_t_${randomBytes(6).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${dropName}`);
    const u = new URL(TEST_PG_URL);
    u.pathname = `/${dropName}`;
    databaseUrl = u.toString();
  }
  const database = openDatabase({ databaseUrl, dataDir });
  await migrate(database);
  return {
    ctx: { engine, database, databaseUrl, dataDir },
    async drop() {
      await database.close().catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
      if (dropName) await adminQuery(`DROP DATABASE IF EXISTS ${dropName} WITH (FORCE)`);
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_PG_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
