import { createHmac } from 'node:crypto';
import { safeEqual } from '../../auth/crypto.ts';

// A check's acknowledgement token: the target's id (32 hex digits, the UUID without dashes) and an
// HMAC-SHA-256 over it and its campaign under CADRE_SECRET (32 hex digits). Lower-case hex only, so
// it survives e-mail addresses (`check+TOKEN@…`) and URLs unchanged. Nothing is stored: the target
// row says whether it was used, the campaign when it expires.

const MAC_HEX = 32;

function mac(secret: Buffer, targetId: string, campaignId: string): string {
  return createHmac('sha256', secret).update(`cadre/check-ack/v1/${targetId}/${campaignId}`).digest('hex').slice(0, MAC_HEX);
}

export function checkToken(secret: Buffer, targetId: string, campaignId: string): string {
  return `${targetId.replace(/-/g, '')}${mac(secret, targetId, campaignId)}`;
}

/** The target id a token names, if it is well formed (whether it is genuine needs its campaign). */
export function targetIdOf(token: string): string | null {
  if (!/^[0-9a-f]{64}$/.test(token)) return null;
  const h = token.slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Constant-time check that the token was made by this installation for this target and campaign. */
export function tokenIsGenuine(secret: Buffer, token: string, targetId: string, campaignId: string): boolean {
  return safeEqual(token.slice(32), mac(secret, targetId, campaignId));
}
