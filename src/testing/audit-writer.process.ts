import { recordAuditEvent } from '../audit/audit.repository.ts';
import { openDatabase } from '../db/database.ts';

// A second process writing Cadre's audit chain (as a second `cadre serve` or the CLI would), for
// src/audit/audit.processes.test.ts: `node --import tsx audit-writer.process.ts <dataDir> <count>`
// appends <count> events to the SQLite file in <dataDir> and prints `WROTE <n> FAILED <n> <codes>`.

const [dataDir, count] = process.argv.slice(2);
const database = openDatabase({ dataDir: dataDir! });
let wrote = 0;
const failures: string[] = [];
for (let i = 0; i < Number(count); i++) {
  try {
    await recordAuditEvent(database, { actor: { id: null, label: `writer-${process.pid}` }, action: 'test.write', details: { i } });
    wrote++;
  } catch (error) {
    failures.push((error as { code?: string }).code ?? 'error');
  }
}
await database.close();
process.stdout.write(`WROTE ${wrote} FAILED ${failures.length} ${[...new Set(failures)].join(',')}\n`);
