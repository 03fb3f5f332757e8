import type { FieldIssue } from '../errors/domain-errors';
import type { Channel } from '../notification/channel';
import { parseDuration } from '../notification/retry-policy';
import type { BreakerState } from '../ports/delivery-metrics.port';

/** The window of attempts a health report covers, unless asked otherwise. */
export const DEFAULT_HEALTH_WINDOW = '15m';
/** A window is at least a minute (fewer attempts say little) and at most a day (a bounded index range). */
export const MIN_HEALTH_WINDOW_MS = 60_000;
export const MAX_HEALTH_WINDOW_MS = 24 * 3_600_000;

/** What the attempts one provider of one channel decided, since a time. */
export interface ProviderAttemptFigures {
  channel: Channel;
  provider: string;
  attempts: number;
  sent: number;
  transientFailures: number;
  permanentFailures: number;
  unknown: number;
  /** Duration of the attempts, in milliseconds; null when none has one. */
  p50Ms: number | null;
  p95Ms: number | null;
}

/** One provider's breaker in one worker process, as that process last reported it. */
export interface WorkerBreakerState {
  worker: string;
  channel: Channel;
  provider: string;
  state: BreakerState;
  /** When the breaker entered this state (or when the process created it). */
  since: Date;
  heartbeatAt: Date;
}

/**
 * The breaker of a provider over the deployment: the worst state among the live worker processes that hold one for
 * it (open, then half-open, then closed), how many are in each, and each one; `not_reported` when no live process
 * does (no worker of its channel runs, or none has reported yet).
 */
export interface BreakerSummary {
  state: BreakerState | 'not_reported';
  open: number;
  halfOpen: number;
  closed: number;
  workers: Array<{ worker: string; state: BreakerState; since: Date; heartbeatAt: Date }>;
}

export interface ProviderHealth {
  channel: Channel;
  provider: string;
  /** Listed in this process's configuration (a provider no longer configured can still have recent attempts). */
  configured: boolean;
  breaker: BreakerSummary;
  attempts: number;
  sent: number;
  transientFailures: number;
  permanentFailures: number;
  unknown: number;
  /** (transient + permanent + unknown) / attempts, rounded to 4 decimals; null with no attempt. */
  errorRate: number | null;
  latencyMs: { p50: number | null; p95: number | null };
}

/** Reads the `window` of a health report (a duration such as 30s, 15m or 2h), or the issue that refuses it. */
export function healthWindowOf(text: string | undefined): { windowMs: number } | { issues: FieldIssue[] } {
  const ms = parseDuration(text ?? DEFAULT_HEALTH_WINDOW);
  if (ms === null) return { issues: [{ field: 'window', reason: 'must be a duration such as 90s, 15m or 2h' }] };
  if (ms < MIN_HEALTH_WINDOW_MS || ms > MAX_HEALTH_WINDOW_MS) return { issues: [{ field: 'window', reason: 'must be between 1m and 24h' }] };
  return { windowMs: ms };
}

const SEVERITY: Readonly<Record<BreakerState, number>> = { closed: 0, half_open: 1, open: 2 };

/**
 * One row per channel and provider: every configured one, and any other that has recent attempts or a live
 * breaker, in channel order then provider order (configured routing order first).
 */
export function providerHealthOf(input: {
  configured: Readonly<Record<Channel, readonly string[]>>;
  channels: readonly Channel[];
  attempts: readonly ProviderAttemptFigures[];
  breakers: readonly WorkerBreakerState[];
}): ProviderHealth[] {
  const keyOf = (channel: string, provider: string) => `${channel}\u0000${provider}`;
  const rows = new Map<string, { channel: Channel; provider: string; configured: boolean }>();
  for (const channel of input.channels) for (const provider of input.configured[channel] ?? []) rows.set(keyOf(channel, provider), { channel, provider, configured: true });
  const extra = [...input.attempts, ...input.breakers]
    .filter((r) => !rows.has(keyOf(r.channel, r.provider)))
    .sort((a, b) => a.provider.localeCompare(b.provider));
  for (const r of extra) rows.set(keyOf(r.channel, r.provider), { channel: r.channel, provider: r.provider, configured: false });

  const attemptsOf = new Map(input.attempts.map((a) => [keyOf(a.channel, a.provider), a]));
  const breakersOf = new Map<string, WorkerBreakerState[]>();
  for (const b of input.breakers) breakersOf.set(keyOf(b.channel, b.provider), [...(breakersOf.get(keyOf(b.channel, b.provider)) ?? []), b]);
  // Channels in the order given, any other after them; within a channel the order of insertion (a stable sort).
  const rank = (c: Channel) => (input.channels.includes(c) ? input.channels.indexOf(c) : input.channels.length);

  return [...rows.values()]
    .sort((a, b) => rank(a.channel) - rank(b.channel))
    .map(({ channel, provider, configured }) => {
      const key = keyOf(channel, provider);
      const a = attemptsOf.get(key);
      const attempts = a?.attempts ?? 0;
      const failures = (a?.transientFailures ?? 0) + (a?.permanentFailures ?? 0) + (a?.unknown ?? 0);
      return {
        channel,
        provider,
        configured,
        breaker: summaryOf(breakersOf.get(key) ?? []),
        attempts,
        sent: a?.sent ?? 0,
        transientFailures: a?.transientFailures ?? 0,
        permanentFailures: a?.permanentFailures ?? 0,
        unknown: a?.unknown ?? 0,
        errorRate: attempts === 0 ? null : Math.round((failures / attempts) * 10_000) / 10_000,
        latencyMs: { p50: a?.p50Ms ?? null, p95: a?.p95Ms ?? null },
      };
    });
}

function summaryOf(states: readonly WorkerBreakerState[]): BreakerSummary {
  const count = (s: BreakerState) => states.filter((b) => b.state === s).length;
  const worst = states.reduce<BreakerState | null>((w, b) => (w === null || SEVERITY[b.state] > SEVERITY[w] ? b.state : w), null);
  return {
    state: worst ?? 'not_reported',
    open: count('open'),
    halfOpen: count('half_open'),
    closed: count('closed'),
    workers: [...states]
      .sort((x, y) => x.worker.localeCompare(y.worker))
      .map((b) => ({ worker: b.worker, state: b.state, since: b.since, heartbeatAt: b.heartbeatAt })),
  };
}
