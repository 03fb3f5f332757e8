import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Progress of the outbound status webhook through notification_status_history (one row per feed). */
export class CustomerWebhooks1763700800000 implements MigrationInterface {
  name = 'CustomerWebhooks1763700800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE status_feed_cursors (
        name text PRIMARY KEY,
        last_history_id bigint NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        last_error text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE status_feed_cursors`);
  }
}
