import { MIGRATION_NAMES } from '../db/migrate.ts';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, type CliIo } from '../cli/main.ts';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { eachEngine } from '../testing/engines.ts';
import { seedEveryTable, tableContents } from './backup.testing.ts';

function captureIo(): CliIo & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out_, err_, out: (l) => out_.push(l), err: (l) => err_.push(l) };
}

async function cadre(argv: string[], env: NodeJS.ProcessEnv) {
  const io = captureIo();
  const code = await main(argv, io, env);
  return { code, out: io.out_.join('\n'), err: io.err_.join('\n') };
}

eachEngine('cadre backup and cadre restore', (ctx) => {
  let dir: string;
  let sourceEnv: NodeJS.ProcessEnv;
  let targetEnv: NodeJS.ProcessEnv;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cadre-backup-cli-'));
    // The source is always an embedded SQLite installation; the target is this block's engine.
    sourceEnv = { CADRE_DATA_DIR: join(dir, 'source') };
    targetEnv = { CADRE_DATA_DIR: ctx().dataDir, DATABASE_URL: ctx().databaseUrl };
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('usage errors exit 2', async () => {
    for (const argv of [['backup'], ['restore'], ['backup', 'a.gz', 'b.gz'], ['restore', 'a.gz', '--forse'], ['backup', 'a.gz', '--force']]) {
      const { code, err } = await cadre(argv, targetEnv);
      assert.equal(code, 2, argv.join(' '));
      assert.match(err, /Usage: cadre (backup|restore)/, argv.join(' '));
    }
  });

  test('a backup taken on SQLite restores into this engine, refusing to overwrite data without --force', async () => {
    const source = openDatabase({ dataDir: sourceEnv.CADRE_DATA_DIR! });
    await migrate(source);
    await seedEveryTable(source, sourceEnv.CADRE_DATA_DIR!);
    const expected = await tableContents(source);
    await source.close();

    const file = join(dir, 'cadre.backup.gz');
    const backup = await cadre(['backup', file], sourceEnv);
    assert.equal(backup.code, 0, backup.err);
    assert.match(backup.out, /^Backup of sqlite .*cadre\.sqlite written to /);
    assert.match(backup.out, /^ {2}state +193$/m);
    assert.match(backup.out, new RegExp(`^ {2}audit_event +${expected.audit_event!.length}$`, 'm'));
    assert.match(backup.out, new RegExp(`^ {2}total +\\d+ rows in ${Object.keys(expected).length} tables$`, 'm'));

    const again = await cadre(['backup', file], sourceEnv);
    assert.deepEqual([again.code, again.err], [1, `cadre backup: ${file} already exists; choose another name`]);

    const restored = await cadre(['restore', file], targetEnv);
    assert.equal(restored.code, 0, restored.err);
    assert.match(restored.out, new RegExp(`^Restored .* \\(taken .* on sqlite, schema ${MIGRATION_NAMES.at(-1)}\\) into ${ctx().engine} `));
    assert.match(restored.out, /^ {2}app_user +\d+$/m);
    assert.deepEqual(await tableContents(ctx().database), expected);
    assert.equal((await cadre(['audit', 'verify'], targetEnv)).code, 0);

    const refused = await cadre(['restore', file], targetEnv);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /^cadre restore: the \w+ database at .* already holds data \(.*app_user: \d+ rows?.*\); a restore replaces all of it: use --force/);

    const forced = await cadre(['restore', file, '--force'], targetEnv);
    assert.equal(forced.code, 0, forced.err);
    assert.deepEqual(await tableContents(ctx().database), expected);
    const verify = await cadre(['audit', 'verify'], targetEnv);
    assert.deepEqual([verify.code, verify.out], [0, `audit chain intact: ${expected.audit_event!.length} events`]);

    const back = await cadre(['backup', join(dir, `from-${ctx().engine}.gz`)], targetEnv);
    assert.equal(back.code, 0, back.err);
    assert.match(back.out, new RegExp(`^Backup of ${ctx().engine} `));
  });

  test('a missing or damaged file exits 1 with a message naming it', async () => {
    const missing = await cadre(['restore', join(dir, 'nowhere.gz')], targetEnv);
    assert.deepEqual([missing.code, missing.err], [1, `cadre restore: ${join(dir, 'nowhere.gz')}: no such file`]);
    const junk = join(dir, 'junk.gz');
    writeFileSync(junk, 'not a backup');
    const damaged = await cadre(['restore', junk, '--force'], targetEnv);
    assert.equal(damaged.code, 1);
    assert.match(damaged.err, /^cadre restore: .*junk\.gz is damaged or not a Cadre backup/);
  });
});
