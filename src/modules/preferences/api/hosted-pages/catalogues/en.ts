import type { PageStrings } from '../page-strings';

/** English: the pages' own language, and the one shown when no other fits. */
export const en: PageStrings = {
  lang: 'en',
  channels: { email: 'email', sms: 'SMS', push: 'push', webpush: 'web push', chat: 'chat', inapp: 'in-app' },
  preferences: {
    title: 'Notification preferences',
    forUser: (userId) => `for ${userId}`,
    saved: 'Saved.',
    categoryColumn: 'Category',
    alwaysSent: '(always sent)',
    toggle: (category, channel) => `${category} by ${channel}`,
    stopChannel: (channel) => `Stop everything non-essential by ${channel}`,
    save: 'Save',
  },
  unsubscribed: {
    title: 'Unsubscribed',
    heading: 'You are unsubscribed',
    fromCategory: (category, channel) => `You will no longer receive "${category}" messages by ${channel}.`,
    fromChannel: (channel) => `You will no longer receive all non-essential messages by ${channel}.`,
    fromAddress: (address) => `You will no longer receive all non-essential messages to ${address}.`,
    managePreferences: 'Manage all your preferences',
  },
  refused: {
    title: 'Link not valid',
    expired: 'This link has expired.',
    tampered: 'This link is not valid.',
    nothingChanged: 'Nothing was changed. Use the link in a more recent message, or contact the sender.',
  },
};
