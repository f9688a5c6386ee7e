import { Worker } from 'node:worker_threads';
import type { Cadre } from '../../../web/types.ts';
import { searchLibrary, type SearchInput, type SearchOutcome } from './search.service.ts';

export interface SearchRequest {
  id: number;
  input: SearchInput;
}
export type SearchReply = { ready: true } | { id: number; outcome: SearchOutcome } | { id: number; error: string };

interface Slot {
  worker: Worker;
  ready: boolean;
  stopped: boolean;
  pending: Map<number, { resolve: (o: SearchOutcome) => void; reject: (e: Error) => void }>;
}

/** A thread that stopped is started again, but not more often than this. */
const RESPAWN_MS = 5_000;

/**
 * Worker threads that run library searches on read-only connections to the SQLite file. A search
 * goes to the ready thread with the fewest searches waiting; until one is ready (a thread takes
 * about half a second to load), or if all have stopped, searches run in the calling thread, so a
 * search is never refused for want of a thread. SQLite's WAL lets these readers run while the
 * main connection writes; each sees what was committed when its query began.
 */
export class SearchThreads {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  /** Searches answered by a thread (the rest ran in the calling thread). */
  answered = 0;
  private closed = false;
  private lastSpawn = new Map<number, number>();

  constructor(
    private readonly file: { dataDir: string; sqliteFile?: string | undefined },
    readonly size: number,
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(i));
  }

  /** Resolves when every thread has loaded (tests and benchmarks wait for it; serving does not). */
  async ready(timeoutMs = 30_000): Promise<void> {
    const started = Date.now();
    while (!this.slots.every((s) => s.ready)) {
      if (Date.now() - started > timeoutMs) throw new Error('search threads did not start');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The search, on a thread when one is ready, else here. */
  search(cadre: Cadre, input: SearchInput): Promise<SearchOutcome> {
    const slot = this.pick();
    if (!slot) return searchLibrary(cadre, input);
    const id = this.nextId++;
    const onThread = new Promise<SearchOutcome>((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ id, input } satisfies SearchRequest);
    });
    // A thread that stops mid-search does not fail the reader's request: it runs here instead.
    return onThread.catch(() => searchLibrary(cadre, input));
  }

  /** The threads, as started (a stopped one is replaced in place). */
  get workers(): readonly Worker[] {
    return this.slots.map((s) => s.worker);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private pick(): Slot | null {
    let best: Slot | null = null;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i]!;
      if (s.stopped) this.respawn(i);
      if (s.ready && (!best || s.pending.size < best.pending.size)) best = s;
    }
    return best;
  }

  private respawn(i: number): void {
    const last = this.lastSpawn.get(i) ?? 0;
    if (this.closed || Date.now() - last < RESPAWN_MS) return;
    this.slots[i] = this.spawn(i);
  }

  private spawn(i: number): Slot {
    this.lastSpawn.set(i, Date.now());
    const worker = new Worker(new URL('./search.thread.mjs', import.meta.url), {
      workerData: { dataDir: this.file.dataDir, sqliteFile: this.file.sqliteFile },
      execArgv: [],
    });
    worker.unref();
    const slot: Slot = { worker, ready: false, stopped: false, pending: new Map() };
    worker.on('message', (reply: SearchReply) => {
      if ('ready' in reply) {
        slot.ready = true;
        return;
      }
      const waiting = slot.pending.get(reply.id);
      if (!waiting) return;
      slot.pending.delete(reply.id);
      if ('outcome' in reply) {
        this.answered++;
        waiting.resolve(reply.outcome);
      }
      else waiting.reject(new Error(`search thread: ${reply.error}`));
    });
    const fail = (error: Error) => {
      slot.ready = false;
      for (const w of slot.pending.values()) w.reject(error);
      slot.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      slot.stopped = true;
      fail(new Error(`search thread stopped (exit code ${code})`));
    });
    return slot;
  }
}

const running = new WeakMap<Cadre['database'], SearchThreads>();

/**
 * Starts `config.searchThreads` search threads for a SQLite file database (none for PostgreSQL,
 * whose queries already run in its own processes, nor for a database in memory, which a thread
 * cannot open). Returns them, or null; `closeSearchThreads` stops them.
 */
export function startSearchThreads(cadre: Cadre, sqliteFile?: string): SearchThreads | null {
  const size = cadre.config.searchThreads;
  if (size <= 0 || cadre.database.engine !== 'sqlite' || sqliteFile === ':memory:' || running.has(cadre.database)) return running.get(cadre.database) ?? null;
  const threads = new SearchThreads({ dataDir: cadre.config.dataDir, sqliteFile }, size);
  running.set(cadre.database, threads);
  return threads;
}

export async function closeSearchThreads(cadre: Cadre): Promise<void> {
  const threads = running.get(cadre.database);
  running.delete(cadre.database);
  await threads?.close();
}

/** A library search: on a search thread when this database has them, else in this thread. */
export function search(cadre: Cadre, input: SearchInput): Promise<SearchOutcome> {
  const threads = running.get(cadre.database);
  return threads ? threads.search(cadre, input) : searchLibrary(cadre, input);
}
