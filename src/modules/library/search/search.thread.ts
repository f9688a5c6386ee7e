// A search thread: answers library searches from its own read-only SQLite connection, so that
// searches run beside the HTTP thread instead of queueing behind one another on it. Started by
// SearchThreads (search.threads.ts) with the database file in workerData.
import { parentPort, workerData } from 'node:worker_threads';
import type { Config } from '../../../config.ts';
import { openDatabase } from '../../../db/database.ts';
import { searchLibrary, type SearchInput } from './search.service.ts';
import type { SearchRequest, SearchReply } from './search.threads.ts';

const { dataDir, sqliteFile } = workerData as { dataDir: string; sqliteFile: string | undefined };
const database = openDatabase({ dataDir, sqliteFile, readonly: true });
// searchLibrary reads the database only; no secret or setting reaches this thread.
const cadre = { database, config: {} as Config };
const port = parentPort!;

port.on('message', (request: SearchRequest) => {
  void answer(request.id, request.input).then((reply) => port.postMessage(reply));
});
port.postMessage({ ready: true } satisfies SearchReply);

async function answer(id: number, input: SearchInput): Promise<SearchReply> {
  try {
    return { id, outcome: await searchLibrary(cadre, input) };
  } catch (error) {
    return { id, error: error instanceof Error ? error.message : String(error) };
  }
}
