import type { SendResult } from '../notification/send-result';

/** What happened when the router turned to one provider of a channel. */
export type ProviderAnswer =
  | { kind: 'answered'; result: SendResult }
  /** Not called: its circuit is open or its rate limit is spent for longer than a send may wait. */
  | { kind: 'skipped'; reason: 'circuit_open' | 'rate_limited'; retryAfterMs?: number };

export interface RouteStep {
  provider: string;
  answer: ProviderAnswer;
}

export interface RouteOutcome {
  /** The provider whose answer decides the attempt; null when none was called. */
  provider: string | null;
  result: SendResult;
  steps: RouteStep[];
}

/**
 * Whether the next provider may be tried after this answer, within the same attempt.
 * - skipped (open circuit, spent rate limit) and transient failures: yes, nothing was delivered.
 * - sent: no, done.
 * - permanent (bad address, rejected content, dead token): no; another provider would refuse it too.
 * - unknown (e.g. a timeout after the request was sent): no. The first provider may have accepted it, and
 *   a second provider would deliver it twice. The attempt is recorded as unknown for reconciliation.
 */
export function failsOver(answer: ProviderAnswer): boolean {
  if (answer.kind === 'skipped') return true;
  switch (answer.result.outcome) {
    case 'transient':
      return true;
    case 'sent':
    case 'permanent':
    case 'unknown':
      return false;
  }
}

/**
 * Tries a channel's providers in the configured order until one gives a final answer. When every provider
 * was skipped or failed transiently, the attempt is transient and the earliest Retry-After any of them
 * asked for is kept, so the retry schedule honours it. When every provider was skipped, none was called: the
 * result is `notAttempted`, so it uses up no retry.
 */
export async function routeAcross(providers: readonly string[], call: (provider: string) => Promise<ProviderAnswer>): Promise<RouteOutcome> {
  const steps: RouteStep[] = [];
  for (const provider of providers) {
    const answer = await call(provider);
    steps.push({ provider, answer });
    if (!failsOver(answer)) return { provider, result: (answer as { result: SendResult }).result, steps };
  }
  return { ...exhausted(steps), steps };
}

function exhausted(steps: RouteStep[]): { provider: string | null; result: SendResult } {
  if (steps.length === 0) {
    return { provider: null, result: { outcome: 'permanent', code: 'no_provider_configured', message: 'no provider is configured for this channel' } };
  }
  const waits = steps
    .map((s) => (s.answer.kind === 'skipped' ? s.answer.retryAfterMs : s.answer.result.outcome === 'transient' ? s.answer.result.retryAfterMs : undefined))
    .filter((ms): ms is number => ms !== undefined);
  const retryAfterMs = waits.length ? Math.min(...waits) : undefined;
  const answered = [...steps].reverse().find((s) => s.answer.kind === 'answered');
  const summary = steps
    .map((s) => `${s.provider}: ${s.answer.kind === 'skipped' ? s.answer.reason : s.answer.result.outcome === 'transient' ? s.answer.result.code : s.answer.result.outcome}`)
    .join('; ');
  if (!answered) {
    // Nothing went out: the attempt does not count, and the wait is the earliest time a provider may be called.
    return {
      provider: null,
      result: { outcome: 'transient', code: 'no_provider_available', message: summary, notAttempted: true, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
    };
  }
  const last = (answered.answer as { result: SendResult }).result as Extract<SendResult, { outcome: 'transient' }>;
  return {
    provider: answered.provider,
    result: { outcome: 'transient', code: last.code, message: `${last.message} (tried ${summary})`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) },
  };
}
