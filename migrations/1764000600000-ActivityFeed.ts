import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The activity feed (`GET /v1/notifications` with filters, docs/performance.md "Activity feed").
 * Each filter has an index led by its column and ending in the feed's order (created_at, id), so a page is a short
 * backwards range scan whatever the table's size. All of them are on columns written at intake and never updated
 * (recipient, channel, category, template, metadata, request_id, created_at), except `status` and `provider`, which
 * the outcome update already changes together with the indexed `status`: no update that is heap-only today (the
 * attempt start, which touches neither) stops being one. The cost is one more index entry per index on the updates
 * that are not heap-only (intake and each status change).
 * - Recipient fields are expression indexes, partial on the field being present.
 * - `metadata` has a GIN index (jsonb_path_ops) for containment, `metadata @> '{"k":"v"}'`.
 * - Fan-outs and idempotency keys go through the request: `notifications (request_id, created_at, id)`,
 *   `topic_fanouts (topic_key)`, `notification_requests (idempotency_key)` (the unique index is led by `source`).
 * - `IF NOT EXISTS`: on a large table, build them beforehand with CREATE INDEX CONCURRENTLY (docs/performance.md).
 * - The unfiltered feed and a creation window alone use `notifications_created` (migration EngagementAnalytics).
 */
export class ActivityFeed1764000600000 implements MigrationInterface {
  name = 'ActivityFeed1764000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_feed_user ON notifications ((recipient->>'userId'), created_at, id) WHERE recipient->>'userId' IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_feed_email ON notifications ((recipient->>'email'), created_at, id) WHERE recipient->>'email' IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_feed_phone ON notifications ((recipient->>'phone'), created_at, id) WHERE recipient->>'phone' IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_feed_status ON notifications (status, created_at, id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_feed_channel ON notifications (channel, created_at, id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_feed_category ON notifications (category, created_at, id) WHERE category IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_feed_template ON notifications (template, created_at, id) WHERE template IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_feed_provider ON notifications (provider, created_at, id) WHERE provider IS NOT NULL`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_feed_request ON notifications (request_id, created_at, id)`);
    await q.query(`CREATE INDEX IF NOT EXISTS notifications_feed_metadata ON notifications USING gin (metadata jsonb_path_ops)`);
    await q.query(`CREATE INDEX IF NOT EXISTS topic_fanouts_topic ON topic_fanouts (topic_key)`);
    await q.query(`CREATE INDEX IF NOT EXISTS notification_requests_key ON notification_requests (idempotency_key) WHERE idempotency_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notification_requests_key`);
    await q.query(`DROP INDEX topic_fanouts_topic`);
    for (const name of ['metadata', 'request', 'provider', 'template', 'category', 'channel', 'status', 'phone', 'email', 'user']) {
      await q.query(`DROP INDEX notifications_feed_${name}`);
    }
  }
}
