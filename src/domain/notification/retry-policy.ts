/** When to try again after a transient failure, and when to give up. */
export interface RetryPolicy {
  /** Delay before retry n (index 0 = after the first failed attempt). Its length is the number of retries. */
  readonly scheduleMs: readonly number[];
  /** Fraction of each delay added or removed at random, so that retries of one outage do not arrive together. */
  readonly jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  scheduleMs: [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000],
  jitter: 0.2,
};

/**
 * Delay before the next attempt, or null when attempts are exhausted.
 * `attemptsMade` counts provider calls already made, including the one that just failed.
 * A provider's Retry-After is honoured when it asks for longer than the schedule.
 */
export function nextRetryDelayMs(
  policy: RetryPolicy,
  attemptsMade: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number | null {
  const base = policy.scheduleMs[attemptsMade - 1];
  if (base === undefined) return null;
  const jittered = base * (1 + policy.jitter * (random() * 2 - 1));
  return Math.max(Math.round(jittered), retryAfterMs ?? 0);
}

/** Parses "1s,5m,15m,1h" (units ms, s, m, h) into milliseconds. Returns null on any malformed item. */
export function parseDurationList(text: string): number[] | null {
  const items = text.split(',').map((s) => s.trim()).filter(Boolean);
  const out: number[] = [];
  for (const item of items) {
    const ms = parseDuration(item);
    if (ms === null) return null;
    out.push(ms);
  }
  return out;
}

export function parseDuration(text: string): number | null {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(text.trim());
  if (!m) return null;
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * factor);
}
