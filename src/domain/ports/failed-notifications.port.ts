import type { Channel } from '../notification/channel';
import type { Recipient } from '../notification/notification-request';
import type { NotificationStatus } from '../notification/notification-status';
import type { AuditOf } from './audit-log.port';

export interface FailedNotificationFilter {
  channel?: Channel;
  category?: string;
  /** The last attempt's error code, e.g. smtp_550. */
  errorCode?: string;
  failedAfter?: Date;
  failedBefore?: Date;
}

export interface LastError {
  code: string | null;
  message: string | null;
  at: Date | null;
}

export interface FailedNotificationView {
  id: string;
  channel: Channel;
  category: string | null;
  recipient: Recipient;
  reason: string | null;
  attemptCount: number;
  lastError: LastError | null;
  failedAt: Date;
}

export interface NotificationSummary {
  id: string;
  status: NotificationStatus;
  reason: string | null;
}

/** Either named notifications, or every failed one matching a filter (an empty filter: all of them). */
export type RedriveSelection = { ids: string[] } | { filter: FailedNotificationFilter };

/**
 * Notifications that need a person: those that ended `failed`, listed with their last error and sent again on
 * request, and those whose outcome is `unknown`, sent again only when the person accepts a possible duplicate.
 */
export abstract class FailedNotifications {
  /** Newest failures first; `before` continues a listing from the last item's failure time. */
  abstract list(filter: FailedNotificationFilter, limit: number): Promise<FailedNotificationView[]>;
  /**
   * Moves the selected failed notifications back to queued with a new outbox entry. Returns their ids. `audit` gets
   * the ids moved, and its entry is written in the same transaction.
   */
  abstract redrive(selection: RedriveSelection, reason: string, audit?: AuditOf<string[]>): Promise<string[]>;
  /**
   * Moves the named notifications that are `unknown` back to queued with a new outbox entry, recording `reason` in
   * their history; the others are left as they are. Returns the ids moved; `audit` as for redrive.
   */
  abstract resendUnknown(ids: string[], reason: string, audit?: AuditOf<string[]>): Promise<string[]>;
  /** Status and reason of the given notifications (unknown ids are absent). */
  abstract summaries(ids: string[]): Promise<Map<string, NotificationSummary>>;
}
