import type { MigrationInterface, QueryRunner } from 'typeorm';

export class EventSources1763800500000 implements MigrationInterface {
  name = 'EventSources1763800500000';

  async up(q: QueryRunner): Promise<void> {
    // One row per shard of a change stream: who reads it (lease), and how far its notifications are committed.
    await q.query(`
      CREATE TABLE stream_shards (
        stream_arn text NOT NULL,
        shard_id text NOT NULL,
        parent_shard_id text,
        lease_owner text,
        lease_expires_at timestamptz,
        heartbeat_at timestamptz,
        checkpoint text,
        ended boolean NOT NULL DEFAULT false,
        ended_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stream_arn, shard_id)
      )`);
    await q.query(`CREATE INDEX stream_shards_open ON stream_shards (stream_arn) WHERE NOT ended`);
    // Live poller processes (heartbeat), so that each takes a fair share of the shards.
    await q.query(`
      CREATE TABLE stream_pollers (
        owner text PRIMARY KEY,
        heartbeat_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    // Events that matched a rule (or reached the intake queue) but could not become a notification.
    await q.query(`
      CREATE TABLE rejected_events (
        id bigserial PRIMARY KEY,
        source text NOT NULL,
        event_id text NOT NULL,
        rule text NOT NULL DEFAULT '',
        reason text NOT NULL,
        payload jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT rejected_events_once UNIQUE (source, event_id, rule)
      )`);
    await q.query(`CREATE INDEX rejected_events_created ON rejected_events (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rejected_events`);
    await q.query(`DROP TABLE stream_pollers`);
    await q.query(`DROP TABLE stream_shards`);
  }
}
