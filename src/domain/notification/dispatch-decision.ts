import type { GateDecision } from './dispatch-gate';
import type { NotificationStatus } from './notification-status';
import { nextRetryDelayMs, type RetryPolicy } from './retry-policy';
import type { AttemptOutcome, SendResult } from './send-result';

export interface DispatchDecision {
  status: Extract<NotificationStatus, 'sent' | 'queued' | 'failed' | 'unknown' | 'suppressed'>;
  attemptOutcome: AttemptOutcome;
  reason: string | null;
  /** Set when status is queued: when the next attempt may start. */
  retryAt: Date | null;
  /**
   * No provider was called (every one was skipped: an open circuit, a spent rate limit). The attempt started for
   * the send is withdrawn: it uses up no retry of RETRY_SCHEDULE and leaves no attempt record.
   */
  attemptWithdrawn?: true;
}

/**
 * Fraction added at random to the wait of a send that no provider was called for, so that the sends held back by
 * one open circuit do not all come back at the same instant. Only added, never removed: they must not come back
 * before a provider may be called again.
 */
const WITHDRAWN_JITTER = 0.2;

/** A gate's verdict before any provider call: suppressed with its reason, or queued for later. No attempt is counted. */
export function decideFromGate(decision: Exclude<GateDecision, { kind: 'proceed' }>): DispatchDecision {
  if (decision.kind === 'suppress') return { status: 'suppressed', attemptOutcome: 'permanent_failure', reason: decision.reason, retryAt: null };
  return { status: 'queued', attemptOutcome: 'transient_failure', reason: decision.reason, retryAt: decision.until };
}

/** Turns one provider answer into the notification's next state. Pure: the caller persists it. */
export function decideAfterSend(
  result: SendResult,
  attemptsMade: number,
  policy: RetryPolicy,
  now: Date,
  random?: () => number,
): DispatchDecision {
  switch (result.outcome) {
    case 'sent':
      return { status: 'sent', attemptOutcome: 'sent', reason: null, retryAt: null };
    case 'permanent':
      return { status: 'failed', attemptOutcome: 'permanent_failure', reason: `${result.code}: ${result.message}`, retryAt: null };
    case 'unknown':
      return { status: 'unknown', attemptOutcome: 'unknown', reason: `${result.code}: ${result.message}`, retryAt: null };
    case 'transient': {
      if (result.notAttempted) {
        // Not a retry: the wait is the provider's (the circuit's cool-down, the rate limit's next token), so a
        // long outage makes the notification wait, at most once per cool-down, without exhausting its retries.
        const waitMs = result.retryAfterMs ?? policy.scheduleMs[0] ?? 60_000;
        const delay = Math.round(waitMs * (1 + WITHDRAWN_JITTER * (random ?? Math.random)()));
        return {
          status: 'queued',
          attemptOutcome: 'transient_failure',
          reason: `waiting, no provider was called (${result.message}); the attempt is not counted`,
          retryAt: new Date(now.getTime() + delay),
          attemptWithdrawn: true,
        };
      }
      const delay = nextRetryDelayMs(policy, attemptsMade, result.retryAfterMs, random);
      if (delay === null) {
        return {
          status: 'failed',
          attemptOutcome: 'transient_failure',
          reason: `retries exhausted after ${attemptsMade} attempts; last error ${result.code}: ${result.message}`,
          retryAt: null,
        };
      }
      return {
        status: 'queued',
        attemptOutcome: 'transient_failure',
        reason: `retry ${attemptsMade} scheduled after ${result.code}: ${result.message}`,
        retryAt: new Date(now.getTime() + delay),
      };
    }
  }
}
