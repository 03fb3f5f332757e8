import { catalogueFor, registerCatalogue, resolveLocale } from '../../packages/inbox/src/i18n';
import { relativeTime } from '../../packages/inbox/src/relative-time';
import { tokenClaims, TokenSource } from '../../packages/inbox/src/token';

describe('<herald-inbox> parts that need no browser', () => {
  it('says how long ago, in the locale, in the largest whole unit', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    const ago = (seconds: number, locale = 'en') => relativeTime(new Date(now.getTime() - seconds * 1000), now, locale);
    expect(ago(10)).toBe('now');
    expect(ago(5 * 60)).toBe('5 minutes ago');
    expect(ago(3 * 3600)).toBe('3 hours ago');
    expect(ago(26 * 3600)).toBe('yesterday');
    expect(ago(3 * 3600, 'de')).toBe('vor 3 Stunden');
    expect(ago(10, 'de')).toBe('jetzt');
  });

  it('picks the catalogue by locale, then language, then English; a registered one fills its gaps from English', () => {
    expect(catalogueFor('de-AT').markAllRead).toBe('Alle als gelesen markieren');
    expect(catalogueFor('fr').markAllRead).toBe('Mark all as read');
    expect(catalogueFor('de').bell(3)).toBe('Benachrichtigungen, 3 ungelesen');
    registerCatalogue('fr', { markAllRead: 'Tout marquer comme lu' });
    expect(catalogueFor('fr-CA').markAllRead).toBe('Tout marquer comme lu');
    expect(catalogueFor('fr').archive).toBe('Archive');
    expect(resolveLocale(null, 'de', 'en-US')).toBe('de');
    expect(resolveLocale('de', 'en', 'en-US')).toBe('de');
    expect(resolveLocale('not a tag!', '', undefined)).toBe('en');
  });

  it('reads whose token it is and when it expires, and nothing from what is not a user token', () => {
    const payload = Buffer.from(JSON.stringify({ sub: 'u-42', exp: 1_900_000_000, scope: 'inbox' })).toString('base64url');
    expect(tokenClaims(`hut1.${payload}.c2ln`)).toEqual({ sub: 'u-42', expiresAt: new Date(1_900_000_000_000) });
    expect(tokenClaims('hk_live_abc')).toEqual({ sub: null, expiresAt: null });
    expect(tokenClaims('hut1.!!.x')).toEqual({ sub: null, expiresAt: null });
  });

  describe('the token source', () => {
    const token = (sub: string, expiresInSeconds: number) =>
      `hut1.${Buffer.from(JSON.stringify({ sub, exp: Math.floor(Date.now() / 1000) + expiresInSeconds, scope: 'inbox' })).toString('base64url')}.c2ln`;

    it('asks the provider once for all who wait, and keeps the token until it nears its expiry', async () => {
      const renewed: string[] = [];
      const source = new TokenSource((t) => renewed.push(t));
      let calls = 0;
      source.provider = async () => {
        calls++;
        await new Promise((r) => setTimeout(r, 10));
        return { token: token('u-1', calls === 1 ? 20 : 3600) };
      };
      const [a, b, c] = await Promise.all([source.get(), source.get(), source.get()]);
      expect(calls).toBe(1);
      expect(new Set([a, b, c]).size).toBe(1);
      // Its payload says it expires in 20 s: within the margin, so the next call renews it.
      const next = await source.get();
      expect(calls).toBe(2);
      expect(next).not.toBe(a);
      expect(await source.get()).toBe(next);
      expect(calls).toBe(2);
      expect(renewed).toEqual([a, next]);
    });

    it('takes an expiry the provider gives over the payload, renews on demand, and fails without token or provider', async () => {
      const source = new TokenSource();
      let calls = 0;
      source.provider = async () => ({ token: token('u-1', 3600), expiresAt: new Date(Date.now() + 5_000 + calls++) });
      await source.get();
      await source.get();
      expect(calls).toBe(2);
      await source.renew();
      expect(calls).toBe(3);
      const given = new TokenSource();
      given.set(token('u-2', 10));
      // Without a provider, the given token is used as long as there is one.
      expect(await given.get()).toMatch(/^hut1\./);
      await expect(new TokenSource().get()).rejects.toThrow('No user token');
      const failing = new TokenSource();
      failing.provider = async () => ({ token: '' });
      await expect(failing.get()).rejects.toThrow('The token provider returned no token.');
    });
  });
});
