import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openDatabase } from '../../../db/database.ts';
import { seedActivePocs, type SeededPoc } from '../../../testing/checks.ts';
import { eachEngine } from '../../../testing/engines.ts';
import { directoryRead, directoryView } from './directory.memo.ts';
import { stateParticipates } from './poc.repository.ts';

// Directory reads are kept in memory while the directory's stamp stands: every change to what they
// show, from this process or another, through any of the watched tables, must be seen at once.

eachEngine('directory reads kept while the directory is unchanged', (ctx) => {
  let pocs: SeededPoc[];
  let reads = 0;
  const counted = () =>
    directoryRead(ctx().database.db, 'test:count', async () => {
      reads++;
      return [{ n: reads }];
    });

  test('setup: two active entries', async () => {
    pocs = await seedActivePocs(ctx().database, 2, 'memo.example');
  });

  test('an answer is read once and kept while nothing changes', async () => {
    const first = await counted();
    const again = await counted();
    assert.equal(again, first);
    assert.equal(reads, 1);
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first[0]), 'kept answers are frozen: requests share them');
  });

  const changes: [string, () => Promise<unknown>][] = [
    ['an entry changed', () => ctx().database.db.updateTable('poc').set({ title: 'Changed' }).where('id', '=', pocs[0]!.pocId).execute()],
    ['an address added', () => sql`insert into poc_email (id, poc_id, state_iso3, address, position, verified_at, retired_at, created_at) select 'memo-mail', id, state_iso3, 'second@memo.example', 9, null, null, created_at from poc where id = ${pocs[0]!.pocId}`.execute(ctx().database.db)],
    ['an address removed', () => ctx().database.db.deleteFrom('poc_email').where('id', '=', 'memo-mail').execute()],
    ['a consent given', () => ctx().database.db.insertInto('poc_consent').values({ poc_id: pocs[0]!.pocId, organisation_id: 'OSCE', granted_at: new Date().toISOString(), granted_by: null }).execute()],
    ['a membership changed', () => ctx().database.db.updateTable('regional_membership').set({ status: 'former' }).where('organisation_id', '=', 'OSCE').where('state_iso3', '=', 'FRA').execute()],
    ['a Member State renamed', () => ctx().database.db.updateTable('state').set({ name_fr: 'France (essai)' }).where('iso3', '=', 'FRA').execute()],
  ];
  for (const [change, make] of changes) {
    test(`${change}: read again`, async () => {
      const before = reads;
      await counted();
      assert.equal(reads, before, 'kept before the change');
      await make();
      await counted();
      assert.equal(reads, before + 1);
    });
  }

  test('a change committed by another connection (another process) is seen at once', async () => {
    const { databaseUrl, dataDir, database } = ctx();
    const state = pocs[1]!.state;
    assert.equal(await stateParticipates(database.db, state), true);
    const other = openDatabase({ databaseUrl, dataDir });
    try {
      await other.db.updateTable('poc').set({ status: 'withdrawn' }).where('id', '=', pocs[1]!.pocId).execute();
    } finally {
      await other.close();
    }
    assert.equal(await stateParticipates(database.db, state), false);
  });

  test('a change not yet committed is not kept, and a read inside a transaction is never kept', async () => {
    const { database } = ctx();
    await counted();
    const before = reads;
    await database.db.transaction().execute(async (trx) => {
      await trx.updateTable('poc').set({ title: 'Inside' }).where('id', '=', pocs[0]!.pocId).execute();
      await directoryRead(trx, 'test:count', async () => [{ n: ++reads }]);
      await directoryRead(trx, 'test:count', async () => [{ n: ++reads }]);
    });
    assert.equal(reads, before + 2, 'both reads inside ran');
    await counted();
    assert.equal(reads, before + 3, 'the committed change is read again outside');
  });

  test('a view reads the stamp once for all its reads: a change after it is seen by the next view', async () => {
    const { database } = ctx();
    await counted();
    const before = reads;
    const view = await directoryView(database.db);
    assert.deepEqual(await view.read('test:count', async () => [{ n: ++reads }]), [{ n: before }], 'the kept answer');
    await database.db.updateTable('poc').set({ title: 'After the view' }).where('id', '=', pocs[0]!.pocId).execute();
    assert.deepEqual(await view.read('test:count', async () => [{ n: ++reads }]), [{ n: before }], 'still the answer at the view’s stamp');
    assert.equal(reads, before);
    await counted();
    assert.equal(reads, before + 1, 'a new view sees the change');
    await database.db.transaction().execute(async (trx) => {
      const inside = await directoryView(trx);
      await inside.read('test:count', async () => [{ n: ++reads }]);
      await inside.read('test:count', async () => [{ n: ++reads }]);
    });
    assert.equal(reads, before + 3, 'a view inside a transaction keeps nothing');
  });

  test('a read that fails is not kept', async () => {
    const { database } = ctx();
    await assert.rejects(directoryRead(database.db, 'test:fails', async () => Promise.reject(new Error('down'))), /down/);
    assert.deepEqual(await directoryRead(database.db, 'test:fails', async () => ['up']), ['up']);
  });
});
