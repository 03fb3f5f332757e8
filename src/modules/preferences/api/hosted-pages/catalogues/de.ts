import type { PageStrings } from '../page-strings';

/** German. */
export const de: PageStrings = {
  lang: 'de',
  channels: { email: 'E-Mail', sms: 'SMS', push: 'Push', webpush: 'Web-Push', chat: 'Chat', inapp: 'In-App' },
  preferences: {
    title: 'Benachrichtigungseinstellungen',
    forUser: (userId) => `für ${userId}`,
    saved: 'Gespeichert.',
    categoryColumn: 'Kategorie',
    alwaysSent: '(wird immer gesendet)',
    toggle: (category, channel) => `${category} per ${channel}`,
    stopChannel: (channel) => `Alles nicht Notwendige per ${channel} abbestellen`,
    save: 'Speichern',
  },
  unsubscribed: {
    title: 'Abgemeldet',
    heading: 'Sie sind abgemeldet',
    fromCategory: (category, channel) => `Sie erhalten keine Nachrichten der Kategorie „${category}“ per ${channel} mehr.`,
    fromChannel: (channel) => `Sie erhalten keine nicht notwendigen Nachrichten per ${channel} mehr.`,
    fromAddress: (address) => `Sie erhalten an ${address} keine nicht notwendigen Nachrichten mehr.`,
    managePreferences: 'Alle Einstellungen verwalten',
  },
  refused: {
    title: 'Link ungültig',
    expired: 'Dieser Link ist abgelaufen.',
    tampered: 'Dieser Link ist ungültig.',
    nothingChanged: 'Es wurde nichts geändert. Verwenden Sie den Link aus einer neueren Nachricht, oder wenden Sie sich an den Absender.',
  },
};
