/**
 * What a provider said about one send. `unknown` means the request may have reached the provider
 * and we cannot tell whether it was accepted (e.g. a timeout after the message was transmitted).
 */
export type SendResult =
  | { outcome: 'sent'; providerMessageId?: string }
  | { outcome: 'transient'; code: string; message: string; retryAfterMs?: number }
  /** `deadAddress`: the provider says the token or destination no longer exists; it must never be used again. */
  | { outcome: 'permanent'; code: string; message: string; deadAddress?: boolean }
  | { outcome: 'unknown'; code: string; message: string };

export type AttemptOutcome = 'in_flight' | 'sent' | 'transient_failure' | 'permanent_failure' | 'unknown';
