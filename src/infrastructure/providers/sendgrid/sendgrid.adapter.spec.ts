import { classifySendgrid } from './sendgrid.adapter';

const headers = (values: Record<string, string>) => ({ get: (name: string) => values[name.toLowerCase()] ?? null });
const errors = (message: string, field: string | null = null) => ({ errors: [{ message, field, help: null }] });

describe('SendGrid Mail Send answer classification', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('a 429 is transient and waits for Retry-After, else for the end of the rate-limit period (X-RateLimit-Reset)', () => {
    expect(classifySendgrid(429, errors('too many requests'), headers({ 'retry-after': '7', 'x-ratelimit-reset': String(now / 1000 + 60) }), now)).toEqual({
      outcome: 'transient',
      code: 'sendgrid_429',
      message: 'too many requests',
      retryAfterMs: 7000,
    });
    expect(classifySendgrid(429, errors('too many requests'), headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 42) }), now)).toMatchObject({
      outcome: 'transient',
      retryAfterMs: 42_000,
    });
    expect(classifySendgrid(429, null, headers({}), now)).toEqual({ outcome: 'transient', code: 'sendgrid_429', message: 'HTTP 429', retryAfterMs: undefined });
  });

  it('5xx is transient, and counts against the provider (no recipient scope)', () => {
    for (const status of [500, 502, 503]) {
      const result = classifySendgrid(status, errors('internal error'), headers({ 'retry-after': '3' }), now);
      expect(result).toEqual({ outcome: 'transient', code: `sendgrid_${status}`, message: 'internal error', retryAfterMs: 3000 });
      expect('scope' in result).toBe(false);
    }
  });

  it('400 and 413 are permanent, naming the refused field', () => {
    expect(classifySendgrid(400, errors('Does not contain a valid address.', 'personalizations.0.to'), headers({ 'retry-after': '5' }), now)).toEqual({
      outcome: 'permanent',
      code: 'sendgrid_400',
      message: 'personalizations.0.to: Does not contain a valid address.',
    });
    expect(classifySendgrid(413, errors('The JSON payload you have included in your request is too large.'), headers({}), now)).toMatchObject({ outcome: 'permanent', code: 'sendgrid_413' });
    expect(classifySendgrid(404, null, headers({}), now)).toEqual({ outcome: 'permanent', code: 'sendgrid_404', message: 'HTTP 404' });
  });

  it('401 (key) and 403 (sender identity) are about the account, not the message: transient, so the router fails over', () => {
    expect(classifySendgrid(401, errors('The provided authorization grant is invalid, expired, or revoked'), headers({}), now)).toMatchObject({ outcome: 'transient', code: 'sendgrid_401' });
    expect(classifySendgrid(403, errors('The from address does not match a verified Sender Identity.', 'from'), headers({}), now)).toMatchObject({
      outcome: 'transient',
      code: 'sendgrid_403',
      message: 'from: The from address does not match a verified Sender Identity.',
    });
  });
});
