import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { hkdfSync, randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';

export interface Config {
  /** postgres://… selects PostgreSQL; unset selects the embedded SQLite file in dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  baseUrl: string;
  smtpUrl: string | undefined;
  /** The From of outgoing mail: MAIL_FROM, else `Cadre <no-reply@host of baseUrl>`. */
  mailFrom: string;
  /** Key for HMACs (CSRF, signed links). Never logged. */
  secret: Buffer;
  /**
   * The 32-byte key encrypting content at rest (messages, Cadre's private OpenPGP key): CONTENT_KEY
   * (64 hex digits), else derived from `secret` with HKDF. Never logged.
   */
  contentKey: Buffer;
  demo: boolean;
  /** Sessions: idle and absolute lifetimes in seconds. */
  sessionIdleSeconds: number;
  sessionAbsoluteSeconds: number;
  invitationHours: number;
  logLevel: string;
  /** INBOUND_SMTP_PORT: where Cadre receives replies to checks and bounces; null runs no inbound server. */
  inboundSmtpPort: number | null;
  inboundSmtpHost: string;
  /** The domain of inbound addresses (`check+TOKEN@…`, `bounces@…`): INBOUND_MAIL_DOMAIN, else the host of baseUrl. */
  inboundMailDomain: string;
  /**
   * SEARCH_THREADS: worker threads running library searches on read-only SQLite connections beside
   * the HTTP thread (0: searches run in the HTTP thread), in each HTTP process. Default: the
   * processors the HTTP processes leave, shared among them (one less than the processors with one
   * HTTP process), at most 4. PostgreSQL runs its queries in its own processes and needs none.
   */
  searchThreads: number;
  /**
   * WEB_PROCESSES: how many processes serve HTTP on the port (`cadre serve`), beside one that runs
   * migrations, jobs, inbound mail and the demo's mail catcher. Default 1: one process does all.
   */
  webProcesses: number;
}

/**
 * Reads the environment. A secret not given in CADRE_SECRET is generated once and kept in
 * `<dataDir>/secrets.json` (mode 0600), so restarts keep sessions and signed links valid.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = resolve(overrides.dataDir ?? env.CADRE_DATA_DIR ?? './data');
  const port = overrides.port ?? Number(env.PORT ?? 8080);
  const baseUrl = (overrides.baseUrl ?? env.BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  const secret = overrides.secret ?? secretFrom(env.CADRE_SECRET, dataDir);
  const webProcesses = overrides.webProcesses ?? webProcessesFrom(env.WEB_PROCESSES);
  return {
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
    dataDir,
    port,
    host: overrides.host ?? env.HOST ?? '0.0.0.0',
    baseUrl,
    smtpUrl: overrides.smtpUrl ?? (env.SMTP_URL || undefined),
    mailFrom: overrides.mailFrom ?? (env.MAIL_FROM || defaultMailFrom(baseUrl)),
    secret,
    contentKey: overrides.contentKey ?? contentKeyFrom(env.CONTENT_KEY, secret),
    demo: overrides.demo ?? false,
    sessionIdleSeconds: overrides.sessionIdleSeconds ?? Number(env.SESSION_IDLE_MINUTES ?? 30) * 60,
    sessionAbsoluteSeconds: overrides.sessionAbsoluteSeconds ?? Number(env.SESSION_ABSOLUTE_HOURS ?? 12) * 3600,
    invitationHours: overrides.invitationHours ?? Number(env.INVITATION_HOURS ?? 72),
    logLevel: overrides.logLevel ?? env.LOG_LEVEL ?? 'info',
    inboundSmtpPort: overrides.inboundSmtpPort !== undefined ? overrides.inboundSmtpPort : inboundPortFrom(env.INBOUND_SMTP_PORT),
    inboundSmtpHost: overrides.inboundSmtpHost ?? (env.INBOUND_SMTP_HOST || '0.0.0.0'),
    inboundMailDomain: (overrides.inboundMailDomain ?? (env.INBOUND_MAIL_DOMAIN || hostOf(baseUrl))).toLowerCase(),
    searchThreads: overrides.searchThreads ?? searchThreadsFrom(env.SEARCH_THREADS, webProcesses),
    webProcesses,
  };
}

function webProcessesFrom(given: string | undefined): number {
  if (given === undefined || given.trim() === '') return 1;
  if (!/^\d+$/.test(given.trim()) || Number(given) < 1 || Number(given) > 64) throw new Error(`WEB_PROCESSES must be a whole number from 1 to 64 (got ${given})`);
  return Number(given);
}

/** By default the processors left by the HTTP processes, shared among them, at most 4 each. */
function searchThreadsFrom(given: string | undefined, webProcesses: number): number {
  if (given === undefined || given.trim() === '') return Math.min(4, Math.max(0, Math.floor((availableParallelism() - webProcesses) / webProcesses)));
  if (!/^\d+$/.test(given.trim()) || Number(given) > 64) throw new Error(`SEARCH_THREADS must be a whole number from 0 to 64 (got ${given})`);
  return Number(given);
}

/** Unset or empty: no inbound server. 0 asks the system for a free port (tests). */
function inboundPortFrom(given: string | undefined): number | null {
  if (given === undefined || given.trim() === '') return null;
  const port = Number(given);
  if (!/^\d+$/.test(given.trim()) || port > 65535) {
    throw new Error(`INBOUND_SMTP_PORT must be a port number from 0 to 65535, or unset for no inbound mail (got ${given})`);
  }
  return port;
}

function defaultMailFrom(baseUrl: string): string {
  return `Cadre <no-reply@${hostOf(baseUrl)}>`;
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname;
  } catch {
    throw new Error(`BASE_URL must be an absolute URL such as https://cadre.example.org (got ${baseUrl})`);
  }
}

function secretFrom(given: string | undefined, dataDir: string): Buffer {
  if (given) {
    if (given.length < 32) throw new Error('CADRE_SECRET must be at least 32 characters');
    return Buffer.from(given, 'utf8');
  }
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) return Buffer.from((JSON.parse(readFileSync(file, 'utf8')) as { secret: string }).secret, 'base64');
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32);
  writeFileSync(file, JSON.stringify({ secret: secret.toString('base64') }), { mode: 0o600 });
  return secret;
}

/**
 * CONTENT_KEY kept apart from CADRE_SECRET lets the database and its backups be read only by whoever
 * holds that key; unset, the key follows CADRE_SECRET under its own HKDF label (so it is never the
 * secret itself). Losing the key loses the encrypted content: there is no recovery.
 */
function contentKeyFrom(given: string | undefined, secret: Buffer): Buffer {
  if (given !== undefined && given.trim() !== '') {
    if (!/^[0-9a-fA-F]{64}$/.test(given.trim())) throw new Error('CONTENT_KEY must be 64 hexadecimal digits (32 bytes), e.g. from `openssl rand -hex 32`');
    return Buffer.from(given.trim(), 'hex');
  }
  return Buffer.from(hkdfSync('sha256', secret, Buffer.alloc(0), 'cadre/content-key/v1', 32));
}
