import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipelineCallback } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';

/**
 * The backup file: gzip'ed JSON lines, read and written as streams so no table sits in memory.
 *
 *   {"format":"cadre-backup","version":1,"createdAt":…,"engine":…,"migrations":[…]}   header
 *   {"table":"state","columns":["iso3",…]}                                             section
 *   ["AFG","AF",…]                                                                     one per row
 *   …
 *   {"end":"cadre-backup","rows":{"state":193,…},"sha256":"…"}                          trailer
 *
 * The trailer's SHA-256 covers the bytes of every line before it, newline included, so a
 * truncated or altered file is refused. It guards against damage, not against a forger: anyone
 * can recompute it.
 */
export const BACKUP_FORMAT = 'cadre-backup';
export const BACKUP_VERSION = 1;

/** Every stored value is text, a number or null on both engines (times are ISO text, flags 0/1). */
export type Cell = string | number | null;

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: typeof BACKUP_VERSION;
  createdAt: string;
  engine: string;
  /** Names of the migrations applied to the database backed up, in order. */
  migrations: string[];
}

export interface TableSection {
  table: string;
  columns: string[];
}

export interface TableSource extends TableSection {
  /** The rows, a page at a time, each in `columns` order. */
  pages: AsyncIterable<Cell[][]>;
}

export type BackupRecord =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'table'; section: TableSection }
  | { kind: 'row'; table: string; values: Cell[] }
  | { kind: 'end'; rows: Record<string, number> };

/** A file that is not a backup, is damaged, or cannot be restored here. */
export class BackupError extends Error {
  override name = 'BackupError';
}

/** One row worth of line is far below this; a longer "line" means the file is not what it claims. */
const MAX_LINE_BYTES = 256 * 1024 * 1024;

/**
 * Writes a backup to `path`, refusing to replace an existing file. The file is readable by its
 * owner only: it holds password hashes and TOTP secrets.
 */
export async function writeBackupFile(path: string, header: BackupHeader, tables: AsyncIterable<TableSource>): Promise<Record<string, number>> {
  const rows: Record<string, number> = {};
  const hash = createHash('sha256');
  function line(value: unknown): Buffer {
    const bytes = Buffer.from(`${JSON.stringify(value)}\n`, 'utf8');
    hash.update(bytes);
    return bytes;
  }
  async function* lines(): AsyncGenerator<Buffer> {
    yield line(header);
    for await (const t of tables) {
      if (t.table in rows) throw new Error(`table ${t.table} written twice`);
      rows[t.table] = 0;
      yield line({ table: t.table, columns: t.columns });
      for await (const page of t.pages) {
        for (const values of page) {
          values.forEach((v, i) => checkCell(t.table, t.columns[i]!, v));
          rows[t.table]!++;
          yield line(values);
        }
      }
    }
    yield Buffer.from(`${JSON.stringify({ end: BACKUP_FORMAT, rows, sha256: hash.digest('hex') })}\n`, 'utf8');
  }

  // The name is reserved first (never replacing a file), the content written beside it and moved
  // in at the end, so `path` never shows a partial backup.
  await writeFile(path, '', { flag: 'wx', mode: 0o600 }).catch((e: NodeJS.ErrnoException) => {
    throw e.code === 'EEXIST' ? new BackupError(`${path} already exists; choose another name`) : e;
  });
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`);
  try {
    await pipeline(Readable.from(lines()), createGzip(), createWriteStream(temporary, { flags: 'wx', mode: 0o600 }));
    await rename(temporary, path);
  } catch (e) {
    await unlink(temporary).catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw e;
  }
  return rows;
}

/** Values that would not come back the same on the other engine are refused, not silently changed. */
function checkCell(table: string, column: string, value: unknown): asserts value is Cell {
  if (value === null || typeof value === 'string') return;
  if (typeof value === 'number' && Number.isFinite(value) && (!Number.isInteger(value) || Number.isSafeInteger(value))) return;
  const what = typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new Error(`${table}.${column} holds a ${what} value (${String(value).slice(0, 40)}); a backup moves only text, numbers and nulls`);
}

/**
 * Reads a backup, checking its structure line by line and, at the end, its row counts and
 * checksum: a damaged file throws BackupError, at the latest when the trailer is read. A caller
 * that writes as it reads must do so in a transaction it rolls back on that error.
 */
export async function* readBackupFile(path: string): AsyncGenerator<BackupRecord> {
  const hash = createHash('sha256');
  let header: BackupHeader | undefined;
  let section: TableSection | undefined;
  const rows: Record<string, number> = {};
  let ended = false;
  let lineNo = 0;
  for await (const bytes of fileLines(path)) {
    lineNo++;
    const bad = (why: string) => new BackupError(`${path} is damaged or not a Cadre backup: line ${lineNo}: ${why}`);
    if (ended) throw bad('data after the end of the backup');
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw bad('not JSON');
    }
    if (!header) {
      header = parseHeader(path, value);
      hash.update(bytes);
      yield { kind: 'header', header };
      continue;
    }
    if (Array.isArray(value)) {
      if (!section) throw bad('a row before any table');
      if (value.length !== section.columns.length || !value.every(isCell)) throw bad(`not a row of ${section.table}`);
      hash.update(bytes);
      rows[section.table]!++;
      yield { kind: 'row', table: section.table, values: value };
      continue;
    }
    if (isRecord(value) && typeof value.table === 'string') {
      const { table, columns } = value;
      if (!Array.isArray(columns) || columns.length === 0 || !columns.every((c) => typeof c === 'string')) throw bad(`bad columns for ${table}`);
      if (new Set(columns).size !== columns.length) throw bad(`a column repeated in ${table}`);
      if (table in rows) throw bad(`table ${table} appears twice`);
      hash.update(bytes);
      rows[table] = 0;
      section = { table, columns };
      yield { kind: 'table', section };
      continue;
    }
    if (isRecord(value) && value.end === BACKUP_FORMAT) {
      const expected = value.rows;
      if (!isRecord(expected)) throw bad('bad trailer');
      if (value.sha256 !== hash.digest('hex')) throw bad('checksum mismatch: the file was altered or damaged');
      const tables = new Set([...Object.keys(expected), ...Object.keys(rows)]);
      for (const t of tables) {
        if (expected[t] !== rows[t]) throw bad(`${t}: ${rows[t] ?? 0} rows read, ${String(expected[t] ?? 0)} expected`);
      }
      ended = true;
      yield { kind: 'end', rows };
      continue;
    }
    throw bad('unexpected content');
  }
  if (!header) throw new BackupError(`${path} is empty`);
  if (!ended) throw new BackupError(`${path} is incomplete (truncated): it ends before its trailer`);
}

/** Reads a whole backup without writing anything: the check made before a restore touches a database. */
export async function inspectBackupFile(path: string): Promise<{ header: BackupHeader; sections: TableSection[]; rows: Record<string, number> }> {
  let header: BackupHeader | undefined;
  const sections: TableSection[] = [];
  let rows: Record<string, number> | undefined;
  // Read to the very end, so data after the trailer is refused too.
  for await (const record of readBackupFile(path)) {
    if (record.kind === 'header') header = record.header;
    else if (record.kind === 'table') sections.push(record.section);
    else if (record.kind === 'end') rows = record.rows;
  }
  if (!header || !rows) throw new BackupError(`${path} is incomplete`);
  return { header, sections, rows };
}

function parseHeader(path: string, value: unknown): BackupHeader {
  if (!isRecord(value) || value.format !== BACKUP_FORMAT) throw new BackupError(`${path} is not a Cadre backup`);
  if (typeof value.version !== 'number' || value.version > BACKUP_VERSION) {
    throw new BackupError(`${path} uses backup format version ${String(value.version)}, newer than this Cadre reads (${BACKUP_VERSION}); restore it with a newer Cadre`);
  }
  const { createdAt, engine, migrations } = value;
  if (value.version !== BACKUP_VERSION || typeof createdAt !== 'string' || typeof engine !== 'string' || !Array.isArray(migrations) || !migrations.every((m) => typeof m === 'string')) {
    throw new BackupError(`${path} has a damaged header`);
  }
  return { format: BACKUP_FORMAT, version: BACKUP_VERSION, createdAt, engine, migrations };
}

/** The decompressed lines of `path`, without their newline; zlib and file errors become BackupError. */
async function* fileLines(path: string): AsyncGenerator<Buffer> {
  // The callback form returns the last stream, whose iterator throws whatever failed upstream.
  const input = pipelineCallback(createReadStream(path), createGunzip(), () => undefined);
  let rest: Buffer = Buffer.alloc(0);
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      rest = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      // 0x0a never occurs inside a multi-byte UTF-8 sequence, so splitting bytes is safe.
      for (let nl = rest.indexOf(0x0a); nl !== -1; nl = rest.indexOf(0x0a, start)) {
        yield rest.subarray(start, nl + 1);
        start = nl + 1;
      }
      rest = rest.subarray(start);
      if (rest.length > MAX_LINE_BYTES) throw new BackupError(`${path} is not a Cadre backup: a line longer than ${MAX_LINE_BYTES} bytes`);
    }
  } catch (e) {
    throw readError(path, e);
  }
  if (rest.length) throw new BackupError(`${path} is incomplete (truncated): its last line is cut off`);
}

function readError(path: string, e: unknown): Error {
  if (e instanceof BackupError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new BackupError(`${path}: no such file`);
  if (code === 'EISDIR') return new BackupError(`${path} is a folder, not a backup file`);
  if (code === 'Z_BUF_ERROR') return new BackupError(`${path} is incomplete (truncated): the compressed data ends early`);
  if (typeof code === 'string' && code.startsWith('Z_')) return new BackupError(`${path} is damaged or not a Cadre backup (${(e as Error).message})`);
  return e as Error;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCell(value: unknown): value is Cell {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}
