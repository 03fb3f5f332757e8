import type { RecipientProfile } from '../recipient/recipient-profile';
import { decidePreference, emptyPreferences, hasAddressFor, type Category } from './preference-policy';

const marketing: Category = { name: 'marketing', description: '', critical: false, channelDefaults: { sms: false } };
const security: Category = { name: 'security', description: '', critical: true, channelDefaults: {} };

describe('decidePreference', () => {
  it('allows by default and follows the category default when the user said nothing', () => {
    const prefs = emptyPreferences('u-1');
    expect(decidePreference('marketing', marketing, prefs, 'email')).toEqual({ allowed: true });
    expect(decidePreference('marketing', marketing, prefs, 'sms')).toMatchObject({ allowed: false, reason: expect.stringContaining('off by default') });
  });

  it('lets a user choice override the default, per channel', () => {
    const prefs = { ...emptyPreferences('u-1'), categories: { marketing: { email: false, sms: true } } };
    expect(decidePreference('marketing', marketing, prefs, 'email')).toMatchObject({ allowed: false, reason: expect.stringContaining('turned off email') });
    expect(decidePreference('marketing', marketing, prefs, 'sms')).toEqual({ allowed: true });
    expect(decidePreference('marketing', marketing, prefs, 'push')).toEqual({ allowed: true });
  });

  it('applies a global channel opt-out to every non-critical category, including none', () => {
    const prefs = { ...emptyPreferences('u-1'), optedOutChannels: ['email' as const] };
    expect(decidePreference('marketing', marketing, prefs, 'email')).toMatchObject({ allowed: false, reason: expect.stringContaining('opted out of email') });
    expect(decidePreference(null, null, prefs, 'email')).toMatchObject({ allowed: false });
    expect(decidePreference('undeclared', null, prefs, 'push')).toEqual({ allowed: true });
  });

  it('sends critical categories whatever the opt-outs say', () => {
    const prefs = { userId: 'u-1', optedOutChannels: ['email' as const], categories: { security: { email: false } } };
    expect(decidePreference('security', security, prefs, 'email')).toEqual({ allowed: true });
  });
});

describe('hasAddressFor', () => {
  const profile: RecipientProfile = {
    userId: 'u-1',
    email: null,
    phone: '+14155550100',
    locale: null,
    timezone: null,
    deviceTokens: [{ token: 't', platform: 'apns' }],
    chatDestinations: [{ type: 'slack', url: 'https://hooks.slack.com/x', enabled: false }],
    attributes: {},
  };

  it('looks at the request first, then at the profile, per channel', () => {
    expect(hasAddressFor('email', {}, profile)).toBe(false);
    expect(hasAddressFor('email', { email: 'a@example.com' }, profile)).toBe(true);
    expect(hasAddressFor('sms', {}, profile)).toBe(true);
    expect(hasAddressFor('push', {}, profile)).toBe(true);
    expect(hasAddressFor('webpush', {}, profile)).toBe(false);
    expect(hasAddressFor('chat', {}, profile)).toBe(false);
    expect(hasAddressFor('inapp', {}, profile)).toBe(true);
    expect(hasAddressFor('inapp', { email: 'a@example.com' }, null)).toBe(false);
  });
});
