import { DEFAULT_RETRY_POLICY, nextRetryDelayMs, parseDuration, parseDurationList } from './retry-policy';
import { decideAfterSend } from './dispatch-decision';

describe('retry policy', () => {
  const noJitter = { ...DEFAULT_RETRY_POLICY, jitter: 0 };

  it('follows the default schedule 1 min, 5 min, 15 min, 1 h, then gives up', () => {
    expect([1, 2, 3, 4, 5].map((n) => nextRetryDelayMs(noJitter, n))).toEqual([60_000, 300_000, 900_000, 3_600_000, null]);
  });

  it('spreads retries by the jitter fraction', () => {
    expect(nextRetryDelayMs(DEFAULT_RETRY_POLICY, 1, undefined, () => 0)).toBe(48_000);
    expect(nextRetryDelayMs(DEFAULT_RETRY_POLICY, 1, undefined, () => 1)).toBe(72_000);
  });

  it('honours a longer Retry-After', () => {
    expect(nextRetryDelayMs(noJitter, 1, 120_000)).toBe(120_000);
    expect(nextRetryDelayMs(noJitter, 1, 1_000)).toBe(60_000);
  });

  it('parses durations and refuses malformed ones', () => {
    expect(parseDurationList('500ms, 2s,1m,1h')).toEqual([500, 2000, 60_000, 3_600_000]);
    expect(parseDurationList('1m,soon')).toBeNull();
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('10')).toBeNull();
  });
});

describe('decision after a send', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const policy = { scheduleMs: [1000], jitter: 0 };

  it('schedules a retry for a transient failure, and fails once retries are exhausted', () => {
    const first = decideAfterSend({ outcome: 'transient', code: 'smtp_451', message: 'later' }, 1, policy, now);
    expect(first).toMatchObject({ status: 'queued', attemptOutcome: 'transient_failure', retryAt: new Date('2026-01-01T00:00:01Z') });
    const last = decideAfterSend({ outcome: 'transient', code: 'smtp_451', message: 'later' }, 2, policy, now);
    expect(last.status).toBe('failed');
    expect(last.reason).toContain('retries exhausted after 2 attempts');
  });

  it('fails a permanent error at once with its reason, and keeps an unknown outcome unknown', () => {
    expect(decideAfterSend({ outcome: 'permanent', code: 'smtp_550', message: 'no such user' }, 1, policy, now)).toMatchObject({
      status: 'failed',
      reason: 'smtp_550: no such user',
    });
    expect(decideAfterSend({ outcome: 'unknown', code: 'smtp_lost_after_data', message: 'timeout' }, 1, policy, now).status).toBe('unknown');
  });

  it('withdraws a send that no provider was called for: queued until the provider may be called, whatever the attempts so far', () => {
    const skipped = { outcome: 'transient' as const, code: 'no_provider_available', message: 'smtp: circuit_open', retryAfterMs: 30_000, notAttempted: true as const };
    // Even as the last allowed attempt it is not "retries exhausted": nothing was tried.
    for (const random of [() => 0, () => 0.999]) {
      const decision = decideAfterSend(skipped, 2, policy, now, random);
      expect(decision).toMatchObject({ status: 'queued', attemptWithdrawn: true });
      expect(decision.reason).toContain('not counted');
      const waited = decision.retryAt!.getTime() - now.getTime();
      expect(waited).toBeGreaterThanOrEqual(30_000);
      expect(waited).toBeLessThanOrEqual(36_000);
    }
  });

  it('counts a send that a provider answered, even when it failed transiently', () => {
    expect(decideAfterSend({ outcome: 'transient', code: 'smtp_421', message: 'busy' }, 1, policy, now).attemptWithdrawn).toBeUndefined();
  });
});
