import { healthWindowOf, providerHealthOf, type ProviderAttemptFigures, type WorkerBreakerState } from './provider-health';

const none = { email: [], sms: [], push: [], webpush: [], chat: [], inapp: [] };
const channels = ['email', 'sms', 'push', 'webpush', 'chat', 'inapp'] as const;
const at = new Date('2026-11-05T10:00:00Z');
const breaker = (worker: string, provider: string, state: WorkerBreakerState['state']): WorkerBreakerState => ({
  worker,
  channel: 'sms',
  provider,
  state,
  since: at,
  heartbeatAt: at,
});
const figures = (provider: string, f: Partial<ProviderAttemptFigures>): ProviderAttemptFigures => ({
  channel: 'sms',
  provider,
  attempts: 0,
  sent: 0,
  transientFailures: 0,
  permanentFailures: 0,
  unknown: 0,
  p50Ms: null,
  p95Ms: null,
  ...f,
});

describe('healthWindowOf', () => {
  it('defaults to 15 minutes and reads durations from 1m to 24h', () => {
    expect(healthWindowOf(undefined)).toEqual({ windowMs: 900_000 });
    expect(healthWindowOf('90s')).toEqual({ windowMs: 90_000 });
    expect(healthWindowOf('24h')).toEqual({ windowMs: 86_400_000 });
  });

  it('refuses what is not a duration, or outside the bounds, naming the parameter', () => {
    for (const text of ['15', 'soon', '-5m', '']) expect(healthWindowOf(text)).toEqual({ issues: [{ field: 'window', reason: expect.stringContaining('duration') }] });
    for (const text of ['59s', '25h', '500ms']) expect(healthWindowOf(text)).toEqual({ issues: [{ field: 'window', reason: 'must be between 1m and 24h' }] });
  });
});

describe('providerHealthOf', () => {
  it('lists every configured provider in routing order, then others with attempts or breakers, with their figures', () => {
    const rows = providerHealthOf({
      configured: { ...none, email: ['smtp'], sms: ['vonage', 'twilio'] },
      channels,
      attempts: [figures('twilio', { attempts: 8, sent: 4, transientFailures: 2, permanentFailures: 1, unknown: 1, p50Ms: 120, p95Ms: 900 }), figures('sns', { attempts: 3, sent: 3 })],
      breakers: [breaker('w1', 'twilio', 'open'), breaker('w2', 'twilio', 'closed')],
    });
    expect(rows.map((r) => [r.channel, r.provider, r.configured])).toEqual([
      ['email', 'smtp', true],
      ['sms', 'vonage', true],
      ['sms', 'twilio', true],
      ['sms', 'sns', false],
    ]);
    expect(rows[2]).toMatchObject({ attempts: 8, sent: 4, errorRate: 0.5, latencyMs: { p50: 120, p95: 900 }, breaker: { state: 'open', open: 1, halfOpen: 0, closed: 1 } });
    expect(rows[2].breaker.workers.map((w) => [w.worker, w.state])).toEqual([
      ['w1', 'open'],
      ['w2', 'closed'],
    ]);
    expect(rows[0]).toMatchObject({ attempts: 0, errorRate: null, latencyMs: { p50: null, p95: null }, breaker: { state: 'not_reported', open: 0, closed: 0, workers: [] } });
    expect(rows[3]).toMatchObject({ errorRate: 0, breaker: { state: 'not_reported' } });
  });

  it('reports the worst state among the workers: open, then half-open, then closed', () => {
    const state = (...states: Array<WorkerBreakerState['state']>) =>
      providerHealthOf({ configured: { ...none, sms: ['twilio'] }, channels, attempts: [], breakers: states.map((s, i) => breaker(`w${i}`, 'twilio', s)) })[0].breaker.state;
    expect(state('closed', 'closed')).toBe('closed');
    expect(state('closed', 'half_open')).toBe('half_open');
    expect(state('half_open', 'open', 'closed')).toBe('open');
  });
});
