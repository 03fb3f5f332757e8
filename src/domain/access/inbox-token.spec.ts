import { createHmac } from 'node:crypto';
import { createInboxToken } from '../../../packages/sdk/src/server';
import { INBOX_TOKEN_CLOCK_SKEW_SECONDS, INBOX_TOKEN_MAX_LIFETIME_SECONDS, isInboxToken, signInboxToken, verifyInboxToken } from './inbox-token';

const secret = 'k'.repeat(32);
const now = new Date('2026-06-01T12:00:00Z');
const inSeconds = (s: number) => new Date(now.getTime() + s * 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** A token signed correctly over any payload: what a holder of the secret could make. */
const signed = (payloadPart: string, key = secret) => `hut1.${payloadPart}.${createHmac('sha256', key).update(`hut1.${payloadPart}`).digest('base64url')}`;

describe('user tokens', () => {
  it('round-trip: the format is hut1.<base64url JSON {sub, exp, scope}>.<base64url HMAC-SHA256 over "hut1." + payload>', () => {
    const token = signInboxToken({ secret, userId: 'u-42', expiresAt: inSeconds(3600) });
    const [prefix, payload, signature] = token.split('.');
    expect(prefix).toBe('hut1');
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))).toEqual({ sub: 'u-42', exp: now.getTime() / 1000 + 3600, scope: 'inbox' });
    expect(signature).toBe(createHmac('sha256', secret).update(`hut1.${payload}`).digest('base64url'));
    expect(verifyInboxToken(token, secret, now)).toEqual({ valid: true, userId: 'u-42', expiresAt: inSeconds(3600) });
    expect(isInboxToken(token)).toBe(true);
    expect(isInboxToken(`hk_live_${'x'.repeat(30)}`)).toBe(false);
  });

  it('the SDK mints the same token, and Herald accepts it', async () => {
    const minted = await createInboxToken({ secret, userId: 'u-42', expiresInSeconds: 600, now });
    expect(minted).toEqual({ token: signInboxToken({ secret, userId: 'u-42', expiresAt: inSeconds(600) }), expiresAt: inSeconds(600) });
    expect(verifyInboxToken(minted.token, secret, now)).toMatchObject({ valid: true, userId: 'u-42' });
    await expect(createInboxToken({ secret, userId: 'u-42', expiresInSeconds: INBOX_TOKEN_MAX_LIFETIME_SECONDS + 1 })).rejects.toThrow(RangeError);
    await expect(createInboxToken({ secret: 'short', userId: 'u-42' })).rejects.toThrow(/32 bytes/);
    await expect(createInboxToken({ secret, userId: 'has space' })).rejects.toThrow(/printable/);
  });

  it('refuses a changed payload, a changed signature, another secret and another version prefix', () => {
    const token = signInboxToken({ secret, userId: 'u-42', expiresAt: inSeconds(3600) });
    const [, payload, signature] = token.split('.');
    const forged = b64({ sub: 'u-43', exp: now.getTime() / 1000 + 3600, scope: 'inbox' });
    expect(verifyInboxToken(`hut1.${forged}.${signature}`, secret, now)).toEqual({ valid: false, problem: 'tampered' });
    const flipped = signature.slice(0, -1) + (signature.endsWith('A') ? 'B' : 'A');
    expect(verifyInboxToken(`hut1.${payload}.${flipped}`, secret, now)).toEqual({ valid: false, problem: 'tampered' });
    expect(verifyInboxToken(`hut1.${payload}.${signature.slice(0, 20)}`, secret, now)).toEqual({ valid: false, problem: 'tampered' });
    expect(verifyInboxToken(token, 'j'.repeat(32), now)).toEqual({ valid: false, problem: 'tampered' });
    expect(verifyInboxToken(signInboxToken({ secret: 'j'.repeat(32), userId: 'u-42', expiresAt: inSeconds(60) }), secret, now)).toEqual({ valid: false, problem: 'tampered' });
    // The prefix is signed: the same payload and signature under another version do not verify.
    expect(verifyInboxToken(`hut2.${payload}.${signature}`, secret, now)).toEqual({ valid: false, problem: 'malformed' });
    const unprefixed = createHmac('sha256', secret).update(payload).digest('base64url');
    expect(verifyInboxToken(`hut1.${payload}.${unprefixed}`, secret, now)).toEqual({ valid: false, problem: 'tampered' });
  });

  it('refuses malformed tokens before or after the signature, whatever their shape', () => {
    for (const garbage of ['', 'hut1.', 'hut1..', 'hut1.abc', 'hut1.a.b.c', 'hut1.a+b.c', `hut1.${b64({})}.not base64`, 'Bearer hut1.a.b']) {
      expect(verifyInboxToken(garbage, secret, now)).toMatchObject({ valid: false });
    }
    // Correctly signed, but not a claim Herald makes: another scope, no subject, a fractional or string expiry, not JSON.
    const exp = now.getTime() / 1000 + 60;
    for (const payload of [
      b64({ sub: 'u-42', exp, scope: 'admin' }),
      b64({ exp, scope: 'inbox' }),
      b64({ sub: 'u 42', exp, scope: 'inbox' }),
      b64({ sub: 'u-42', exp: exp + 0.5, scope: 'inbox' }),
      b64({ sub: 'u-42', exp: String(exp), scope: 'inbox' }),
      b64([1, 2]),
      Buffer.from('not json').toString('base64url'),
    ]) {
      expect(verifyInboxToken(signed(payload), secret, now)).toEqual({ valid: false, problem: 'malformed' });
    }
  });

  it('enforces the expiry, with the clock skew allowed', () => {
    const expiredWithinSkew = signInboxToken({ secret, userId: 'u-42', expiresAt: inSeconds(-INBOX_TOKEN_CLOCK_SKEW_SECONDS + 1) });
    expect(verifyInboxToken(expiredWithinSkew, secret, now)).toMatchObject({ valid: true });
    const expired = signInboxToken({ secret, userId: 'u-42', expiresAt: inSeconds(-INBOX_TOKEN_CLOCK_SKEW_SECONDS - 1) });
    expect(verifyInboxToken(expired, secret, now)).toEqual({ valid: false, problem: 'expired' });
  });

  it('refuses a token meant to live longer than 24 h, even correctly signed', () => {
    const day = signInboxToken({ secret, userId: 'u-42', expiresAt: inSeconds(INBOX_TOKEN_MAX_LIFETIME_SECONDS) });
    expect(verifyInboxToken(day, secret, now)).toMatchObject({ valid: true });
    const longer = signInboxToken({ secret, userId: 'u-42', expiresAt: inSeconds(INBOX_TOKEN_MAX_LIFETIME_SECONDS + INBOX_TOKEN_CLOCK_SKEW_SECONDS + 1) });
    expect(verifyInboxToken(longer, secret, now)).toEqual({ valid: false, problem: 'too_long_lived' });
  });
});
