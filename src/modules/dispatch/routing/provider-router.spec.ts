import type { Channel } from '../../../domain/notification/channel';
import type { SendResult } from '../../../domain/notification/send-result';
import { DeliveryMetrics, type BreakerState } from '../../../domain/ports/delivery-metrics.port';
import { loadConfig } from '../../../infrastructure/config/load-config';
import { ProviderRouter } from './provider-router';

/** DeliveryMetrics that records the breaker states it is told, in order. */
class BreakerStates extends DeliveryMetrics {
  readonly seen: Array<[Channel, string, BreakerState]> = [];
  accepted(): void {}
  settled(): void {}
  engagement(): void {}
  reconciliationFinding(): void {}
  streamLag(): void {}
  breakerState(channel: Channel, provider: string, state: BreakerState): void {
    this.seen.push([channel, provider, state]);
  }
}

function router(env: Record<string, string>, metrics: DeliveryMetrics = new BreakerStates()): ProviderRouter {
  return new ProviderRouter(
    loadConfig({ HERALD_ROLES: 'api', DATABASE_URL: 'postgres://h@127.0.0.1/x', AWS_REGION: 'us-east-1', LINK_SIGNING_SECRET: 'test-link-secret-0123456789abcdef0123', PUBLIC_URL: 'https://herald.test', ...env }),
    metrics,
  );
}

/** A provider that answers from a script and counts its calls. */
function provider(name: string, answer: () => SendResult) {
  return { name, calls: 0, send(): Promise<SendResult> { this.calls++; return Promise.resolve(answer()); } };
}

describe('ProviderRouter', () => {
  it('opens a provider\'s circuit after the configured consecutive transient failures and routes around it', async () => {
    const r = router({ PROVIDER_BREAKER_THRESHOLD: '2', PROVIDER_BREAKER_COOLDOWN: '1h' });
    const primary = provider('smtp', () => ({ outcome: 'transient', code: 'smtp_421', message: 'busy' }));
    const secondary = provider('ses', () => ({ outcome: 'sent' }));
    for (let i = 0; i < 4; i++) {
      const out = await r.route('email', [primary, secondary], (p) => p.send());
      expect(out).toMatchObject({ provider: 'ses', result: { outcome: 'sent' } });
    }
    expect(primary.calls).toBe(2);
    expect(secondary.calls).toBe(4);
  });

  it('a permanent answer neither opens the circuit nor fails over', async () => {
    const r = router({ PROVIDER_BREAKER_THRESHOLD: '1' });
    const primary = provider('twilio', () => ({ outcome: 'permanent', code: 'twilio_21211', message: 'bad number' }));
    const secondary = provider('sns', () => ({ outcome: 'sent' }));
    for (let i = 0; i < 3; i++) expect((await r.route('sms', [primary, secondary], (p) => p.send())).provider).toBe('twilio');
    expect(primary.calls).toBe(3);
    expect(secondary.calls).toBe(0);
  });

  it('a spent rate limit moves the send to the next provider, or makes it transient with a Retry-After when there is none', async () => {
    const r = router({ TWILIO_RATE_LIMIT: '1/h', PROVIDER_RATE_LIMIT_MAX_WAIT: '0ms' });
    const twilio = provider('twilio', () => ({ outcome: 'sent' }));
    const sns = provider('sns', () => ({ outcome: 'sent' }));
    expect((await r.route('sms', [twilio, sns], (p) => p.send())).provider).toBe('twilio');
    expect((await r.route('sms', [twilio, sns], (p) => p.send())).provider).toBe('sns');
    const alone = await r.route('sms', [twilio], (p) => p.send());
    expect(alone.provider).toBeNull();
    expect(alone.result).toMatchObject({ outcome: 'transient', code: 'no_provider_available' });
    expect((alone.result as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(3_000_000);
    expect(twilio.calls).toBe(1);
  });

  it('waits briefly for a token when one comes within PROVIDER_RATE_LIMIT_MAX_WAIT', async () => {
    const r = router({ SNS_RATE_LIMIT: '20/s', PROVIDER_RATE_LIMIT_MAX_WAIT: '5s' });
    const sns = provider('sns', () => ({ outcome: 'sent' }));
    const outs = await Promise.all(Array.from({ length: 25 }, () => r.route('sms', [sns], (p) => p.send())));
    expect(outs.every((o) => o.provider === 'sns' && o.result.outcome === 'sent')).toBe(true);
    expect(sns.calls).toBe(25);
  });

  it('an adapter that throws yields unknown, never a fail-over', async () => {
    const r = router({});
    const broken = { name: 'fcm', send: (): Promise<SendResult> => Promise.reject(new Error('boom')) };
    const other = provider('apns', () => ({ outcome: 'sent' }));
    const out = await r.route('push', [broken, other], (p) => p.send());
    expect(out).toMatchObject({ provider: 'fcm', result: { outcome: 'unknown', code: 'adapter_error' } });
    expect(other.calls).toBe(0);
  });

  it('recipient-level transient answers (greylisted addresses) never open the circuit; provider-level ones do', async () => {
    const r = router({ PROVIDER_BREAKER_THRESHOLD: '3', PROVIDER_BREAKER_COOLDOWN: '1h' });
    let answer: SendResult = { outcome: 'transient', code: 'smtp_450', message: 'greylisted', scope: 'recipient' };
    const smtp = provider('smtp', () => answer);
    for (let i = 0; i < 10; i++) expect((await r.route('email', [smtp], (p) => p.send())).result).toMatchObject({ code: 'smtp_450' });
    expect(smtp.calls).toBe(10);
    // Other recipients still get through at once.
    answer = { outcome: 'sent' };
    expect((await r.route('email', [smtp], (p) => p.send())).result.outcome).toBe('sent');

    answer = { outcome: 'transient', code: 'smtp_421', message: 'closing' };
    for (let i = 0; i < 3; i++) await r.route('email', [smtp], (p) => p.send());
    expect((await r.route('email', [smtp], (p) => p.send())).result).toMatchObject({ code: 'no_provider_available', notAttempted: true });
    expect(smtp.calls).toBe(14);
  });

  it('a recipient-level answer shows the provider working: it breaks a run of provider-level failures', async () => {
    const r = router({ PROVIDER_BREAKER_THRESHOLD: '2', PROVIDER_BREAKER_COOLDOWN: '1h' });
    const answers: SendResult[] = [
      { outcome: 'transient', code: 'smtp_421', message: 'closing' },
      { outcome: 'transient', code: 'smtp_450', message: 'greylisted', scope: 'recipient' },
      { outcome: 'transient', code: 'smtp_421', message: 'closing' },
    ];
    const smtp = provider('smtp', () => answers.shift() ?? { outcome: 'sent' });
    for (let i = 0; i < 4; i++) await r.route('email', [smtp], (p) => p.send());
    expect(smtp.calls).toBe(4);
  });

  it('a send skipped by an open circuit waits until the trial call may be made, not a whole cool-down from now', async () => {
    const r = router({ PROVIDER_BREAKER_THRESHOLD: '1', PROVIDER_BREAKER_COOLDOWN: '60s' });
    const smtp = provider('smtp', () => ({ outcome: 'transient', code: 'smtp_421', message: 'closing' }));
    await r.route('email', [smtp], (p) => p.send());
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now + 45_000);
    try {
      const skipped = await r.route('email', [smtp], (p) => p.send());
      expect(skipped.result).toMatchObject({ outcome: 'transient', notAttempted: true });
      const wait = (skipped.result as { retryAfterMs: number }).retryAfterMs;
      expect(wait).toBeGreaterThan(10_000);
      expect(wait).toBeLessThanOrEqual(15_000);
    } finally {
      jest.restoreAllMocks();
    }
    expect(smtp.calls).toBe(1);
  });

  it('reports every breaker transition, closed to open to half-open to closed, for the channel and provider', async () => {
    const metrics = new BreakerStates();
    const r = router({ PROVIDER_BREAKER_THRESHOLD: '1', PROVIDER_BREAKER_COOLDOWN: '50ms' }, metrics);
    let answer: SendResult = { outcome: 'transient', code: 'twilio_20500', message: 'unavailable' };
    const twilio = provider('twilio', () => answer);
    await r.route('sms', [twilio], (p) => p.send());
    expect(metrics.seen).toEqual([['sms', 'twilio', 'closed'], ['sms', 'twilio', 'open']]);
    await new Promise((done) => setTimeout(done, 80));
    answer = { outcome: 'sent' };
    await r.route('sms', [twilio], (p) => p.send());
    expect(metrics.seen.slice(2)).toEqual([['sms', 'twilio', 'half_open'], ['sms', 'twilio', 'closed']]);
  });

  it('a failed trial call opens the circuit again', async () => {
    const metrics = new BreakerStates();
    const r = router({ PROVIDER_BREAKER_THRESHOLD: '1', PROVIDER_BREAKER_COOLDOWN: '50ms' }, metrics);
    const fcm = provider('fcm', () => ({ outcome: 'transient', code: 'fcm_503', message: 'unavailable' }));
    await r.single('push', fcm, (p) => p.send());
    await new Promise((done) => setTimeout(done, 80));
    await r.single('push', fcm, (p) => p.send());
    expect(metrics.seen.map(([, , state]) => state)).toEqual(['closed', 'open', 'half_open', 'open']);
  });

  it('at start, reports closed for every configured provider of the channels this process works, and none for other roles', () => {
    const worker = new BreakerStates();
    router({ HERALD_ROLES: 'worker:email,worker:chat', EMAIL_PROVIDERS: 'smtp,ses', SMTP_URL: 'smtp://127.0.0.1:2525', EMAIL_FROM: 'h@herald.test', CHAT_PROVIDERS: 'slack' }, worker).onApplicationBootstrap();
    expect(worker.seen).toEqual([['email', 'smtp', 'closed'], ['email', 'ses', 'closed'], ['chat', 'slack', 'closed']]);
    const api = new BreakerStates();
    router({}, api).onApplicationBootstrap();
    expect(api.seen).toEqual([]);
  });
});
