import { signLink, verifyLink, type LinkClaim } from './signed-link';

const claim: LinkClaim = { purpose: 'unsubscribe', userId: 'u-1', address: null, category: 'news', channel: 'email' };
const secret = 's'.repeat(32);
const now = new Date('2026-01-01T00:00:00Z');

describe('signed links', () => {
  it('round-trips a claim before it expires', () => {
    const token = signLink(claim, secret, new Date(now.getTime() + 60_000));
    expect(verifyLink(token, secret, now)).toEqual({ valid: true, claim });
  });

  it('refuses a changed payload, a changed signature and another secret', () => {
    const token = signLink(claim, secret, new Date(now.getTime() + 60_000));
    const [payload, sig] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...claim, userId: 'u-2', exp: 9_999_999_999 })).toString('base64url');
    expect(verifyLink(`${forged}.${sig}`, secret, now)).toEqual({ valid: false, problem: 'tampered' });
    expect(verifyLink(`${payload}.${sig.slice(0, -2)}xx`, secret, now)).toEqual({ valid: false, problem: 'tampered' });
    expect(verifyLink(token, 't'.repeat(32), now)).toEqual({ valid: false, problem: 'tampered' });
    expect(verifyLink('garbage', secret, now)).toEqual({ valid: false, problem: 'tampered' });
  });

  it('refuses an expired link', () => {
    const token = signLink(claim, secret, new Date(now.getTime() - 1000));
    expect(verifyLink(token, secret, now)).toEqual({ valid: false, problem: 'expired' });
  });

  it('carries the notification of an unsubscribe link; a link signed without one still verifies, naming none', () => {
    const withNotification: LinkClaim = { ...claim, notificationId: '0193a1b2-7c4d-7e8f-9a0b-1c2d3e4f5a6b' };
    const token = signLink(withNotification, secret, new Date(now.getTime() + 60_000));
    expect(verifyLink(token, secret, now)).toEqual({ valid: true, claim: withNotification });
    const older = signLink(claim, secret, new Date(now.getTime() + 60_000));
    const check = verifyLink(older, secret, now);
    expect(check.valid && check.claim.purpose === 'unsubscribe' ? check.claim.notificationId : 'missing').toBeUndefined();
  });
});
