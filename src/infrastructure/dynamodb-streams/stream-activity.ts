import { Injectable, Logger } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { DeliveryMetrics } from '../../domain/ports/delivery-metrics.port';
import { HeraldConfig } from '../config/herald-config';

export interface ShardActivity {
  streamArn: string;
  shardId: string;
  /** Age of the newest record read, when the last read returned records; 0 when caught up. */
  lagMs: number;
  lastReadAt: string;
}

export interface StreamAlarm {
  streamArn: string;
  shardId: string;
  at: string;
  message: string;
}

/** Alarms degrade readiness for this long, so that someone notices (and then it clears by itself). */
const ALARM_VISIBLE_MS = 3_600_000;
const LAG_WARNING_EVERY_MS = 60_000;

/**
 * What the stream poller of this process is doing: lag per shard, alarms and counts, for /health/ready, logs,
 * and /metrics: lag through the DeliveryMetrics port (herald_stream_lag_seconds, labelled `<stream ARN>/<shard id>`),
 * records and alarms as counters in the process's registry (herald_stream_records_total, herald_stream_alarms_total).
 */
@Injectable()
export class StreamActivity {
  private readonly logger = new Logger('DynamoDbStreams');
  private readonly shards = new Map<string, ShardActivity>();
  private readonly alarms: StreamAlarm[] = [];
  private readonly lagWarnedAt = new Map<string, number>();
  readonly counts = { accepted: 0, duplicate: 0, skipped: 0, rejected: 0 };
  polling = false;
  private readonly records: Counter<'outcome'>;
  private readonly alarmsTotal: Counter<'stream_arn'>;

  constructor(
    private readonly config: HeraldConfig,
    private readonly metrics: DeliveryMetrics,
    registry: Registry,
  ) {
    this.records = new Counter({
      name: 'herald_stream_records_total',
      help: 'Stream records handled, by outcome (accepted, duplicate, skipped, rejected).',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.alarmsTotal = new Counter({
      name: 'herald_stream_alarms_total',
      help: 'Stream alarms (records trimmed before they were read).',
      labelNames: ['stream_arn'],
      registers: [registry],
    });
  }

  read(streamArn: string, shardId: string, newestRecordAt: Date | null): void {
    const key = `${streamArn}#${shardId}`;
    const lagMs = newestRecordAt ? Math.max(0, Date.now() - newestRecordAt.getTime()) : 0;
    this.shards.set(key, { streamArn, shardId, lagMs, lastReadAt: new Date().toISOString() });
    this.metrics.streamLag(`${streamArn}/${shardId}`, lagMs / 1000);
    // DynamoDB keeps stream records for 24 hours: warn long before a lagging shard starts losing them.
    if (lagMs > this.config.streams.lagWarningMs && Date.now() - (this.lagWarnedAt.get(key) ?? 0) > LAG_WARNING_EVERY_MS) {
      this.lagWarnedAt.set(key, Date.now());
      this.logger.warn(`shard ${shardId} of ${streamArn} is ${Math.round(lagMs / 60_000)} minutes behind; stream records are kept 24 hours`);
    }
  }

  released(streamArn: string, shardId: string): void {
    this.shards.delete(`${streamArn}#${shardId}`);
    // This process no longer reads the shard (closed and read to its end, or taken over): it is not behind on it.
    this.metrics.streamLag(`${streamArn}/${shardId}`, 0);
  }

  counted(counts: Record<keyof StreamActivity['counts'], number>): void {
    for (const key of Object.keys(this.counts) as Array<keyof StreamActivity['counts']>) {
      this.counts[key] += counts[key];
      if (counts[key] > 0) this.records.inc({ outcome: key }, counts[key]);
    }
  }

  alarm(streamArn: string, shardId: string, message: string): void {
    this.alarms.push({ streamArn, shardId, at: new Date().toISOString(), message });
    this.alarmsTotal.inc({ stream_arn: streamArn });
    if (this.alarms.length > 100) this.alarms.shift();
    this.logger.error(`ALARM shard ${shardId} of ${streamArn}: ${message}`);
  }

  snapshot(): { polling: boolean; maxLagSeconds: number; shards: ShardActivity[]; alarms: StreamAlarm[]; counts: StreamActivity['counts']; degraded: boolean } {
    const shards = [...this.shards.values()];
    const recent = this.alarms.filter((a) => Date.now() - Date.parse(a.at) < ALARM_VISIBLE_MS);
    const maxLagMs = Math.max(0, ...shards.map((s) => s.lagMs));
    return {
      polling: this.polling,
      maxLagSeconds: Math.round(maxLagMs / 1000),
      shards,
      alarms: recent,
      counts: { ...this.counts },
      degraded: recent.length > 0 || maxLagMs > this.config.streams.lagWarningMs,
    };
  }
}
