import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rate-limit counters shared by every api process: one row per limited key (an API key, or a client address
 * for failed authentications) holding the hits of its current window.
 * - Unlogged: a counter is worth nothing after a crash or a fail-over (the limit restarts from zero), and
 *   each request's increment then writes no WAL.
 * - No index but the key, and room on each page (fill factor 50): the increment touches no indexed column,
 *   so it stays a heap-only update on the same page. Expired rows are swept by a sequential scan, which is
 *   cheap on a table holding one row per key active in the last window.
 */
export class RateLimitCounters1763900000000 implements MigrationInterface {
  name = 'RateLimitCounters1763900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE UNLOGGED TABLE rate_limit_counters (
         key text PRIMARY KEY,
         hits integer NOT NULL,
         expires_at timestamptz NOT NULL
       ) WITH (fillfactor = 50)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rate_limit_counters`);
  }
}
