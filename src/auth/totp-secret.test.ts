import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newTotpSecret, totpAt } from './totp.ts';
import { openTotpSecret, sealClearTotpSecrets, sealTotpSecret, totpStepOf } from './totp-secret.ts';
import { eachEngine } from '../testing/engines.ts';
import { testApp } from '../testing/app.ts';
import { enrolledClient } from '../testing/users.ts';
import type { App } from '../web/types.ts';

const KEY = Buffer.alloc(32, 7);

test('a sealed TOTP secret opens only with its key and for its user; a clear one is read as it is', () => {
  const secret = newTotpSecret();
  const sealed = sealTotpSecret(KEY, 'u1', secret);
  assert.match(sealed, /^c1\./);
  assert.ok(!sealed.includes(secret));
  assert.equal(openTotpSecret(KEY, 'u1', sealed), secret);
  assert.throws(() => openTotpSecret(KEY, 'u2', sealed), 'copied onto another user, it does not open');
  assert.throws(() => openTotpSecret(Buffer.alloc(32, 8), 'u1', sealed));
  assert.equal(openTotpSecret(KEY, 'u1', 'JBSWY3DPEHPK3PXP'), 'JBSWY3DPEHPK3PXP');
  // Under another key (a restore elsewhere) a code is simply not accepted: no error page.
  assert.equal(totpStepOf(Buffer.alloc(32, 8), 'u1', sealed, totpAt(secret, 0)), null);
  assert.notEqual(totpStepOf(KEY, 'u1', sealed, totpAt(secret, 0)), null);
});

eachEngine('TOTP secrets at rest', (ctx) => {
  let app: App;
  test('setup', async () => {
    app = await testApp(ctx());
  });

  test('enrolment stores the secret sealed; sign-in and new recovery codes still take the codes, each once', async () => {
    const { client, secret, user } = await enrolledClient(app, 'sealed@example.org', 'poc', 'FRA');
    const row = await app.cadre.database.db.selectFrom('app_user').select('totp_secret').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.match(row.totp_secret!, /^c1\./);
    assert.ok(!row.totp_secret!.includes(secret));
    // A code of the next time step (the enrolment spent the current one), then the same code again.
    const next = totpAt(secret, 1);
    await client.get('/account');
    const first = await client.post('/account/recovery-codes', { code: next });
    assert.equal(first.statusCode, 200);
    await client.get('/account');
    const replay = await client.post('/account/recovery-codes', { code: next });
    assert.equal(replay.statusCode, 400, 'a code is spent once, here as at sign-in');
  });

  test('secrets left in clear are sealed once, and still give the same codes', async () => {
    const { secret, user } = await enrolledClient(app, 'legacy@example.org', 'poc', 'KEN');
    await app.cadre.database.db.updateTable('app_user').set({ totp_secret: secret }).where('id', '=', user.id).execute();
    assert.equal(await sealClearTotpSecrets(app.cadre.database.db, app.cadre.config.contentKey), 1);
    assert.equal(await sealClearTotpSecrets(app.cadre.database.db, app.cadre.config.contentKey), 0);
    const row = await app.cadre.database.db.selectFrom('app_user').select('totp_secret').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(openTotpSecret(app.cadre.config.contentKey, user.id, row.totp_secret!), secret);
  });
});
