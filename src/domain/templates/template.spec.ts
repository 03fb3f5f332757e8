import { localeChain, missingVariables, pickVariants, type TemplateVersion } from './template';

const template: TemplateVersion = {
  id: 't',
  key: 'order-shipped',
  version: 1,
  description: '',
  defaultLocale: 'en',
  variables: ['orderId', 'name'],
  locales: {
    en: { email: { subject: 'Shipped', text: 'hi' }, sms: { text: 'en sms' } },
    fr: { email: { subject: 'Expédié', text: 'salut' } },
  },
  createdAt: new Date(),
};

describe('template locale fallback', () => {
  it('tries the exact locale, then its language, then the default', () => {
    expect(localeChain(['en', 'fr', 'fr-CA'], 'fr-CA', 'en')).toEqual(['fr-CA', 'fr', 'en']);
    expect(localeChain(['en', 'fr'], 'fr-BE', 'en')).toEqual(['fr', 'en']);
    expect(localeChain(['en', 'fr'], 'de', 'en')).toEqual(['en']);
    expect(localeChain(['en', 'fr'], undefined, 'en')).toEqual(['en']);
  });

  it('falls back per channel when a locale lacks a variant', () => {
    const picked = pickVariants(template, ['email', 'sms'], 'fr');
    expect(picked.email?.locale).toBe('fr');
    expect(picked.sms?.locale).toBe('en');
  });

  it('names every declared variable that is missing', () => {
    expect(missingVariables(template, { orderId: 'o-1' })).toEqual(['name']);
    expect(missingVariables(template, { orderId: 'o-1', name: 'Ada' })).toEqual([]);
  });
});
