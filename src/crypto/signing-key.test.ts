import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readKey } from 'openpgp';
import { openDatabase } from '../db/database.ts';
import { eachEngine } from '../testing/engines.ts';
import { contentKeyId, decryptContent } from './content.ts';
import { loadSigningKey, mailAddress, publishedKey, readOrCreateSigningKey, SIGNING_KEY_SETTING } from './signing-key.ts';

const config = { contentKey: randomBytes(32), mailFrom: 'Cadre Secretariat <no-reply@cadre.example.org>' };

eachEngine('Cadre signing key', (ctx) => {
  test('two processes starting together on a fresh database make one key between them', async () => {
    const { database, databaseUrl, dataDir } = ctx();
    // A second connection pool, as a second process would have.
    const second = openDatabase({ databaseUrl, dataDir });
    try {
      const [a, b] = await Promise.all([readOrCreateSigningKey(database.db, config), readOrCreateSigningKey(second.db, config)]);
      assert.equal(a.fingerprint, b.fingerprint);
      assert.equal(a.publicKeyArmored, b.publicKeyArmored);
    } finally {
      await second.close();
    }
    const rows = await database.db.selectFrom('setting').selectAll().where('key', '=', SIGNING_KEY_SETTING).execute();
    assert.equal(rows.length, 1);
    const stored = rows[0]!.value;
    assert.match(stored, /^c1\./);
    assert.ok(!stored.includes('PRIVATE KEY'), 'the private key is stored encrypted');
    const armored = decryptContent(config.contentKey, stored, SIGNING_KEY_SETTING);
    assert.match(armored, /-----BEGIN PGP PRIVATE KEY BLOCK-----/);
    const fromLoad = await loadSigningKey(database.db, config);
    assert.equal(fromLoad.fingerprint, (await readKey({ armoredKey: armored })).getFingerprint().toUpperCase());
  });

  test('the key signs with ed25519, has a cv25519 subkey, no passphrase, and names MAIL_FROM’s address', async () => {
    const { database } = ctx();
    const key = await loadSigningKey(database.db, config);
    assert.equal(await loadSigningKey(database.db, config), key, 'cached per process');
    assert.match(key.fingerprint, /^[0-9A-F]{40}$/);
    assert.ok(key.privateKey.isDecrypted());
    assert.deepEqual(key.privateKey.getUserIDs(), ['Cadre <no-reply@cadre.example.org>']);
    assert.equal(key.privateKey.getAlgorithmInfo().curve, 'ed25519Legacy');
    assert.equal((await key.privateKey.getEncryptionKey()).getAlgorithmInfo().curve, 'curve25519Legacy');
    const published = await publishedKey(database.db, config);
    assert.equal(published.fingerprint, key.fingerprint);
    assert.match(published.armored, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
    assert.ok(!published.armored.includes('PRIVATE'));
  });

  test('under another content key the stored key is refused with a clear error, never replaced', async () => {
    const { database } = ctx();
    const before = await database.db.selectFrom('setting').select('value').where('key', '=', SIGNING_KEY_SETTING).executeTakeFirstOrThrow();
    const other = { ...config, contentKey: randomBytes(32) };
    await assert.rejects(readOrCreateSigningKey(database.db, other), (e: Error) => e.message.includes(contentKeyId(config.contentKey)) && /CONTENT_KEY/.test(e.message));
    const after = await database.db.selectFrom('setting').select('value').where('key', '=', SIGNING_KEY_SETTING).executeTakeFirstOrThrow();
    assert.equal(after.value, before.value);
  });
});

test('MAIL_FROM gives the key’s address', () => {
  assert.equal(mailAddress('Cadre <no-reply@cadre.example.org>'), 'no-reply@cadre.example.org');
  assert.equal(mailAddress('"Cadre, UN" <cadre@un.example>'), 'cadre@un.example');
  assert.equal(mailAddress(' cadre@un.example '), 'cadre@un.example');
  assert.throws(() => mailAddress('Cadre'), /MAIL_FROM/);
});
