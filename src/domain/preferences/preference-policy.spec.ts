import { decidePreference, emptyPreferences, type Category } from './preference-policy';

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
