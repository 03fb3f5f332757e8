import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Provider delivery events (each stored once) and the suppression list. */
export class DeliveryTracking1763700700000 implements MigrationInterface {
  name = 'DeliveryTracking1763700700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE delivery_events (
        id bigserial PRIMARY KEY,
        provider text NOT NULL,
        event_id text NOT NULL,
        notification_id uuid REFERENCES notifications(id),
        type text NOT NULL,
        permanent boolean NOT NULL DEFAULT false,
        address text,
        occurred_at timestamptz NOT NULL,
        detail text,
        received_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT delivery_events_once UNIQUE (provider, event_id)
      )`);
    await q.query(`CREATE INDEX delivery_events_notification ON delivery_events (notification_id, occurred_at)`);
    await q.query(`CREATE INDEX notifications_provider_message ON notifications (provider_message_id) WHERE provider_message_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE suppressions (
        channel text NOT NULL,
        address text NOT NULL,
        reason text NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, address)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE suppressions`);
    await q.query(`DROP INDEX notifications_provider_message`);
    await q.query(`DROP TABLE delivery_events`);
  }
}
