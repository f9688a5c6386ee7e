// Keys are made by GnuPG itself, each test in its own throw-away GNUPGHOME.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKey } from 'openpgp';
import { expiresWithin, parsePublicKey } from './openpgp-key.ts';

const homes: string[] = [];
after(() => {
  for (const home of homes) {
    execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore' });
    rmSync(home, { recursive: true, force: true });
  }
});

/** A fresh GnuPG home; `gpg(...)` runs gpg in it without prompts and returns its output. */
function gnupg(...options: string[]): { home: string; gpg: (...args: string[]) => string } {
  const home = mkdtempSync(join(tmpdir(), 'cadre-poc-gpg-'));
  homes.push(home);
  const gpg = (...args: string[]): string =>
    execFileSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', ...options, ...args], {
      env: { ...process.env, GNUPGHOME: home },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  return { home, gpg };
}

/** Fingerprints of the primary keys, as gpg prints them. */
const fingerprints = (gpg: (...args: string[]) => string): string[] =>
  gpg('--with-colons', '--fingerprint')
    .split('\n')
    .map((line, i, lines) => (/^pub:/.test(lines[i - 1] ?? '') && line.startsWith('fpr:') ? line.split(':')[9]! : ''))
    .filter((f) => f !== '');

/** A key as a POC would make one: ed25519 for signing, a cv25519 subkey to encrypt to. */
function makeKey(
  gpg: (...args: string[]) => string,
  uid = 'POC Test <poc@example.org>',
  expiry = '1y',
  withEncryptionSubkey = true,
): string {
  gpg('--quick-gen-key', uid, 'ed25519', 'cert,sign', expiry);
  const fpr = fingerprints(gpg).at(-1)!;
  if (withEncryptionSubkey) gpg('--quick-add-key', fpr, 'cv25519', 'encr', expiry);
  return fpr;
}

test('a GnuPG key is read: fingerprint as gpg prints it, expiry, user ids, algorithm', async () => {
  const { gpg } = gnupg();
  const fpr = makeKey(gpg);
  const armored = gpg('--armor', '--export', fpr);
  const result = await parsePublicKey(armored.replace(/\n/g, '\r\n'));
  assert.ok(result.ok, JSON.stringify(result));
  const { key } = result;
  assert.equal(key.fingerprint, fpr);
  assert.match(key.fingerprint, /^[0-9A-F]{40}$/);
  assert.deepEqual(key.userIds, ['POC Test <poc@example.org>']);
  assert.equal(key.algorithm, 'ed25519');
  assert.equal(key.armored, armored, 'CRLF normalised back to what gpg wrote');
  const created = Date.parse(key.createdAt);
  assert.ok(Math.abs(created - Date.now()) < 60_000, key.createdAt);
  const expires = Date.parse(key.expiresAt ?? '');
  assert.ok(expires - created > 364 * 86_400_000 && expires - created < 367 * 86_400_000, key.expiresAt ?? 'null');
  assert.equal(expiresWithin(key, 30), false);
  assert.equal(expiresWithin(key, 30, new Date(expires - 29 * 86_400_000)), true);
  // Text around the block (as in an e-mail) is left out of what is kept.
  const quoted = await parsePublicKey(`Here is my key:\n\n${armored}\nRegards`);
  assert.ok(quoted.ok);
  assert.equal(quoted.key.armored, armored);
});

test('a key that never expires has no expiry date', async () => {
  const { gpg } = gnupg();
  const fpr = makeKey(gpg, 'POC Forever <forever@example.org>', 'never');
  const result = await parsePublicKey(gpg('--armor', '--export', fpr));
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.key.expiresAt, null);
  assert.equal(expiresWithin(result.key, 36_500), false);
});

test('an RSA key names its size; its primary key may be the one to encrypt to', async () => {
  const { gpg } = gnupg();
  gpg('--quick-gen-key', 'POC RSA <rsa@example.org>', 'rsa2048', 'cert,sign,encr', '1y');
  const [fpr] = fingerprints(gpg);
  const result = await parsePublicKey(gpg('--armor', '--export', fpr!));
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(result.key.algorithm, 'rsa2048');
  assert.equal(result.key.fingerprint, fpr);
});

test('a key expiring in 20 days is accepted and flagged as expiring within 30', async () => {
  const { gpg } = gnupg();
  const fpr = makeKey(gpg, 'POC Soon <soon@example.org>', '20d');
  const result = await parsePublicKey(gpg('--armor', '--export', fpr));
  assert.ok(result.ok, JSON.stringify(result));
  assert.equal(expiresWithin(result.key, 30), true);
  assert.equal(expiresWithin(result.key, 10), false);
  // The same key, checked once its date has passed.
  const later = new Date(Date.parse(result.key.expiresAt!) + 1000);
  assert.deepEqual(await parsePublicKey(gpg('--armor', '--export', fpr), later), { ok: false, code: 'directory.pgp.expired' });
});

test('a key that expired in 2021 is refused as expired', async () => {
  const { gpg } = gnupg('--faked-system-time', '20200101T000000!');
  const fpr = makeKey(gpg, 'POC Old <old@example.org>', '1y');
  const armored = gpg('--armor', '--export', fpr);
  assert.deepEqual(await parsePublicKey(armored), { ok: false, code: 'directory.pgp.expired' });
  // Still valid as seen from mid-2020.
  assert.equal((await parsePublicKey(armored, new Date('2020-06-01T00:00:00Z'))).ok, true);
});

test('a revoked key is refused', async () => {
  const { home, gpg } = gnupg();
  const fpr = makeKey(gpg, 'POC Revoked <revoked@example.org>');
  assert.equal((await parsePublicKey(gpg('--armor', '--export', fpr))).ok, true);
  // gpg keeps a revocation certificate for each new key, its first line defused with a leading ':'.
  const certificate = readFileSync(join(home, 'openpgp-revocs.d', `${fpr}.rev`), 'utf8').replace(':-----BEGIN', '-----BEGIN');
  execFileSync('gpg', ['--batch', '--import'], { env: { ...process.env, GNUPGHOME: home }, input: certificate, stdio: ['pipe', 'ignore', 'ignore'] });
  assert.deepEqual(await parsePublicKey(gpg('--armor', '--export', fpr)), { ok: false, code: 'directory.pgp.revoked' });
});

test('a private key is refused, alone or pasted after the public one', async () => {
  const { gpg } = gnupg();
  const fpr = makeKey(gpg, 'POC Secret <secret@example.org>');
  const secret = gpg('--armor', '--export-secret-keys', fpr);
  assert.match(secret, /PRIVATE KEY BLOCK/);
  assert.deepEqual(await parsePublicKey(secret), { ok: false, code: 'directory.pgp.privateKey' });
  const both = `${gpg('--armor', '--export', fpr)}\n${secret}`;
  assert.deepEqual(await parsePublicKey(both), { ok: false, code: 'directory.pgp.privateKey' });
  // Secret key packets relabelled as a public block are still seen for what they are.
  const relabelled = secret.replace(/PRIVATE KEY BLOCK/g, 'PUBLIC KEY BLOCK');
  assert.deepEqual(await parsePublicKey(relabelled), { ok: false, code: 'directory.pgp.privateKey' });
});

test('more than one key is refused, in one block or in two', async () => {
  const { gpg } = gnupg();
  const first = makeKey(gpg, 'POC One <one@example.org>');
  const second = makeKey(gpg, 'POC Two <two@example.org>');
  assert.deepEqual(await parsePublicKey(gpg('--armor', '--export', first, second)), { ok: false, code: 'directory.pgp.multipleKeys' });
  const twoBlocks = gpg('--armor', '--export', first) + gpg('--armor', '--export', second);
  assert.deepEqual(await parsePublicKey(twoBlocks), { ok: false, code: 'directory.pgp.multipleKeys' });
});

test('a signing-only key is refused: nothing to encrypt to', async () => {
  const { gpg } = gnupg();
  const fpr = makeKey(gpg, 'POC Sign <sign@example.org>', '1y', false);
  assert.deepEqual(await parsePublicKey(gpg('--armor', '--export', fpr)), { ok: false, code: 'directory.pgp.noEncryptionKey' });
});

test('what is not a key is refused', async () => {
  const { gpg } = gnupg();
  const fpr = makeKey(gpg, 'POC Broken <broken@example.org>');
  const armored = gpg('--armor', '--export', fpr);
  for (const text of ['', 'hello', '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----']) {
    assert.deepEqual(await parsePublicKey(text), { ok: false, code: 'directory.pgp.notAKey' }, text);
  }
  // One base64 character changed in the body: the checksum or the packets no longer hold.
  const lines = armored.split('\n');
  const body = lines.findIndex((l) => l.length > 60);
  lines[body] = lines[body]!.slice(0, 30) + (lines[body]![30] === 'A' ? 'B' : 'A') + lines[body]!.slice(31);
  const tampered = await parsePublicKey(lines.join('\n'));
  assert.equal(tampered.ok, false);
  assert.deepEqual(await parsePublicKey(armored + ' '.repeat(100_000)), { ok: false, code: 'directory.pgp.tooLarge' });
});

test('a v6 key (RFC 9580) has a 64-digit fingerprint', async () => {
  // GnuPG 2.2 cannot make v6 keys; openpgp.js can.
  const { publicKey } = await generateKey({ userIDs: [{ name: 'POC Six', email: 'six@example.org' }], type: 'curve25519', config: { v6Keys: true } });
  const result = await parsePublicKey(publicKey);
  assert.ok(result.ok, JSON.stringify(result));
  assert.match(result.key.fingerprint, /^[0-9A-F]{64}$/);
  assert.equal(result.key.algorithm, 'ed25519');
});
