import type { NotificationStatus } from '../notification/notification-status';

export type CancelOutcome =
  | { kind: 'cancelled' }
  | { kind: 'not_found' }
  /** Already being sent, or settled: too late to cancel. */
  | { kind: 'too_late'; status: NotificationStatus };

/** Scheduled sends and cancellation before a notification is sent. */
export abstract class ScheduleBook {
  /** Moves due `scheduled` notifications to `queued` with an outbox entry (at most `limit`); returns how many. */
  abstract releaseDue(limit: number): Promise<number>;
  /** Cancels a notification that is scheduled or queued (not yet claimed by a worker). */
  abstract cancel(id: string, reason: string): Promise<CancelOutcome>;
}
