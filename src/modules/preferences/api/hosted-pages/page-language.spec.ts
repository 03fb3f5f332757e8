import { CHANNELS } from '../../../../domain/notification/channel';
import { de } from './catalogues/de';
import { en } from './catalogues/en';
import { acceptedLanguages, choosePageLanguage, PAGE_CATALOGUES, pageStrings } from './page-language';

describe('the language of a hosted page', () => {
  it("takes the recipient's profile locale first, whatever the browser asks for", () => {
    expect(choosePageLanguage({ profileLocale: 'de', acceptLanguage: 'en-US,en;q=0.9' })).toBe('de');
    expect(choosePageLanguage({ profileLocale: 'en', acceptLanguage: 'de' })).toBe('en');
  });

  it('matches a regional profile locale by its language, in any case and with either separator', () => {
    expect(choosePageLanguage({ profileLocale: 'de-AT' })).toBe('de');
    expect(choosePageLanguage({ profileLocale: 'DE_ch' })).toBe('de');
    expect(choosePageLanguage({ profileLocale: 'en-GB', acceptLanguage: 'de' })).toBe('en');
  });

  it('falls back to Accept-Language when the profile has no locale, or one without a catalogue', () => {
    expect(choosePageLanguage({ profileLocale: null, acceptLanguage: 'de-DE,de;q=0.9,en;q=0.8' })).toBe('de');
    expect(choosePageLanguage({ profileLocale: 'fr-CA', acceptLanguage: 'fr-CA, de;q=0.5' })).toBe('de');
    expect(choosePageLanguage({ acceptLanguage: 'de' })).toBe('de');
  });

  it('follows the browser in order of weight, not of writing', () => {
    expect(choosePageLanguage({ acceptLanguage: 'en;q=0.3, de;q=0.8' })).toBe('de');
    expect(choosePageLanguage({ acceptLanguage: 'de;q=0.3, en' })).toBe('en');
    // Equal weights keep the order given.
    expect(choosePageLanguage({ acceptLanguage: 'de;q=0.5, en;q=0.5' })).toBe('de');
  });

  it('ignores languages marked not acceptable and malformed entries', () => {
    expect(choosePageLanguage({ acceptLanguage: 'de;q=0, fr' })).toBe('en');
    expect(choosePageLanguage({ acceptLanguage: 'de;q=high' })).toBe('en');
    expect(choosePageLanguage({ acceptLanguage: '<script>, de-;q=1' })).toBe('en');
  });

  it('is English when nothing fits: no profile locale and no header, a wildcard, or only languages without a catalogue', () => {
    expect(choosePageLanguage({})).toBe('en');
    expect(choosePageLanguage({ profileLocale: '', acceptLanguage: '' })).toBe('en');
    expect(choosePageLanguage({ acceptLanguage: '*' })).toBe('en');
    expect(choosePageLanguage({ acceptLanguage: 'fr' })).toBe('en');
    expect(choosePageLanguage({ profileLocale: 'ja', acceptLanguage: 'fr-CH, fr;q=0.9, it;q=0.5' })).toBe('en');
  });

  it('chooses among the catalogues it is given', () => {
    expect(choosePageLanguage({ acceptLanguage: 'fr, de;q=0.5' }, ['en', 'de', 'fr'])).toBe('fr');
    expect(choosePageLanguage({ profileLocale: 'pt-BR' }, ['en', 'pt', 'pt-BR'])).toBe('pt-BR');
    expect(choosePageLanguage({ profileLocale: 'pt-PT' }, ['en', 'pt', 'pt-BR'])).toBe('pt');
  });

  it('reads an Accept-Language header into ranges, most wanted first', () => {
    expect(acceptedLanguages('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toEqual(['fr-CH', 'fr', 'en', 'de']);
    expect(acceptedLanguages('da, en-GB;q=0.8, en;q=0.7')).toEqual(['da', 'en-GB', 'en']);
    expect(acceptedLanguages(undefined)).toEqual([]);
    expect(acceptedLanguages(',,;q=1')).toEqual([]);
  });
});

describe('the catalogues', () => {
  it('declare the language they are registered under, and name every channel', () => {
    for (const [tag, strings] of Object.entries(PAGE_CATALOGUES)) {
      expect(strings.lang).toBe(tag);
      expect(Object.keys(strings.channels).sort()).toEqual([...CHANNELS].sort());
    }
    expect(pageStrings({ profileLocale: 'de-AT' })).toBe(de);
    expect(pageStrings({ acceptLanguage: 'fr' })).toBe(en);
  });

  it('translate: no German string is left in English', () => {
    expect(de.preferences.title).not.toBe(en.preferences.title);
    expect(de.unsubscribed.heading).not.toBe(en.unsubscribed.heading);
    expect(de.refused.nothingChanged).not.toBe(en.refused.nothingChanged);
    expect(de.unsubscribed.fromCategory('marketing', de.channels.email)).toBe('Sie erhalten keine Nachrichten der Kategorie „marketing“ per E-Mail mehr.');
  });
});
