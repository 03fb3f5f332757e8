import type { DeliveryEvent } from '../delivery/delivery-event';
import type { NotificationStatus } from '../notification/notification-status';
import type { EngagementSubject } from './delivery-metrics.port';

export interface DeliveryEventsReport {
  /** New events stored. */
  recorded: number;
  /** Events seen before (same provider and event id): ignored. */
  duplicates: number;
  /** Notifications whose status moved forward. */
  statusChanges: number;
  /** Events whose notification could not be found (stored, with no notification). */
  unmatched: number;
  /** Addresses added to the suppression list. */
  suppressed: number;
}

/** One status change an event made, with what engagement figures group it by. */
export interface StatusMove {
  notificationId: string;
  to: NotificationStatus;
  subject: EngagementSubject;
}

export interface RecordedDeliveryEvents {
  report: DeliveryEventsReport;
  /** Every status change, in the order it was made. */
  moves: StatusMove[];
}

/**
 * Provider delivery events: stored once each, moving their notification's status forward only (the
 * state machine refuses a step back, e.g. delivered after opened), and suppressing addresses that hard
 * bounced or complained. All in one transaction.
 */
export abstract class DeliveryEvents {
  abstract record(events: DeliveryEvent[]): Promise<RecordedDeliveryEvents>;
}
