/**
 * What a provider said about one send. `unknown` means the request may have reached the provider
 * and we cannot tell whether it was accepted (e.g. a timeout after the message was transmitted).
 */
export type SendResult =
  | { outcome: 'sent'; providerMessageId?: string }
  | {
      outcome: 'transient';
      code: string;
      message: string;
      retryAfterMs?: number;
      /** Who the failure is about; absent means the provider (see FailureScope). */
      scope?: FailureScope;
      /**
       * No provider was called: every one was skipped (an open circuit, a spent rate limit). Nothing was tried,
       * so no retry is used up; the notification waits until a provider may be called again.
       */
      notAttempted?: true;
    }
  /** `deadAddress`: the provider says the token or destination no longer exists; it must never be used again. */
  | { outcome: 'permanent'; code: string; message: string; deadAddress?: boolean }
  | { outcome: 'unknown'; code: string; message: string };

export type AttemptOutcome = 'in_flight' | 'sent' | 'transient_failure' | 'permanent_failure' | 'unknown';

/**
 * Who a transient failure is about.
 * - provider: the provider as a whole cannot take mail now (refused or timed-out connects, SMTP 421, HTTP 5xx or
 *   429 for the account). Every other send through it would fail the same way, so it counts toward its breaker.
 * - recipient: the provider is working and answered about this one address (SMTP 450 greylisting or mailbox busy,
 *   APNs 429 for one device token, one webhook receiver down). Other recipients are unaffected, so it does not.
 */
export type FailureScope = 'provider' | 'recipient';

/** Whether this answer says the provider itself is failing: only these count toward its circuit breaker. */
export function isProviderFailure(result: SendResult): boolean {
  return result.outcome === 'transient' && (result.scope ?? 'provider') === 'provider';
}
