import type { Channel } from './channel';
import { DELIVERABLE_CHANNELS } from './channel';
import type { FieldIssue } from '../errors/domain-errors';
import type { ChatDestination, DeviceToken } from '../recipient/recipient-profile';

/** A request's reference to a template instead of literal content, rendered at acceptance. */
export interface TemplateReference {
  key: string;
  data: Record<string, unknown>;
  /** Wanted locale; otherwise the recipient's, otherwise the template's default. */
  locale?: string;
}

/**
 * Who a notification is for. Direct addresses win; a channel whose address is missing reads it from the
 * recipient's stored profile (by userId) at send time.
 */
export interface Recipient {
  userId?: string;
  email?: string;
  phone?: string;
  /** Mobile and web push targets; a push notification goes to each of them. */
  deviceTokens?: DeviceToken[];
  /** Chat targets (Slack incoming webhooks, signed HTTP webhooks); a chat notification goes to each enabled one. */
  chatDestinations?: ChatDestination[];
}

export interface EmailContent {
  subject: string;
  text?: string;
  html?: string;
}

export interface SmsContent {
  text: string;
}

export interface PushContent {
  title: string;
  body: string;
  data?: Record<string, string>;
}

export interface WebPushContent {
  title: string;
  body: string;
  url?: string;
  icon?: string;
}

export interface ChatContent {
  text: string;
  /** Provider-specific rich layout (e.g. Slack blocks), passed through. */
  blocks?: unknown[];
}

export interface InAppContent {
  title: string;
  body: string;
  actionUrl?: string;
}

/** Content per channel; a request carries the variants for the channels it names. */
export interface NotificationContent {
  email?: EmailContent;
  sms?: SmsContent;
  push?: PushContent;
  webpush?: WebPushContent;
  chat?: ChatContent;
  inapp?: InAppContent;
}

/** One event addressed to one recipient on one or more channels, as accepted from any source. */
export interface NotificationRequest {
  recipient: Recipient;
  channels: Channel[];
  content: NotificationContent;
  category?: string;
  metadata?: Record<string, unknown>;
  /** Instead of content: rendered into `content` when the request is accepted. */
  template?: TemplateReference;
  /** ISO 8601: send at this time rather than now (server-side scheduling). */
  sendAt?: string | null;
}

/** How far ahead a notification may be scheduled. */
export const MAX_SCHEDULE_AHEAD_MS = 366 * 24 * 3_600_000;

/** The time a request asks to be sent at, or null for now (absent, or not in the future). */
export function sendAtOf(request: NotificationRequest, now: Date): Date | null {
  if (!request.sendAt) return null;
  const at = new Date(request.sendAt);
  return at.getTime() > now.getTime() ? at : null;
}

/** What one channel of a request becomes: the unit that is queued, sent and tracked. */
export interface NotificationDraft {
  channel: Channel;
  /** Identifies the recipient within the event, so one event never yields two notifications for one recipient-channel. */
  recipientKey: string;
  recipient: Recipient;
  content: unknown;
}

/**
 * A request carries literal content or a template, not both. null is absent, as the DTOs accept it for
 * every optional field. `given`: what counts as content when there is no template: any value but
 * undefined (a direct request), or a non-empty object (a topic notification).
 */
export function contentOrTemplateIssues(
  request: { content?: NotificationContent | null; template?: TemplateReference | null },
  given: 'defined' | 'non_empty',
  pathPrefix = '',
): FieldIssue[] {
  const hasContent = request.content != null && Object.keys(request.content).length > 0;
  if (request.template && hasContent) return [{ field: `${pathPrefix}content`, reason: 'must not be given with template (one or the other)' }];
  if (!request.template && (given === 'defined' ? request.content === undefined : !hasContent)) return [{ field: `${pathPrefix}content`, reason: 'is required (or template)' }];
  return [];
}

/**
 * Rules that span fields (shape and formats are checked at the edge).
 * Returns every problem, with the field path it concerns.
 */
export function checkRequestRules(request: NotificationRequest, pathPrefix = ''): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const at = (field: string) => `${pathPrefix}${field}`;
  const seen = new Set<Channel>();
  request.channels.forEach((channel, i) => {
    if (seen.has(channel)) issues.push({ field: at(`channels[${i}]`), reason: `lists "${channel}" twice` });
    seen.add(channel);
    if (!DELIVERABLE_CHANNELS.includes(channel)) {
      issues.push({ field: at(`channels[${i}]`), reason: `channel "${channel}" is not enabled on this server` });
    }
  });
  // null (the edge lets it through for this optional field) means not scheduled, as when left out.
  if (request.sendAt !== undefined && request.sendAt !== null) {
    const time = Date.parse(request.sendAt);
    if (Number.isNaN(time)) issues.push({ field: at('sendAt'), reason: 'must be an ISO 8601 date-time' });
    else if (time - Date.now() > MAX_SCHEDULE_AHEAD_MS) issues.push({ field: at('sendAt'), reason: 'must be at most a year ahead' });
  }
  if (seen.has('email')) {
    // A userId alone is enough: the address is looked up in the recipient directory when the email is sent.
    if (!request.recipient.email && !request.recipient.userId) {
      issues.push({ field: at('recipient.email'), reason: 'is required for the email channel (or a userId whose profile has one)' });
    }
    const email = request.content.email;
    if (!email) {
      issues.push({ field: at('content.email'), reason: 'is required for the email channel' });
    } else if (!email.text && !email.html) {
      issues.push({ field: at('content.email'), reason: 'needs text or html (both empty)' });
    }
  }
  issues.push(...checkChannelRules(request, seen, at));
  return issues;
}

/** Address and content rules of the channels beyond email. A userId stands in for an address read from the profile. */
function checkChannelRules(request: NotificationRequest, channels: Set<Channel>, at: (field: string) => string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const { recipient, content } = request;
  const byProfile = Boolean(recipient.userId);
  const requireContent = (channel: Channel) => {
    if (!content[channel as keyof NotificationContent]) issues.push({ field: at(`content.${channel}`), reason: `is required for the ${channel} channel` });
  };
  if (channels.has('sms')) {
    if (!recipient.phone && !byProfile) issues.push({ field: at('recipient.phone'), reason: 'is required for the sms channel (or a userId with a stored phone)' });
    requireContent('sms');
  }
  if (channels.has('push')) {
    const tokens = (recipient.deviceTokens ?? []).filter((t) => t.platform !== 'webpush');
    if (tokens.length === 0 && !byProfile) issues.push({ field: at('recipient.deviceTokens'), reason: 'needs an fcm or apns token for the push channel (or a userId with stored tokens)' });
    requireContent('push');
    // FCM and APNs data payloads carry strings only.
    for (const [key, value] of Object.entries(content.push?.data ?? {})) {
      if (typeof value !== 'string') issues.push({ field: at(`content.push.data.${key}`), reason: 'must be a string' });
    }
  }
  if (channels.has('webpush')) {
    const subscriptions = (recipient.deviceTokens ?? []).filter((t) => t.platform === 'webpush');
    if (subscriptions.length === 0 && !byProfile) issues.push({ field: at('recipient.deviceTokens'), reason: 'needs a webpush subscription for the webpush channel (or a userId with stored subscriptions)' });
    (recipient.deviceTokens ?? []).forEach((t, i) => {
      if (t.platform === 'webpush' && !t.keys) issues.push({ field: at(`recipient.deviceTokens[${i}].keys`), reason: 'is required for a webpush subscription (p256dh and auth)' });
    });
    requireContent('webpush');
  }
  if (channels.has('chat')) {
    if ((recipient.chatDestinations ?? []).length === 0 && !byProfile) issues.push({ field: at('recipient.chatDestinations'), reason: 'is required for the chat channel (or a userId with stored destinations)' });
    requireContent('chat');
  }
  if (channels.has('inapp')) {
    if (!byProfile) issues.push({ field: at('recipient.userId'), reason: 'is required for the inapp channel (the inbox belongs to a user)' });
    requireContent('inapp');
  }
  return issues;
}

export function draftsOf(request: NotificationRequest): NotificationDraft[] {
  const recipientKey = request.recipient.userId ?? request.recipient.email ?? request.recipient.phone ?? '';
  return request.channels.map((channel) => ({
    channel,
    recipientKey,
    recipient: request.recipient,
    content: request.content[channel as keyof NotificationContent] ?? null,
  }));
}
