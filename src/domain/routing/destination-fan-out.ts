import type { SendResult } from '../notification/send-result';

/** One send of a fanned-out notification: to one device token or one chat destination. */
export interface DestinationSend {
  /** Identifies the target within the recipient, e.g. "fcm:<token>" or "slack:<url host/path>". */
  destination: string;
  provider: string | null;
  result: SendResult;
}

/**
 * The notification's outcome from its destinations' outcomes:
 * - any transient: transient, so the attempt is retried (destinations already settled are not sent again); when
 *   no destination's provider was called at all (every one skipped), it is `notAttempted` and uses up no retry;
 * - else any unknown: unknown (one of them may or may not have been delivered);
 * - else any sent: sent (dead or refused destinations are recorded per destination);
 * - else permanent (every destination refused, or there were none).
 */
export function combineDestinationResults(sends: DestinationSend[]): SendResult {
  if (sends.length === 0) return { outcome: 'permanent', code: 'no_destination', message: 'the recipient has no destination on this channel' };
  const transient = sends.filter((s) => s.result.outcome === 'transient');
  if (transient.length) {
    const waits = transient.map((s) => (s.result as { retryAfterMs?: number }).retryAfterMs).filter((ms): ms is number => ms !== undefined);
    const first = transient[0].result as Extract<SendResult, { outcome: 'transient' }>;
    const noneCalled = transient.length === sends.length && transient.every((s) => (s.result as { notAttempted?: true }).notAttempted);
    return {
      outcome: 'transient',
      code: first.code,
      message: `${transient.length} of ${sends.length} destinations failed transiently: ${first.message}`,
      ...(waits.length ? { retryAfterMs: Math.max(...waits) } : {}),
      ...(noneCalled ? { notAttempted: true as const } : {}),
    };
  }
  const unknown = sends.find((s) => s.result.outcome === 'unknown');
  if (unknown) return unknown.result;
  const sent = sends.filter((s) => s.result.outcome === 'sent');
  if (sent.length) return { outcome: 'sent', providerMessageId: sent.length === 1 ? (sent[0].result as { providerMessageId?: string }).providerMessageId : undefined };
  const first = sends[0].result as Extract<SendResult, { outcome: 'permanent' }>;
  return { outcome: 'permanent', code: first.code, message: sends.length > 1 ? `all ${sends.length} destinations refused; first: ${first.message}` : first.message };
}

/** Outcomes after which a destination is never sent again for this notification. */
export function isSettled(result: SendResult): boolean {
  return result.outcome !== 'transient';
}
