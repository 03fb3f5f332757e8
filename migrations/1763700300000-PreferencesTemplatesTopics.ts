import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PreferencesTemplatesTopics1763700300000 implements MigrationInterface {
  name = 'PreferencesTemplatesTopics1763700300000';

  async up(q: QueryRunner): Promise<void> {
    // Declared categories: what a user may turn on or off, and which channels are on when they said nothing.
    await q.query(`
      CREATE TABLE notification_categories (
        name text PRIMARY KEY,
        description text NOT NULL DEFAULT '',
        critical boolean NOT NULL DEFAULT false,
        channel_defaults jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A user's explicit choice for one category on one channel; absent means the category's default.
    await q.query(`
      CREATE TABLE recipient_category_preferences (
        user_id text NOT NULL,
        category text NOT NULL,
        channel text NOT NULL,
        enabled boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, category, channel)
      )`);
    // Global per-channel opt-out of a user (every non-critical category).
    await q.query(`
      CREATE TABLE recipient_channel_opt_outs (
        user_id text NOT NULL,
        channel text NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, channel)
      )`);
    // Addresses that asked to stop (an SMS STOP reply, an unsubscribe from a direct address).
    await q.query(`
      CREATE TABLE address_opt_outs (
        channel text NOT NULL,
        address text NOT NULL,
        source text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (channel, address)
      )`);
    await q.query(`CREATE INDEX recipients_phone ON recipients (phone) WHERE phone IS NOT NULL`);

    await q.query(`
      CREATE TABLE templates (
        key text PRIMARY KEY,
        latest_version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Published versions are never changed: accepted notifications keep the content rendered from theirs.
    await q.query(`
      CREATE TABLE template_versions (
        id uuid PRIMARY KEY,
        template_key text NOT NULL REFERENCES templates(key) ON DELETE CASCADE,
        version integer NOT NULL,
        description text NOT NULL DEFAULT '',
        default_locale text NOT NULL,
        variables text[] NOT NULL,
        locales jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT template_versions_number UNIQUE (template_key, version)
      )`);

    await q.query(`
      CREATE TABLE topics (
        key text PRIMARY KEY,
        name text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE topic_subscriptions (
        topic_key text NOT NULL REFERENCES topics(key) ON DELETE CASCADE,
        user_id text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (topic_key, user_id)
      )`);
    // One event to every subscriber: progress is the keyset cursor, committed with each batch of notifications.
    await q.query(`
      CREATE TABLE topic_fanouts (
        id uuid PRIMARY KEY,
        request_id uuid NOT NULL UNIQUE REFERENCES notification_requests(id),
        topic_key text NOT NULL REFERENCES topics(key),
        channels text[] NOT NULL,
        contents jsonb NOT NULL,
        default_locale text,
        category text,
        metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
        subscribed_before timestamptz NOT NULL,
        total integer NOT NULL,
        created_count integer NOT NULL DEFAULT 0,
        cursor_user_id text,
        done boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await q.query(`CREATE INDEX topic_fanouts_pending ON topic_fanouts (created_at) WHERE NOT done`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE topic_fanouts`);
    await q.query(`DROP TABLE topic_subscriptions`);
    await q.query(`DROP TABLE topics`);
    await q.query(`DROP TABLE template_versions`);
    await q.query(`DROP TABLE templates`);
    await q.query(`DROP INDEX recipients_phone`);
    await q.query(`DROP TABLE address_opt_outs`);
    await q.query(`DROP TABLE recipient_channel_opt_outs`);
    await q.query(`DROP TABLE recipient_category_preferences`);
    await q.query(`DROP TABLE notification_categories`);
  }
}
