import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763700000000 implements MigrationInterface {
  name = 'InitialSchema1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        key_prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        scopes text[] NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
    // One row per accepted request (event). Holds the idempotency key and the fingerprint of the body.
    await q.query(`
      CREATE TABLE notification_requests (
        id uuid PRIMARY KEY,
        source text NOT NULL,
        idempotency_key text,
        request_hash text NOT NULL,
        category text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX notification_requests_idempotency ON notification_requests (source, idempotency_key) WHERE idempotency_key IS NOT NULL`);
    await q.query(`CREATE INDEX notification_requests_created ON notification_requests (created_at) WHERE idempotency_key IS NOT NULL`);
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES notification_requests(id),
        channel text NOT NULL,
        recipient_key text NOT NULL,
        recipient jsonb NOT NULL,
        content jsonb,
        category text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        status text NOT NULL,
        status_reason text,
        attempt_count integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz,
        lease_owner text,
        lease_expires_at timestamptz,
        provider_call_started_at timestamptz,
        provider text,
        provider_message_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT notifications_one_per_recipient_channel UNIQUE (request_id, channel, recipient_key)
      )`);
    await q.query(`CREATE INDEX notifications_expired_leases ON notifications (lease_expires_at) WHERE status = 'sending'`);
    await q.query(`CREATE INDEX notifications_status_updated ON notifications (status, updated_at)`);
    await q.query(`
      CREATE TABLE notification_attempts (
        id uuid PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notifications(id),
        attempt_number integer NOT NULL,
        provider text,
        outcome text NOT NULL,
        error_code text,
        error_message text,
        provider_message_id text,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        duration_ms integer,
        CONSTRAINT notification_attempts_number UNIQUE (notification_id, attempt_number)
      )`);
    await q.query(`
      CREATE TABLE notification_status_history (
        id bigserial PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notifications(id),
        from_status text,
        to_status text NOT NULL,
        reason text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX notification_status_history_notification ON notification_status_history (notification_id, id)`);
    // Transactional outbox: a row is written with its notification and removed once its queue has the message.
    await q.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        notification_id uuid NOT NULL REFERENCES notifications(id),
        channel text NOT NULL,
        available_at timestamptz NOT NULL DEFAULT now(),
        publish_failures integer NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX outbox_due ON outbox (available_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP TABLE notification_status_history`);
    await q.query(`DROP TABLE notification_attempts`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE notification_requests`);
    await q.query(`DROP TABLE api_keys`);
  }
}
