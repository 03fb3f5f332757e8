import { HeraldInbox } from './herald-inbox.js';

export { HeraldInbox } from './herald-inbox.js';
export type { InboxActionEventDetail, InboxErrorDuring, InboxErrorEventDetail, InboxItemEventDetail, InboxReadEventDetail } from './herald-inbox.js';
export { catalogueFor, registerCatalogue, type InboxStrings } from './i18n.js';
export type { TokenProvider } from './token.js';
export { HeraldError } from '@herald/sdk';
export type { InboxCounts, InboxItem, Preferences } from '@herald/sdk';

// Importing the package defines the element, once (a second copy of the package on a page leaves the first in place).
if (!customElements.get('herald-inbox')) customElements.define('herald-inbox', HeraldInbox);
