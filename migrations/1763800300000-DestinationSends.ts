import type { MigrationInterface, QueryRunner } from 'typeorm';

/** One row per destination (device token, chat destination) of a fanned-out attempt, so each send is tracked. */
export class DestinationSends1763800300000 implements MigrationInterface {
  name = 'DestinationSends1763800300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification_destination_sends (
        id bigserial PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notifications(id),
        attempt_id uuid REFERENCES notification_attempts(id),
        destination text NOT NULL,
        provider text,
        outcome text NOT NULL,
        error_code text,
        error_message text,
        provider_message_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX notification_destination_sends_notification ON notification_destination_sends (notification_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notification_destination_sends`);
  }
}
