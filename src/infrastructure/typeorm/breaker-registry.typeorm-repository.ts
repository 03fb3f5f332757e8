import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Channel } from '../../domain/notification/channel';
import { BreakerRegistry, type BreakerReport } from '../../domain/ports/breaker-registry.port';
import type { BreakerState } from '../../domain/ports/delivery-metrics.port';
import type { WorkerBreakerState } from '../../domain/routing/provider-health';

/** Rows of processes gone without a goodbye (killed) are removed this long after they stopped counting. */
const FORGET_AFTER_MS = 10 * 60_000;

@Injectable()
export class BreakerRegistryTypeormRepository extends BreakerRegistry {
  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async report(worker: string, breakers: BreakerReport[], liveForMs: number): Promise<void> {
    // One statement: the process's few rows renewed, and the rows of long-dead processes removed (never its own,
    // which the same statement writes).
    await this.db.query(
      `WITH reported AS (
         INSERT INTO provider_breakers (worker, channel, provider, state, since, heartbeat_at, expires_at)
         SELECT $1, b.channel, b.provider, b.state, b.since, now(), now() + make_interval(secs => $3::double precision / 1000)
         FROM jsonb_to_recordset($2::jsonb) AS b(channel text, provider text, state text, since timestamptz)
         ON CONFLICT (worker, channel, provider) DO UPDATE
         SET state = excluded.state, since = excluded.since, heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at
       )
       DELETE FROM provider_breakers WHERE expires_at < now() - make_interval(secs => $4::double precision / 1000) AND worker <> $1`,
      [worker, JSON.stringify(breakers.map((b) => ({ ...b, since: b.since.toISOString() }))), liveForMs, FORGET_AFTER_MS],
    );
  }

  async withdraw(worker: string): Promise<void> {
    await this.db.query(`DELETE FROM provider_breakers WHERE worker = $1`, [worker]);
  }

  async live(): Promise<WorkerBreakerState[]> {
    const rows: Array<{ worker: string; channel: Channel; provider: string; state: BreakerState; since: Date; heartbeat_at: Date }> = await this.db.query(
      `SELECT worker, channel, provider, state, since, heartbeat_at FROM provider_breakers WHERE expires_at > now()`,
    );
    return rows.map((r) => ({ worker: r.worker, channel: r.channel, provider: r.provider, state: r.state, since: r.since, heartbeatAt: r.heartbeat_at }));
  }
}
