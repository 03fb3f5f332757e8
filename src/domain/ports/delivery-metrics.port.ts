import type { Channel } from '../notification/channel';
import type { DispatchDecision } from '../notification/dispatch-decision';
import type { AttemptOutcome } from '../notification/send-result';

/** A notification that was durably accepted. */
export interface AcceptedMetric {
  channel: Channel;
  category: string | null;
  /** The template key it was rendered from, null for literal content. */
  template: string | null;
}

/** One notification whose next state was committed by a worker: after a provider call, or by a gate without one. */
export interface SettledMetric {
  channel: Channel;
  category: string | null;
  template: string | null;
  /** Null when no provider was called (a gate suppressed or deferred it). */
  provider: string | null;
  decision: DispatchDecision;
  /** Present when a provider was called. */
  attempt: { number: number; outcome: AttemptOutcome; durationMs: number } | null;
}

/**
 * What happened to a notification that engagement figures count: accepted, then sent or failed by a worker, then
 * what its delivery events (provider webhooks, Herald's open and click tracking, its unsubscribe links) moved it to.
 */
export const ENGAGEMENT_EVENTS = ['accepted', 'sent', 'failed', 'delivered', 'opened', 'clicked', 'unsubscribed', 'bounced', 'complained', 'undelivered'] as const;
export type EngagementEvent = (typeof ENGAGEMENT_EVENTS)[number];

/** What engagement figures are grouped by. */
export interface EngagementSubject {
  channel: Channel;
  category: string | null;
  template: string | null;
  /** The provider that accepted the message (or last tried it), null before any provider was called. */
  provider: string | null;
}

export interface EngagementMetric extends EngagementSubject {
  event: EngagementEvent;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * What the use cases tell operators about deliveries. Implementations must be cheap and must never throw:
 * a metric is not worth a failed send.
 */
export abstract class DeliveryMetrics {
  abstract accepted(notifications: AcceptedMetric[]): void;
  abstract settled(notifications: SettledMetric[]): void;
  /** Status changes recorded from delivery events (accepted, sent and failed are counted by `accepted` and `settled`). */
  abstract engagement(events: EngagementMetric[]): void;
  /** Something a reconciliation job found and settled, e.g. `expired_lease_requeued`. */
  abstract reconciliationFinding(job: string, finding: string, count: number): void;
  /** A provider's circuit breaker changed state (for the breaker wrapped around each provider). */
  abstract breakerState(channel: Channel, provider: string, state: BreakerState): void;
  /** How far behind a stream consumer is, in seconds (age of the last record read), per stream or shard. */
  abstract streamLag(stream: string, seconds: number): void;
}
