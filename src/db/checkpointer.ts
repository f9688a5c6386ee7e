import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * With `checkpoints: 'thread'`, a connection copies the write-ahead log back into the database file
 * itself only past this many pages (about 100 MB): a safety net should the checkpoint thread stop.
 */
export const SAFETY_CHECKPOINT_PAGES = 25_000;

export interface CheckpointResult {
  /** Frames in the write-ahead log, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
}

export interface Checkpointer {
  /** Checkpoints run so far, and the last one's result. */
  readonly runs: number;
  readonly last: CheckpointResult | null;
  stop(): Promise<void>;
}

// Plain JavaScript: the thread needs nothing of Cadre but the driver.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const run = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ log: r.log, checkpointed: r.checkpointed });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
setInterval(run, workerData.intervalMs);
parentPort.on('message', (m) => { if (m === 'stop') { db.close(); process.exit(0); } });
`;

/**
 * SQLite copies its write-ahead log back into the database file ("checkpoint") in the commit that
 * takes the log past a threshold: the thread that commits then waits for the copy and its fsync,
 * tens of milliseconds in which the server answers no request. The server checkpoints on a thread
 * of its own instead, every `intervalMs`, PASSIVE (without waiting for any reader or writer), from a
 * connection of its own; the server's connections keep the automatic checkpoint as a safety net
 * only (SAFETY_CHECKPOINT_PAGES).
 */
export function startCheckpointer(path: string, intervalMs = 1_000): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD, { eval: true, workerData: { path, intervalMs, driver } });
  worker.unref();
  let runs = 0;
  let last: CheckpointResult | null = null;
  worker.on('message', (m: CheckpointResult | { error: string }) => {
    runs++;
    if ('log' in m) last = m;
  });
  // A thread that fails leaves the safety net in place: nothing else to do.
  worker.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    get runs() {
      return runs;
    },
    get last() {
      return last;
    },
    stop: async () => {
      // Held open until the thread has closed its connection.
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
