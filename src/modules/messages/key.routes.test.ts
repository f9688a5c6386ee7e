import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCleartextMessage, readKey, verify } from 'openpgp';
import { signCleartext } from '../../crypto/pgp-mail.ts';
import { loadSigningKey, readOrCreateSigningKey } from '../../crypto/signing-key.ts';
import { LANGUAGES } from '../../web/i18n.ts';
import { testApp, TestClient } from '../../testing/app.ts';
import { eachEngine } from '../../testing/engines.ts';
import type { App } from '../../web/types.ts';
import { groupFingerprint, KEY_PATHS } from './key.routes.tsx';

test('groupFingerprint writes the fingerprint in groups of four, as gpg prints it', () => {
  assert.equal(groupFingerprint('0123456789abcdef0123456789ABCDEF01234567'), '0123 4567 89AB CDEF 0123 4567 89AB CDEF 0123 4567');
  assert.equal(groupFingerprint('ABCD EF01 2345'), 'ABCD EF01 2345');
});

eachEngine('Cadre’s OpenPGP key, published', (ctx) => {
  let app: App;

  test('the armored public key at both addresses, to anyone, and it checks what Cadre signs', async () => {
    app = await testApp(ctx());
    const anonymous = new TestClient(app);
    const bodies: string[] = [];
    for (const path of KEY_PATHS) {
      const res = await anonymous.get(path);
      assert.equal(res.statusCode, 200, path);
      assert.match(String(res.headers['content-type']), /^application\/pgp-keys\b/, path);
      assert.match(res.body, /^-----BEGIN PGP PUBLIC KEY BLOCK-----/);
      assert.doesNotMatch(res.body, /PRIVATE KEY/);
      bodies.push(res.body);
    }
    assert.equal(bodies[0], bodies[1], 'one key at both addresses');
    const published = await readKey({ armoredKey: bodies[0]! });
    assert.equal(published.isPrivate(), false);
    const signing = await loadSigningKey(app.cadre.database.db, app.cadre.config);
    assert.equal(published.getFingerprint().toUpperCase(), signing.fingerprint);

    // What a recipient does: verify a message Cadre signed with the key fetched from the site.
    const signed = await signCleartext('Request for assistance received by Kenya.', signing);
    const result = await verify({ message: await readCleartextMessage({ cleartextMessage: signed }), verificationKeys: published, expectSigned: true });
    assert.equal(result.data.trim(), 'Request for assistance received by Kenya.');
    // …and a signature by another key does not pass.
    const forged = await readCleartextMessage({ cleartextMessage: signed.replace('Kenya', 'Kenia') });
    await assert.rejects(verify({ message: forged, verificationKeys: published, expectSigned: true }));
  });

  test('the /pgp-key page shows the grouped fingerprint and how to verify, in the six languages', async () => {
    const signing = await loadSigningKey(app.cadre.database.db, app.cadre.config);
    const grouped = groupFingerprint(signing.fingerprint);
    assert.match(grouped, /^([0-9A-F]{4} ){9}[0-9A-F]{4}$/);
    const anonymous = new TestClient(app);
    const headings = new Set<string>();
    for (const lang of LANGUAGES) {
      const res = await anonymous.get(`/pgp-key?lang=${lang}`);
      assert.equal(res.statusCode, 200, lang);
      assert.match(res.body, new RegExp(`<html lang="${lang}"`));
      assert.ok(res.body.includes(`>${grouped}</code>`), `${lang}: the fingerprint in groups of four`);
      for (const path of KEY_PATHS) assert.ok(res.body.includes(`href="${path}"`), `${lang}: links ${path}`);
      assert.match(res.body, /gpg --verify/);
      assert.match(res.body, /gpg --fingerprint no-reply@cadre\.test/);
      headings.add(/<h1>([^<]+)<\/h1>/.exec(res.body)![1]!);
      assert.doesNotMatch(res.body, /pgpKey\./, `${lang}: no untranslated key`);
    }
    assert.equal(headings.size, 6, 'a heading of its own in each language');
    const home = await anonymous.get('/?lang=fr');
    assert.match(home.body, /<a href="\/pgp-key">Clé OpenPGP de Cadre<\/a>/, 'the footer links the page');
  });

  test('the key served is the one stored in the database, not one made per process', async () => {
    try {
      const served = await readKey({ armoredKey: (await new TestClient(app).get(KEY_PATHS[1])).body });
      const stored = await readOrCreateSigningKey(app.cadre.database.db, app.cadre.config);
      assert.equal(served.getFingerprint().toUpperCase(), stored.fingerprint);
    } finally {
      await app.close();
    }
  });
});
