import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../config.ts';
import { ContentError, contentKeyId, decryptContent, encryptContent, envelopeKeyId } from './content.ts';

const key = randomBytes(32);
const text = 'Subject: incident 2026-11\n\nBonjour, « merci » — 谢谢 — شكرا\n';

const fails = (reason: ContentError['reason'], attempt: () => unknown, sealed?: string): void => {
  assert.throws(attempt, (e: unknown) => {
    assert.ok(e instanceof ContentError, String(e));
    assert.equal(e.reason, reason, e.message);
    assert.ok(!e.message.includes(text) && (sealed === undefined || !e.message.includes(sealed)), 'never quotes the value');
    return true;
  });
};

test('content round-trips, names its key, hides the text and takes a fresh nonce each time', () => {
  const sealed = encryptContent(key, text, 'message-1');
  assert.match(sealed, /^c1\.[0-9a-f]{8}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
  assert.equal(envelopeKeyId(sealed), contentKeyId(key));
  assert.ok(!sealed.includes('incident'));
  assert.equal(decryptContent(key, sealed, 'message-1'), text);
  const again = encryptContent(key, text, 'message-1');
  assert.notEqual(again, sealed);
  assert.notEqual(again.split('.')[2], sealed.split('.')[2], 'another nonce');
  assert.equal(decryptContent(key, encryptContent(key, '', 'm'), 'm'), '');
});

test('each flipped bit of nonce or ciphertext, and a changed header, is refused', () => {
  const sealed = encryptContent(key, text, 'message-1');
  const [version, keyId, nonce, body] = sealed.split('.') as [string, string, string, string];
  for (const [index, part] of [nonce, body].entries()) {
    const raw = Buffer.from(part, 'base64url');
    for (let i = 0; i < raw.length; i++) {
      const copy = Buffer.from(raw);
      copy[i] = copy[i]! ^ 0x01;
      const altered = index === 0 ? [version, keyId, copy.toString('base64url'), body] : [version, keyId, nonce, copy.toString('base64url')];
      fails('altered', () => decryptContent(key, altered.join('.'), 'message-1'), sealed);
    }
  }
  fails('malformed', () => decryptContent(key, `c2.${keyId}.${nonce}.${body}`, 'message-1'));
  fails('malformed', () => decryptContent(key, `c1.${keyId}.${nonce}`, 'message-1'));
  fails('malformed', () => decryptContent(key, text, 'message-1'));
  fails('malformed', () => decryptContent(key, `c1.${keyId}.AAAA.${body}`, 'message-1'), 'a short nonce');
  fails('unknownKey', () => decryptContent(key, `c1.00000000.${nonce}.${body}`, 'message-1'));
});

test('another context is refused: content copied to another row does not open', () => {
  const sealed = encryptContent(key, text, 'message-1');
  fails('altered', () => decryptContent(key, sealed, 'message-2'), sealed);
  fails('altered', () => decryptContent(key, sealed, ''), sealed);
});

test('another key gives a clear error naming both key ids; a rotation list picks the right key', () => {
  const sealed = encryptContent(key, text, 'message-1');
  const other = randomBytes(32);
  assert.throws(
    () => decryptContent(other, sealed, 'message-1'),
    (e: unknown) => e instanceof ContentError && e.reason === 'unknownKey' && e.message.includes(contentKeyId(key)) && e.message.includes(contentKeyId(other)) && /CONTENT_KEY/.test(e.message),
  );
  assert.equal(decryptContent([other, key], sealed, 'message-1'), text);
  assert.throws(() => encryptContent(Buffer.alloc(16), text, 'm'), /32 bytes/);
});

test('CONTENT_KEY is read as 64 hex digits; unset, it is derived from CADRE_SECRET under its own label', () => {
  const dataDir = '/nonexistent-cadre-dir';
  const secret = 'x'.repeat(40);
  const given = randomBytes(32);
  assert.deepEqual(loadConfig({ CADRE_SECRET: secret, CONTENT_KEY: given.toString('hex'), CADRE_DATA_DIR: dataDir }).contentKey, given);
  const derived = loadConfig({ CADRE_SECRET: secret, CADRE_DATA_DIR: dataDir }).contentKey;
  assert.equal(derived.length, 32);
  assert.notDeepEqual(derived, Buffer.from(secret, 'utf8').subarray(0, 32), 'not the secret itself');
  assert.deepEqual(loadConfig({ CADRE_SECRET: secret, CADRE_DATA_DIR: dataDir }).contentKey, derived, 'stable across starts');
  assert.notDeepEqual(loadConfig({ CADRE_SECRET: 'y'.repeat(40), CADRE_DATA_DIR: dataDir }).contentKey, derived);
  assert.throws(() => loadConfig({ CADRE_SECRET: secret, CONTENT_KEY: 'abc', CADRE_DATA_DIR: dataDir }), /CONTENT_KEY must be 64 hexadecimal digits/);
});
