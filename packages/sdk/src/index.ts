export { Herald, type HeraldOptions } from './herald.js';
export { HeraldInbox, type HeraldInboxOptions, type InboxStream, type InboxStreamHandlers, type InboxStreamOptions, type InboxTokenSource } from './inbox.js';
export { HeraldConnectionError, HeraldError, type HeraldErrorDetail } from './errors.js';
export { backoffDelay, retryAfterMs } from './retry.js';
export type * from './types.js';
export type { components, operations, paths } from './generated/herald-api.js';
