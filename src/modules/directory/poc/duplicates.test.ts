import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eachEngine } from '../../../testing/engines.ts';
import { testApp } from '../../../testing/app.ts';
import { enrolledClient } from '../../../testing/users.ts';
import { pocBody } from './poc.testing.ts';

eachEngine('points of contact: one entry per State and address, even at the same moment', (ctx) => {
  test('five nominations of one address sent together: one entry, four refusals pointing at it', async () => {
    const app = await testApp(ctx());
    const admin = await enrolledClient(app, 'admin@br.example', 'state-admin', 'BRA');
    // An address that already has an enrolled account: its entries are active at once, and no
    // invitation (whose account would be unique by address) stands in the way of a second entry.
    await enrolledClient(app, 'cert@br.example', 'poc', 'BRA');
    await admin.client.get('/directory/nominate');
    const body = pocBody({ emails: ['cert@br.example'], timeZone: 'America/Sao_Paulo', phones: [{ number: '+55 61 2030 6000', label: 'office' }] });
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => admin.client.json('POST', '/api/v1/directory/entries', { ...body, name: `Ana Souza ${i}` })));
    const created = answers.filter((a) => a.statusCode === 201);
    assert.equal(created.length, 1, answers.map((a) => `${a.statusCode} ${a.body.slice(0, 120)}`).join('\n'));
    const id = created[0]!.json().entry.id as string;
    for (const refused of answers.filter((a) => a.statusCode !== 201)) {
      assert.equal(refused.statusCode, 409, refused.body);
      assert.equal(refused.json().related, `/directory/entries/${id}`);
    }
    const rows = await ctx().database.db.selectFrom('poc').select('id').where('state_iso3', '=', 'BRA').execute();
    assert.deepEqual(rows.map((r) => r.id), [id]);
  });
});
