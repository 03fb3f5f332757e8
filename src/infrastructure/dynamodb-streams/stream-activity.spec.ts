import { Registry } from 'prom-client';
import type { HeraldConfig } from '../config/herald-config';
import { PrometheusDeliveryMetrics } from '../metrics/prometheus-delivery.metrics';
import { StreamActivity } from './stream-activity';

async function value(registry: Registry, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const metric = await registry.getSingleMetric(name)!.get();
  return metric.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value;
}

describe('StreamActivity', () => {
  const config = { streams: { lagWarningMs: 3_600_000 } } as HeraldConfig;

  it("reports lag, records and alarms in the process's registry", async () => {
    const registry = new Registry();
    const activity = new StreamActivity(config, new PrometheusDeliveryMetrics(registry), registry);
    const stream = { stream: 'arn:s/shard-1' };

    activity.read('arn:s', 'shard-1', new Date(Date.now() - 90_000));
    expect(await value(registry, 'herald_stream_lag_seconds', stream)).toBeGreaterThanOrEqual(90);
    activity.read('arn:s', 'shard-1', null);
    expect(await value(registry, 'herald_stream_lag_seconds', stream)).toBe(0);

    activity.counted({ accepted: 3, duplicate: 0, skipped: 2, rejected: 1 });
    activity.counted({ accepted: 1, duplicate: 1, skipped: 0, rejected: 0 });
    expect(await value(registry, 'herald_stream_records_total', { outcome: 'accepted' })).toBe(4);
    expect(await value(registry, 'herald_stream_records_total', { outcome: 'skipped' })).toBe(2);
    expect(await value(registry, 'herald_stream_records_total', { outcome: 'duplicate' })).toBe(1);

    activity.alarm('arn:s', 'shard-1', 'trimmed');
    expect(await value(registry, 'herald_stream_alarms_total', { stream_arn: 'arn:s' })).toBe(1);
  });

  it('reports no lag for a shard it no longer reads', async () => {
    const registry = new Registry();
    const activity = new StreamActivity(config, new PrometheusDeliveryMetrics(registry), registry);
    activity.read('arn:s', 'shard-1', new Date(Date.now() - 60_000));
    activity.released('arn:s', 'shard-1');
    expect(await value(registry, 'herald_stream_lag_seconds', { stream: 'arn:s/shard-1' })).toBe(0);
    expect(activity.snapshot().shards).toEqual([]);
  });
});
