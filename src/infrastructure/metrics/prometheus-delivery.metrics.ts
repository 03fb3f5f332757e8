import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Channel } from '../../domain/notification/channel';
import {
  DeliveryMetrics,
  type AcceptedMetric,
  type BreakerState,
  type EngagementEvent,
  type EngagementMetric,
  type EngagementSubject,
  type SettledMetric,
} from '../../domain/ports/delivery-metrics.port';
import { boundedLabel } from './label-limits';

const PROVIDER_LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BREAKER_STATES: readonly BreakerState[] = ['closed', 'half_open', 'open'];

/** DeliveryMetrics as Prometheus counters, histograms and gauges in the process's registry. */
@Injectable()
export class PrometheusDeliveryMetrics extends DeliveryMetrics {
  private readonly acceptedTotal: Counter<'channel' | 'category'>;
  private readonly outcomesTotal: Counter<'channel' | 'category' | 'provider' | 'status'>;
  private readonly attemptsTotal: Counter<'channel' | 'provider' | 'outcome'>;
  private readonly retriesTotal: Counter<'channel' | 'provider' | 'cause'>;
  private readonly providerLatency: Histogram<'channel' | 'provider' | 'outcome'>;
  private readonly findingsTotal: Counter<'job' | 'finding'>;
  private readonly breaker: Gauge<'channel' | 'provider' | 'state'>;
  private readonly streamLagSeconds: Gauge<'stream'>;
  private readonly engagementTotal: Counter<'channel' | 'category' | 'template' | 'provider' | 'event'>;
  private readonly categories = new Set<string>();
  private readonly templates = new Set<string>();

  constructor(registry: Registry) {
    super();
    const registers = [registry];
    this.acceptedTotal = new Counter({
      name: 'herald_notifications_accepted_total',
      help: 'Notifications durably accepted (one per recipient and channel).',
      labelNames: ['channel', 'category'],
      registers,
    });
    this.outcomesTotal = new Counter({
      name: 'herald_notifications_outcomes_total',
      help: 'Notifications moved by a worker to sent, failed, unknown, suppressed or queued (a retry or a deferral).',
      labelNames: ['channel', 'category', 'provider', 'status'],
      registers,
    });
    this.engagementTotal = new Counter({
      name: 'herald_engagement_events_total',
      help: 'Notifications accepted, sent, failed, and moved by delivery events (delivered, opened, clicked, unsubscribed, bounced, complained, undelivered).',
      labelNames: ['channel', 'category', 'template', 'provider', 'event'],
      registers,
    });
    this.attemptsTotal = new Counter({
      name: 'herald_send_attempts_total',
      help: 'Provider calls, by their outcome (sent, transient_failure, permanent_failure, unknown).',
      labelNames: ['channel', 'provider', 'outcome'],
      registers,
    });
    this.retriesTotal = new Counter({
      name: 'herald_retries_scheduled_total',
      help: 'Notifications queued again for a later attempt: after a transient provider failure, or deferred with no provider called (a gate, an open circuit).',
      labelNames: ['channel', 'provider', 'cause'],
      registers,
    });
    this.providerLatency = new Histogram({
      name: 'herald_provider_request_duration_seconds',
      help: 'Duration of provider calls.',
      labelNames: ['channel', 'provider', 'outcome'],
      buckets: PROVIDER_LATENCY_BUCKETS,
      registers,
    });
    this.findingsTotal = new Counter({
      name: 'herald_reconciliation_findings_total',
      help: 'Things reconciliation jobs found and settled.',
      labelNames: ['job', 'finding'],
      registers,
    });
    this.breaker = new Gauge({
      name: 'herald_circuit_breaker_state',
      help: 'Circuit breaker state per provider: 1 for the current state, 0 for the others.',
      labelNames: ['channel', 'provider', 'state'],
      registers,
    });
    this.streamLagSeconds = new Gauge({
      name: 'herald_stream_lag_seconds',
      help: 'Age of the last record read from a stream, per stream or shard.',
      labelNames: ['stream'],
      registers,
    });
  }

  accepted(notifications: AcceptedMetric[]): void {
    const counts = new Map<string, { channel: Channel; category: string; n: number }>();
    for (const n of notifications) {
      const category = this.category(n.category);
      const key = `${n.channel}\u0000${category}`;
      const entry = counts.get(key) ?? { channel: n.channel, category, n: 0 };
      entry.n++;
      counts.set(key, entry);
    }
    for (const { channel, category, n } of counts.values()) this.acceptedTotal.inc({ channel, category }, n);
    this.countEngagement(notifications.map((n) => ({ ...n, provider: null, event: 'accepted' as const })));
  }

  settled(notifications: SettledMetric[]): void {
    const finished = notifications.flatMap((n) => {
      const event: EngagementEvent | null = n.decision.status === 'sent' ? 'sent' : n.decision.status === 'failed' ? 'failed' : null;
      return event ? [{ ...n, event }] : [];
    });
    this.countEngagement(finished);
    for (const n of notifications) {
      const provider = n.provider ?? 'none';
      this.outcomesTotal.inc({ channel: n.channel, category: this.category(n.category), provider, status: n.decision.status });
      if (n.decision.status === 'queued') this.retriesTotal.inc({ channel: n.channel, provider, cause: n.attempt ? 'transient_failure' : 'deferred' });
      if (n.attempt) {
        this.attemptsTotal.inc({ channel: n.channel, provider, outcome: n.attempt.outcome });
        this.providerLatency.observe({ channel: n.channel, provider, outcome: n.attempt.outcome }, n.attempt.durationMs / 1000);
      }
    }
  }

  engagement(events: EngagementMetric[]): void {
    this.countEngagement(events);
  }

  reconciliationFinding(job: string, finding: string, count: number): void {
    if (count > 0) this.findingsTotal.inc({ job, finding }, count);
  }

  breakerState(channel: Channel, provider: string, state: BreakerState): void {
    for (const s of BREAKER_STATES) this.breaker.set({ channel, provider, state: s }, s === state ? 1 : 0);
  }

  streamLag(stream: string, seconds: number): void {
    this.streamLagSeconds.set({ stream }, Math.max(0, seconds));
  }

  /** One increment per label set; category and template are bounded like every client-supplied label. */
  private countEngagement(events: Array<EngagementSubject & { event: EngagementEvent }>): void {
    const counts = new Map<string, { labels: Record<'channel' | 'category' | 'template' | 'provider' | 'event', string>; n: number }>();
    for (const e of events) {
      const labels = { channel: e.channel, category: this.category(e.category), template: boundedLabel(e.template, this.templates), provider: e.provider ?? 'none', event: e.event };
      const key = Object.values(labels).join('\u0000');
      const entry = counts.get(key) ?? { labels, n: 0 };
      entry.n++;
      counts.set(key, entry);
    }
    for (const { labels, n } of counts.values()) this.engagementTotal.inc(labels, n);
  }

  private category(value: string | null): string {
    return boundedLabel(value, this.categories);
  }
}
