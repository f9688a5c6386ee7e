import { sql, type Kysely } from 'kysely';
import { preparedQuery } from '../../../db/prepared.ts';
import type { Database } from '../../../db/schema.ts';

const selectStamp = preparedQuery((db) => db.selectFrom('directory_stamp').select('stamp').where('id', '=', sql.lit(1)), []);

/**
 * Answers kept per database at most; past this many, they are dropped and read again. A search
 * page's answer (50 rows) weighs about 30 KB: some 60 MB at most.
 */
const MAX_ANSWERS = 2_000;

interface Memo {
  stamp: string;
  answers: Map<string, Promise<unknown>>;
}
const memos = new WeakMap<Kysely<Database>, Memo>();

/**
 * A directory read (the rows behind a search page, a State's entries, whether a State takes part),
 * answered from this process's memory while the directory's stamp is the one it was read under.
 * Triggers replace the stamp in the transaction of every change to entries, addresses, consents,
 * regional memberships or Member States (migration 2026120705), whichever process makes it, so an
 * answer is never older than the last committed change. Only the rows are kept: what a reader may
 * see of them is decided on every request. Answers are frozen (shared by every request), and a read
 * inside a transaction, which must see its own changes, is never kept.
 */
export async function directoryRead<T>(db: Kysely<Database>, key: string, read: () => Promise<T>): Promise<T> {
  return (await directoryView(db)).read(key, read);
}

/** Directory reads at one reading of the stamp: the reads of one request see one state of the directory. */
export interface DirectoryView {
  read<T>(key: string, read: () => Promise<T>): Promise<T>;
}

const UNKEPT: DirectoryView = { read: (_key, read) => read() };

/** The stamp read once, for several reads (as directoryRead answers each of them). */
export async function directoryView(db: Kysely<Database>): Promise<DirectoryView> {
  if (db.isTransaction) return UNKEPT;
  const [row] = await selectStamp(db);
  const stamp = row?.stamp ?? '';
  let memo = memos.get(db);
  if (!memo || memo.stamp !== stamp) {
    memo = { stamp, answers: new Map() };
    memos.set(db, memo);
  }
  const { answers } = memo;
  return {
    read<T>(key: string, read: () => Promise<T>): Promise<T> {
      const kept = answers.get(key);
      if (kept) return kept as Promise<T>;
      const answer = read().then(frozen);
      if (answers.size >= MAX_ANSWERS) answers.clear();
      answers.set(key, answer);
      answer.catch(() => answers.delete(key));
      return answer;
    },
  };
}

/** Freezes an answer's arrays, maps' lists and rows, one level into each (rows hold plain values). */
function frozen<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) if (item && typeof item === 'object') Object.freeze(item);
    return Object.freeze(value);
  }
  if (value instanceof Map) {
    for (const item of value.values()) if (item && typeof item === 'object') frozen(item);
    return value;
  }
  if (value && typeof value === 'object') {
    for (const item of Object.values(value)) if (item && typeof item === 'object') frozen(item);
    return Object.freeze(value);
  }
  return value;
}
