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
      { channel: 'email', category: 'orders' },
      { channel: 'email', category: 'orders' },
      { channel: 'email', category: null },
      { channel: 'email', category: 'has spaces and "quotes"' },
      ...Array.from({ length: 150 }, (_, i) => ({ channel: 'email' as const, category: `c${i}` })),
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
      { channel: 'email', category: 'x', provider: 'smtp', decision: { status: 'queued', attemptOutcome: 'transient_failure', reason: 'r', retryAt: new Date() }, attempt: { number: 1, outcome: 'transient_failure', durationMs: 120 } },
      { channel: 'email', category: 'x', provider: null, decision: { status: 'queued', attemptOutcome: 'transient_failure', reason: 'quiet hours', retryAt: new Date() }, attempt: null },
    ]);
    expect(await value(registry, 'herald_retries_scheduled_total', { cause: 'transient_failure', provider: 'smtp' })).toBe(1);
    expect(await value(registry, 'herald_retries_scheduled_total', { cause: 'deferred', provider: 'none' })).toBe(1);
    expect(await value(registry, 'herald_send_attempts_total', { provider: 'smtp', outcome: 'transient_failure' })).toBe(1);
    expect(await value(registry, 'herald_send_attempts_total', { provider: 'none' })).toBeUndefined();
  });
});
