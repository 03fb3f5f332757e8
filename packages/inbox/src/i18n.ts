/** Every string <herald-inbox> shows or announces. A catalogue must have them all. */
export interface InboxStrings {
  /** The bell's accessible name. */
  bell: (unread: number) => string;
  /** The badge's text, for a count that may be large. */
  badge: (unread: number) => string;
  title: string;
  close: string;
  tabInbox: string;
  tabPreferences: string;
  markAllRead: string;
  markRead: string;
  markUnread: string;
  archive: string;
  unread: string;
  open: string;
  empty: string;
  loading: string;
  loadingMore: string;
  loadFailed: string;
  actionFailed: string;
  retry: string;
  reconnecting: string;
  /** Said by screen readers (aria-live="polite") when an item arrives live. */
  arrived: (title: string) => string;
  preferencesIntro: string;
  category: string;
  channelsHeading: string;
  channelsIntro: string;
  critical: string;
  preferencesEmpty: string;
  saved: string;
  saveFailed: string;
  /** Accessible name of the switch for one category on one channel. */
  toggle: (category: string, channel: string) => string;
  channel: (channel: string) => string;
}

const en: InboxStrings = {
  bell: (n) => (n === 0 ? 'Notifications' : `Notifications, ${n} unread`),
  badge: (n) => (n > 99 ? '99+' : String(n)),
  title: 'Notifications',
  close: 'Close',
  tabInbox: 'Inbox',
  tabPreferences: 'Preferences',
  markAllRead: 'Mark all as read',
  markRead: 'Mark as read',
  markUnread: 'Mark as unread',
  archive: 'Archive',
  unread: 'Unread',
  open: 'Open',
  empty: 'No notifications yet.',
  loading: 'Loading…',
  loadingMore: 'Loading older notifications…',
  loadFailed: 'Notifications could not be loaded.',
  actionFailed: 'That did not work. Please try again.',
  retry: 'Try again',
  reconnecting: 'Offline: reconnecting…',
  arrived: (title) => `New notification: ${title}`,
  preferencesIntro: 'Choose where each kind of notification reaches you.',
  category: 'Category',
  channelsHeading: 'Channels',
  channelsIntro: 'A channel turned off here is off for everything except critical notifications.',
  critical: 'Always on',
  preferencesEmpty: 'There are no categories to choose from yet.',
  saved: 'Preferences saved.',
  saveFailed: 'Preferences could not be saved.',
  toggle: (category, channel) => `${category}: ${channel}`,
  channel: (c) => ({ email: 'Email', sms: 'SMS', push: 'Mobile push', webpush: 'Browser push', chat: 'Chat', inapp: 'In-app' })[c] ?? c,
};

const de: InboxStrings = {
  bell: (n) => (n === 0 ? 'Benachrichtigungen' : `Benachrichtigungen, ${n} ungelesen`),
  badge: (n) => (n > 99 ? '99+' : String(n)),
  title: 'Benachrichtigungen',
  close: 'Schließen',
  tabInbox: 'Posteingang',
  tabPreferences: 'Einstellungen',
  markAllRead: 'Alle als gelesen markieren',
  markRead: 'Als gelesen markieren',
  markUnread: 'Als ungelesen markieren',
  archive: 'Archivieren',
  unread: 'Ungelesen',
  open: 'Öffnen',
  empty: 'Noch keine Benachrichtigungen.',
  loading: 'Wird geladen …',
  loadingMore: 'Ältere Benachrichtigungen werden geladen …',
  loadFailed: 'Die Benachrichtigungen konnten nicht geladen werden.',
  actionFailed: 'Das hat nicht geklappt. Bitte versuchen Sie es erneut.',
  retry: 'Erneut versuchen',
  reconnecting: 'Offline: Verbindung wird wiederhergestellt …',
  arrived: (title) => `Neue Benachrichtigung: ${title}`,
  preferencesIntro: 'Wählen Sie, wo Sie welche Benachrichtigungen erreichen.',
  category: 'Kategorie',
  channelsHeading: 'Kanäle',
  channelsIntro: 'Ein hier ausgeschalteter Kanal ist für alles aus, außer für kritische Benachrichtigungen.',
  critical: 'Immer an',
  preferencesEmpty: 'Es gibt noch keine Kategorien zur Auswahl.',
  saved: 'Einstellungen gespeichert.',
  saveFailed: 'Die Einstellungen konnten nicht gespeichert werden.',
  toggle: (category, channel) => `${category}: ${channel}`,
  channel: (c) => ({ email: 'E-Mail', sms: 'SMS', push: 'Mobile Push-Nachrichten', webpush: 'Browser-Push', chat: 'Chat', inapp: 'In der App' })[c] ?? c,
};

const catalogues = new Map<string, InboxStrings>([
  ['en', en],
  ['de', de],
]);

/**
 * Adds or replaces the catalogue for a language (`fr`, `pt-BR`, ...). Strings left out fall back to English, so a
 * partial catalogue can also reword a few English strings: `registerCatalogue('en', { empty: 'Nothing here' })`.
 */
export function registerCatalogue(locale: string, strings: Partial<InboxStrings>): void {
  const key = locale.toLowerCase();
  catalogues.set(key, { ...(catalogues.get(key) ?? en), ...strings });
}

/** The catalogue for a BCP 47 tag: the exact tag, then its language (`de-AT` → `de`), then English. */
export function catalogueFor(locale: string): InboxStrings {
  const tag = locale.toLowerCase();
  return catalogues.get(tag) ?? catalogues.get(tag.split('-')[0]) ?? en;
}

/**
 * The locale to use: the one given, else the nearest `lang` around the element (crossing shadow roots), else the
 * browser's, else English.
 */
export function resolveLocale(given: string | null | undefined, lang: string | null | undefined, browser: string | null | undefined): string {
  for (const candidate of [given, lang, browser]) {
    const tag = candidate?.trim();
    if (tag && isLocale(tag)) return tag;
  }
  return 'en';
}

function isLocale(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag).length === 1;
  } catch {
    return false;
  }
}
