import type { Channel } from '../notification/channel';
import type { ClaimedNotification } from '../notification/claimed-notification';
import type { DispatchDecision } from '../notification/dispatch-decision';
import type { AttemptOutcome } from '../notification/send-result';
import type { NotificationContent } from '../notification/notification-request';

/** Defined beside the gates that read it, so that the domain's imports stay one-way. */
export type { ClaimedNotification };

/** The outcome of one destination of a fanned-out send (push, web push, chat). */
export interface DestinationOutcome {
  destination: string;
  provider: string | null;
  outcome: AttemptOutcome;
  errorCode: string | null;
  errorMessage: string | null;
  providerMessageId: string | null;
}

export interface StartedAttempt {
  notificationId: string;
  attemptId: string;
  attemptNumber: number;
}

export interface FinishedAttempt {
  notificationId: string;
  /** Null when no provider was called (a gate suppressed or deferred it). */
  attemptId: string | null;
  /** The started attempt's number (`StartedAttempt.attemptNumber`); without it, the notification's current count. */
  attemptNumber?: number;
  provider: string | null;
  providerMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  durationMs: number;
  decision: DispatchDecision;
  /** Per destination, when the channel fans out. */
  destinations?: DestinationOutcome[];
  /** The content the attempt handed to the provider(s); stored as the notification's content as sent. */
  sentContent?: NotificationContent;
}

export interface LeaseRecoveryReport {
  /** Claimed but the provider was never called: safe to send again. */
  requeued: number;
  /** The provider may have been called: marked unknown rather than risk a second send. */
  markedUnknown: number;
}

/**
 * The sending side of a notification's life. Every method is one round trip for the whole batch,
 * and every status change is guarded by the domain state machine.
 */
export abstract class DeliveryLedger {
  /** Atomically takes the notifications that are due and not leased by a live worker. Others are left alone. */
  abstract claimForSending(ids: string[], owner: string, leaseMs: number): Promise<ClaimedNotification[]>;
  /**
   * Records that provider calls are about to start; from here on a lost worker means an unknown outcome. The attempt's
   * own record is written with its outcome (or as unknown by lease recovery); until then it is shown as in flight.
   */
  abstract beginAttempts(ids: string[], owner: string): Promise<StartedAttempt[]>;
  /** Commits attempts' outcomes, status changes, history and retry scheduling in one transaction. */
  abstract finishAttempts(results: FinishedAttempt[]): Promise<void>;
  /** Settles notifications whose worker's lease expired. */
  abstract recoverExpiredLeases(resendableChannels: Channel[], limit: number): Promise<LeaseRecoveryReport>;
  /**
   * Gives a new outbox entry to `queued` notifications that have been due for longer than `dueForMs`
   * without an outbox entry: their queue message was lost (a queue outage, a purge). Returns how many.
   */
  abstract requeueStranded(dueForMs: number, limit: number): Promise<number>;
}
