import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eachEngine } from '../testing/engines.ts';
import { SEEDS_DIR, SEED_FILES } from '../testing/seeds.ts';
import { main, type CliIo } from './main.ts';

function capture(): CliIo & { text: () => string; errors: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (l) => out.push(l), err: (l) => err.push(l), text: () => out.join('\n'), errors: () => err.join('\n') };
}

eachEngine('cadre ingest', (ctx) => {
  const env = () => ({ CADRE_DATA_DIR: ctx().dataDir, ...(ctx().databaseUrl ? { DATABASE_URL: ctx().databaseUrl } : {}) });

  test('--json prints one object per file with the documented shape', async () => {
    const io = capture();
    const code = await main(['ingest', `${SEEDS_DIR}${SEED_FILES.res7327}`, `${SEEDS_DIR}${SEED_FILES.gge2013}`, '--json'], io, env());
    assert.equal(code, 0, io.errors());
    const docs = JSON.parse(io.text()) as { symbol: string; kind: string; language: string; status: string; paragraphs: { eId: string; kind: string; num: string | null; parent: string | null; text: string; footnotes: string[]; citations: string[] }[]; footnotes: unknown[]; corrections: unknown[] }[];
    assert.equal(docs.length, 2);
    const [res, gge] = docs;
    assert.deepEqual([res!.symbol, res!.kind, res!.language, res!.status], ['A/RES/73/27', 'resolution', 'fr', 'created']);
    assert.equal(gge!.symbol, 'A/68/98');
    const p18 = res!.paragraphs.find((p) => p.eId === 'para_1__para_1-8');
    assert.ok(p18);
    assert.deepEqual([p18.kind, p18.num, p18.parent], ['point', '1.8', 'para_1']);
    assert.ok(Array.isArray(res!.footnotes) && Array.isArray(res!.corrections));
  });

  test('the same file again is unchanged; a bad file is named with its reason and exits 1', async () => {
    const empty = join(ctx().dataDir, 'empty.txt');
    writeFileSync(empty, '');
    const io = capture();
    const code = await main(['ingest', `${SEEDS_DIR}${SEED_FILES.res7327}`, empty, join(ctx().dataDir, 'missing.txt')], io, env());
    assert.equal(code, 1);
    assert.match(io.text(), /A\/RES\/73\/27 \[fr\] unchanged \(version 1\)/);
    assert.match(io.errors(), /empty\.txt: The file is empty\./);
    assert.match(io.errors(), /missing\.txt: cannot be read \(ENOENT\)/);
    assert.equal(await main(['ingest'], capture(), env()), 2);
  });
});
