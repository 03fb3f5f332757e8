import { createHmac, timingSafeEqual } from 'node:crypto';
import { PRINTABLE_ID_PATTERN } from '../notification/patterns';

/**
 * A user token lets a browser read and change one user's inbox, and nothing else:
 * `hut1.<base64url(JSON {"sub","exp","scope":"inbox"})>.<base64url(HMAC-SHA256(secret, "hut1." + payload))>`.
 * The version prefix is signed too, so a token cannot be passed off as another format. There is no issued-at:
 * a token whose expiry is further than the longest lifetime from now is refused, so none lives longer than that.
 */
export const INBOX_TOKEN_PREFIX = 'hut1.';
export const INBOX_TOKEN_SCOPE = 'inbox';
export const INBOX_TOKEN_MAX_LIFETIME_SECONDS = 86_400;
export const INBOX_TOKEN_DEFAULT_LIFETIME_SECONDS = 3_600;
/** How far the clocks of the server that minted a token and the one checking it may disagree. */
export const INBOX_TOKEN_CLOCK_SKEW_SECONDS = 60;
/** INBOX_TOKEN_SECRET's shortest length, in bytes (UTF-8). */
export const INBOX_TOKEN_SECRET_MIN_BYTES = 32;

export type InboxTokenCheck =
  | { valid: true; userId: string; expiresAt: Date }
  | { valid: false; problem: 'malformed' | 'tampered' | 'expired' | 'too_long_lived' };

/** Whether a bearer credential is meant as a user token (API keys never start this way). */
export function isInboxToken(credential: string): boolean {
  return credential.startsWith(INBOX_TOKEN_PREFIX);
}

export function signInboxToken(input: { secret: string; userId: string; expiresAt: Date }): string {
  const payload = Buffer.from(JSON.stringify({ sub: input.userId, exp: Math.floor(input.expiresAt.getTime() / 1000), scope: INBOX_TOKEN_SCOPE })).toString('base64url');
  return `${INBOX_TOKEN_PREFIX}${payload}.${mac(payload, input.secret).toString('base64url')}`;
}

export function verifyInboxToken(token: string, secret: string, now: Date): InboxTokenCheck {
  if (!isInboxToken(token)) return { valid: false, problem: 'malformed' };
  const parts = token.slice(INBOX_TOKEN_PREFIX.length).split('.');
  if (parts.length !== 2 || !BASE64URL.test(parts[0]) || !BASE64URL.test(parts[1])) return { valid: false, problem: 'malformed' };
  const [payload, signature] = parts;
  const expected = mac(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  // Compared in constant time, and only once the signature is known good is the payload read.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { valid: false, problem: 'tampered' };
  let claim: unknown;
  try {
    claim = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { valid: false, problem: 'malformed' };
  }
  if (!isClaim(claim)) return { valid: false, problem: 'malformed' };
  const nowSeconds = now.getTime() / 1000;
  if (claim.exp + INBOX_TOKEN_CLOCK_SKEW_SECONDS < nowSeconds) return { valid: false, problem: 'expired' };
  if (claim.exp - nowSeconds > INBOX_TOKEN_MAX_LIFETIME_SECONDS + INBOX_TOKEN_CLOCK_SKEW_SECONDS) return { valid: false, problem: 'too_long_lived' };
  return { valid: true, userId: claim.sub, expiresAt: new Date(claim.exp * 1000) };
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

function isClaim(value: unknown): value is { sub: string; exp: number; scope: string } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const { sub, exp, scope } = value as Record<string, unknown>;
  return typeof sub === 'string' && PRINTABLE_ID_PATTERN.test(sub) && typeof exp === 'number' && Number.isInteger(exp) && scope === INBOX_TOKEN_SCOPE;
}

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${INBOX_TOKEN_PREFIX}${payload}`).digest();
}
