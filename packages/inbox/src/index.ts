import { HeraldInbox } from './herald-inbox.js';

export { HeraldInbox } from './herald-inbox.js';
export type { InboxActionEventDetail, InboxErrorDuring, InboxErrorEventDetail, InboxItemEventDetail, InboxReadEventDetail } from './herald-inbox.js';
export { HeraldInboxError } from './client.js';
export { catalogueFor, registerCatalogue, type InboxStrings } from './i18n.js';
export type { EffectiveCategory, InboxCounts, InboxItem, InboxPage, InboxPreferences, TokenProvider } from './types.js';

// Importing the package defines the element, once (a second copy of the package on a page leaves the first in place).
if (!customElements.get('herald-inbox')) customElements.define('herald-inbox', HeraldInbox);
