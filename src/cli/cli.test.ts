import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eachEngine } from '../testing/engines.ts';
import { main, type CliIo } from './main.ts';

function capture(): CliIo & { outText: () => string; errText: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { out: (l) => out.push(l), err: (l) => err.push(l), outText: () => out.join('\n'), errText: () => err.join('\n') };
}

eachEngine('cadre command line', (ctx) => {
  const env = () => ({ CADRE_DATA_DIR: ctx().dataDir, ...(ctx().databaseUrl ? { DATABASE_URL: ctx().databaseUrl } : {}), BASE_URL: 'https://cadre.example.org' });

  test('migrate reports the engine and the 193 Member States', async () => {
    const io = capture();
    assert.equal(await main(['migrate'], io, env()), 0);
    assert.match(io.outText(), new RegExp(`^${ctx().engine} .*193 Member States`));
  });

  test('user add prints a single-use enrolment link on BASE_URL', async () => {
    const io = capture();
    assert.equal(await main(['user', 'add', '--email', 'Focal.Point@Gov.example', '--role', 'state-admin', '--state', 'ken'], io, env()), 0);
    assert.match(io.outText(), /Created state-admin focal\.point@gov\.example \(KEN\)/);
    assert.match(io.outText(), /https:\/\/cadre\.example\.org\/enrol\/[A-Za-z0-9_-]{43}/);
  });

  test('user add refuses bad input with a clear message and exit code 2', async () => {
    let io = capture();
    assert.equal(await main(['user', 'add', '--email', 'x@y.example', '--role', 'poc'], io, env()), 2);
    assert.match(io.errText(), /--state: Choose the State/);
    io = capture();
    assert.equal(await main(['user', 'add', '--email', 'x@y.example', '--role', 'poc', '--state', 'XYZ'], io, env()), 2);
    assert.match(io.errText(), /XYZ is not a UN Member State code/);
    io = capture();
    assert.equal(await main(['user', 'add', '--email', 'focal.point@gov.example', '--role', 'poc', '--state', 'KEN'], io, env()), 2);
    assert.match(io.errText(), /already exists/);
    io = capture();
    assert.equal(await main(['user', 'add', '--bogus'], io, env()), 2);
    io = capture();
    assert.equal(await main(['frobnicate'], io, env()), 2);
    assert.match(io.errText(), /Usage: cadre <command>/);
  });

  test('audit verify passes on an intact log and names the first event edited by hand', async () => {
    let io = capture();
    assert.equal(await main(['audit', 'verify'], io, env()), 0);
    assert.match(io.outText(), /audit chain intact: \d+ events/);
    const { db } = ctx().database;
    const first = await db.selectFrom('audit_event').select(['seq', 'actor_label']).orderBy('seq').executeTakeFirstOrThrow();
    await sql`UPDATE audit_event SET actor_label = 'someone else' WHERE seq = ${first.seq}`.execute(db);
    io = capture();
    assert.equal(await main(['audit', 'verify'], io, env()), 1);
    assert.match(io.errText(), new RegExp(`BROKEN at event ${first.seq}: its content does not match its hash`));
    await sql`UPDATE audit_event SET actor_label = ${first.actor_label} WHERE seq = ${first.seq}`.execute(db);
  });
});
