import { authenticator } from 'otplib';
import { randomBytes } from 'node:crypto';
import { sha256Hex } from './crypto.ts';

// RFC 6238 defaults (30 s, 6 digits, SHA-1) that every authenticator app reads; one step of clock drift allowed.
authenticator.options = { window: 1 };

export function newTotpSecret(): string {
  return authenticator.generateSecret(20);
}

export function totpUri(secret: string, email: string, issuer = 'Cadre'): string {
  return authenticator.keyuri(email, issuer, secret);
}

export function currentTotp(secret: string): string {
  return authenticator.generate(secret);
}

/** The code of a neighbouring time step (-1 previous, +1 next): what a slightly fast or slow clock shows. */
export function totpAt(secret: string, offsetSteps: number): string {
  return authenticator.clone({ epoch: Date.now() + offsetSteps * 30_000 }).generate(secret);
}

export function checkTotp(secret: string, code: string): boolean {
  return totpStep(secret, code) !== null;
}

/** The 30-second time step the code belongs to, or null when it matches none in the window. */
export function totpStep(secret: string, code: string): number | null {
  const digits = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(digits)) return null;
  try {
    const delta = authenticator.checkDelta(digits, secret);
    return delta === null ? null : Math.floor(Date.now() / 30_000) + delta;
  } catch {
    return null;
  }
}

/** Ten single-use recovery codes, shown once, stored hashed. Format xxxxx-xxxxx (lower-case base32). */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const chars = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function hashRecoveryCode(code: string): string {
  return sha256Hex(`recovery:${normaliseRecoveryCode(code)}`);
}
