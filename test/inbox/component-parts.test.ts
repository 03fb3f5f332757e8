import { catalogueFor, registerCatalogue, resolveLocale } from '../../packages/inbox/src/i18n';
import { relativeTime } from '../../packages/inbox/src/relative-time';
import { tokenClaims } from '../../packages/inbox/src/token';

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
});
