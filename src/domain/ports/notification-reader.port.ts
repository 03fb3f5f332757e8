import type { Channel } from '../notification/channel';
import type { NotificationContent, Recipient } from '../notification/notification-request';
import type { NotificationStatus } from '../notification/notification-status';
import type { AttemptOutcome } from '../notification/send-result';

export interface AttemptView {
  attemptNumber: number;
  provider: string | null;
  outcome: AttemptOutcome;
  errorCode: string | null;
  errorMessage: string | null;
  providerMessageId: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  durationMs: number | null;
  /** Fanned-out channels: one entry per device token or chat destination sent to in this attempt. */
  destinations?: DestinationView[];
}

export interface DestinationView {
  destination: string;
  provider: string | null;
  outcome: AttemptOutcome;
  errorCode: string | null;
  errorMessage: string | null;
  providerMessageId: string | null;
}

export interface StatusChangeView {
  from: NotificationStatus | null;
  to: NotificationStatus;
  reason: string | null;
  at: Date;
}

export interface NotificationView {
  id: string;
  requestId: string;
  channel: Channel;
  recipient: Recipient;
  category: string | null;
  metadata: Record<string, unknown>;
  status: NotificationStatus;
  statusReason: string | null;
  attemptCount: number;
  nextAttemptAt: Date | null;
  provider: string | null;
  providerMessageId: string | null;
  createdAt: Date;
  updatedAt: Date;
  sentAt: Date | null;
  attempts: AttemptView[];
  history: StatusChangeView[];
}

/** A notification's content as sent, and where it came from. */
export interface SentContentView {
  notificationId: string;
  channel: Channel;
  status: NotificationStatus;
  /** The template it was rendered from at acceptance; null for content given inline (and for topic fan-outs). */
  template: { key: string; version: number | null; locale: string | null } | null;
  /** What the last attempt handed to the provider, under the channel's key; null until an attempt built a message. */
  content: NotificationContent | null;
}

/** What a tracking link is checked against: when the email was accepted, and the HTML Herald rendered for it. */
export interface TrackedEmailView {
  createdAt: Date;
  html: string | null;
}

/** One notification in the activity feed. */
export interface NotificationListItem {
  id: string;
  channel: Channel;
  category: string | null;
  template: string | null;
  provider: string | null;
  recipient: Recipient;
  metadata: Record<string, unknown>;
  status: NotificationStatus;
  statusReason: string | null;
  attemptCount: number;
  createdAt: Date;
  updatedAt: Date;
}

/** What the feed is narrowed to; every field given must match (AND). */
export interface NotificationFeedFilter {
  userId?: string;
  email?: string;
  phone?: string;
  status?: NotificationStatus;
  channel?: Channel;
  category?: string;
  provider?: string;
  template?: string;
  /** Notifications created by fan-outs of this topic. */
  topic?: string;
  fanoutId?: string;
  /** The Idempotency-Key the request was accepted with (under any API key). */
  idempotencyKey?: string;
  /** Every pair must be in the notification's metadata, with a string value equal to the given one. */
  metadata?: Record<string, string>;
  createdFrom?: Date;
  /** Exclusive. */
  createdTo?: Date;
}

/**
 * Where a listing continues: after the item with this `createdAt` and id. `createdAt` is kept to the microsecond
 * as the store gives it (a JavaScript Date would round it and skip or repeat items).
 */
export interface ListPosition {
  createdAt: string;
  id: string;
}

export interface NotificationPage {
  items: NotificationListItem[];
  /** Null on the last page. */
  next: ListPosition | null;
}

export abstract class NotificationReader {
  abstract findById(id: string): Promise<NotificationView | null>;
  /** The content as sent (opened when sealed); null for an unknown id. */
  abstract findSentContent(id: string): Promise<SentContentView | null>;
  /** Notifications matching `filter`, newest first (created_at, id), `limit` at a time after `after` (keyset pagination). */
  abstract listFeed(filter: NotificationFeedFilter, limit: number, after: ListPosition | null): Promise<NotificationPage>;
  /** An email notification's acceptance time and rendered HTML; null for an unknown id or another channel. */
  abstract findTrackedEmail(id: string): Promise<TrackedEmailView | null>;
}
