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
}

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
