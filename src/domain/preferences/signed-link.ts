import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Channel } from '../notification/channel';

/**
 * What a link lets its holder do, without logging in. An unsubscribe link names the notification it was sent
 * with (`notificationId`), so that using it marks that notification `unsubscribed`; links signed before it did
 * carry none and still change the preference.
 */
export type LinkClaim =
  | { purpose: 'unsubscribe'; userId: string | null; address: string | null; category: string | null; channel: Channel; notificationId?: string | null }
  | { purpose: 'preferences'; userId: string };

export type LinkCheck = { valid: true; claim: LinkClaim } | { valid: false; problem: 'tampered' | 'expired' };

/** A token `<payload>.<HMAC-SHA256>`, base64url; the payload carries its expiry. */
export function signLink(claim: LinkClaim, secret: string, expiresAt: Date): string {
  const payload = Buffer.from(JSON.stringify({ ...claim, exp: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

export function verifyLink(token: string, secret: string, now: Date): LinkCheck {
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return { valid: false, problem: 'tampered' };
  const expected = Buffer.from(mac(payload, secret));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { valid: false, problem: 'tampered' };
  let parsed: LinkClaim & { exp: number };
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LinkClaim & { exp: number };
  } catch {
    return { valid: false, problem: 'tampered' };
  }
  if (typeof parsed.exp !== 'number' || parsed.exp * 1000 < now.getTime()) return { valid: false, problem: 'expired' };
  const { exp: _exp, ...claim } = parsed;
  return { valid: true, claim };
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
