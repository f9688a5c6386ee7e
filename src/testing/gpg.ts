import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReceivedMail } from './smtp.ts';

/**
 * Real GnuPG in a home of its own, as a point of contact would run it: imports Cadre's published
 * key, verifies PGP/MIME signatures over the exact bytes received, decrypts. `close()` stops its
 * agent and removes the home.
 */
export class Gpg {
  readonly home = mkdtempSync(join(tmpdir(), 'cadre-gpg-'));
  private n = 0;

  run(args: string[], input?: string): { status: string; stderr: string; code: number | null } {
    const run = spawnSync('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--status-fd', '1', ...args], { env: this.env(), encoding: 'utf8', ...(input === undefined ? {} : { input }) });
    return { status: run.stdout, stderr: run.stderr, code: run.status };
  }

  /** A file in the home holding `content`, for gpg's arguments. */
  file(content: string): string {
    const path = join(this.home, `f${++this.n}`);
    writeFileSync(path, content);
    return path;
  }

  importKey(armored: string): void {
    const imported = this.run(['--import'], armored);
    assert.equal(imported.code, 0, imported.stderr);
  }

  /** A key pair made by GnuPG (sign + encryption subkey), exported armored. */
  makeKey(uid: string): string {
    this.run(['--quick-gen-key', uid, 'ed25519', 'cert,sign', '1y']);
    const fpr = /^fpr:(?:[^:]*:){8}([0-9A-F]{40}):/m.exec(this.run(['--with-colons', '--list-keys', uid]).status)![1]!;
    this.run(['--quick-add-key', fpr, 'cv25519', 'encr', '1y']);
    return execFileSync('gpg', ['--batch', '--armor', '--export', fpr], { env: this.env(), encoding: 'utf8' });
  }

  /** Decrypts an armored message to the text of its MIME entity; returns gpg's status lines too. */
  decrypt(armored: string): { status: string; entity: string } {
    const out = join(this.home, `decrypted-${++this.n}.txt`);
    const run = this.run(['--output', out, '--decrypt', this.file(armored)]);
    assert.equal(run.code, 0, run.stderr);
    return { status: run.status, entity: readFileSync(out, 'utf8') };
  }

  /**
   * A multipart/signed mail (RFC 3156): GnuPG verifies the detached signature over the first part's
   * exact bytes and it must be a good signature by `fingerprint`. Returns the signed part.
   */
  verifySignedMail(mail: ReceivedMail, fingerprint: string): string {
    const cut = mail.raw.indexOf('\r\n\r\n');
    const headers = mail.raw.slice(0, cut);
    assert.match(headers, /^Content-Type: multipart\/signed; .*protocol="application\/pgp-signature"/m);
    const b = /boundary="([^"]+)"/.exec(headers)![1]!;
    const parts = mail.raw.slice(cut + 4).split(`\r\n--${b}`);
    const part = parts[1]!.replace(/^\r\n/, '');
    const signature = parts[2]!.slice(parts[2]!.indexOf('\r\n\r\n') + 4);
    const run = this.run(['--verify', this.file(signature), this.file(part)]);
    assert.equal(run.code, 0, run.stderr);
    assertSignedBy(run.status, fingerprint);
    return part;
  }

  close(): void {
    spawnSync('gpgconf', ['--kill', 'gpg-agent'], { env: this.env() });
    rmSync(this.home, { recursive: true, force: true });
  }

  private env() {
    return { ...process.env, GNUPGHOME: this.home };
  }
}

/** gpg's status lines say: a good, valid signature by this key, and nothing bad. */
export function assertSignedBy(status: string, fingerprint: string): void {
  assert.match(status, new RegExp(`^\\[GNUPG:\\] GOODSIG ${fingerprint.slice(-16)} `, 'm'), status);
  assert.match(status, new RegExp(`^\\[GNUPG:\\] VALIDSIG ${fingerprint} `, 'm'), status);
  assert.doesNotMatch(status, /BADSIG|ERRSIG/);
}

/** The decoded text of a base64 text part ("Content-Type…\r\n\r\n<base64>"). */
export function base64Body(part: string): string {
  return Buffer.from(part.split('\r\n\r\n')[1]!.replace(/\r\n/g, ''), 'base64').toString('utf8');
}
