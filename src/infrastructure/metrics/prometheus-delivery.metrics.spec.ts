import { Registry } from 'prom-client';
import { PrometheusDeliveryMetrics } from './prometheus-delivery.metrics';

async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('PrometheusDeliveryMetrics', () => {
  it('reports one breaker state at a time per provider', async () => {
    const registry = new Registry();
    const metrics = new PrometheusDeliveryMetrics(registry);
    metrics.breakerState('email', 'ses', 'open');
    expect(await value(registry, 'herald_circuit_breaker_state', { provider: 'ses', state: 'open' })).toBe(1);
    expect(await value(registry, 'herald_circuit_breaker_state', { provider: 'ses', state: 'closed' })).toBe(0);
    metrics.breakerState('email', 'ses', 'half_open');
    expect(await value(registry, 'herald_circuit_breaker_state', { provider: 'ses', state: 'open' })).toBe(0);
    expect(await value(registry, 'herald_circuit_breaker_state', { provider: 'ses', state: 'half_open' })).toBe(1);
  });

  it('sets stream lag, never below zero', async () => {
    const registry = new Registry();
    const metrics = new PrometheusDeliveryMetrics(registry);
    metrics.streamLag('events/shard-1', 42.5);
    expect(await value(registry, 'herald_stream_lag_seconds', { stream: 'events/shard-1' })).toBe(42.5);
    metrics.streamLag('events/shard-1', -3);
    expect(await value(registry, 'herald_stream_lag_seconds', { stream: 'events/shard-1' })).toBe(0);
  });

  it('folds odd-looking and excess categories into "other", and absent ones into "none"', async () => {
    const registry = new Registry();
    const metrics = new PrometheusDeliveryMetrics(registry);
    metrics.accepted([
      { channel: 'email', category: 'orders', template: null },
      { channel: 'email', category: 'orders', template: null },
      { channel: 'email', category: null, template: null },
      { channel: 'email', category: 'has spaces and "quotes"', template: null },
      ...Array.from({ length: 150 }, (_, i) => ({ channel: 'email' as const, category: `c${i}`, template: null })),
    ]);
    expect(await value(registry, 'herald_notifications_accepted_total', { category: 'orders' })).toBe(2);
    expect(await value(registry, 'herald_notifications_accepted_total', { category: 'none' })).toBe(1);
    // 100 distinct categories are kept: orders and c0..c98; the quoted one and c99..c149 are "other".
    expect(await value(registry, 'herald_notifications_accepted_total', { category: 'other' })).toBe(52);
  });

  it('records attempts, retries and latency only for provider calls', async () => {
    const registry = new Registry();
    const metrics = new PrometheusDeliveryMetrics(registry);
    metrics.settled([
      { channel: 'email', category: 'x', template: null, provider: 'smtp', decision: { status: 'queued', attemptOutcome: 'transient_failure', reason: 'r', retryAt: new Date() }, attempt: { number: 1, outcome: 'transient_failure', durationMs: 120 } },
      { channel: 'email', category: 'x', template: null, provider: null, decision: { status: 'queued', attemptOutcome: 'transient_failure', reason: 'quiet hours', retryAt: new Date() }, attempt: null },
    ]);
    expect(await value(registry, 'herald_retries_scheduled_total', { cause: 'transient_failure', provider: 'smtp' })).toBe(1);
    expect(await value(registry, 'herald_retries_scheduled_total', { cause: 'deferred', provider: 'none' })).toBe(1);
    expect(await value(registry, 'herald_send_attempts_total', { provider: 'smtp', outcome: 'transient_failure' })).toBe(1);
    expect(await value(registry, 'herald_send_attempts_total', { provider: 'none' })).toBeUndefined();
  });

  it('counts engagement events by channel, category, template and provider: accepted, sent and failed, then delivery events', async () => {
    const registry = new Registry();
    const metrics = new PrometheusDeliveryMetrics(registry);
    const subject = { channel: 'email' as const, category: 'news', template: 'digest' };
    metrics.accepted([subject, subject, { ...subject, template: null }]);
    metrics.settled([
      { ...subject, provider: 'smtp', decision: { status: 'sent', attemptOutcome: 'sent', reason: null, retryAt: null }, attempt: { number: 1, outcome: 'sent', durationMs: 5 } },
      { ...subject, provider: 'smtp', decision: { status: 'failed', attemptOutcome: 'permanent_failure', reason: 'r', retryAt: null }, attempt: { number: 1, outcome: 'permanent_failure', durationMs: 5 } },
      { ...subject, provider: null, decision: { status: 'queued', attemptOutcome: 'transient_failure', reason: 'quiet hours', retryAt: new Date() }, attempt: null },
    ]);
    metrics.engagement([{ ...subject, provider: 'smtp', event: 'opened' }, { ...subject, provider: 'smtp', event: 'unsubscribed' }]);
    const count = (labels: Record<string, string>) => value(registry, 'herald_engagement_events_total', labels);
    expect(await count({ template: 'digest', event: 'accepted', provider: 'none' })).toBe(2);
    expect(await count({ template: 'none', event: 'accepted' })).toBe(1);
    expect(await count({ template: 'digest', category: 'news', provider: 'smtp', event: 'sent' })).toBe(1);
    expect(await count({ provider: 'smtp', event: 'failed' })).toBe(1);
    expect(await count({ provider: 'smtp', event: 'opened' })).toBe(1);
    expect(await count({ provider: 'smtp', event: 'unsubscribed' })).toBe(1);
    expect(await count({ event: 'queued' })).toBeUndefined();
  });
});
