import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Channel } from '../../domain/notification/channel';
import { ProviderAttemptStats } from '../../domain/ports/provider-attempt-stats.port';
import type { ProviderAttemptFigures } from '../../domain/routing/provider-health';

/**
 * The attempts started since $1 (a range scan of `notification_attempts_started`), each joined to its notification
 * for the channel (by primary key), counted per channel and provider. Attempts still in flight are left out, and so
 * are those with no provider (a worker lost before it recorded one). The plan is checked in
 * test/integration/provider-health-plan.test.ts.
 */
export const PROVIDER_ATTEMPTS_STATEMENT = `
  SELECT n.channel, a.provider,
         count(*)::int AS attempts,
         count(*) FILTER (WHERE a.outcome = 'sent')::int AS sent,
         count(*) FILTER (WHERE a.outcome = 'transient_failure')::int AS transient_failures,
         count(*) FILTER (WHERE a.outcome = 'permanent_failure')::int AS permanent_failures,
         count(*) FILTER (WHERE a.outcome = 'unknown')::int AS unknown,
         percentile_disc(0.5) WITHIN GROUP (ORDER BY a.duration_ms) AS p50_ms,
         percentile_disc(0.95) WITHIN GROUP (ORDER BY a.duration_ms) AS p95_ms
  FROM notification_attempts a
  JOIN notifications n ON n.id = a.notification_id
  WHERE a.started_at >= $1 AND a.outcome <> 'in_flight' AND a.provider IS NOT NULL
  GROUP BY n.channel, a.provider`;

@Injectable()
export class ProviderAttemptStatsTypeormRepository extends ProviderAttemptStats {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async since(from: Date): Promise<ProviderAttemptFigures[]> {
    const rows: Array<Record<string, string | number | null>> = await this.db.query(PROVIDER_ATTEMPTS_STATEMENT, [from.toISOString()]);
    return rows.map((r) => ({
      channel: r.channel as Channel,
      provider: String(r.provider),
      attempts: Number(r.attempts),
      sent: Number(r.sent),
      transientFailures: Number(r.transient_failures),
      permanentFailures: Number(r.permanent_failures),
      unknown: Number(r.unknown),
      p50Ms: r.p50_ms === null ? null : Number(r.p50_ms),
      p95Ms: r.p95_ms === null ? null : Number(r.p95_ms),
    }));
  }
}
