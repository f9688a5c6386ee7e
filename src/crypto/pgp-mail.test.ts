// Checked by GnuPG itself, as a point of contact would: keys made by gpg in a throw-away GNUPGHOME,
// Cadre's public key imported next to them, then `gpg --decrypt` and `gpg --verify` with status output.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Db } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { encryptAndSign, pgpMimeEncrypted, pgpMimeSigned, signCleartext, textPart, type MimeEntity } from './pgp-mail.ts';
import { loadSigningKey, type SigningKey } from './signing-key.ts';

const home = mkdtempSync(join(tmpdir(), 'cadre-pgp-mail-'));
let database: Db;
let cadre: SigningKey;
const recipients: Array<{ fpr: string; armored: string }> = [];

/** gpg in the throw-away home; returns status lines (fd 1), stderr, exit status. */
function gpg(args: string[], input?: string): { status: string; stderr: string; code: number | null } {
  const run = spawnSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--status-fd', '1', ...args], {
    env: { ...process.env, GNUPGHOME: home },
    encoding: 'utf8',
    ...(input === undefined ? {} : { input }),
  });
  return { status: run.stdout, stderr: run.stderr, code: run.status };
}

function makeRecipient(uid: string): { fpr: string; armored: string } {
  gpg(['--quick-gen-key', uid, 'ed25519', 'cert,sign', '1y']);
  const listing = gpg(['--with-colons', '--list-keys', uid]).status;
  const fpr = /^fpr:(?:[^:]*:){8}([0-9A-F]{40}):/m.exec(listing)![1]!;
  gpg(['--quick-add-key', fpr, 'cv25519', 'encr', '1y']);
  const armored = execFileSync('gpg', ['--batch', '--armor', '--export', fpr], { env: { ...process.env, GNUPGHOME: home }, encoding: 'utf8' });
  return { fpr, armored };
}

/** Roughly 4 KB of mixed-script text with LF line ends. */
const body4k = (): string => {
  const line = 'Incident notice 2026-11 — « merci » — 谢谢 — شكرا — спасибо — gracias.\n';
  let text = '';
  while (Buffer.byteLength(text) < 4096) text += line;
  return text;
};

const file = (name: string, content: string): string => {
  const path = join(home, name);
  writeFileSync(path, content);
  return path;
};

/** `[signed part, signature]` of a multipart/signed entity, cut exactly as RFC 3156 §5 says. */
function signedParts({ contentType, body }: MimeEntity): [string, string] {
  const b = /boundary="([^"]+)"/.exec(contentType)![1]!;
  // preamble, CRLF + signed part, CRLF + signature part, `--` + CRLF (the CRLF before a boundary is the boundary's)
  const parts = body.split(`\r\n--${b}`);
  assert.equal(parts.length, 4);
  assert.equal(parts[3], '--\r\n');
  const first = parts[1]!.replace(/^\r\n/, '');
  const signature = parts[2]!.slice(parts[2]!.indexOf('\r\n\r\n') + 4);
  return [first, signature];
}

before(async () => {
  database = openDatabase({ dataDir: home, sqliteFile: ':memory:' });
  await migrate(database);
  cadre = await loadSigningKey(database.db, { contentKey: randomBytes(32), mailFrom: 'Cadre <no-reply@cadre.example.org>' });
  for (const name of ['One', 'Two', 'Three']) recipients.push(makeRecipient(`POC ${name} <poc.${name.toLowerCase()}@example.org>`));
  const imported = gpg(['--import'], cadre.publicKeyArmored);
  assert.equal(imported.code, 0, imported.stderr);
});

after(async () => {
  await database.close();
  execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: home }, stdio: 'ignore' });
  rmSync(home, { recursive: true, force: true });
});

/** The good-signature lines gpg prints, checked against Cadre's fingerprint. */
function assertSignedByCadre(status: string): void {
  assert.match(status, new RegExp(`^\\[GNUPG:\\] GOODSIG ${cadre.fingerprint.slice(-16)} Cadre <no-reply@cadre\\.example\\.org>$`, 'm'), status);
  assert.match(status, new RegExp(`^\\[GNUPG:\\] VALIDSIG ${cadre.fingerprint} `, 'm'), status);
  assert.doesNotMatch(status, /BADSIG|ERRSIG/);
}

test('GnuPG decrypts a 4 KB text encrypted to a POC key and finds Cadre’s good signature', async () => {
  const text = body4k();
  const armored = await encryptAndSign({ text, recipientsArmored: [recipients[0]!.armored], signingKey: cadre });
  assert.match(armored, /^-----BEGIN PGP MESSAGE-----/);
  const out = join(home, 'out-1.txt');
  const run = gpg(['--output', out, '--decrypt', file('msg-1.asc', armored)]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(out, 'utf8'), text);
  assertSignedByCadre(run.status);
  assert.match(run.status, /^\[GNUPG:\] DECRYPTION_OKAY$/m);

  // One altered byte inside the armored body: gpg refuses it.
  const lines = armored.split('\n');
  const i = Math.floor(lines.length / 2);
  lines[i] = lines[i]!.slice(0, 20) + (lines[i]![20] === 'A' ? 'B' : 'A') + lines[i]!.slice(21);
  const tampered = gpg(['--output', join(home, 'out-bad.txt'), '--decrypt', file('msg-bad.asc', lines.join('\n'))]);
  assert.notEqual(tampered.code, 0);
  assert.doesNotMatch(tampered.status, /GOODSIG/);
});

test('a key that cannot encrypt, or no key at all, is refused', async () => {
  gpg(['--quick-gen-key', 'POC Only Sign <only.sign@example.org>', 'ed25519', 'cert,sign', '1y']);
  const onlySign = execFileSync('gpg', ['--batch', '--armor', '--export', 'only.sign@example.org'], { env: { ...process.env, GNUPGHOME: home }, encoding: 'utf8' });
  await assert.rejects(encryptAndSign({ text: 'x', recipientsArmored: [onlySign], signingKey: cadre }));
  await assert.rejects(encryptAndSign({ text: 'x', recipientsArmored: [], signingKey: cadre }), /at least one recipient/);
});

test('GnuPG verifies the cleartext signature, and refuses it once a word changes', async () => {
  const text = 'Dear colleague,\n\nThe communication check of 25 November 2026 is open.\n-- \nCadre\n';
  const signed = await signCleartext(text, cadre);
  assert.match(signed, /^-----BEGIN PGP SIGNED MESSAGE-----/);
  const run = gpg(['--output', join(home, 'clear.txt'), '--verify', file('clear.asc', signed)]);
  assert.equal(run.code, 0, run.stderr);
  assertSignedByCadre(run.status);
  const forged = gpg(['--verify', file('forged.asc', signed.replace('25 November', '26 November'))]);
  assert.notEqual(forged.code, 0);
  assert.match(forged.status, /^\[GNUPG:\] BADSIG /m);
});

test('PGP/MIME signed (RFC 3156): GnuPG verifies the detached signature over the part’s exact bytes; micalg names the hash', async () => {
  const text = body4k();
  const entity = await pgpMimeSigned(text, cadre);
  assert.match(entity.contentType, /^multipart\/signed; boundary="cadre-[0-9a-f]+"; protocol="application\/pgp-signature"; micalg=pgp-sha(256|384|512)$/);
  assert.ok(/^[\x20-\x7e\r\n]*$/.test(entity.body), '7-bit');
  assert.doesNotMatch(entity.body.replace(/\r\n/g, ''), /\n|\r/, 'CRLF only');
  const [part, signature] = signedParts(entity);
  assert.equal(part, textPart(text));
  assert.equal(Buffer.from(part.split('\r\n\r\n')[1]!.replace(/\r\n/g, ''), 'base64').toString('utf8'), text.replace(/\n/g, '\r\n'));
  const run = gpg(['--verify', file('mime.sig', signature), file('mime.part', part)]);
  assert.equal(run.code, 0, run.stderr);
  assertSignedByCadre(run.status);
  // VALIDSIG: fingerprint, date, time, expiry, version, reserved, public-key algorithm, then the hash algorithm: 8 sha256, 9 sha384, 10 sha512 (RFC 9580 §9.5).
  const hashId = run.status.match(/VALIDSIG (?:\S+ ){7}(\d+)/)![1]!;
  assert.equal(`pgp-sha${{ '8': '256', '9': '384', '10': '512' }[hashId]}`, /micalg=(\S+)$/.exec(entity.contentType)![1]);
  const forged = gpg(['--verify', file('mime.sig', signature), file('mime-forged.part', `${part}\r\n`)]);
  assert.match(forged.status, /^\[GNUPG:\] BADSIG /m, 'one more line end breaks it');
});

test('PGP/MIME encrypted (RFC 3156): GnuPG opens the part and finds the signed text entity', async () => {
  const text = 'Confidential: the incident report follows.\n';
  const entity = await pgpMimeEncrypted({ text, recipientsArmored: [recipients[1]!.armored], signingKey: cadre });
  assert.match(entity.contentType, /^multipart\/encrypted; boundary="cadre-[0-9a-f]+"; protocol="application\/pgp-encrypted"$/);
  assert.match(entity.body, /Content-Type: application\/pgp-encrypted\r\n.*\r\n\r\nVersion: 1\r\n/);
  const armored = /-----BEGIN PGP MESSAGE-----[\s\S]*-----END PGP MESSAGE-----/.exec(entity.body)![0];
  const out = join(home, 'mime-enc.txt');
  const run = gpg(['--output', out, '--decrypt', file('mime-enc.asc', armored)]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(out, 'utf8'), textPart(text));
  assertSignedByCadre(run.status);
});

test('benchmark: encrypting and signing a 4 KB body to 3 recipient keys', async () => {
  const text = body4k();
  const keys = recipients.map((r) => r.armored);
  await encryptAndSign({ text, recipientsArmored: keys, signingKey: cadre }); // warm-up
  const times: number[] = [];
  let last = '';
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    last = await encryptAndSign({ text, recipientsArmored: keys, signingKey: cadre });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const median = times[10]!;
  console.log(`encrypt+sign 4 KB to 3 recipient keys: median ${median.toFixed(1)} ms, min ${times[0]!.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms (20 runs, key parsing included)`);
  // Each of the three keys can open it: three public-key encrypted session key packets, one per encryption subkey.
  const packets = gpg(['--list-packets', file('bench.asc', last)]).status;
  const subkeys = recipients.map((r) => gpg(['--with-colons', '--list-keys', r.fpr]).status.split('\n').filter((l) => l.startsWith('sub:')).map((l) => l.split(':')[4]!));
  for (const [id] of subkeys) assert.match(packets, new RegExp(`pubkey enc packet: version 3, algo 18, keyid ${id}`), packets);
  const out = join(home, 'bench.txt');
  const run = gpg(['--output', out, '--decrypt', file('bench.asc', last)]);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(readFileSync(out, 'utf8'), text);
});
