import type { Channel } from '../notification/channel';
import type { NotificationStatus } from '../notification/notification-status';

export interface StatusChange {
  /** Increasing id of the change: receivers deduplicate on it (delivery is at least once). */
  id: string;
  notificationId: string;
  requestId: string;
  channel: Channel;
  category: string | null;
  metadata: Record<string, unknown>;
  from: NotificationStatus | null;
  to: NotificationStatus;
  reason: string | null;
  at: Date;
}

export interface FeedCursor {
  lastId: string;
  failures: number;
  nextAttemptAt: Date | null;
}

/** Every status change in order, read through a cursor that moves only when a consumer has taken them. */
export abstract class StatusFeed {
  /** The cursor of feed `name`; created at the current end of the history on first use (no backfill). */
  abstract cursor(name: string): Promise<FeedCursor>;
  /** Changes after `afterId`, committed for at least `settledForMs` (so a slower transaction cannot slip in behind). */
  abstract changesAfter(afterId: string, limit: number, settledForMs: number): Promise<StatusChange[]>;
  abstract advance(name: string, lastId: string): Promise<void>;
  abstract recordFailure(name: string, error: string, nextAttemptAt: Date): Promise<void>;
}

/** Posts a signed payload to the customer's endpoint. */
export abstract class WebhookPoster {
  abstract post(url: string, body: string, headers: Record<string, string>): Promise<{ ok: true } | { ok: false; error: string }>;
}
