import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../testing/engines.ts';
import { preparedListQuery, preparedQuery } from './prepared.ts';

eachEngine('prepared queries', (ctx) => {
  const stateNamed = preparedQuery((db, iso3: string) => db.selectFrom('state').select(['iso3', 'name_fr']).where('iso3', '=', iso3), ['']);
  const statesIn = preparedListQuery((db, codes) => db.selectFrom('state').select('iso3').where('iso3', 'in', [...codes]).orderBy('iso3'));

  test('a prepared query answers like the builder, for each value given', async () => {
    const { database } = ctx();
    for (const iso3 of ['FRA', 'KEN', 'BRA', 'XXX']) {
      const built = await database.db.selectFrom('state').select(['iso3', 'name_fr']).where('iso3', '=', iso3).execute();
      assert.deepEqual(await stateNamed(database.db, iso3), built);
    }
  });

  test('compiled once for a database and its transactions: a query prepared outside runs inside one, and sees its writes', async () => {
    const { database } = ctx();
    await stateNamed(database.db, 'FRA');
    const seen = await database.db.transaction().execute(async (trx) => {
      await trx.updateTable('state').set({ name_fr: 'France (essai)' }).where('iso3', '=', 'FRA').execute();
      const inside = await stateNamed(trx, 'FRA');
      await trx.updateTable('state').set({ name_fr: 'France' }).where('iso3', '=', 'FRA').execute();
      return inside;
    });
    assert.deepEqual(seen, [{ iso3: 'FRA', name_fr: 'France (essai)' }]);
    assert.deepEqual(await stateNamed(database.db, 'FRA'), [{ iso3: 'FRA', name_fr: 'France' }]);
  });

  test('a list query is compiled per length: lists of 1, 3 and 2 values, then 3 again', async () => {
    const { database } = ctx();
    assert.deepEqual(await statesIn(database.db, ['KEN']), [{ iso3: 'KEN' }]);
    assert.deepEqual(await statesIn(database.db, ['KEN', 'FRA', 'BRA']), [{ iso3: 'BRA' }, { iso3: 'FRA' }, { iso3: 'KEN' }]);
    assert.deepEqual(await statesIn(database.db, ['CHN', 'XXX']), [{ iso3: 'CHN' }]);
    assert.deepEqual(await statesIn(database.db, ['ARG', 'EGY', 'IND']), [{ iso3: 'ARG' }, { iso3: 'EGY' }, { iso3: 'IND' }]);
  });

  test('a query whose compiled parameters differ from the placeholders is refused, not run with shifted values', async () => {
    const { database } = ctx();
    const wrong = preparedQuery((db, iso3: string) => db.selectFrom('state').select('iso3').where('iso3', '=', iso3).where('regional_group', '=', 'WEOG'), ['']);
    await assert.rejects(wrong(database.db, 'FRA'), /2 parameters compiled for 1 given/);
  });
});
