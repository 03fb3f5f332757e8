import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provider health (`GET /v1/providers/health`, docs/observability.md).
 * - `notification_attempts_started (started_at)`: the report range-scans the attempts started in its window (at
 *   most a day) instead of the whole table. `started_at` is written when the attempt row is inserted and never
 *   updated, so the update that records an attempt's outcome changes no indexed column and can stay heap-only;
 *   the cost is one index entry per attempt. Covering columns (provider, outcome, duration_ms) are written by that
 *   update, so they are read from the table.
 * - `provider_breakers`: circuit breakers live in each worker process's memory; each process writes the state of
 *   its breakers here when one changes state and as a heartbeat every PROVIDER_BREAKER_HEARTBEAT, each row alive
 *   until `expires_at`. A few rows per process, never written by a send.
 */
export class ProviderHealth1764000730000 implements MigrationInterface {
  name = 'ProviderHealth1764000730000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS notification_attempts_started ON notification_attempts (started_at)`);
    await q.query(`
      CREATE TABLE provider_breakers (
        worker text NOT NULL,
        channel text NOT NULL,
        provider text NOT NULL,
        state text NOT NULL CHECK (state IN ('closed', 'half_open', 'open')),
        since timestamptz NOT NULL,
        heartbeat_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (worker, channel, provider)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provider_breakers`);
    await q.query(`DROP INDEX notification_attempts_started`);
  }
}
