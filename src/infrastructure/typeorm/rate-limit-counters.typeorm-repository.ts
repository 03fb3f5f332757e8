import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RateLimitCounters, type WindowCount } from '../../domain/ports/rate-limit-counters.port';

/**
 * Counters in `rate_limit_counters`: one atomic upsert per hit, so that concurrent hits from any number of
 * processes are each counted once. Expired rows are deleted on write, at most once per `sweepEveryMs` per
 * process; a key seen again after its window simply starts a new one in the same row.
 */
@Injectable()
export class RateLimitCountersTypeormRepository extends RateLimitCounters {
  sweepEveryMs = 60_000;
  private lastSweep = Date.now();
  private readonly logger = new Logger('RateLimits');

  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  async hit(key: string, windowMs: number): Promise<WindowCount> {
    const rows = (await this.db.query(
      `INSERT INTO rate_limit_counters AS c (key, hits, expires_at)
       VALUES ($1, 1, clock_timestamp() + $2 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.expires_at <= clock_timestamp() THEN 1 ELSE c.hits + 1 END,
         expires_at = CASE WHEN c.expires_at <= clock_timestamp() THEN clock_timestamp() + $2 * interval '1 millisecond' ELSE c.expires_at END
       RETURNING hits, GREATEST(0, CEIL(EXTRACT(EPOCH FROM (expires_at - clock_timestamp())) * 1000))::float8 AS resets_in_ms`,
      [key, windowMs],
    )) as Array<{ hits: number; resets_in_ms: number }>;
    if (Date.now() - this.lastSweep >= this.sweepEveryMs) {
      this.lastSweep = Date.now();
      void this.sweepExpired().catch((err: unknown) => this.logger.warn(`sweeping expired rate-limit counters failed: ${String(err)}`));
    }
    return { hits: rows[0].hits, resetsInMs: rows[0].resets_in_ms };
  }

  async peek(key: string): Promise<WindowCount> {
    const rows = (await this.db.query(
      `SELECT hits, GREATEST(0, CEIL(EXTRACT(EPOCH FROM (expires_at - clock_timestamp())) * 1000))::float8 AS resets_in_ms
       FROM rate_limit_counters WHERE key = $1 AND expires_at > clock_timestamp()`,
      [key],
    )) as Array<{ hits: number; resets_in_ms: number }>;
    return rows.length ? { hits: rows[0].hits, resetsInMs: rows[0].resets_in_ms } : { hits: 0, resetsInMs: 0 };
  }

  /** Deletes the rows whose window has ended; returns how many. */
  async sweepExpired(): Promise<number> {
    const [, deleted] = (await this.db.query(`DELETE FROM rate_limit_counters WHERE expires_at <= clock_timestamp()`)) as [unknown, number];
    return deleted;
  }
}
